import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, mkdirSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, defaultSessionDir } from '../../src/recover/session.js';
import { buildSources } from '../../src/recover/sources.js';
import { UsageError, CorruptInputError } from '../../src/errors.js';

const root = mkdtempSync(join(tmpdir(), 'irescue-sess-'));
let n = 0;
const fresh = () => join(root, `s${n++}`);

async function saved(dir: string, spec: Parameters<typeof buildSources>[0], position: number) {
  const { session } = Session.open(dir, 'target1', await buildSources(spec));
  session.commit({ position, tested: position, testedPositions: [] });
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

test('a changed command line is detected and explained', async () => {
  const dir = fresh();
  await saved(dir, { tries: ['a'], masks: ['?d?d'] }, 5);
  const cases: Array<[Parameters<typeof buildSources>[0], RegExp]> = [
    [{ tries: ['b'], masks: ['?d?d'] }, /--try guesses changed/],
    [{ tries: ['a'], masks: ['?d?l'] }, /mask \?d\?d is now mask \?d\?l/],
    [{ tries: ['a'] }, /removed: mask \?d\?d/],
    [{ masks: ['?d?d'] }, /source 1 was --try/],
  ];
  assert.throws(() => Session.open(dir, 'target1', []), UsageError); // no sources at all is a change too
  for (const [spec, re] of cases) {
    const sources = await buildSources(spec);
    assert.throws(() => Session.open(dir, 'target1', sources), (e: unknown) => e instanceof UsageError && re.test(e.message) && /--restart/.test(e.message), String(re));
  }
  // --restart starts over; another target is refused
  const sources = await buildSources({ tries: ['b'] });
  assert.equal(Session.open(dir, 'target1', sources, { restart: true }).from, 0);
  assert.throws(() => Session.open(dir, 'other', sources), (e: unknown) => e instanceof UsageError && /another backup/.test(e.message));
});

test('sources added after the saved ones resume where the search was', async () => {
  const dir = fresh();
  await saved(dir, { masks: ['?d?d'] }, 100);
  const o = Session.open(dir, 'target1', await buildSources({ masks: ['?d?d'], pins: [4] }));
  assert.equal(o.from, 100);
  assert.match(o.note ?? '', /1 source\(s\) added/);
});

test('a changed wordlist file is a changed search', async () => {
  const dir = fresh();
  const wl = join(root, 'wl.txt');
  writeFileSync(wl, 'a\nb\n');
  await saved(dir, { wordlists: [wl] }, 1);
  writeFileSync(wl, 'a\nb\nc\n');
  assert.throws(() => Session.open(dir, 'target1', []), UsageError);
  const sources = await buildSources({ wordlists: [wl] });
  assert.throws(() => Session.open(dir, 'target1', sources), (e: unknown) => e instanceof UsageError && /wordlist file .*wl\.txt changed/.test(e.message));
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
