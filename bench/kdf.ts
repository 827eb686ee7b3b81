/**
 * KDF benchmark module for `npm run bench`: the same measurement as `irescue bench`
 * (src/kdf/bench.ts), printed as a table, or JSON with --json.
 */
import { formatKdfBench, runKdfBench, type KdfBenchOptions } from '../src/kdf/bench.js';

export const name = 'kdf';

export async function run(args: string[]): Promise<unknown> {
  const opts: KdfBenchOptions = {
    allPaths: args.includes('--all-paths'),
    noHashcat: args.includes('--no-hashcat'),
    onProgress: (e) => process.stderr.write(`  ${e.done}/${e.total ?? '?'} ${e.detail ?? ''}\n`),
  };
  const rounds = args.find((a) => a.startsWith('--rounds='));
  if (rounds) opts.rounds = Number(rounds.slice('--rounds='.length));
  const result = await runKdfBench(opts);
  if (!args.includes('--json')) process.stdout.write(formatKdfBench(result) + '\n');
  return result;
}
