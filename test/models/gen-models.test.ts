import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAppleDbDevices, readAppleDbLastMajor, compare } from '../../scripts/gen-models.js';
import { MODEL_ROWS } from '../../src/models/data.js';

/** A tiny AppleDB-shaped checkout: two known devices, one unknown, three OS releases. */
async function fakeAppleDb(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'irescue-appledb-'));
  await mkdir(join(root, 'deviceFiles/iPhone'), { recursive: true });
  await mkdir(join(root, 'osFiles/iOS/15.x'), { recursive: true });
  await mkdir(join(root, 'osFiles/iOS/16.x'), { recursive: true });
  const dev = (o: object) => JSON.stringify(o);
  await writeFile(join(root, 'deviceFiles/iPhone/iPhone13,2.json'), dev({ name: 'iPhone 12', identifier: 'iPhone13,2', soc: 'A14', board: 'D53gAP' }));
  await writeFile(join(root, 'deviceFiles/iPhone/iPhone9,1.json'), dev({ name: 'iPhone 7', identifier: 'iPhone9,1', soc: 'A10', board: 'D10AP', cpid: '0x8010', bdid: '0x09' }));
  await writeFile(join(root, 'deviceFiles/iPhone/iPhone30,1.json'), dev({ name: 'iPhone Future', identifier: 'iPhone30,1', soc: 'A40', board: 'X1AP', cpid: '0x9000', bdid: '0x02' }));
  await writeFile(join(root, 'osFiles/iOS/15.x/19H384.json'), dev({ osStr: 'iOS', version: '15.8.3', deviceMap: ['iPhone9,1', 'iPhone13,2'] }));
  await writeFile(join(root, 'osFiles/iOS/16.x/20A362.json'), dev({ osStr: 'iOS', version: '16.0', deviceMap: ['iPhone13,2'] }));
  await writeFile(join(root, 'osFiles/iOS/16.x/20A5283p.json'), dev({ osStr: 'iOS', version: '16.0 beta', beta: true, deviceMap: ['iPhone9,1'] }));
  return root;
}

test('gen-models reads AppleDB and reports missing devices, wrong board IDs and last iOS', async () => {
  const root = await fakeAppleDb();
  try {
    const devices = await readAppleDbDevices(root);
    assert.deepEqual([...devices.keys()].sort(), ['iPhone13,2', 'iPhone30,1', 'iPhone9,1']);
    const last = await readAppleDbLastMajor(root);
    assert.equal(last.get('iPhone9,1'), 15, 'betas are skipped');
    const { problems, fixed } = compare(MODEL_ROWS, devices, last);
    assert.ok(problems.some((p) => p.startsWith('iPhone30,1') && p.includes('missing')), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('iPhone9,1') && p.includes('BDID 0x9')), problems.join('\n'));
    // The fake checkout stops at iOS 16, older than the table's current release: flagged and fixed.
    assert.ok(problems.includes('iPhone13,2: last iOS current, AppleDB 16'), problems.join('\n'));
    assert.equal(fixed.find((r) => r.productType === 'iPhone13,2')!.lastIos, '16');
    assert.equal(MODEL_ROWS.find((r) => r.productType === 'iPhone13,2')!.lastIos, undefined, 'the committed rows are not mutated');
    const added = fixed.find((r) => r.productType === 'iPhone30,1')!;
    assert.equal(added.provisional, true);
    assert.equal(added.recoveryFamily, 'face-id-or-8');
    assert.equal(fixed.length, MODEL_ROWS.length + 1);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
