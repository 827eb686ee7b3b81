import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveBackupKeys } from '../../src/kdf/backup-key.js';
import { NodeCryptoEngine } from '../../src/kdf/node-crypto.js';
import { NativeEngine, nativePaths } from '../../src/kdf/native.js';
import { selectEngine } from '../../src/kdf/select.js';
import type { KdfEngine } from '../../src/kdf/engine.js';
import { DESIGN_LINES, splitLine, unwraps } from './helpers.js';

const vectors = DESIGN_LINES.map(splitLine);
const small = vectors.filter((v) => (v.dpic ?? 0) < 1_000_000);
const real = vectors.find((v) => v.dpic === 10_000_000)!;
const runnable = nativePaths().filter((p) => p.available);

function params(v: ReturnType<typeof splitLine>) {
  return { salt: v.salt, iterations: v.iter, dpsl: v.dpsl, dpic: v.dpic };
}

async function check(engine: KdfEngine, v: ReturnType<typeof splitLine>): Promise<void> {
  const pw = [Buffer.from('hashcat'), Buffer.from('hashcaT'), Buffer.from('')];
  const keys = await deriveBackupKeys(engine, pw, params(v));
  assert.equal(unwraps(keys[0], v.wpky), true, `${engine.name}: "hashcat" must unwrap ${v.line.slice(0, 40)}`);
  assert.equal(unwraps(keys[1], v.wpky), false, `${engine.name}: a wrong password must not unwrap`);
  assert.equal(unwraps(keys[2], v.wpky), false, `${engine.name}: the empty password must not unwrap`);
}

test('node crypto unwraps the DESIGN.md vectors with small iteration counts', async () => {
  for (const v of small) await check(new NodeCryptoEngine(), v);
});

for (const p of runnable) {
  test(`${p.name} unwraps the DESIGN.md vectors with small iteration counts`, async () => {
    for (const v of small) await check(new NativeEngine({ path: p.name, threads: 1 }), v);
  });
}

test('the selected engine unwraps the 10,000,000-round DESIGN.md vector', async () => {
  const engine = await selectEngine();
  const [key] = await deriveBackupKeys(engine, [Buffer.from('hashcat')], params(real));
  assert.equal(unwraps(key, real.wpky), true, engine.detail);
});
