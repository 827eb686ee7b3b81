/** `irescue device backup` and `device encryption` end to end against the fake device. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeUsbmuxd } from '../fakes/usbmuxd.js';
import { FakeDevice } from '../fakes/fake-device.js';
import { runDeviceCli } from './run-device-cli.js';

let mux: FakeUsbmuxd;
before(async () => {
  mux = await FakeUsbmuxd.start();
});
after(() => mux.close());

const cli = (args: string[], env: Record<string, string> = {}) => runDeviceCli(mux, args, env);

function fresh(opts: ConstructorParameters<typeof FakeDevice>[0] = {}): FakeDevice {
  return mux.attach(new FakeDevice(opts));
}

test('device backup --out DIR --json: a finished backup in DIR/<UDID>', async () => {
  const dev = fresh();
  const dir = await mkdtemp(join(tmpdir(), 'irescue-cli-backup-'));
  try {
    const r = await cli(['device', 'backup', '--out', dir, '--pair', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.ok, true);
    assert.equal(j.udid, dev.udid);
    assert.ok((await readdir(join(dir, dev.udid))).includes('Status.plist'));
    // encryption: on (new password from the environment), off with a wrong then the right password file
    // turning it on makes a fresh backup and checks the new password against its keybag
    const fresh = join(dir, 'fresh');
    const on = await cli(['device', 'encryption', 'on', '--backup-dir', fresh, '--json'], { IRESCUE_NEW_PASSWORD: 'pw-one' });
    assert.equal(on.code, 0, on.stderr);
    assert.equal(JSON.parse(on.stdout).encrypted, true);
    assert.equal(JSON.parse(on.stdout).verified, true);
    assert.equal(JSON.parse(on.stdout).backup, join(fresh, dev.udid));
    const { verifyBackupPassword } = await import('../../src/backup/open.js');
    assert.equal(await verifyBackupPassword(join(fresh, dev.udid), 'pw-one'), true);
    assert.equal(await verifyBackupPassword(join(fresh, dev.udid), 'pw-two'), false);
    assert.doesNotMatch(on.stdout + on.stderr, /pw-one/);
    const pwFile = join(dir, 'pw.txt');
    await writeFile(pwFile, 'not-it\n');
    const wrong = await cli(['device', 'encryption', 'off', '--password-file', pwFile]);
    assert.equal(wrong.code, 3, wrong.stderr);
    assert.doesNotMatch(wrong.stderr, /not-it/);
    await writeFile(pwFile, 'pw-one\r\n');
    const off = await cli(['device', 'encryption', 'off', '--password-file', pwFile, '--json']);
    assert.equal(off.code, 0, off.stderr);
    assert.equal(JSON.parse(off.stdout).encrypted, false);
    const none = await cli(['device', 'encryption', 'on']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /IRESCUE_NEW_PASSWORD/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});


test('device encryption on: a fresh backup whose keybag does not open with the new password is exit 3', async () => {
  const dev = fresh({ udid: '00008110-00000000000000AB', keybagPassword: 'something else' });
  const dir = await mkdtemp(join(tmpdir(), 'irescue-cli-verify-'));
  try {
    assert.equal((await cli(['device', 'info', '--udid', dev.udid, '--pair'])).code, 0);
    const r = await cli(['device', 'encryption', 'on', '--udid', dev.udid, '--backup-dir', dir], { IRESCUE_NEW_PASSWORD: 'typed-one' });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /does not open with the new password/);
    assert.doesNotMatch(r.stderr, /typed-one/);
    const skipped = await cli(['device', 'encryption', 'change', '--udid', dev.udid, '--no-verify', '--json'], { IRESCUE_PASSWORD: 'typed-one', IRESCUE_NEW_PASSWORD: 'typed-two' });
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.equal(JSON.parse(skipped.stdout).verified, undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('device backup with the iOS 16.1+ passcode gate: the CLI says to enter the passcode; 208 is a plain message; encryption on warns of two prompts', async () => {
  const dev = fresh({ udid: '00008110-00000000000000AC', passcodeGate: { delayMs: 1500, outcome: 'proceed' } });
  const dir = await mkdtemp(join(tmpdir(), 'irescue-cli-gate-'));
  try {
    const r = await cli(['device', 'backup', '--udid', dev.udid, '--out', dir, '--pair']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Enter the passcode on the iPhone to start the backup\./);
    const on = await cli(['device', 'encryption', 'on', '--udid', dev.udid, '--backup-dir', join(dir, 'fresh')], { IRESCUE_NEW_PASSWORD: 'pw' });
    assert.equal(on.code, 0, on.stderr);
    assert.match(on.stderr, /will ask for its passcode twice/);
    dev.backup.passcodeGate = { delayMs: 50, outcome: 'locked' };
    const locked = await cli(['device', 'backup', '--udid', dev.udid, '--out', dir]);
    assert.equal(locked.code, 6);
    assert.match(locked.stderr, /passcode was not entered\. Unlock the iPhone, run the backup again/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
