/**
 * Fixed start-up (issue 15 item 9): wall time of `irescue info` and of `irescue verify` on a
 * generated encrypted backup, beside a bare `node -e 0` in the same run (alternated, medians), as
 * the built CLI runs (dist/). Target: `info` under 0.2 s; `verify` one key derivation more, with the
 * KDF path choice read from the cache folder after the first run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBackup } from '../src/backup/writer.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(REPO, 'dist/cli/main.js');
const RUNS = 7;

function seconds(args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchStartup(log: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<Record<string, number> | undefined> {
  if (!existsSync(MAIN)) {
    log('startup: dist/ is not built (npm run build), skipped');
    return undefined;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'irescue-bench-startup-'));
  try {
    const password = 'bench';
    const w = await writeBackup({ dir: join(tmp, 'b'), files: [{ domain: 'HomeDomain', relativePath: 'a.txt', content: Buffer.from('a') }], encryption: { password, dpic: 10_000_000 } });
    const env = { IRESCUE_CACHE_DIR: join(tmp, 'cache'), IRESCUE_PASSWORD: password };
    const first = seconds([MAIN, 'verify', w.dir], env); // measures the KDF paths once and keeps the choice
    const node: number[] = [];
    const info: number[] = [];
    const verify: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      node.push(seconds(['-e', '0'], env));
      info.push(seconds([MAIN, 'info', w.dir], env));
      verify.push(seconds([MAIN, 'verify', w.dir], env));
    }
    const r = { node: median(node), info: median(info), verify: median(verify), firstVerify: first };
    log(`startup: node -e 0 ${r.node.toFixed(3)} s; info ${r.info.toFixed(3)} s (${(r.info / r.node).toFixed(1)}x node, target 0.2 s); verify ${r.verify.toFixed(3)} s with the cached KDF choice, ${r.firstVerify.toFixed(3)} s the first time (measuring)`);
    return r;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
