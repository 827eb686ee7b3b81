/**
 * The recover routes without a browser: refusals with their next step, the plan, a search that is
 * paused (progress saved in the session folder, nothing tested while paused) and resumed, the found
 * password handed out by POST only, and the unlock with it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startUiServer, type UiServer } from '../../src/ui/server.js';
import { makeEncryptedBackup, scratchDir } from '../fixtures/backups.js';
import { api, login } from './http-client.js';
import { hintCandidates } from '../../src/recover/candidates/hints.js';
import { TestedRecord } from '../../src/recover/tested-record.js';

// node crypto keeps the search slow enough to pause while it runs (a native engine may finish first)
const savedKdf = process.env.IRESCUE_KDF_PATH;
process.env.IRESCUE_KDF_PATH = 'node-crypto';

const PASSWORD = 'Rex@1987'; // a variant of the hints "rex" and "1987", a few thousand candidates in
const POSITION = hintCandidates(['rex', '1987']).indexOf(PASSWORD);
let server: UiServer;
let cookie: string;
let backupId: string;
let cacheDir: string;

const json = (r: { body: string }) => JSON.parse(r.body);

before(async () => {
  const b = await makeEncryptedBackup({ encryption: { password: PASSWORD, dpic: 20000, iterations: 10 } });
  cacheDir = scratchDir();
  server = await startUiServer({ roots: [dirname(b.dir)], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo'), cacheDir });
  cookie = await login(server.port, server.token);
  const { backups } = json(await api(server.port, cookie, 'GET', '/api/backups'));
  assert.equal(backups.length, 1);
  backupId = backups[0].id;
});

after(async () => {
  if (savedKdf === undefined) delete process.env.IRESCUE_KDF_PATH;
  else process.env.IRESCUE_KDF_PATH = savedKdf;
  await server?.close();
});

test('recover is announced; empty or malformed searches and unknown backups are refused with a next step', async () => {
  const empty = await api(server.port, cookie, 'POST', `/api/recover/${backupId}/plan`, { hints: [], common: false });
  assert.equal(empty.status, 400);
  assert.equal(json(empty).error.code, 'USAGE');
  assert.match(json(empty).error.next, /hint words/);
  const badPins = await api(server.port, cookie, 'POST', `/api/recover/${backupId}/start`, { pins: [5] });
  assert.equal(badPins.status, 400);
  const badMask = await api(server.port, cookie, 'POST', `/api/recover/${backupId}/plan`, { mask: '?q' });
  assert.equal(badMask.status, 400);
  const unknown = await api(server.port, cookie, 'POST', '/api/recover/0000000000000000/plan', { common: true });
  assert.equal(unknown.status, 404);
  assert.ok(json(unknown).error.next);
  const noFound = await api(server.port, cookie, 'POST', '/api/recover/found/nope', {});
  assert.equal(noFound.status, 404);
});

test('plan: candidates per source in the CLI order, a measured rate and an ETA', async () => {
  const r = await api(server.port, cookie, 'POST', `/api/recover/${backupId}/plan`, { tries: ['secret'], hints: ['rex', '1987'], pins: [4] });
  assert.equal(r.status, 200, r.body);
  const plan = json(r);
  assert.deepEqual(plan.sources.map((s: { kind: string }) => s.kind), ['try', 'hint', 'pins']);
  assert.equal(plan.total, plan.sources.reduce((n: number, s: { size: number }) => n + s.size, 0));
  assert.ok(plan.rate > 0 && plan.etaSeconds > 0);
  assert.equal(plan.hopeless, false);
  assert.ok(!r.body.includes('secret'), 'the plan does not echo the guesses');

  const huge = json(await api(server.port, cookie, 'POST', `/api/recover/${backupId}/plan`, { mask: '?a?a?a?a?a?a?a?a' }));
  assert.equal(huge.hopeless, true, 'eight of any character is hopeless on a CPU');
  assert.match(huge.hashcatCommand[0], /^irescue hash .+ > hash\.txt$/);
  assert.match(huge.hashcatCommand[1], /^irescue candidates --mask '\?a\?a\?a\?a\?a\?a\?a\?a' > candidates\.txt$/);
  assert.match(huge.hashcatCommand[2], /^hashcat -m 1480\d -a 0 -S -w 3 hash\.txt candidates\.txt/);
});

test('search: pause saves the position and stops testing, resume continues to the password; it is handed out by POST and unlocks the backup', async () => {
  const start = await api(server.port, cookie, 'POST', `/api/recover/${backupId}/start`, { hints: ['rex', '1987'], pins: [4], restart: true });
  assert.equal(start.status, 200, start.body);
  const id: string = json(start).job.id;
  assert.deepEqual(json(start).job.actions, ['pause', 'resume']);
  const jobs = server.context.jobs;

  const until = async (ok: () => boolean, what: string) => {
    for (let i = 0; i < 600 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(ok(), what);
  };
  await until(() => (jobs.get(id)?.progress?.done ?? 0) > 0 || jobs.get(id)?.state !== 'running', 'the search reports progress');
  assert.equal(jobs.get(id)?.state, 'running', `still running when paused (the password is ${POSITION} candidates in)`);

  assert.equal((await api(server.port, cookie, 'POST', `/api/jobs/${id}/actions/pause`)).status, 200);
  await until(() => jobs.get(id)?.progress?.phase === 'paused', 'the job says it is paused');
  const pausedAt = jobs.get(id)!.progress!.done;
  const sessionFile = join(cacheDir, 'sessions');
  assert.ok(existsSync(sessionFile));
  const [targetDir] = readdirSync(sessionFile);
  const saved = JSON.parse(readFileSync(join(sessionFile, targetDir, 'session.json'), 'utf8')).searches[0];
  assert.ok(saved.position > 0 && saved.position >= pausedAt, `the checkpoint holds the paused position (${saved.position}, page saw ${pausedAt})`);
  assert.ok(!readFileSync(join(sessionFile, targetDir, 'session.json'), 'utf8').includes(PASSWORD));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(jobs.get(id)!.progress!.done, pausedAt, 'nothing is tested while paused');
  assert.equal(jobs.get(id)!.state, 'running');

  assert.equal((await api(server.port, cookie, 'POST', `/api/jobs/${id}/actions/resume`)).status, 200);
  const done = await jobs.settled(id);
  assert.equal(done?.state, 'done', JSON.stringify(done?.error));
  const result = done!.result as { found: boolean; tried: number; total: number };
  assert.equal(result.found, true);
  assert.ok(POSITION > 1000, 'the password is far enough in to pause before it');
  assert.ok(result.tried < POSITION + 1 + 50, `the resumed run did not start over (${result.tried} tried)`);
  const listed = await api(server.port, cookie, 'GET', `/api/jobs/${id}`);
  assert.ok(!listed.body.includes(PASSWORD), 'the job state never carries the password');

  const pw = await api(server.port, cookie, 'POST', `/api/recover/found/${id}`);
  assert.equal(json(pw).password, PASSWORD);
  const unlock = await api(server.port, cookie, 'POST', `/api/recover/found/${id}/unlock`);
  assert.equal(unlock.status, 200, unlock.body);
  const sid = json(unlock).session.id;
  const files = json(await api(server.port, cookie, 'GET', `/api/sessions/${sid}/files?domain=CameraRollDomain`));
  assert.equal(files.total, 1);
});

test('a stopped search has Continue, which goes on where it stopped; other hints start a new search that skips what was tested', async () => {
  const jobs = server.context.jobs;
  const until = async (ok: () => boolean, what: string) => {
    for (let i = 0; i < 600 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(ok(), what);
  };
  const sessions = join(cacheDir, 'sessions');
  const startAndStop = async (path: string, body?: Record<string, unknown>) => {
    const r = await api(server.port, cookie, 'POST', path, body);
    assert.equal(r.status, 200, r.body);
    const id: string = json(r).job.id;
    const first = await new Promise<number>((resolve) => {
      const tick = setInterval(() => {
        const p = jobs.get(id)?.progress;
        if (p) {
          clearInterval(tick);
          resolve(p.done);
        }
      }, 5);
    });
    await until(() => (jobs.get(id)?.progress?.done ?? 0) > first + 20, 'the search tests a few');
    assert.equal((await api(server.port, cookie, 'POST', `/api/jobs/${id}/cancel`)).status, 200);
    const s = await jobs.settled(id);
    assert.equal(s?.state, 'cancelled');
    return { id, first, stoppedAt: s!.progress!.done };
  };

  const a = await startAndStop(`/api/recover/${backupId}/start`, { hints: ['rex', '1987'], restart: true });
  const again = await startAndStop(`/api/recover/job/${a.id}/continue`);
  assert.ok(again.first >= a.stoppedAt - 50, `Continue starts where it stopped (${again.first}, stopped at ${a.stoppedAt})`);
  const [targetDir] = readdirSync(sessions);
  const tested = TestedRecord.count(join(sessions, targetDir));
  assert.ok(tested > 40, `the record holds what was tested (${tested})`);

  // another first source: a new search from position 0, never refused, that tests nothing twice
  const other = await api(server.port, cookie, 'POST', `/api/recover/${backupId}/start`, { tries: ['not-it'], hints: ['rex', '1987'] });
  assert.equal(other.status, 200, other.body);
  const done = await jobs.settled(json(other).job.id);
  assert.equal(done?.state, 'done', JSON.stringify(done?.error));
  const result = done!.result as { found: boolean; tried: number; skipped: number; notes: string[] };
  assert.equal(result.found, true);
  assert.equal(result.skipped, tested, 'every candidate the stopped search tested is skipped');
  assert.ok(result.notes.some((n) => /were skipped: an earlier search/.test(n)));
});
