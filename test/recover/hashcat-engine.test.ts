/**
 * `recover --engine hashcat` against Debian's hashcat on the CPU (pocl): our candidates in our
 * order go through hashcat, and the found password is checked again with our engine.
 * Skips when hashcat (or an OpenCL runtime) is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { runCli } from '../cli/run-cli.js';
import { VECTOR_9 } from '../backup/vectors.js';

const hashcat = spawnSync(process.env.IRESCUE_HASHCAT ?? 'hashcat', ['--version']).status === 0;

test('recover --engine hashcat finds the password through hashcat', { skip: !hashcat && 'hashcat is not installed', timeout: 300_000 }, async () => {
  const r = await runCli(['recover', '--hash', VECTOR_9, '--try', 'nope', '--try', 'hashcat', '--engine', 'hashcat', '--no-session', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.found, true);
  assert.equal(doc.password, 'hashcat');
});

test('recover --engine with an unknown name is a usage error', async () => {
  const r = await runCli(['recover', '--hash', VECTOR_9, '--try', 'x', '--engine', 'gpu-magic']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /auto.*hashcat/);
});
