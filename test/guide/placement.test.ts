import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routesFor, type RoutesAnswer } from '../../src/guide/routes.js';
import { SITUATION_IDS } from '../../src/guide/data/knowledge.js';

const ids = (a: { routes: Array<{ id: string }> }) => a.routes.map((r) => r.id);
const routeWith = (a: RoutesAnswer, trap: string) => a.routes.find((r) => r.warnings?.includes(trap));

test('"iOS 15" alone is some 15.x: the 15.2 lock-screen erase is a route to check, not ruled out', () => {
  const a = routesFor({ situation: 'unavailable', model: 'iPhone 7', ios: '15' });
  const erase = a.routes.find((r) => r.id === 'lock-screen-erase');
  assert.ok(erase, 'Erase iPhone is offered for an iPhone on "iOS 15"');
  assert.equal(erase.applies, 'check');
  assert.match(erase.notes![0], /iOS 15\.2 or later/);
  assert.equal(a.ios, '15');
  assert.ok(a.excluded.some((e) => e.id === 'previous-passcode' && /\(you have iOS 15\)/.test(e.reason)));
  // With the minor given, the answer is exact: 15.1 has no lock-screen erase.
  assert.ok(!ids(routesFor({ situation: 'unavailable', model: 'iPhone 7', ios: '15.1' })).includes('lock-screen-erase'));
  assert.equal(routesFor({ situation: 'unavailable', model: 'iPhone 7', ios: '15.7' }).routes.find((r) => r.id === 'lock-screen-erase')!.applies, 'yes');
});

test('each warning sits before the first route it is about; "do not restart" before the route that turns the phone off', () => {
  const a = routesFor({ situation: 'unavailable', model: 'iPhone 12', ios: '17.4' });
  assert.equal(routeWith(a, 'restart-in-lockout')!.id, 'recovery-restore');
  assert.match(a.routes.find((r) => r.id === 'recovery-restore')!.steps[0], /Turn the iPhone off/);
  const firstErase = a.routes.find((r) => !r.keepsData)!;
  for (const t of ['locked-no-backup', 'no-backup-loses', 'activation-lock-after-erase']) assert.equal(routeWith(a, t)?.id, firstErase.id, t);
  assert.equal(routeWith(a, 'recovery-timeout')!.id, 'recovery-restore');
  // Every placed warning is also in the answer's list (the wizard shows that list), each only once.
  const placed = a.routes.flatMap((r) => r.warnings ?? []);
  assert.equal(new Set(placed).size, placed.length);
  for (const p of placed) assert.ok(a.traps.some((t) => t.id === p), p);
  assert.ok(a.traps.some((t) => t.id === 'no-timer-bypass') && !placed.includes('no-timer-bypass'), 'general warnings stay unplaced');
});

test('warnings only where they apply: no iOS 17.3 warning for an iOS 15 phone, no Recovery warnings without a Recovery route', () => {
  const old = routesFor({ situation: 'forgot-passcode', model: 'iPhone 7', ios: '15.8' });
  assert.ok(!old.traps.some((t) => t.id === 'stolen-device-protection'));
  assert.ok(!routesFor({ situation: 'forgot-passcode', model: 'iPhone 7' }).traps.some((t) => t.id === 'stolen-device-protection'), 'an iPhone 7 never gets iOS 17');
  assert.ok(routesFor({ situation: 'forgot-passcode', model: 'iPhone 12', ios: '17.4' }).traps.some((t) => t.id === 'stolen-device-protection'));
  const backup = routesFor({ situation: 'backup-password', ios: '17.0' });
  assert.ok(!backup.traps.some((t) => t.id === 'no-backup-loses'), 'no erase route on iOS 17 for a backup password: no erase warning');
  assert.equal(routeWith(backup, 'backup-overwrite')!.id, 'reset-all-settings');
});

test('before an erase the guide says what is lost without a backup and what comes back from iCloud', () => {
  for (const situation of ['forgot-passcode', 'unavailable', 'stuck-recovery', 'screen-time'] as const) {
    const a = routesFor({ situation });
    const lost = a.traps.find((t) => t.id === 'no-backup-loses');
    assert.ok(lost, situation);
    assert.match(lost.text, /gone for good/);
    assert.match(lost.text, /iCloud Backup/);
    assert.match(lost.text, /iCloud Photos/);
    assert.ok(!routeWith(a, 'no-backup-loses')!.keepsData, `${situation}: placed before an erase`);
  }
});

test('lockouts open with "Do this first"; other situations do not', () => {
  for (const s of SITUATION_IDS) {
    const a = routesFor({ situation: s });
    assert.equal(a.doFirst !== undefined, s === 'forgot-passcode' || s === 'unavailable', s);
  }
  const a = routesFor({ situation: 'unavailable', model: 'iPhone 12' });
  assert.ok(a.doFirst!.some((d) => /Do not restart/.test(d)));
  assert.ok(a.doFirst!.every((d) => !d.includes('{device}')));
});

test('a provisional model is marked as such in the answer', () => {
  assert.equal(routesFor({ situation: 'forgot-passcode', model: 'iPhone19,4' }).model!.provisional, true);
  assert.equal(routesFor({ situation: 'forgot-passcode', model: 'iPhone 12' }).model!.provisional, undefined);
});

test('a mistyped model gets the closest name; something that is no Apple model gets none', () => {
  assert.throws(() => routesFor({ situation: 'unavailable', model: 'iPhone 12 Pro Maxx' }), /did you mean "iPhone 12 Pro Max"\?/);
  assert.throws(() => routesFor({ situation: 'unavailable', model: 'Galaxy S24' }), (e: Error) => !/did you mean/.test(e.message));
});
