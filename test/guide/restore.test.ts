import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  planRestore, runRestore, confirmRestore, checkConfirmable, matchesPhrase, confirmationPhrase,
  parseLine, cleanLine, decodeFailure, parseToolVersion, libirecoveryKnows, buildArgs,
  RestoreFailedError, RestorePreflightError,
} from '../../src/guide/restore/index.js';
import { GiB as GiBForTests, type PreflightOptions } from '../../src/guide/restore/preflight.js';
import { findModel } from '../../src/models/models.js';
import { CancelledError, UsageError } from '../../src/errors.js';
import type { ProgressEvent } from '../../src/progress.js';

const FAKE = fileURLToPath(new URL('../fakes/idevicerestore.mjs', import.meta.url));

async function withTmp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-restore-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function options(dir: string, extra: Partial<PreflightOptions> = {}): PreflightOptions {
  return {
    kind: 'erase',
    target: { ecid: '0x1775A3E3C02001E', productType: 'iPhone13,2', mode: 'recovery' },
    cacheDir: join(dir, 'cache'),
    env: { IRESCUE_IDEVICERESTORE: FAKE },
    freeBytes: async () => 100 * GiBForTests,
    resolveHost: async () => undefined,
    ...extra,
  };
}

test('plain-progress lines become steps with an overall percentage; timestamps and ERROR: prefixes are stripped', () => {
  const a = parseLine('progress: 2 0.500000');
  assert.deepEqual(a && a.kind === 'step' ? [a.step, a.percent] : a, [2, 50]);
  const b = parseLine('progress: 4 1.000000');
  assert.ok(a?.kind === 'step' && b?.kind === 'step' && b.overall > a.overall);
  assert.deepEqual(parseLine('Downloading:  42.5'), { kind: 'transfer', name: 'Downloading the firmware', percent: 42.5 });
  assert.deepEqual(parseLine('DONE'), { kind: 'finished' });
  assert.deepEqual(parseLine('RESTORE FAILED'), { kind: 'failed-marker' });
  assert.equal(cleanLine('21:04:05.123 [E] Unable to send iBEC'), 'Unable to send iBEC');
  assert.equal(cleanLine('ERROR: Unable to send iBEC'), 'Unable to send iBEC');
});

test('idevicerestore -v output: tool and libirecovery versions, old and new styles', () => {
  assert.deepEqual(parseToolVersion('idevicerestore 1.0.0-190-g405fcd1 (libirecovery 1.3.1, libtatsu 1.0.5)\n'), {
    raw: 'idevicerestore 1.0.0-190-g405fcd1 (libirecovery 1.3.1, libtatsu 1.0.5)', idevicerestore: '1.0.0-190-g405fcd1', libirecovery: '1.3.1',
  });
  const old = parseToolVersion('idevicerestore 1.0.0\n');
  assert.equal(old.idevicerestore, '1.0.0');
  assert.equal(old.libirecovery, undefined);
});

test('libirecovery version check against the model table', () => {
  assert.equal(libirecoveryKnows('1.0.0', findModel('iPhone12,8')!), true);
  assert.equal(libirecoveryKnows('1.0.0', findModel('iPhone13,2')!), false, 'Debian 12 stops at iPhone12,8');
  assert.equal(libirecoveryKnows('1.2.1', findModel('iPhone18,3')!), false);
  assert.equal(libirecoveryKnows('1.3.0', findModel('iPhone18,3')!), true, 'the iPhone 17 family needs 1.3.0');
  assert.equal(libirecoveryKnows('1.3.1', findModel('iPhone18,5')!), false, 'only in git after 1.3.1');
  assert.equal(libirecoveryKnows('1.3.1-7-g04d04f7', findModel('iPhone18,5')!), true);
  assert.equal(libirecoveryKnows('1.3.2', findModel('iPhone18,5')!), true);
});

test('idevicerestore arguments: erase, plain progress, no input, cache; update leaves out -e', () => {
  assert.deepEqual(buildArgs('erase', { ecid: '0x1' }, '/c'), ['-e', '-P', '-y', '-C', '/c', '-i', '0x1', '-l']);
  assert.deepEqual(buildArgs('update', { udid: 'U' }, '/c', '/f.ipsw'), ['-P', '-y', '-C', '/c', '-u', 'U', '/f.ipsw']);
});

test('pre-flight: all checks pass with the fake tool', async () => {
  await withTmp(async (dir) => {
    const plan = await planRestore(options(dir));
    assert.deepEqual(plan.checks.map((c) => [c.id, c.status]), [['device', 'ok'], ['tool', 'ok'], ['tool-version', 'ok'], ['firmware', 'ok'], ['disk', 'ok'], ['network', 'ok']]);
    assert.ok(plan.warnings[0].startsWith('Activation Lock'), 'the Activation Lock warning comes first');
    assert.equal(plan.model!.productType, 'iPhone13,2');
  });
});

test('the first check is a device connected in Recovery or DFU mode: none, one (aimed at by its ECID), several, normal mode only', async () => {
  await withTmp(async (dir) => {
    const bare = { kind: 'erase' as const, target: { productType: 'iPhone13,2' } };
    const none = await planRestore(options(dir, { ...bare, connected: [] }));
    assert.equal(none.checks[0].id, 'device');
    assert.equal(none.checks[0].status, 'fail');
    assert.match(none.checks[0].message, /no device is connected in Recovery or DFU mode/);
    assert.ok(none.checks[0].hints!.some((h) => h.includes('--model "iPhone13,2"')), 'the hint names the buttons page for this model');

    const one = await planRestore(options(dir, { ...bare, connected: [{ mode: 'dfu', ecid: '001775A3E3C02001', cpid: 0x8101, bdid: 0x0c }] }));
    assert.deepEqual([one.checks[0].id, one.checks[0].status], ['device', 'ok']);
    assert.match(one.checks[0].message, /an iPhone 12 is connected in DFU mode/);
    assert.deepEqual(one.args.slice(one.args.indexOf('-i'), one.args.indexOf('-i') + 2), ['-i', '0x001775A3E3C02001'], 'idevicerestore is aimed at the device we saw');

    const two = await planRestore(options(dir, { ...bare, connected: [{ mode: 'recovery', ecid: '0000000000000001' }, { mode: 'dfu', ecid: '0000000000000002' }] }));
    assert.equal(two.checks[0].status, 'fail');
    assert.match(two.checks[0].message, /2 devices .* --ecid/);
    const picked = await planRestore(options(dir, { kind: 'erase', target: { ecid: '0x2' }, connected: [{ mode: 'recovery', ecid: '0000000000000001' }, { mode: 'dfu', ecid: '0000000000000002' }] }));
    assert.equal(picked.checks[0].status, 'ok', 'the ECID given picks one of several');

    const normal = await planRestore(options(dir, { ...bare, connected: [{ mode: 'normal', udid: '00008101-001775A3E3C02001', productType: 'iPhone13,2' }] }));
    assert.equal(normal.checks[0].status, 'warn');
    assert.match(normal.checks[0].message, /normal mode, not in Recovery or DFU mode/);

    const unknown = await planRestore(options(dir, bare));
    assert.deepEqual([unknown.checks[0].id, unknown.checks[0].status], ['device', 'warn'], 'not looked: said so, first');
  });
});

test('before an erase the plan says what is lost without a backup', async () => {
  await withTmp(async (dir) => {
    const plan = await planRestore(options(dir));
    assert.ok(plan.warnings.some((w) => /gone for good/.test(w) && /iCloud Backup/.test(w) && w.includes('iPhone') && !w.includes('{device}')));
  });
});

test('pre-flight failures: tool missing, tool too old, disk full, no network, firmware for another model', async () => {
  await withTmp(async (dir) => {
    const missing = await planRestore(options(dir, { env: { PATH: dir } }));
    const tool = missing.checks.find((c) => c.id === 'tool')!;
    assert.equal(tool.status, 'fail');
    assert.ok(tool.hints!.length > 0, 'install hints');

    const old = await planRestore(options(dir, { readVersion: async () => parseToolVersion('idevicerestore 1.0.0 (libirecovery 1.0.0)') }));
    const v = old.checks.find((c) => c.id === 'tool-version')!;
    assert.equal(v.status, 'fail');
    assert.match(v.message, /too old for the iPhone 12 .*1\.1\.0/);

    const unknownIrecv = await planRestore(options(dir, { readVersion: async () => parseToolVersion('idevicerestore 1.0.0'), probeLibirecovery: async () => undefined }));
    assert.equal(unknownIrecv.checks.find((c) => c.id === 'tool-version')!.status, 'warn');
    // Debian 12: idevicerestore 1.0.0 does not print libirecovery; the package manager does.
    const debian = await planRestore(options(dir, { readVersion: async () => parseToolVersion('idevicerestore 1.0.0'), probeLibirecovery: async () => ({ version: '1.0.0', from: 'the Debian package' }) }));
    assert.match(debian.checks.find((c) => c.id === 'tool-version')!.message, /libirecovery 1\.0\.0 \(the Debian package\) is too old for the iPhone 12/);

    const full = await planRestore(options(dir, { freeBytes: async () => 3 * GiBForTests }));
    assert.match(full.checks.find((c) => c.id === 'disk')!.message, /needs about 20\.0 GB/);

    const offline = await planRestore(options(dir, { resolveHost: async () => { throw new Error('ENOTFOUND'); } }));
    assert.equal(offline.checks.find((c) => c.id === 'network')!.status, 'fail');

    const ipsw = join(dir, 'iPhone14,7_26.1_23B85_Restore.ipsw');
    await writeFile(ipsw, 'not really firmware');
    const wrong = await planRestore(options(dir, { ipsw }));
    assert.match(wrong.checks.find((c) => c.id === 'firmware')!.message, /not the iPhone 12/);
    assert.deepEqual(wrong.args.slice(-1), [ipsw]);

    await assert.rejects(runRestore(full, { confirmation: 'yes-flag', logDir: join(dir, 'logs') }), RestorePreflightError);
  });
});

test('the typed confirmation cannot be skipped without --yes and a non-interactive terminal', async () => {
  assert.throws(() => checkConfirmable({ yes: false, interactive: false }), UsageError);
  assert.equal(await confirmRestore({ kind: 'erase', deviceName: 'iPhone 12', yes: true, interactive: false }), 'yes-flag');
  let asked = 0;
  const ask = (answer: string | undefined) => async () => {
    asked++;
    return answer;
  };
  // --yes on a terminal still asks.
  assert.equal(await confirmRestore({ kind: 'erase', deviceName: 'iPhone 12', yes: true, interactive: true, ask: ask('ERASE iPhone 12') }), 'typed');
  assert.equal(asked, 1);
  await assert.rejects(confirmRestore({ kind: 'erase', deviceName: 'iPhone 12', yes: false, interactive: true, ask: ask('yes') }), CancelledError);
  await assert.rejects(confirmRestore({ kind: 'erase', deviceName: 'iPhone 12', yes: false, interactive: true, ask: ask('erase iPhone 12') }), CancelledError);
  await assert.rejects(confirmRestore({ kind: 'erase', deviceName: 'iPhone 12', yes: false, interactive: true, ask: ask(undefined) }), CancelledError);
  await assert.rejects(confirmRestore({ kind: 'erase', deviceName: 'iPhone 12', yes: false, interactive: true }), UsageError);
  assert.ok(matchesPhrase('  ERASE   iphone 12 ', 'ERASE iPhone 12'));
  assert.equal(confirmationPhrase('update', 'iPad'), 'UPDATE iPad');
});

test('a successful restore reports steps and percent, and saves the full log', async () => {
  await withTmp(async (dir) => {
    const plan = await planRestore(options(dir));
    const events: ProgressEvent[] = [];
    const argsFile = join(dir, 'args.json');
    const result = await runRestore(plan, { confirmation: 'typed', logDir: join(dir, 'logs'), onProgress: (e) => events.push(e), env: { ...process.env, FAKE_IDEVICERESTORE_SCENARIO: 'success', FAKE_IDEVICERESTORE_ARGS: argsFile } });
    assert.equal(result.ok, true);
    const args = JSON.parse(await readFile(argsFile, 'utf8'));
    assert.deepEqual(args, ['-e', '-P', '-y', '-C', join(dir, 'cache'), '-i', '0x1775A3E3C02001E', '-l']);
    const phases = [...new Set(events.map((e) => e.phase))];
    for (const p of ['Detecting the device', 'Downloading the firmware', 'Sending the system to the device', 'Flashing firmware', 'Restore finished']) assert.ok(phases.includes(p), p);
    const overall = events.filter((e) => e.detail).map((e) => Number(/overall ([\d.]+)%/.exec(e.detail!)![1]));
    assert.deepEqual(overall, [...overall].sort((a, b) => a - b), 'overall percent never goes back');
    assert.equal(overall.at(-1), 100);
    assert.deepEqual(await readdir(join(dir, 'logs')), [result.logPath.split(/[\\/]/).pop()], 'one log, no .part left');
    const log = await readFile(result.logPath, 'utf8');
    assert.match(log, /Status: Restore Finished/);
    assert.match(log, /# exit code 0/);
  });
});

const FAILURES: Array<[scenario: string, code: string]> = [
  ['fail-4013', 'error-4013'],
  ['fail-9', 'error-9'],
  ['fail-14', 'error-14'],
  ['fail-2006', 'error-2006'],
  ['fail-21', 'error-21'],
  ['fail-ibec', 'ibec'],
  ['fail-restore-mode', 'restore-mode'],
  ['fail-not-signed', 'not-signed'],
  ['no-device', 'no-device'],
];

test('each common failure is decoded into plain advice, and the log is kept', async () => {
  await withTmp(async (dir) => {
    const plan = await planRestore(options(dir));
    for (const [scenario, code] of FAILURES) {
      const err = await runRestore(plan, { confirmation: 'yes-flag', logDir: join(dir, 'logs'), env: { ...process.env, FAKE_IDEVICERESTORE_SCENARIO: scenario } }).then(
        () => assert.fail(`${scenario} should fail`),
        (e: unknown) => e,
      );
      assert.ok(err instanceof RestoreFailedError, scenario);
      const failure = err.details.failure as { code: string; advice: string[] };
      assert.equal(failure?.code, code, scenario);
      assert.ok(failure.advice.length > 0);
      assert.equal(err.exitCode, 6);
      assert.match(err.message, /Full log: /);
      assert.match(await readFile(err.details.logPath as string, 'utf8'), /exit code 255/);
    }
  });
});

test('decodeFailure prefers Apple\'s numbered errors and knows nothing of a clean log', () => {
  assert.equal(decodeFailure(['Unable to send iBEC', 'AMRError: 4014'])!.code, 'error-4013');
  assert.equal(decodeFailure(['restore error 21 (0x15)'])!.code, 'error-21');
  assert.equal(decodeFailure(['All required components found in IPSW', 'DONE']), undefined);
});

test('aborting stops idevicerestore and says so', async () => {
  await withTmp(async (dir) => {
    const plan = await planRestore(options(dir));
    const controller = new AbortController();
    const run = runRestore(plan, {
      confirmation: 'yes-flag',
      logDir: join(dir, 'logs'),
      env: { ...process.env, FAKE_IDEVICERESTORE_SCENARIO: 'hang' },
      signal: controller.signal,
      onProgress: (e) => {
        if (e.phase === 'Preparing the restore') controller.abort();
      },
    });
    await assert.rejects(run, CancelledError);
  });
});

test('the real idevicerestore, when installed: version read, and "no device" decoded from its own output', { timeout: 60_000 }, async (t) => {
  const real = ['/usr/bin/idevicerestore', '/usr/local/bin/idevicerestore', '/opt/homebrew/bin/idevicerestore'];
  const { access } = await import('node:fs/promises');
  let tool: string | undefined;
  for (const p of real) if (!tool && (await access(p).then(() => true, () => false))) tool = p;
  if (!tool || process.env.IRESCUE_REAL_DEVICE === '1') {
    t.skip(tool ? 'a real device may be attached (IRESCUE_REAL_DEVICE=1)' : 'idevicerestore is not installed (Debian: apt install idevicerestore)');
    return;
  }
  await withTmp(async (dir) => {
    const plan = await planRestore({ ...options(dir), env: { IRESCUE_IDEVICERESTORE: tool }, target: { productType: 'iPhone12,8' }, networkCheck: false });
    assert.equal(plan.checks.find((c) => c.id === 'tool')!.status, 'ok');
    assert.ok(plan.version?.idevicerestore, plan.version?.raw);
    // A made-up ECID, so that even an attached device is never touched (idevicerestore waits ~10 s for it).
    const target = { ecid: '0x1' };
    const err = await runRestore({ ...plan, target, args: buildArgs('erase', target, plan.cacheDir) }, { confirmation: 'yes-flag', logDir: join(dir, 'logs') }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof RestoreFailedError, String(err));
    assert.equal((err.details.failure as { code: string }).code, 'no-device');
  });
});
