import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobRegistry, type JobEvent } from '../../src/ui/jobs.js';
import { WrongPasswordError } from '../../src/errors.js';

test('a job reports progress with rate fields, then its JSON result', async () => {
  const jobs = new JobRegistry({ progressIntervalMs: 0 });
  const events: JobEvent[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const snap = jobs.start({ kind: 'k', title: 't' }, async (onProgress) => {
    await gate;
    for (let i = 1; i <= 3; i++) onProgress({ phase: 'p', done: i, total: 3, unit: 'files' });
    return { answer: 42 };
  });
  assert.equal(snap.state, 'running');
  jobs.subscribe(snap.id, (e) => events.push(e));
  release();
  const done = await jobs.settled(snap.id);
  assert.equal(done?.state, 'done');
  assert.deepEqual(done?.result, { answer: 42 });
  const progress = events.filter((e) => e.type === 'progress');
  assert.ok(progress.length >= 1);
  const last = progress.at(-1)!;
  assert.equal(last.type === 'progress' && last.progress.done, 3);
  assert.equal(events.at(-1)?.type, 'end');
  assert.equal(done?.progress?.done, 3);
  assert.equal(typeof done?.progress?.elapsedSeconds, 'number');
});

test('progress is throttled but the last event before the end is always delivered', async () => {
  const jobs = new JobRegistry({ progressIntervalMs: 10_000 });
  const seen: number[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const snap = jobs.start({ kind: 'k', title: 't' }, async (onProgress) => {
    await gate;
    for (let i = 1; i <= 100; i++) onProgress({ phase: 'p', done: i, total: 100, unit: 'files' });
    return null;
  });
  jobs.subscribe(snap.id, (e) => e.type === 'progress' && seen.push(e.progress.done));
  release();
  await jobs.settled(snap.id);
  assert.ok(seen.length <= 3, `sent ${seen.length} events for 100 updates`);
  assert.equal(seen.at(-1), 100);
});

test('cancel aborts the signal and ends the job as cancelled; failures carry code, message and next step', async () => {
  const jobs = new JobRegistry();
  const snap = jobs.start({ kind: 'k', title: 't' }, (_p, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))));
  assert.equal(jobs.cancel(snap.id), true);
  assert.equal((await jobs.settled(snap.id))?.state, 'cancelled');
  assert.equal(jobs.cancel(snap.id), false, 'already ended');

  const bad = jobs.start({ kind: 'k', title: 't' }, async () => {
    throw new WrongPasswordError('wrong backup password');
  });
  const failed = await jobs.settled(bad.id);
  assert.equal(failed?.state, 'failed');
  assert.equal(failed?.error?.code, 'WRONG_PASSWORD');
  assert.ok(failed?.error?.next);
});

test('extra actions (pause, resume) run only while the job runs; finished jobs are pruned past the limit', async () => {
  const jobs = new JobRegistry({ keepFinished: 2 });
  let paused = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const snap = jobs.start({ kind: 'k', title: 't', actions: { pause: () => paused++ } }, () => gate);
  assert.deepEqual(snap.actions, ['pause']);
  assert.equal(jobs.action(snap.id, 'pause'), true);
  assert.equal(jobs.action(snap.id, 'explode'), false);
  release();
  await jobs.settled(snap.id);
  assert.equal(jobs.action(snap.id, 'pause'), false);
  assert.equal(paused, 1);
  for (let i = 0; i < 4; i++) await jobs.settled(jobs.start({ kind: 'k', title: `n${i}` }, async () => i).id);
  jobs.start({ kind: 'k', title: 'last' }, async () => 0);
  assert.ok(jobs.list().filter((j) => j.state !== 'running').length <= 3);
});
