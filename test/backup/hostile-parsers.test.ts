/**
 * Issue 14 item 2 for the backup parsers (SECURITY-REVIEW B3, B4, B8): every fixture is a few
 * bytes or lines of SQL over a backup from our writer, and every hostile run is a child process
 * under a memory cap and a time limit, so a regression fails the test instead of the machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BPLIST_MAX_NODES, BPLIST_MAX_OBJECTS } from '../../src/plist/bplist-read.js';
import { parseKeybag, serializeKeybag, KEYBAG_MAX_CLASS_KEYS } from '../../src/backup/keybag.js';
import { CorruptInputError } from '../../src/errors.js';
import { makeBackup, scratchDir } from '../fixtures/backups.js';
import { REPO } from '../cli/run-cli.js';

const MEMORY_MB = 160;
const TIME_LIMIT_MS = 60_000;

interface Bounded { code: number | null; stdout: string; stderr: string; killed: boolean }

/** Node under a heap cap and a deadline: `args` after the node flags (a script or the CLI). */
function runBounded(args: string[]): Promise<Bounded> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${MEMORY_MB}`, '--import', 'tsx', ...args], { cwd: REPO, env: { ...process.env, IRESCUE_PASSWORD: '', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => ((killed = true), child.kill('SIGKILL')), TIME_LIMIT_MS);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr, killed })));
  });
}

const cli = (...args: string[]) => runBounded([join(REPO, 'src/cli/main.ts'), ...args]);

/** A binary plist written by hand: `objects` are encoded objects, refs and offsets as given. */
function bplist(objects: Buffer[], top = 0): Buffer {
  const refSize = objects.length < 256 ? 1 : 2;
  const parts: Buffer[] = [Buffer.from('bplist00')];
  const offsets: number[] = [];
  let at = 8;
  for (const o of objects) {
    offsets.push(at);
    parts.push(o);
    at += o.length;
  }
  const offsetSize = at < 0x10000 ? 2 : 4;
  const table = Buffer.alloc(offsets.length * offsetSize);
  offsets.forEach((o, i) => table.writeUIntBE(o, i * offsetSize, offsetSize));
  const trailer = Buffer.alloc(32);
  trailer[6] = offsetSize;
  trailer[7] = refSize;
  trailer.writeBigUInt64BE(BigInt(objects.length), 8);
  trailer.writeBigUInt64BE(BigInt(top), 16);
  trailer.writeBigUInt64BE(BigInt(at), 24);

  return Buffer.concat([...parts, table, trailer]);
}

const ascii = (s: string) => Buffer.concat([Buffer.from([0x50 | s.length]), Buffer.from(s, 'latin1')]);

/** B3: {"Device Name": a} where a = [b, b], b = [c, c], ... 60 levels: 2^60 values once expanded. */
function dagBomb(levels = 60): Buffer {
  const objs: Buffer[] = [Buffer.from([0xd1, 1, 2]), ascii('Device Name')];
  for (let i = 0; i < levels; i++) objs.push(Buffer.from([0xa2, 3 + i, 3 + i]));
  objs.push(ascii('x'));
  return bplist(objs);
}

test('the DAG bomb is small, and the decoder stops it (child under a memory cap)', async () => {
  const bomb = dagBomb();
  assert.ok(bomb.length < 400, `${bomb.length} bytes`);
  const file = join(scratchDir(), 'bomb.plist');
  writeFileSync(file, bomb);
  // shared data: one 1 MiB data object reached 300 times is 300 MiB once decoded
  const mib = Buffer.alloc(1 << 20, 0x41);
  const dataObj = Buffer.concat([Buffer.from([0x4f, 0x12]), Buffer.from([(mib.length >> 24) & 255, (mib.length >> 16) & 255, (mib.length >> 8) & 255, mib.length & 255]), mib]);
  const refs = Array.from({ length: 300 }, () => 1);
  const arr = Buffer.concat([Buffer.from([0xaf, 0x11, 0x01, 0x2c]), Buffer.from(refs)]);
  const shared = join(scratchDir(), 'shared.plist');
  writeFileSync(shared, bplist([arr, dataObj]));
  const script = join(scratchDir(), 'decode.mts');
  writeFileSync(
    script,
    `import { readPlistFile } from ${JSON.stringify(join(REPO, 'src/plist/plist.ts'))};\n` +
      `for (const f of process.argv.slice(2)) { try { await readPlistFile(f); console.log('decoded', f); } catch (e) { console.log((e as Error).constructor.name, (e as Error).message); } }\n`,
  );
  const r = await runBounded([script, file, shared]);
  assert.equal(r.killed, false, 'finished within the time limit');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], new RegExp(`^CorruptInputError .*bomb\\.plist.*more than ${BPLIST_MAX_NODES} values`));
  assert.match(lines[1], /^CorruptInputError .*shared\.plist.*bytes of strings and data/);
});

test('a trailer declaring too many objects is refused before any work', async () => {
  const { parsePlist } = await import('../../src/plist/plist.js');
  const b = bplist([ascii('x')]);
  b.writeBigUInt64BE(BigInt(BPLIST_MAX_OBJECTS + 1), b.length - 24);
  assert.throws(() => parsePlist(b, 'big.plist'), (e: unknown) => e instanceof CorruptInputError && /big\.plist.*objects/.test((e as Error).message));
});

test('B3: info on a backup whose Info.plist is the bomb exits 4 naming it, within the budget', async () => {
  const w = await makeBackup();
  writeFileSync(join(w.dir, 'Info.plist'), dagBomb());
  const r = await cli('info', w.dir);
  assert.equal(r.killed, false);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stdout, new RegExp(`${join(w.dir, 'Info.plist').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: damaged binary property list \\(expands`));
  assert.match(r.stdout, /Encrypted\s+no/, 'Manifest.plist still read');
});

function editManifestDb(dir: string, edit: (db: Database.Database) => void): void {
  const db = new Database(join(dir, 'Manifest.db'));
  edit(db);
  db.close();
}

test('B4: a Files view (endless recursive) is refused with a clear error naming Manifest.db', async () => {
  const w = await makeBackup();
  editManifestDb(w.dir, (db) =>
    db.exec(`DROP TABLE Files; CREATE VIEW Files AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT printf('%040x',x) AS fileID, 'HomeDomain' AS domain, 'f'||x AS relativePath, 1 AS flags, NULL AS file FROM c;`),
  );
  const r = await cli('ls', w.dir);
  assert.equal(r.killed, false, 'did not run forever');
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /^irescue: .*Manifest\.db.*Files is a view, not a table: refused/m);
});

test('Manifest.db: a Files table without our columns, or none at all, is a clear error', async () => {
  const { openBackup } = await import('../../src/backup/open.js');
  const w = await makeBackup();
  editManifestDb(w.dir, (db) => db.exec('ALTER TABLE Files RENAME TO Other; CREATE TABLE Files (fileID TEXT, domain TEXT);'));
  await assert.rejects(openBackup(w.dir), (e: unknown) => e instanceof CorruptInputError && /Manifest\.db.*lacks the columns relativePath, flags, file/.test((e as Error).message));
  editManifestDb(w.dir, (db) => db.exec('DROP TABLE Files;'));
  await assert.rejects(openBackup(w.dir), (e: unknown) => e instanceof CorruptInputError && /Manifest\.db.*has no Files table/.test((e as Error).message));
});

test('B8 and a bomb row: one bad manifest row loses that one file, listed; the rest come out (exit 4)', async () => {
  const w = await makeBackup();
  editManifestDb(w.dir, (db) => {
    const ins = db.prepare('INSERT INTO Files VALUES (?, ?, ?, ?, ?)');
    ins.run('ab'.repeat(20), 'HomeDomain', 'Documents/garbage', 1, Buffer.concat([Buffer.from('bplist00'), Buffer.alloc(64, 0xff)]));
    ins.run('not-a-file-id', 'HomeDomain', 'Documents/bad-id', 1, null);
    ins.run('cd'.repeat(20), 'HomeDomain', 'Documents/bomb', 1, dagBomb());
  });
  const out = join(scratchDir(), 'out');
  const r = await cli('extract', w.dir, '--out', out);
  assert.equal(r.killed, false);
  assert.equal(r.code, 4, r.stderr);
  for (const name of ['garbage', 'bad-id', 'bomb']) assert.match(r.stderr, new RegExp(`HomeDomain/Documents/${name}.*Manifest\\.db row \\d+`), r.stderr);
  assert.ok(existsSync(join(out, 'HomeDomain/Documents/with spaces in name.txt')), 'the good files were extracted');
  assert.equal(readFileSync(join(out, 'CameraRollDomain/Media/DCIM/100APPLE/IMG_0001.JPG'), 'utf8'), 'not really a jpeg');
});

test('keybag: more class keys than a keybag has is refused', () => {
  const ck = { uuid: Buffer.alloc(16), protectionClass: 1, wrap: 2, keyType: 0, wrappedKey: Buffer.alloc(40) };
  const kb = serializeKeybag({ version: 3, type: 1, uuid: Buffer.alloc(16), salt: Buffer.alloc(20, 1), iterations: 1, classKeys: Array.from({ length: KEYBAG_MAX_CLASS_KEYS + 1 }, () => ck) });
  assert.throws(() => parseKeybag(kb, 'Manifest.plist'), (e: unknown) => e instanceof CorruptInputError && /Manifest\.plist.*more than 256 class keys/.test((e as Error).message));
  assert.equal(parseKeybag(serializeKeybag({ version: 3, type: 1, uuid: Buffer.alloc(16), salt: Buffer.alloc(20, 1), iterations: 1, classKeys: [ck] })).classKeys.length, 1);
});
