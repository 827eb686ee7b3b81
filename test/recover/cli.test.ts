/**
 * The recover and candidates commands as a user runs them: exit codes, --json, bad input, and a
 * real SIGKILL in the middle of a search followed by resumes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBinaryPlist } from '../../src/plist/plist.js';
import { makeBackupFolder, makeTarget } from './make-target.js';
import { VECTOR_9, VECTOR_10_FAST } from '../backup/vectors.js';

const MAIN = join(import.meta.dirname, '../../src/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'irescue-cli-'));
const env = { ...process.env, XDG_CACHE_HOME: join(dir, 'cache'), IRESCUE_TRACE_FILE: '' };

const BATCH = join(import.meta.dirname, 'cli-batch.ts');

/** Several CLI runs in one child process (fast: one Node and tsx start-up for all of them). */
function cliBatch(cases: string[][]): Array<{ code: number; stdout: string; stderr: string }> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', BATCH, JSON.stringify(cases)], { env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function cli(args: string[], extraEnv: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('known answers through --hash: both fast DESIGN.md vectors, --json result', () => {
  for (const line of [VECTOR_9, VECTOR_10_FAST]) {
    const r = cli(['recover', '--hash', line, '--try', 'nope', '--try', 'hashcat', '--workers', '1', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.found, true);
    assert.equal(doc.password, 'hashcat');
    assert.equal(doc.tried, 2);
    assert.equal(typeof doc.seconds, 'number');
    assert.deepEqual(Object.keys(doc), ['found', 'password', 'tried', 'seconds']);
    assert.ok(r.stderr.split('\n').filter(Boolean).every((l) => JSON.parse(l)), 'stderr holds JSON lines');
  }
});

test('a backup folder: found from a hint, printed, verified, next step shown', () => {
  const b = makeBackupFolder(join(dir, 'backup1'), 'Rex2015!', { dpic: 100 });
  const r = cli(['recover', b, '--hint', 'rex', '--hint', '2015', '--workers', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Rex2015!\n');
  assert.match(r.stderr, /verified/);
  assert.match(r.stderr, /irescue extract .*backup1/);
  assert.match(r.stderr, /variants of 2 hint/);
});

test('not found: exit 5, and found:false with --json', () => {
  const t = makeTarget('elsewhere', { dpic: 50 });
  const r = cli(['recover', '--hash', t.hashLine, '--mask', '?d?d', '--json', '--no-session']);
  assert.equal(r.code, 5, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.found, false);
  assert.equal(doc.tried, 100);
  const human = cli(['recover', '--hash', t.hashLine, '--try', 'x', '--no-session']);
  assert.equal(human.code, 5);
  assert.match(human.stderr, /not found/);
  assert.equal(human.stdout, '');
});

test('bad input: clear one-line errors and the DESIGN.md exit codes', () => {
  const t = makeTarget('x', { dpic: 50 });
  const binary = join(dir, 'bin.txt');
  writeFileSync(binary, Buffer.from([1, 2, 0, 3]));
  const empty = join(dir, 'empty.txt');
  writeFileSync(empty, '');
  const hashFile = join(dir, 'hashes.txt');
  writeFileSync(hashFile, 'just some text\n');
  const plain = join(dir, 'plain-backup');
  mkdirSync(plain, { recursive: true });
  writeFileSync(join(plain, 'Manifest.plist'), buildBinaryPlist({ IsEncrypted: false }));
  const cases: Array<[string[], number, RegExp]> = [
    [['recover', '--hash', '$itunes_backup$*10*abcd*10000*00**', '--try', 'a'], 4, /WPKY must be 80 hex digits/],
    [['recover', '--hash', '$itunes_backup$*8*x', '--try', 'a'], 4, /7 '\*'-separated fields/],
    [['recover', '--hash', hashFile, '--try', 'a'], 4, /hashes\.txt line 1: not an iTunes backup hash line/],
    [['recover', '--hash', join(dir, 'missing-hash.txt'), '--try', 'a'], 2, /missing-hash\.txt/],
    [['recover', '--hash', t.hashLine, '--wordlist', binary], 4, /bin\.txt: looks binary/],
    [['recover', '--hash', t.hashLine, '--wordlist', empty], 4, /empty\.txt: wordlist holds no words/],
    [['recover', '--hash', t.hashLine, '--wordlist', join(dir, 'nope.txt')], 4, /nope\.txt: cannot read wordlist/],
    [['recover', '--hash', t.hashLine, '--mask', '?d?q'], 2, /unknown charset \?q/],
    [['recover', '--hash', t.hashLine, '--mask', '?1'], 2, /no -1 charset/],
    [['recover', '--hash', t.hashLine, '--pins', '5'], 2, /--pins takes 4 or 6/],
    [['recover', '--hash', t.hashLine], 2, /no candidate source/],
    [['recover', '--try', 'a'], 2, /give a backup folder or --hash/],
    [['recover', '--hash', t.hashLine, '--try', 'a', '--workers', '0'], 2, /--workers takes a positive number/],
    [['recover', plain, '--try', 'a'], 2, /not encrypted/],
  ];
  const results = cliBatch(cases.map(([args]) => [...args, '--no-session']));
  for (const [i, [args, code, re]] of cases.entries()) {
    const r = results[i];
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('a changed command line on the same session is explained, and --restart starts over', () => {
  const t = makeTarget('elsewhere', { dpic: 20 });
  const session = join(dir, 'changed-session');
  const [first, changed, again, restarted] = cliBatch([
    ['recover', '--hash', t.hashLine, '--mask', '?d', '--session', session, '--workers', '1'],
    ['recover', '--hash', t.hashLine, '--mask', '?l', '--session', session],
    ['recover', '--hash', t.hashLine, '--mask', '?d', '--session', session, '--json'],
    ['recover', '--hash', t.hashLine, '--mask', '?l', '--session', session, '--restart', '--json'],
  ]);
  assert.equal(first.code, 5, first.stderr);
  assert.equal(changed.code, 2);
  assert.match(changed.stderr, /different command line: mask \?d is now mask \?l.*--restart/);
  assert.equal(again.code, 5);
  assert.match(again.stderr, /resuming at candidate position 10/);
  assert.equal(restarted.code, 5, restarted.stderr);
  assert.equal(JSON.parse(restarted.stdout).tried, 26);
});

test('candidates: the ordered, deduplicated stream, and a closed pipe ends it quietly', () => {
  const r = cli(['candidates', '--try', '1234', '--mask', '?d?d?d?d', '--pins', '4']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 10_000);
  assert.equal(lines[0], '1234');
  assert.equal(lines[1], '0000');
  const head = spawnSync('bash', ['-c', `'${process.execPath}' --import tsx '${MAIN}' candidates --mask '?l?l?l?l?l' | head -n 2; exit \${PIPESTATUS[0]}`], { env, encoding: 'utf8' });
  assert.equal(head.stdout, 'aaaaa\naaaab\n');
  assert.equal(head.status, 0, head.stderr);
});

test('--help explains the "I never set a backup password" case', () => {
  const r = cli(['recover', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /I never set a backup password/);
  assert.match(r.stdout, /Reset All Settings/);
  assert.match(r.stdout, /keychain/i);
});

// The kill tests need a run that lasts: the native engine finishes this small space before a
// signal lands, so these runs use node crypto (resume correctness does not depend on the engine).
const SLOW_ENGINE = { IRESCUE_KDF_PATH: 'node-crypto' };

function runUntilTrace(args: string[], trace: string, signal: NodeJS.Signals): Promise<number | null> {
  const before = existsSync(trace) ? readFileSync(trace, 'utf8').length : 0;
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...env, ...SLOW_ENGINE, IRESCUE_TRACE_FILE: trace, IRESCUE_CHECKPOINT_MS: '300' }, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, sig) => resolve(sig === 'SIGKILL' ? 137 : code)));
  const timer = setInterval(() => {
    if (existsSync(trace) && readFileSync(trace, 'utf8').length > before) {
      clearInterval(timer);
      child.kill(signal);
    }
  }, 20);
  return exited.finally(() => clearInterval(timer));
}

test('resume after SIGKILL and SIGTERM: every candidate tested exactly once over all runs', async () => {
  const t = makeTarget('not-a-pin', { dpic: 10_000 });
  const session = join(dir, 'kill-session');
  const trace = join(dir, 'kill-trace.txt');
  const args = ['recover', '--hash', t.hashLine, '--mask', '?d?d?d', '--workers', '1', '--session', session];
  const first = await runUntilTrace(args, trace, 'SIGKILL');
  const second = await runUntilTrace(args, trace, 'SIGTERM');
  assert.equal(first, 137, 'first run killed mid-way');
  assert.equal(second, 130, 'second run stopped by SIGTERM: exit 130, progress saved');
  const last = cli([...args, '--json'], { ...SLOW_ENGINE, IRESCUE_TRACE_FILE: trace });
  assert.equal(last.code, 5, last.stderr);
  const tested = readFileSync(trace, 'utf8').trim().split('\n').map(Number);
  assert.equal(new Set(tested).size, tested.length, 'no candidate tested twice');
  assert.deepEqual([...tested].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i), 'nothing skipped');
  assert.equal(JSON.parse(last.stdout).tried, 1000);
  const saved = readFileSync(join(session, 'session.json'), 'utf8');
  assert.equal(JSON.parse(saved).position, 1000);
});
