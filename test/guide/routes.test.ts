import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routesFor, listSituations } from '../../src/guide/routes.js';
import { ROUTES, SITUATIONS, SITUATION_IDS, NEVER_BUILT } from '../../src/guide/data/knowledge.js';
import { TRAPS, ATTEMPT_DELAYS } from '../../src/guide/lockout.js';
import { modeInstructions, RECOVERY_FAMILIES } from '../../src/guide/recovery-steps.js';
import { allModels } from '../../src/models/models.js';
import { UsageError } from '../../src/errors.js';

const ids = (a: { routes: Array<{ id: string }> }) => a.routes.map((r) => r.id);
const isAppleUrl = (u: string) => /^https:\/\/([a-z]+\.)?(apple\.com|icloud\.com)\//.test(u + '/');

test('situation ids are exactly the ones DESIGN.md lists', () => {
  assert.deepEqual([...SITUATION_IDS], ['forgot-passcode', 'unavailable', 'screen-time', 'backup-password', 'apple-account', 'activation-lock', 'mdm', 'stuck-recovery', 'second-hand']);
  assert.deepEqual(Object.keys(SITUATIONS).sort(), [...SITUATION_IDS].sort());
  assert.equal(listSituations().length, SITUATION_IDS.length);
});

test('iPhone 12 on iOS 17.5 that forgot its passcode: previous passcode, then Start iPhone Reset, then Recovery Mode', () => {
  const a = routesFor({ situation: 'forgot-passcode', model: 'iPhone 12', ios: '17.5' });
  const got = ids(a);
  assert.deepEqual(got.slice(0, 3), ['previous-passcode', 'start-reset', 'recovery-restore']);
  assert.equal(a.routes[0].title, 'Passcode Reset with the previous passcode (72 h)');
  assert.equal(a.routes[0].keepsData, true);
  assert.equal(a.routes[1].title, 'Start iPhone Reset on the lock screen');
  assert.equal(a.routes[1].keepsData, false);
  assert.match(a.routes[2].title, /Recovery Mode restore/);
  assert.ok(!got.includes('lock-screen-erase'), 'the iOS 15.2-16 "Erase iPhone" route is replaced on iOS 17');
  assert.ok(a.excluded.some((e) => e.id === 'lock-screen-erase' && /before iOS 17/.test(e.reason)));
  assert.ok(a.routes.every((r) => r.applies === 'yes'));
  assert.equal(a.model!.productType, 'iPhone13,2');
  assert.equal(a.modes!.family, 'face-id-or-8', 'Recovery Mode instructions for the model come with the answer');
  assert.ok(a.delays && a.delays.table.length > 0);
});

test('iPhone 7 on iOS 15.8 gets no 72-hour route, but the iOS 15.2 lock-screen erase', () => {
  const a = routesFor({ situation: 'forgot-passcode', model: 'iPhone9,3', ios: '15.8' });
  assert.ok(!ids(a).includes('previous-passcode'));
  assert.ok(!ids(a).includes('start-reset'));
  assert.equal(ids(a)[0], 'lock-screen-erase');
  assert.ok(a.excluded.some((e) => e.id === 'previous-passcode' && /iOS 17/.test(e.reason)));
  assert.equal(a.modes!.family, 'iphone-7');
  assert.match(a.modes!.recovery.holdWhileConnecting.join(' '), /volume down/);
});

test('without an iOS version, a model that can never run iOS 17 still loses the iOS 17 routes', () => {
  const a = routesFor({ situation: 'forgot-passcode', model: 'iPhone 7' });
  assert.ok(!ids(a).includes('previous-passcode'));
  assert.ok(a.excluded.some((e) => e.id === 'previous-passcode' && /iOS 15 at most/.test(e.reason)));
  const b = routesFor({ situation: 'forgot-passcode', model: 'iPhone 12' });
  const prev = b.routes.find((r) => r.id === 'previous-passcode')!;
  assert.equal(prev.applies, 'check');
  assert.deepEqual(prev.conditions, ['iOS 17 or later']);
});

test('iOS 14 (before 15.2) leaves only the computer and Find My routes', () => {
  const a = routesFor({ situation: 'forgot-passcode', model: 'iPhone 12', ios: '14.8' });
  assert.deepEqual(ids(a), ['recovery-restore', 'find-my-erase']);
});

test('every route and never-built entry cites an Apple page; every situation has at least one route', () => {
  for (const r of Object.values(ROUTES)) assert.ok(isAppleUrl(r.source), `${r.id}: ${r.source}`);
  for (const n of Object.values(NEVER_BUILT)) assert.ok(isAppleUrl(n.source), `${n.id}: ${n.source}`);
  for (const t of TRAPS) assert.ok(isAppleUrl(t.source), `${t.id}: ${t.source}`);
  for (const s of Object.values(SITUATIONS)) {
    assert.ok(s.routes.length > 0, s.id);
    for (const id of s.routes) assert.ok(ROUTES[id], `${s.id} -> ${id}`);
    for (const id of s.never ?? []) assert.ok(NEVER_BUILT[id], `${s.id} -> never ${id}`);
  }
  for (const situation of SITUATION_IDS) {
    const a = routesFor({ situation });
    assert.ok(a.routes.length > 0, situation);
    for (const r of a.routes) {
      assert.ok(isAppleUrl(r.source), `${situation}/${r.id}`);
      assert.ok(r.steps.length > 0 && r.title.length > 0);
      assert.ok(!JSON.stringify(r).includes('{device}'), `${r.id}: placeholder left`);
    }
  }
});

test('the things irescue never builds get a plain explanation and Apple\'s route', () => {
  const a = routesFor({ situation: 'activation-lock' });
  assert.deepEqual(a.never.map((n) => n.id), ['activation-lock-bypass']);
  assert.ok(a.never[0].instead.some((i) => /proof of purchase/.test(i)));
  assert.ok(ids(a).includes('activation-lock-request'));
  assert.deepEqual(routesFor({ situation: 'mdm' }).never.map((n) => n.id), ['mdm-bypass']);
  assert.ok(routesFor({ situation: 'second-hand' }).never.some((n) => n.id === 'carrier-unlock'));
  assert.ok(routesFor({ situation: 'apple-account' }).never.some((n) => n.id === 'apple-id-removal'));
});

test('version-gated routes: Screen Time reset from 13.4, Reset All Settings from iOS 11', () => {
  assert.ok(!ids(routesFor({ situation: 'screen-time', ios: '13.3' })).includes('screen-time-reset'));
  assert.equal(ids(routesFor({ situation: 'screen-time', ios: '13.4' }))[0], 'screen-time-reset');
  const old = routesFor({ situation: 'backup-password', ios: '10.3.4' });
  assert.ok(!ids(old).includes('reset-all-settings'));
  assert.ok(ids(old).includes('backup-password-erase-old-ios'));
  const recent = routesFor({ situation: 'backup-password', ios: '18.1' });
  assert.ok(ids(recent).includes('reset-all-settings'));
  assert.ok(!ids(recent).includes('backup-password-erase-old-ios'));
});

test('nearby-device restore only for the models that support it', () => {
  assert.ok(ids(routesFor({ situation: 'stuck-recovery', model: 'iPhone 16' })).includes('nearby-restore'));
  assert.ok(!ids(routesFor({ situation: 'stuck-recovery', model: 'iPhone 15' })).includes('nearby-restore'));
  const a = routesFor({ situation: 'stuck-recovery', model: 'iPhone 15' });
  assert.deepEqual(ids(a).slice(0, 2), ['force-restart', 'recovery-update'], 'routes that keep data come first');
});

test('iPad answers say iPad and carry the iPad button instructions', () => {
  const a = routesFor({ situation: 'forgot-passcode', model: 'iPad13,1', ios: '17.0' });
  assert.equal(a.routes.find((r) => r.id === 'start-reset')!.title, 'Start iPad Reset on the lock screen');
  assert.equal(a.modes!.family, 'ipad-no-home');
  assert.match(a.modes!.recovery.holdWhileConnecting.join(' '), /top button/);
});

test('without a model, every family\'s Recovery Mode instructions come with the answer', () => {
  const a = routesFor({ situation: 'forgot-passcode' });
  assert.equal(a.modes, undefined);
  assert.deepEqual(a.allModes!.map((m) => m.family), RECOVERY_FAMILIES);
  assert.equal(routesFor({ situation: 'screen-time' }).allModes, undefined, 'only where a route uses Recovery Mode');
});

test('bad input is a usage error naming the problem', () => {
  assert.throws(() => routesFor({ situation: 'forgot' }), (e: unknown) => e instanceof UsageError && /forgot-passcode/.test((e as Error).message));
  assert.throws(() => routesFor({ situation: 'forgot-passcode', model: 'Nokia 3310' }), UsageError);
  assert.throws(() => routesFor({ situation: 'forgot-passcode', ios: 'seventeen' }), UsageError);
  assert.throws(() => routesFor({ situation: 'forgot-passcode', model: 'iPhone 7', ios: '17.1' }), /iOS 15 at most/);
});

test('failed-attempt delays: Apple\'s current table', () => {
  const delayFor = (n: number) => ATTEMPT_DELAYS.find((d) => n >= d.attempt && n <= (d.through ?? d.attempt))?.delayMinutes;
  assert.equal(delayFor(4), null);
  assert.equal(delayFor(5), 1);
  assert.equal(delayFor(6), 5);
  assert.equal(delayFor(7), 15);
  assert.equal(delayFor(8), 15);
  assert.equal(delayFor(9), 60);
});

test('Recovery and DFU instructions exist for every family, both methods, and every model with a family', () => {
  for (const f of RECOVERY_FAMILIES) {
    const m = modeInstructions(f);
    assert.ok(m.recovery.holdWhileConnecting.length >= 3 && m.recovery.sequenceWhileConnected.length >= 2, f);
    assert.ok(m.dfu.steps.length >= 3, f);
    assert.ok(!JSON.stringify(m).includes('{device}'));
  }
  assert.match(modeInstructions('face-id-or-8').recovery.sequenceWhileConnected.join(' '), /volume up.*volume down.*side button/s);
  assert.match(modeInstructions('home-button').recovery.holdWhileConnecting.join(' '), /Home button/);
  for (const model of allModels()) if (model.recoveryFamily) assert.ok(RECOVERY_FAMILIES.includes(model.recoveryFamily));
});
