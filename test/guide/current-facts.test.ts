/** The late-2026 facts of APPLE-FACTS.md in the guide: each with the route or warning it changes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routesFor } from '../../src/guide/routes.js';
import { APPLE } from '../../src/guide/sources.js';
import { ROUTES } from '../../src/guide/data/knowledge.js';
import { TRAPS } from '../../src/guide/lockout.js';

const ids = (a: { routes: Array<{ id: string }> }) => a.routes.map((r) => r.id);
const trap = (a: { traps: Array<{ id: string; text: string; title: string; source: string }> }, id: string) => a.traps.find((t) => t.id === id);

test('Apple articles are cited by their current IDs', () => {
  assert.equal(APPLE.restoreRecoveryMode, 'https://support.apple.com/118106');
  assert.equal(APPLE.nearbyRestore, 'https://support.apple.com/121133');
  assert.equal(APPLE.forgotPasscode, 'https://support.apple.com/118430');
  assert.equal(APPLE.factoryRestoreComputer, 'https://support.apple.com/118107');
  const recovery = routesFor({ situation: 'stuck-recovery', model: 'iPhone 16', ios: '18.1' });
  assert.equal(recovery.routes.find((r) => r.id === 'recovery-update')?.source, APPLE.restoreRecoveryMode);
  assert.equal(recovery.routes.find((r) => r.id === 'nearby-restore')?.source, APPLE.nearbyRestore);
  assert.equal(TRAPS.filter((t) => t.id === 'recovery-timeout').length, 1, 'the current wording replaces the old one');
});

test('a locked phone cannot be backed up without its passcode (iOS 15.7.1 / 16.1): a warning before any erase', () => {
  for (const situation of ['forgot-passcode', 'unavailable']) {
    const t = trap(routesFor({ situation, model: 'iPhone 13', ios: '18.2' }), 'locked-no-backup');
    assert.ok(t, situation);
    assert.match(t.text, /15\.7\.1 and 16\.1/);
    assert.match(t.text, /irescue backups/);
    assert.equal(t.title, 'A locked iPhone cannot be backed up without its passcode');
  }
});

test('"Reset All Settings, then back up again" says first that the next backup overwrites the old one, and offers the copy', () => {
  const a = routesFor({ situation: 'backup-password', ios: '18.1' });
  const r = a.routes.find((x) => x.id === 'reset-all-settings')!;
  assert.match(r.steps[0], /irescue backups keep/);
  assert.match(r.steps[0], /overwrites/);
  const t = trap(a, 'backup-overwrite')!;
  assert.match(t.text, /one backup per iPhone/);
  assert.equal(t.source, APPLE.encryptedBackups);
});

test('Stolen Device Protection: on by default from iOS 26.4, with the Security Delay, in the forgotten-passcode answer', () => {
  const t = trap(routesFor({ situation: 'forgot-passcode', ios: '26.4' }), 'stolen-device-protection')!;
  assert.match(t.text, /26\.4/);
  assert.match(t.text, /one-hour Security Delay/);
  assert.equal(t.source, APPLE.stolenDeviceProtection);
});

test('nearby-device restore needs iOS 18 and a supported model', () => {
  const old = routesFor({ situation: 'stuck-recovery', model: 'iPhone 16', ios: '17.6' });
  assert.ok(!ids(old).includes('nearby-restore'));
  assert.match(old.excluded.find((e) => e.id === 'nearby-restore')!.reason, /iOS 18/);
  assert.ok(ids(routesFor({ situation: 'stuck-recovery', model: 'iPhone 16', ios: '18.0' })).includes('nearby-restore'));
  assert.match(ROUTES['nearby-restore'].notes!.join(' '), /does not keep data/);
});

test('Recovery Assistant from iOS 26 and the recovery environment from iOS 27 come before the computer routes', () => {
  const on25 = routesFor({ situation: 'stuck-recovery', model: 'iPhone 13', ios: '18.6' });
  assert.ok(!ids(on25).includes('recovery-assistant'));
  assert.ok(on25.excluded.some((e) => e.id === 'recovery-assistant' && /iOS 26/.test(e.reason)));
  const on26 = ids(routesFor({ situation: 'stuck-recovery', model: 'iPhone 13', ios: '26.1' }));
  assert.ok(on26.includes('recovery-assistant') && !on26.includes('recovery-environment'));
  assert.ok(on26.indexOf('recovery-assistant') < on26.indexOf('recovery-update'));
  const on27 = ids(routesFor({ situation: 'stuck-recovery', model: 'iPhone 13', ios: '27.0' }));
  assert.ok(on27.indexOf('recovery-environment') < on27.indexOf('recovery-restore'));
});

test('Recovery Mode ends after 15 minutes of download; after the erase the data comes back with `irescue device restore`', () => {
  const a = routesFor({ situation: 'forgot-passcode', model: 'iPhone 12', ios: '17.5' });
  assert.match(trap(a, 'recovery-timeout')!.text, /15 minutes/);
  assert.match(a.routes.find((r) => r.id === 'recovery-restore')!.steps.at(-1)!, /irescue device restore/);
  const back = trap(a, 'put-data-back')!;
  assert.match(back.text, /irescue device restore/);
  assert.match(back.text, /Find My/);
  assert.ok(!JSON.stringify(a).includes('{device}'));
});
