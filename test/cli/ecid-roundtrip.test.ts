/**
 * What `irescue devices --json` prints as an ECID is what `irescue restore --ecid` takes: the CLI
 * from source, the fake usbmuxd for the listing, the fake idevicerestore for the restore (its argv
 * is recorded), so the number that reaches idevicerestore is checked, not only the parse.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDeviceCli } from './run-device-cli.js';
import { FakeUsbmuxd } from '../fakes/usbmuxd.js';
import { FakeDevice } from '../fakes/fake-device.js';

const FAKE_RESTORE = fileURLToPath(new URL('../fakes/idevicerestore.mjs', import.meta.url));
let mux: FakeUsbmuxd;
before(async () => {
  mux = await FakeUsbmuxd.start();
});
after(() => mux.close());

test('the ECID from devices --json goes back into restore --ecid and reaches idevicerestore unchanged', async () => {
  mux.attach(new FakeDevice({ productType: 'iPhone13,2' }));
  const listed = await runDeviceCli(mux, ['devices', '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  const ecid = (JSON.parse(listed.stdout) as { devices: Array<{ ecid?: string }> }).devices[0].ecid!;
  assert.match(ecid, /^[0-9A-F]{16}$/);

  const dir = await mkdtemp(join(tmpdir(), 'irescue-ecid-'));
  try {
    const argsFile = join(dir, 'args.json');
    const r = await runDeviceCli(mux, ['restore', '--yes', '--model', 'iPhone13,2', '--ecid', ecid, '--cache-dir', join(dir, 'c'), '--log-dir', join(dir, 'l'), '--no-network-check', '--json'], {
      IRESCUE_IDEVICERESTORE: FAKE_RESTORE,
      FAKE_IDEVICERESTORE_SCENARIO: 'success',
      FAKE_IDEVICERESTORE_ARGS: argsFile,
    });
    assert.equal(r.code, 0, r.stderr);
    const argv = JSON.parse(await readFile(argsFile, 'utf8')) as string[];
    const i = argv.indexOf('-i');
    assert.ok(i >= 0, argv.join(' '));
    assert.match(argv[i + 1], /^0x[0-9A-F]{16}$/, 'hex marked for strtoull: a leading 0 would be octal');
    assert.equal(BigInt(argv[i + 1]), BigInt(`0x${ecid}`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
