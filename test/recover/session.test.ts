import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, mkdirSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, defaultSessionDir } from '../../src/recover/session.js';
import { buildSources } from '../../src/recover/sources.js';
import { UsageError, CorruptInputError, SessionMismatchError } from '../../src/errors.js';
import { TESTED_FILE } from '../../src/recover/tested-record.js';

const root = mkdtempSync(join(tmpdir(), 'irescue-sess-'));
let n = 0;
const fresh = () => join(root, `s${n++}`);

async function saved(dir: string, spec: Parameters<typeof buildSources>[0], position: number) {
  const { session } = Session.open(dir, 'target1', await buildSources(spec));
  session.commit({ position, tested: position });
  session.checkpoint();
  session.close();
}

test('same command line resumes at the checkpoint; the file holds positions, not guesses', async () => {
  const dir = fresh();
  const spec = { tries: ['MySecretGuess'], hints: ['fluffy'], masks: ['?d?d'] };
  await saved(dir, spec, 57);
  const text = readFileSync(join(dir, 'session.json'), 'utf8');
  assert.ok(!/MySecretGuess|fluffy/i.test(text), 'no guess or hint in the session file');
  assert.deepEqual(readdirSync(dir), ['session.json'], 'no temp file left behind');
  const o = Session.open(dir, 'target1', await buildSources(spec));
  assert.equal(o.from, 57);
  assert.equal(o.tested, 57);
  assert.match(o.note ?? '', /resuming at candidate position 57/);
});

test('a changed command line starts a new search (never refused); the old one still resumes', async () => {
  const dir = fresh();
  await saved(dir, { tries: ['a'], masks: ['?d?d'] }, 5);
  const changed: Array<Parameters<typeof buildSources>[0]> = [{ tries: ['b'], masks: ['?d?d'] }, { tries: ['a'], masks: ['?d?l'] }, { tries: ['a'] }, { masks: ['?d?d'] }];
  for (const spec of changed) {
    const o = Session.open(dir, 'target1', await buildSources(spec));
    assert.equal(o.from, 0, JSON.stringify(spec));
    assert.match(o.note ?? '', /a new search/);
    o.session.checkpoint();
    o.session.close();
  }
  const again = Session.open(dir, 'target1', await buildSources({ tries: ['a'], masks: ['?d?d'] }));
  assert.equal(again.from, 5, 'the first search resumes');
  again.session.close();
  // --restart starts over; another target is refused with its own error type
  const sources = await buildSources({ tries: ['b'] });
  const r = Session.open(dir, 'target1', sources, { restart: true });
  assert.equal(r.from, 0);
  r.session.close();
  assert.throws(() => Session.open(dir, 'other', sources), (e: unknown) => e instanceof SessionMismatchError && /another backup/.test(e.message));
});

test('the tested record: fingerprints of tested candidates, shared by every search of the backup, deleted when found', async () => {
  const dir = fresh();
  const first = Session.open(dir, 'target1', await buildSources({ masks: ['?d'] }));
  first.session.tested.add(['1', '2', 'MyOwnGuess']);
  first.session.checkpoint();
  first.session.close();
  const bytes = readFileSync(join(dir, TESTED_FILE));
  assert.equal(bytes.length, 24, 'three 8-byte fingerprints');
  assert.ok(!bytes.toString('latin1').includes('MyOwnGuess'));
  writeFileSync(join(dir, TESTED_FILE), Buffer.concat([bytes, Buffer.from([1, 2, 3])])); // a torn append
  const other = Session.open(dir, 'target1', await buildSources({ hints: ['x'] }));
  assert.equal(other.remembered, 3);
  assert.ok(other.session.tested.has('MyOwnGuess') && other.session.tested.has('2') && !other.session.tested.has('3'));
  other.session.tested.add(['3']);
  other.session.checkpoint();
  assert.equal(readFileSync(join(dir, TESTED_FILE)).length, 32, 'the torn tail was cut, the next entry aligned');
  other.session.finish();
  other.session.close();
  assert.deepEqual(readdirSync(dir), [], 'a found password closes the search: nothing kept');
});

test('sources added after the saved ones resume where the search was', async () => {
  const dir = fresh();
  await saved(dir, { masks: ['?d?d'] }, 100);
  const o = Session.open(dir, 'target1', await buildSources({ masks: ['?d?d'], pins: [4] }));
  assert.equal(o.from, 100);
  assert.match(o.note ?? '', /1 source\(s\) added/);
});

test('a changed wordlist file is a new search', async () => {
  const dir = fresh();
  const wl = join(root, 'wl.txt');
  writeFileSync(wl, 'a\nb\n');
  await saved(dir, { wordlists: [wl] }, 1);
  writeFileSync(wl, 'a\nb\nc\n');
  const o = Session.open(dir, 'target1', await buildSources({ wordlists: [wl] }));
  assert.equal(o.from, 0);
  assert.match(o.note ?? '', /a new search/);
});

test('a damaged session file is corrupt input', async () => {
  const dir = fresh();
  await saved(dir, { masks: ['?d'] }, 1);
  writeFileSync(join(dir, 'session.json'), '{"format":');
  const sources = await buildSources({ masks: ['?d'] });
  assert.throws(() => Session.open(dir, 'target1', sources), CorruptInputError);
});

test('default session folder: per target, in the user cache folder', () => {
  assert.equal(defaultSessionDir('abc', { XDG_CACHE_HOME: '/c' }, 'linux'), '/c/irescue/sessions/abc');
  assert.match(defaultSessionDir('abc', { LOCALAPPDATA: 'C:\\L' }, 'win32'), /irescue.sessions.abc$/);
  assert.match(defaultSessionDir('abc', {}, 'darwin'), /Library.Caches.irescue.sessions.abc$/);
});

test('an unusable session folder is a usage error that names it', async () => {
  const sources = await buildSources({ masks: ['?d'] });
  const blocker = join(root, 'a-file');
  writeFileSync(blocker, 'x');
  assert.throws(() => Session.open(join(blocker, 'sub'), 'target1', sources), (e: unknown) => e instanceof UsageError && e.message.includes(join(blocker, 'sub')));
  const dir = fresh();
  const { session } = Session.open(dir, 'target1', sources);
  rmSync(dir, { recursive: true });
  writeFileSync(dir, 'now a file'); // the folder cannot be created any more
  assert.throws(() => session.checkpoint(), (e: unknown) => e instanceof UsageError && e.message.includes(dir) && /cannot save progress/.test(e.message));
});

test('one run per session folder: a live owner is refused, a dead one (SIGKILL) is taken over', async () => {
  const dir = fresh();
  const sources = await buildSources({ masks: ['?d'] });
  mkdirSync(dir, { recursive: true });
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  try {
    writeFileSync(join(dir, 'session.lock'), String(other.pid));
    assert.throws(() => Session.open(dir, 'target1', sources), (e: unknown) => e instanceof UsageError && /in use by another irescue run/.test(e.message));
  } finally {
    other.kill('SIGKILL');
    await new Promise((r) => other.on('exit', r));
  }
  const { session } = Session.open(dir, 'target1', sources); // the owner is gone
  session.close();
  assert.ok(!readdirSync(dir).includes('session.lock'));
});
