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
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTarget } from './make-target.js';

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

test("the CLI with hashcat (a stand-in): hashcat's speed in the progress lines; a later search on our engine skips what it tested and says so", { timeout: 120_000 }, async () => {
  const env = { IRESCUE_HASHCAT: fileURLToPath(new URL('../fakes/hashcat.mjs', import.meta.url)), FAKE_HASHCAT_SPEED: '321' };
  const session = join(mkdtempSync(join(tmpdir(), 'irescue-hc-cli-')), 'session');
  const t = makeTarget('not-a-pin', { dpic: 50 });
  const first = await runCli(['recover', '--hash', t.hashLine, '--mask', '?d?d', '--engine', 'hashcat', '--session', session, '--json'], { env });
  assert.equal(first.code, 5, first.stderr);
  const progress = first.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((d) => d.progress);
  assert.ok(progress.some((d) => d.progress.rate === 321), first.stderr);
  const second = await runCli(['recover', '--hash', t.hashLine, '--try', 'other', '--mask', '?d?d', '--workers', '1', '--session', session, '--json'], { env });
  assert.equal(second.code, 5, second.stderr);
  const doc = JSON.parse(second.stdout);
  assert.equal(doc.skipped, 100);
  assert.equal(doc.tried, 1);
  assert.match(second.stderr, /100 candidates were skipped: an earlier search of this backup tested them/);
});
