/**
 * `irescue bench [--json]`: the KDF engines side by side at the real 10,000,000 rounds, on one
 * core and on all cores, with the ratio to node crypto measured in the same run (DESIGN.md §2).
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { formatKdfBench, runKdfBench } from '../../kdf/bench.js';
import { keepBenchSelection } from '../../kdf/select.js';
import { runCommand } from '../common.js';

interface BenchFlags {
  json?: boolean;
  rounds?: string;
  allPaths?: boolean;
  hashcat?: boolean;
}

export function register(program: Command): void {
  program
    .command('bench')
    .description('measure the key-derivation engines (guesses per second, ratio to node crypto; hashcat when installed)')
    .option('--json', 'print one JSON document on stdout')
    .option('--rounds <n>', 'SHA-256 rounds per guess', '10000000')
    .option('--all-paths', 'measure every native path, not only the best of each family')
    .option('--no-hashcat', 'skip hashcat even when it is installed')
    .action(async (flags: BenchFlags) => {
      const rounds = Number(flags.rounds);
      if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100_000_000) throw new UsageError(`--rounds: expected an integer from 1 to 100,000,000, got ${flags.rounds}`);
      await runCommand({ json: flags.json }, async ({ signal, progress, print }) => {
        const result = await runKdfBench({ rounds, allPaths: flags.allPaths, noHashcat: flags.hashcat === false, onProgress: progress, signal });
        progress.done();
        // bench's own figures become the machine's KDF path choice: later commands say what bench printed
        if (!signal.aborted) await keepBenchSelection(result);
        if (flags.json) print(result, 0);
        else process.stdout.write(formatKdfBench(result) + '\n');
      });
    });
}
