import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { allModels, findModel, modelName, modelByChip, maxIosMajor, displayName } from '../../src/models/models.js';
import { MODEL_ROWS } from '../../src/models/data.js';
import { formatModelsModule } from '../../scripts/models-format.js';

test('ProductTypes are unique and well formed', () => {
  const seen = new Set<string>();
  for (const m of allModels()) {
    assert.match(m.productType, /^(iPhone|iPad)\d+,\d+$/, m.productType);
    assert.ok(!seen.has(m.productType), `duplicate ${m.productType}`);
    seen.add(m.productType);
    assert.ok(m.productType.startsWith(m.kind), `${m.productType} kind ${m.kind}`);
  }
});

test('every iPhone from the iPhone 17 family back has a name, chip, board IDs and a Recovery family', () => {
  const iphones = allModels().filter((m) => m.kind === 'iPhone' && !m.provisional);
  const majors = new Set(iphones.map((m) => Number(/^iPhone(\d+),/.exec(m.productType)![1])));
  for (let major = 1; major <= 18; major++) assert.ok(majors.has(major), `no iPhone${major},x in the table`);
  for (const m of iphones) {
    assert.ok(m.name.startsWith('iPhone'), `${m.productType} name ${m.name}`);
    assert.ok(m.chip, `${m.productType} chip`);
    assert.ok(m.boards.length > 0 && m.boards.every((b) => b.bdid !== null), `${m.productType} BDID`);
    assert.ok(m.recoveryFamily, `${m.productType} recovery family`);
    assert.ok(m.biometrics, `${m.productType} biometrics`);
  }
  for (const [pt, name] of [['iPhone18,1', 'iPhone 17 Pro'], ['iPhone18,2', 'iPhone 17 Pro Max'], ['iPhone18,3', 'iPhone 17'], ['iPhone18,4', 'iPhone Air'], ['iPhone17,5', 'iPhone 16e']]) {
    assert.equal(modelName(pt), name);
  }
});

test('Recovery-mode button families follow the ProductType rules', () => {
  for (const m of allModels().filter((x) => x.kind === 'iPhone' && x.recoveryFamily)) {
    const major = Number(/^iPhone(\d+),/.exec(m.productType)![1]);
    const expected = major <= 8 ? 'home-button' : major === 9 ? 'iphone-7' : 'face-id-or-8';
    assert.equal(m.recoveryFamily, expected, m.productType);
  }
  assert.equal(findModel('iPhone10,3')!.recoveryFamily, 'face-id-or-8');
  assert.equal(findModel('iPhone10,1')!.recoveryFamily, 'face-id-or-8');
  assert.equal(findModel('iPhone9,3')!.recoveryFamily, 'iphone-7');
  assert.equal(findModel('iPhone8,4')!.recoveryFamily, 'home-button');
  assert.equal(findModel('iPhone12,8')!.recoveryFamily, 'face-id-or-8');
  assert.equal(findModel('iPhone14,6')!.recoveryFamily, 'face-id-or-8');
  for (const m of allModels().filter((x) => x.kind === 'iPad')) {
    assert.equal(m.recoveryFamily, m.homeButton ? 'ipad-home' : 'ipad-no-home', m.productType);
  }
});

test('unlock hardware: Face ID, Touch ID with Home button, or Home button alone', () => {
  assert.equal(findModel('iPhone10,3')!.biometrics, 'face-id');
  assert.equal(findModel('iPhone10,3')!.homeButton, false);
  assert.equal(findModel('iPhone10,4')!.biometrics, 'touch-id');
  assert.equal(findModel('iPhone12,8')!.biometrics, 'touch-id');
  assert.equal(findModel('iPhone12,8')!.homeButton, true);
  assert.equal(findModel('iPhone5,1')!.biometrics, 'none');
  assert.equal(findModel('iPad13,1')!.homeButton, false); // Touch ID in the top button
  assert.equal(findModel('iPad13,1')!.biometrics, 'touch-id');
  assert.equal(findModel('iPad8,1')!.biometrics, 'face-id');
  for (const m of allModels()) if (m.biometrics === 'face-id') assert.equal(m.homeButton, false, m.productType);
});

test('lookups by name and by ProductType', () => {
  assert.equal(findModel('iPhone 12')!.productType, 'iPhone13,2');
  assert.equal(findModel('iPhone13,2')!.name, 'iPhone 12');
  assert.equal(findModel('  iphone13,2 ')!.name, 'iPhone 12');
  assert.equal(findModel('iphone 12 mini')!.productType, 'iPhone13,1');
  assert.equal(findModel('iPhone SE (2nd generation)')!.productType, 'iPhone12,8');
  assert.equal(findModel('iPhone SE 2')!.productType, 'iPhone12,8');
  assert.equal(findModel('iPhone SE 3rd generation')!.productType, 'iPhone14,6');
  assert.equal(findModel('iPhone 7')!.recoveryFamily, 'iphone-7');
  assert.equal(findModel('iPhone 99'), undefined);
  assert.equal(modelName('iPhone99,1'), undefined);
  assert.equal(modelName(undefined), undefined);
  assert.equal(displayName(findModel('iPhone9,3')!), 'iPhone 7 (GSM)');
});

test('modelByChip identifies Recovery/DFU devices by CPID and BDID, including both A9 fabs', () => {
  assert.equal(modelByChip(0x8120, 0x0c)!.productType, 'iPhone15,2');
  assert.equal(modelByChip(0x8101, 0x0c)!.productType, 'iPhone13,2');
  assert.equal(modelByChip(0x8000, 0x04)!.productType, 'iPhone8,1');
  assert.equal(modelByChip(0x8003, 0x04)!.productType, 'iPhone8,1');
  assert.equal(modelByChip(0x8150, 0x0a)!.productType, 'iPhone18,4');
  assert.equal(modelByChip(0x8120, 0x7e), undefined);
  const pairs = new Set<string>();
  for (const m of allModels()) for (const b of m.boards) {
    if (b.bdid === null) continue;
    const key = `${b.cpid}/${b.bdid}`;
    assert.ok(!pairs.has(key), `CPID/BDID ${key} used twice (${m.productType})`);
    pairs.add(key);
  }
});

test('last supported iOS follows the ProductType rules', () => {
  assert.equal(maxIosMajor(findModel('iPhone9,1')!), 15);
  assert.equal(maxIosMajor(findModel('iPhone8,4')!), 15);
  assert.equal(maxIosMajor(findModel('iPhone10,3')!), 16);
  assert.equal(maxIosMajor(findModel('iPhone11,8')!), 18);
  assert.equal(findModel('iPhone12,1')!.lastIos, undefined);
  assert.ok(maxIosMajor(findModel('iPhone13,2')!) >= 26);
});

test('the minimum libirecovery release is known for every non-provisional model', () => {
  assert.equal(findModel('iPhone12,8')!.minLibirecovery, '1.0.0');
  assert.equal(findModel('iPhone13,1')!.minLibirecovery, '1.1.0');
  assert.equal(findModel('iPhone18,3')!.minLibirecovery, '1.3.0');
  for (const m of allModels()) if (!m.provisional) assert.ok(m.minLibirecovery, m.productType);
});

test('the committed data file is exactly what the generator writes', async () => {
  const committed = await readFile(new URL('../../src/models/data.ts', import.meta.url), 'utf8');
  assert.equal(formatModelsModule(MODEL_ROWS), committed);
});
