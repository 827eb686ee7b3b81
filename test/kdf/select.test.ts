import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { pbkdf2Sync } from 'node:crypto';
import { UsageError } from '../../src/errors.js';
import { selectEngine, selectionRates } from '../../src/kdf/select.js';
import { loadNativeAddon } from '../../src/kdf/native-addon.js';

const hasAddon = loadNativeAddon().addon !== undefined;

function runNode(code: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env: { ...process.env, ...env }, cwd: process.cwd() }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

test('selectEngine picks the fastest measured path, caches it, and says why', { skip: hasAddon ? false : 'native addon not built' }, async () => {
  const a = await selectEngine();
  const b = await selectEngine();
  const rates = await selectionRates();
  assert.ok(rates && rates.length >= 2);
  assert.equal(b.name, a.name, 'one choice per process');
  assert.equal(a.name === 'node-crypto' ? 'node-crypto' : `native-${rates[0].path}`, a.name);
  assert.match(a.detail, /measured at start-up|no native path beat|fastest in irescue bench/);
  for (let i = 1; i < rates.length; i++) assert.ok(rates[i - 1].perCore >= rates[i].perCore);
  const salt = Buffer.from('salt');
  const [k] = await a.pbkdf2([Buffer.from('pw')], { hash: 'sha256', salt, iterations: 1000, keyLength: 32 });
  assert.ok(k.equals(pbkdf2Sync('pw', salt, 1000, 32, 'sha256')));
});

test('a forced path is used as given', { skip: hasAddon ? false : 'native addon not built' }, async () => {
  const e = await selectEngine({ path: 'portable', threads: 1 });
  assert.equal(e.name, 'native-portable');
  assert.match(e.detail, /forced/);
  assert.equal((await selectEngine({ path: 'node-crypto' })).name, 'node-crypto');
});

test('an unknown forced path is a usage error', { skip: hasAddon ? false : 'native addon not built' }, async () => {
  await assert.rejects(selectEngine({ path: 'no-such-path' }), UsageError);
});

test('without the addon, node crypto is used and the reason is given', async () => {
  const out = await runNode(
    "import { selectEngine } from './src/kdf/select.ts'; const e = await selectEngine(); console.log(JSON.stringify({ name: e.name, detail: e.detail }));",
    { IRESCUE_NATIVE: '0', IRESCUE_KDF_PATH: '' },
  );
  const r = JSON.parse(out) as { name: string; detail: string };
  assert.equal(r.name, 'node-crypto');
  assert.match(r.detail, /IRESCUE_NATIVE=0/);
});

test('IRESCUE_KDF_PATH forces the path for the whole process', { skip: hasAddon ? false : 'native addon not built' }, async () => {
  const out = await runNode("import { selectEngine } from './src/kdf/select.ts'; console.log((await selectEngine()).name);", { IRESCUE_KDF_PATH: 'portable-x4' });
  assert.equal(out.trim(), 'native-portable-x4');
});
