import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachedSelection, currentSelectionKey, SELECTION_CACHE_FILE, type Selection, type SelectionKey } from '../../src/kdf/selection-cache.js';
import { makeEncryptedBackup, scratchDir } from '../fixtures/backups.js';
import { runCli } from '../cli/run-cli.js';

const KEY: SelectionKey = { cpu: 'Test CPU (x64, 2 cores)', addon: 'abc', node: 'v20.0.0' };

function counter(path = 'avx2-x8') {
  let calls = 0;
  const measure = async (): Promise<Selection> => {
    calls++;
    return { path, reason: `measured ${calls}`, rates: [{ path, description: 'test path', lanes: 8, perCore: 4.5 }] };
  };
  return { measure, calls: () => calls };
}

test('the first run measures and keeps the choice; the second reads it without measuring', async () => {
  const dir = scratchDir();
  const m = counter();
  const first = await cachedSelection(m.measure, { dir, key: KEY });
  assert.equal(m.calls(), 1);
  assert.equal(first.fromCache, false);
  assert.ok(existsSync(join(dir, SELECTION_CACHE_FILE)));
  if (process.platform !== 'win32') assert.equal(statSync(join(dir, SELECTION_CACHE_FILE)).mode & 0o777, 0o600);
  const second = await cachedSelection(m.measure, { dir, key: KEY });
  assert.equal(m.calls(), 1, 'no second measurement');
  assert.equal(second.fromCache, true);
  assert.equal(second.path, 'avx2-x8');
  assert.deepEqual(second.rates, first.rates);
});

test('a change of CPU, addon build or Node version measures again; so does refresh (irescue bench)', async () => {
  const dir = scratchDir();
  const m = counter();
  await cachedSelection(m.measure, { dir, key: KEY });
  for (const changed of [{ ...KEY, cpu: 'Other CPU' }, { ...KEY, addon: 'def' }, { ...KEY, node: 'v22.1.0' }]) {
    const before = m.calls();
    const r = await cachedSelection(m.measure, { dir, key: changed });
    assert.equal(m.calls(), before + 1, JSON.stringify(changed));
    assert.equal(r.fromCache, false);
    assert.equal((await cachedSelection(m.measure, { dir, key: changed })).fromCache, true, 'kept under the new key');
  }
  const before = m.calls();
  await cachedSelection(m.measure, { dir, key: { ...KEY, node: 'v22.1.0' }, refresh: true });
  assert.equal(m.calls(), before + 1);
});

test('a damaged, truncated or foreign cache file is ignored and replaced', async () => {
  for (const bad of ['', '{', 'null', '[]', '{"format":1}', JSON.stringify({ format: 1, key: KEY, choice: { path: 7 } }), JSON.stringify({ format: 1, key: KEY, choice: { path: 'x', reason: 'r', rates: [{ perCore: 'fast' }] } }), JSON.stringify({ format: 99, key: KEY, choice: { path: 'x', reason: 'r' } })]) {
    const dir = scratchDir();
    writeFileSync(join(dir, SELECTION_CACHE_FILE), bad);
    const m = counter('portable');
    const r = await cachedSelection(m.measure, { dir, key: KEY });
    assert.equal(m.calls(), 1, `measured over ${JSON.stringify(bad)}`);
    assert.equal(r.path, 'portable');
    assert.equal(JSON.parse(readFileSync(join(dir, SELECTION_CACHE_FILE), 'utf8')).choice.path, 'portable', 'replaced');
  }
});

test('the key names this machine', () => {
  const k = currentSelectionKey();
  assert.equal(k.node, process.version);
  assert.ok(k.cpu.length > 0 && k.addon.length > 0);
});

test('info never measures; verify measures once per machine, then reads the cache', async () => {
  const cache = scratchDir();
  const w = await makeEncryptedBackup();
  const env = { IRESCUE_CACHE_DIR: cache, IRESCUE_KDF_PATH: undefined, IRESCUE_PASSWORD: 'correct horse ☃' };
  const info = await runCli(['info', w.dir], { env });
  assert.equal(info.code, 0, info.stderr);
  assert.equal(existsSync(join(cache, SELECTION_CACHE_FILE)), false, 'info did not measure');
  const { loadNativeAddon } = await import('../../src/kdf/native-addon.js');
  if (!loadNativeAddon().addon) return; // without the addon there is nothing to measure or keep
  const v1 = await runCli(['verify', w.dir, '--debug'], { env });
  assert.equal(v1.code, 0, v1.stderr);
  assert.ok(existsSync(join(cache, SELECTION_CACHE_FILE)), 'the first verify kept its measurement');
  assert.doesNotMatch(v1.stderr, /measured earlier on this machine/);
  const v2 = await runCli(['verify', w.dir, '--debug'], { env });
  assert.equal(v2.code, 0, v2.stderr);
  assert.match(v2.stderr, /measured earlier on this machine/);
});
