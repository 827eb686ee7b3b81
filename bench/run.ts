/**
 * `npm run bench [-- [module...] [--json] [module options]]`: runs the benchmark modules (all by
 * default). Each module exports `name` and `run(args)`; add new ones to MODULES.
 * Benchmarks are not tests: they are noisy on shared machines and never fail the build.
 */
import * as kdf from './kdf.js';
import { benchExtract } from './extract.js';
import { benchExport } from './export.js';
import { benchRecover } from './recover.js';
import * as guesses from './guesses.js';
import { benchStartup } from './startup.js';
import { benchDevice } from './device.js';

interface BenchModule {
  name: string;
  run(args: string[]): Promise<unknown>;
}

const MODULES: BenchModule[] = [
  kdf,
  { name: 'recover', run: () => benchRecover() },
  { name: 'extract', run: (args) => benchExtract(args) },
  { name: 'export', run: () => benchExport() },
  guesses,
  { name: 'startup', run: () => benchStartup() },
  { name: 'device', run: () => benchDevice() },
];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const wanted = args.filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !MODULES.some((m) => m.name === w));
  if (unknown.length) {
    process.stderr.write(`bench: unknown module ${unknown.join(', ')} (known: ${MODULES.map((m) => m.name).join(', ')})\n`);
    process.exitCode = 2;
    return;
  }
  const results: Record<string, unknown> = {};
  for (const m of MODULES) {
    if (wanted.length && !wanted.includes(m.name)) continue;
    process.stderr.write(`bench ${m.name}\n`);
    results[m.name] = await m.run(args);
  }
  if (args.includes('--json')) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}

await main();
