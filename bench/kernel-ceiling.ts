/**
 * The ceiling `recover` is measured against (issue #5): the addon's own C kernels driven from a
 * C program (native/bench/kernel-bench.c), one pthread per core, with no Node.js, no JavaScript
 * and no pool around them. Built on demand with the system C compiler into a temporary folder;
 * without a compiler the comparison is skipped with the reason.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** native/ of this package, from src/kdf (tsx) and from dist/kdf alike. */
export const NATIVE_DIR = fileURLToPath(new URL('../native/', import.meta.url));

export interface KernelRate {
  path: string;
  threads: number;
  iterations: number;
  guesses: number;
  seconds: number;
  /** sum over the threads of each thread's whole batches / its own time */
  guessesPerSecond: number;
}

export class KernelBench {
  private constructor(
    private readonly binary: string,
    private readonly dir: string,
  ) {}

  /** Compiles the harness with the addon's sources and flags (binding.gyp); undefined + reason when it cannot. */
  static async build(cc: string = process.env.CC || 'cc'): Promise<{ bench?: KernelBench; reason?: string }> {
    let sources: string[];
    try {
      sources = readdirSync(join(NATIVE_DIR, 'src'))
        .filter((f) => f.endsWith('.c') && f !== 'addon.c')
        .map((f) => join(NATIVE_DIR, 'src', f));
    } catch {
      return { reason: `the native sources are not in ${NATIVE_DIR}` };
    }
    const dir = mkdtempSync(join(tmpdir(), 'irescue-kernel-bench-'));
    const binary = join(dir, 'kernel-bench');
    try {
      await run(cc, ['-O3', '-std=gnu11', '-fno-strict-aliasing', '-o', binary, ...sources, join(NATIVE_DIR, 'bench', 'kernel-bench.c'), '-lpthread'], { timeout: 180_000 });
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
      return { reason: `the C harness did not build with ${cc}: ${msg}` };
    }
    return { bench: new KernelBench(binary, dir) };
  }

  async measure(path: string, threads: number, seconds: number, iterations: number): Promise<KernelRate> {
    const { stdout } = await run(this.binary, [path, String(threads), String(seconds), String(iterations)], { timeout: (seconds * 4 + 120) * 1000 });
    return JSON.parse(stdout.trim().split('\n').pop()!) as KernelRate;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
