/**
 * Runs several CLI invocations in one Node process (one tsx start-up instead of one per case) and
 * prints their exit codes and output as JSON. Spawned by cli.test.ts: patching process.stdout
 * inside the test runner's own process would swallow the runner's reports.
 * Usage: node --import tsx test/recover/cli-batch.ts '<JSON array of argument arrays>'
 */
import { main } from '../../src/cli/main.js';

const cases = JSON.parse(process.argv[2] ?? '[]') as string[][];
const results: Array<{ code: number; stdout: string; stderr: string }> = [];
const realOut = process.stdout.write.bind(process.stdout);
for (const args of cases) {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => { stdout += String(chunk); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(['node', 'irescue', ...args]);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
  results.push({ code, stdout, stderr });
}
realOut(JSON.stringify(results) + '\n');
