/**
 * Damaged input never crashes: random truncations and byte flips of the plists, the keybag and
 * Manifest.db end in the documented errors (corrupt input, or a wrong password when the damage
 * lands on key material), never in an unexpected exception.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { openBackup } from '../../src/backup/open.js';
import { parseKeybag } from '../../src/backup/keybag.js';
import { parsePlist, getData, isDict } from '../../src/plist/plist.js';
import { decodeMBFile, encodeMBFile } from '../../src/backup/mbfile.js';
import { parseMbdb, serializeMbdb } from '../../src/backup/mbdb.js';
import { IrescueError } from '../../src/errors.js';
import { SeededBytes } from '../../src/backup/writer.js';
import { makeEncryptedBackup, scratchDir, FIXTURE_PASSWORD } from '../fixtures/backups.js';

const ALLOWED = new Set(['CORRUPT_INPUT', 'WRONG_PASSWORD']);

function mutations(bytes: Buffer, seed: string, count: number): Buffer[] {
  const rnd = new SeededBytes(seed);
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const r = rnd.next(8);
    const pos = r.readUInt32LE(0) % Math.max(1, bytes.length);
    if (i % 2 === 0) out.push(bytes.subarray(0, pos));
    else {
      const b = Buffer.from(bytes);
      b[pos] ^= 1 << (r[4] % 8);
      if (i % 4 === 3) b[r.readUInt16LE(5) % b.length] = r[7];
      out.push(b);
    }
  }
  return out;
}

function assertDocumented(e: unknown, what: string): void {
  assert.ok(e instanceof IrescueError && ALLOWED.has(e.code), `${what}: unexpected ${(e as Error)?.stack ?? String(e)}`);
}

test('pure parsers: keybag, plist, MBFile and mbdb reject damage with CorruptInputError only', async () => {
  const w = await makeEncryptedBackup();
  const manifest = readFileSync(join(w.dir, 'Manifest.plist'));
  const root = parsePlist(manifest);
  assert.ok(isDict(root));
  const keybag = getData(root, 'BackupKeyBag')!;
  const mb = encodeMBFile({ relativePath: 'a/b', size: 10, lastModified: 1, encryptionKey: Buffer.alloc(44, 1) });
  const mbdb = serializeMbdb([{ domain: 'D', relativePath: 'p', mode: 0o100644, inode: 1n, userId: 0, groupId: 0, mtime: 1, atime: 1, ctime: 1, size: 3, protectionClass: 3, properties: [['k', Buffer.from('v')]] }]);
  assert.equal(parseMbdb(mbdb)[0].relativePath, 'p');
  assert.equal(decodeMBFile(mb).relativePath, 'a/b');
  const cases: Array<[string, Buffer, (b: Buffer) => unknown]> = [
    ['keybag', keybag, (b) => parseKeybag(b)],
    ['Manifest.plist', manifest, (b) => parsePlist(b, 'Manifest.plist')],
    ['MBFile', mb, (b) => decodeMBFile(b)],
    ['mbdb', mbdb, (b) => parseMbdb(b)],
  ];
  for (const [name, bytes, parse] of cases) {
    for (const m of mutations(bytes, name, 300)) {
      try {
        parse(m);
      } catch (e) {
        assertDocumented(e, name);
      }
    }
  }
});

test('openBackup on damaged Manifest.plist and Manifest.db ends in documented errors', async () => {
  const w = await makeEncryptedBackup({ files: [{ domain: 'HomeDomain', relativePath: 'a.txt', content: Buffer.from('hello') }] });
  for (const name of ['Manifest.plist', 'Manifest.db', 'Info.plist', 'Status.plist']) {
    const original = readFileSync(join(w.dir, name));
    const copy = join(scratchDir(), 'b');
    cpSync(w.dir, copy, { recursive: true });
    for (const m of mutations(original, name, name === 'Manifest.db' ? 12 : 24)) {
      writeFileSync(join(copy, name), m);
      try {
        const b = await openBackup(copy, { password: FIXTURE_PASSWORD });
        // Survived damage (e.g. in unused plist bytes): reading must still be documented-or-right.
        for (const r of b.files()) await b.readFile(r).catch((e) => assertDocumented(e, `${name} read`));
        await b.close();
      } catch (e) {
        assertDocumented(e, name);
      }
    }
  }
});
