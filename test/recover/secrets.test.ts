/**
 * Guesses stay out of other processes (SECURITY-REVIEW B13): --try-file FILE and --try-file -
 * (stdin), a warning when guesses are on the command line, and a hashcat child that gets its
 * candidates on stdin only, with no IRESCUE_PASSWORD in its environment and no guess in its argv.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTarget } from './make-target.js';

const MAIN = join(import.meta.dirname, '../../src/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'irescue-secrets-'));
const env = { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') };

function cli(args: string[], input?: string, extra: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...env, ...extra }, input, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--try-file FILE and --try-file - give the same guesses as --try, which alone warns about argv', () => {
  const t = makeTarget('Second guess', { dpic: 20 });
  const file = join(dir, 'guesses.txt');
  writeFileSync(file, 'first\r\nSecond guess\n\n');
  const fromFile = cli(['recover', '--hash', t.hashLine, '--try-file', file, '--no-session', '--json']);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.deepEqual([JSON.parse(fromFile.stdout).password, JSON.parse(fromFile.stdout).tried], ['Second guess', 2]);
  assert.doesNotMatch(fromFile.stderr, /visible to other users/);
  const fromStdin = cli(['recover', '--hash', t.hashLine, '--try-file', '-', '--no-session', '--json'], 'first\nSecond guess\n');
  assert.equal(fromStdin.code, 0, fromStdin.stderr);
  assert.equal(JSON.parse(fromStdin.stdout).password, 'Second guess');
  const onArgv = cli(['recover', '--hash', t.hashLine, '--try', 'first', '--try', 'Second guess', '--no-session']);
  assert.equal(onArgv.code, 0, onArgv.stderr);
  assert.match(onArgv.stderr, /visible to other users.*--try-file/);
  const cand = cli(['candidates', '--try-file', '-', '--mask', '?d'], 'x\n1\n');
  assert.equal(cand.stdout, 'x\n1\n0\n2\n3\n4\n5\n6\n7\n8\n9\n');
  const missing = cli(['recover', '--hash', t.hashLine, '--try-file', join(dir, 'nope.txt')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--try-file .*nope\.txt/);
});

test('the hashcat child: candidates on stdin only, no IRESCUE_PASSWORD in its environment, scratch removed', () => {
  const t = makeTarget('not-this', { dpic: 20 });
  const fake = join(dir, 'fake-hashcat.sh');
  const dump = join(dir, 'dump');
  mkdirSync(dump);
  // a stand-in that records what it was given, reads its stdin, and reports "exhausted" (exit 1)
  writeFileSync(fake, `#!/bin/sh\nif [ "$1" = "--version" ]; then env > "${dump}/version-env"; echo v6.2.6; exit 0; fi\nenv > "${dump}/env"\necho "$@" > "${dump}/argv"\ncat > "${dump}/stdin"\nexit 1\n`);
  chmodSync(fake, 0o755);
  const scratch = join(dir, 'tmp');
  mkdirSync(scratch);
  mkdirSync(join(scratch, 'irescue-hashcat-999999999-dead')); // left by a killed run: swept
  const r = cli(['recover', '--hash', t.hashLine, '--try-file', '-', '--engine', 'hashcat', '--json'], 'MyGuess1\nMyGuess2\n', { IRESCUE_HASHCAT: fake, IRESCUE_PASSWORD: 'TopSecretPw', TMPDIR: scratch });
  assert.equal(r.code, 5, r.stderr);
  for (const f of ['version-env', 'env', 'argv']) {
    const text = readFileSync(join(dump, f), 'utf8');
    assert.doesNotMatch(text, /TopSecretPw|IRESCUE_PASSWORD|MyGuess/, f);
  }
  const argv = readFileSync(join(dump, 'argv'), 'utf8');
  assert.match(argv, /-m 1480\d /);
  // hashcat refuses --slow-candidates on standard input: the streamed run must not ask for it
  assert.doesNotMatch(argv, /(^| )(-S|--slow-candidates)( |$)/);
  assert.equal(readFileSync(join(dump, 'stdin'), 'utf8'), 'MyGuess1\nMyGuess2\n');
  assert.deepEqual(readdirSync(scratch).filter((n) => n.startsWith('irescue-')), [], 'the scratch folder is gone');
});
