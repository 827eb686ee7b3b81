import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FAKE = fileURLToPath(new URL('../fakes/idevicerestore.mjs', import.meta.url));

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // No terminal on stdin/stderr: the non-interactive rules apply.
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('restore without --yes outside a terminal refuses before doing anything (exit 2)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-restore-cli-'));
  try {
    const r = await run(['restore', '--model', 'iPhone13,2', '--cache-dir', join(dir, 'c'), '--log-dir', join(dir, 'l'), '--no-network-check'], { IRESCUE_IDEVICERESTORE: FAKE, FAKE_IDEVICERESTORE_ARGS: join(dir, 'args.json') });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--yes/);
    assert.deepEqual(await readdir(dir), [], 'no cache, no log, idevicerestore never started');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('restore --yes from a script runs idevicerestore and prints a JSON result; failures exit 6 with advice', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-restore-cli-'));
  try {
    // No device is connected here: --no-device-check lets the fake idevicerestore play one.
    const common = ['restore', '--yes', '--model', 'iPhone 12', '--ecid', '0x1775A3E3C02001E', '--cache-dir', join(dir, 'c'), '--log-dir', join(dir, 'l'), '--no-network-check', '--no-device-check', '--json'];
    const ok = await run(common, { IRESCUE_IDEVICERESTORE: FAKE, FAKE_IDEVICERESTORE_SCENARIO: 'success' });
    assert.equal(ok.code, 0, ok.stderr);
    const doc = JSON.parse(ok.stdout);
    assert.equal(doc.ok, true);
    assert.equal(doc.model, 'iPhone13,2');
    assert.match(ok.stderr, /Activation Lock/);

    const bad = await run(common, { IRESCUE_IDEVICERESTORE: FAKE, FAKE_IDEVICERESTORE_SCENARIO: 'fail-restore-mode' });
    assert.equal(bad.code, 6);
    const err = JSON.parse(bad.stdout).error;
    assert.equal(err.details.failure.code, 'restore-mode');
    assert.match(bad.stderr, /usbmuxd/);

    const old = await run(common, { IRESCUE_IDEVICERESTORE: FAKE, FAKE_IDEVICERESTORE_VERSION: 'idevicerestore 1.0.0 (libirecovery 1.0.0, libtatsu 1.0.0)' });
    assert.equal(old.code, 2);
    assert.match(old.stderr, /too old for the iPhone 12/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('restore checks for a device in Recovery or DFU mode first, and does not start idevicerestore without one', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-restore-cli-'));
  try {
    const r = await run(['restore', '--yes', '--model', 'iPhone 12', '--cache-dir', join(dir, 'c'), '--log-dir', join(dir, 'l'), '--no-network-check'], { IRESCUE_IDEVICERESTORE: FAKE, FAKE_IDEVICERESTORE_ARGS: join(dir, 'args.json'), NO_COLOR: '1' });
    const first = r.stderr.split('\n')[1];
    // This machine has no iPhone on USB: "no device" (exit 2), or, where USB cannot be read, "could not check".
    assert.match(first, /^ {2}(FAIL no device is connected in Recovery or DFU mode|warn could not check whether a device is connected in Recovery or DFU mode)/, r.stderr);
    if (/FAIL/.test(first)) {
      assert.notEqual(r.code, 0);
      assert.ok(!(await readdir(dir)).includes('l'), 'no restore log: the restore never started');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
