/**
 * SECURITY-REVIEW B7, B10, B11 and issue 14 items 3-4: output-side failures (name past PATH_MAX,
 * read-only, full disk, no permission) end in the summary or a clear error, never "this is a bug";
 * a fatal one stops every worker; a decrypted copy that did not finish never looks complete.
 * We run as root in CI (chmod cannot make a folder read-only), so the disk errors are injected into
 * node:fs; where a tmpfs can be mounted, the real thing is checked too.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs, { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { syncBuiltinESMExports } from 'node:module';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openBackup } from '../../src/backup/open.js';
import { extractFiles } from '../../src/backup/extract.js';
import { INCOMPLETE_MARKER, writeDecryptedCopy } from '../../src/backup/decrypted-copy.js';
import { FULL_DISK_STREAK } from '../../src/backup/write-pool.js';
import { writeBackup, type WriterFile } from '../../src/backup/writer.js';
import { UsageError } from '../../src/errors.js';
import { scratchDir, FIXTURE_PASSWORD } from '../fixtures/backups.js';
import { listTree } from '../fixtures/snapshot.js';
import { runCli } from '../cli/run-cli.js';

const ENC = { password: FIXTURE_PASSWORD, dpic: 10, iterations: 10 };
const many = (n: number, size = 100): WriterFile[] => Array.from({ length: n }, (_, i) => ({ domain: 'HomeDomain', relativePath: `Documents/f${String(i).padStart(3, '0')}.txt`, content: Buffer.alloc(size, 65 + (i % 26)) }));

/** Makes opening temporary output files fail with `code` when `when(n)` (n counts them). */
function failPartOpens(code: string, when: (n: number) => boolean): { attempts: () => number; restore: () => void } {
  const real = fsp.open;
  let n = 0;
  fsp.open = ((p: fs.PathLike, ...rest: unknown[]) => {
    if (String(p).endsWith('.part') && String(p).includes('.irescue-')) {
      n++;
      if (when(n)) return Promise.reject(Object.assign(new Error(`${code}: injected, open '${String(p)}'`), { code, path: String(p) }));
    }
    return (real as (...a: unknown[]) => Promise<fsp.FileHandle>)(p, ...rest);
  }) as typeof fsp.open;
  syncBuiltinESMExports();
  return {
    attempts: () => n,
    restore: () => {
      fsp.open = real;
      syncBuiltinESMExports();
    },
  };
}

/** Makes the output-folder probe fail, as a read-only disk does. */
function failProbe(code: string): () => void {
  const real = fs.writeFileSync;
  fs.writeFileSync = ((p: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    if (String(p).includes('.irescue-probe-')) throw Object.assign(new Error(`${code}: injected`), { code });
    return (real as (...a: unknown[]) => void)(p, ...rest);
  }) as typeof fs.writeFileSync;
  syncBuiltinESMExports();
  return () => {
    fs.writeFileSync = real;
    syncBuiltinESMExports();
  };
}

test('B10: a path past PATH_MAX is listed under "not written"; the rest come out; the CLI exits 4 with no "bug"', async () => {
  const deep = Array.from({ length: 25 }, () => 'D'.repeat(200)).join('/') + '/deep.txt';
  const w = await writeBackup({ dir: join(scratchDir(), 'b'), seed: 'deep', files: [...many(3), { domain: 'HomeDomain', relativePath: deep, content: Buffer.from('deep') }] });
  const b = await openBackup(w.dir);
  const s = await extractFiles(b, { out: join(scratchDir(), 'o') });
  await b.close();
  assert.equal(s.written, 3);
  assert.deepEqual(s.notWritten.map((i) => i.relativePath), [deep]);
  assert.match(s.notWritten[0].reason, /too long/);
  assert.equal(s.stopped, undefined);
  const r = await runCli(['extract', w.dir, '--out', join(scratchDir(), 'cli')]);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /Not written \(output folder\) \(1\)/);
  assert.doesNotMatch(r.stderr, /bug|ENAMETOOLONG|\n\s+at /);
});

test('B11: a read-only output folder is a usage error (exit 2) naming the folder, for extract and decrypt', async () => {
  const w = await writeBackup({ dir: join(scratchDir(), 'b'), seed: 'ro', files: many(2), encryption: ENC });
  const b = await openBackup(w.dir, { password: FIXTURE_PASSWORD });
  for (const code of ['EROFS', 'EACCES']) {
    const restore = failProbe(code);
    try {
      const out = join(scratchDir(), 'o');
      await assert.rejects(extractFiles(b, { out }), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && e.message.startsWith(out) && /read-only|permission/.test(e.message));
      await assert.rejects(writeDecryptedCopy(b, { out: join(scratchDir(), 'c') }), (e: unknown) => e instanceof UsageError && /cannot use as output folder/.test(e.message));
    } finally {
      restore();
    }
  }
  await assert.rejects(extractFiles(b, { out: '/proc/self/irescue-x' }), UsageError); // recursive mkdir would spin here
  await b.close();
});

test('a fatal output error part way stops every worker: no file is started after it', async () => {
  const w = await writeBackup({ dir: join(scratchDir(), 'b'), seed: 'stop', files: many(60), encryption: ENC });
  const b = await openBackup(w.dir, { password: FIXTURE_PASSWORD });
  const inj = failPartOpens('EROFS', (n) => n >= 20);
  let s;
  try {
    s = await extractFiles(b, { out: join(scratchDir(), 'o'), concurrency: 4 });
  } finally {
    inj.restore();
    await b.close();
  }
  // files already past their last check when the error came may try; no new file starts after it
  assert.ok(inj.attempts() < 20 + 8, `${inj.attempts()} temporary files were opened`);
  assert.ok(s.written <= 19);
  assert.match(s.stopped ?? '', /read-only disk/);
  assert.ok(s.notAttempted >= 60 - 28 && s.written + s.notAttempted + s.notWritten.length === 60, JSON.stringify(s));
  assert.ok(!listTree(s.out).some((p) => p.includes('.irescue-')));
});

test('a full disk: the file that does not fit is listed and the rest come out; files that keep not fitting stop the run', async () => {
  const w = await writeBackup({ dir: join(scratchDir(), 'b'), seed: 'full', files: many(30), encryption: ENC });
  const b = await openBackup(w.dir, { password: FIXTURE_PASSWORD });
  let inj = failPartOpens('ENOSPC', (n) => n === 5);
  const one = await extractFiles(b, { out: join(scratchDir(), 'o') }).finally(() => inj.restore());
  assert.equal(one.written, 29);
  assert.deepEqual(one.notWritten.map((i) => i.reason), ['not written: the output disk is full']);
  assert.equal(one.stopped, undefined);
  inj = failPartOpens('ENOSPC', () => true);
  const all = await extractFiles(b, { out: join(scratchDir(), 'o2') }).finally(() => inj.restore());
  await b.close();
  assert.ok(all.notWritten.length >= FULL_DISK_STREAK && all.notWritten.length < FULL_DISK_STREAK + 8);
  assert.match(all.stopped ?? '', /disk is full/);
  assert.equal(all.written, 0);
  assert.equal(all.notAttempted, 30 - all.notWritten.length);
});

test('B7: a decrypt that fails part way has no Manifest.plist and says so in IRESCUE-INCOMPLETE.txt; a good one has no marker', async () => {
  const w = await writeBackup({ dir: join(scratchDir(), 'b'), seed: 'b7', files: many(10), encryption: ENC });
  const b = await openBackup(w.dir, { password: FIXTURE_PASSWORD });
  const bad = join(scratchDir(), 'bad');
  const inj = failPartOpens('ENOSPC', (n) => n === 3);
  const s = await writeDecryptedCopy(b, { out: bad }).finally(() => inj.restore());
  assert.equal(s.complete, false);
  assert.equal(s.files, 9);
  assert.ok(!existsSync(join(bad, 'Manifest.plist')));
  assert.equal(s.notWritten.length, 1);
  assert.ok(readFileSync(join(bad, INCOMPLETE_MARKER), 'utf8').includes(`NOT complete`));
  assert.ok(readFileSync(join(bad, INCOMPLETE_MARKER), 'utf8').includes(`HomeDomain/${s.notWritten[0].relativePath}: not written: the output disk is full`));
  // interrupted: the marker is there from the start
  const ac = new AbortController();
  const stopped = join(scratchDir(), 'stopped');
  await assert.rejects(writeDecryptedCopy(b, { out: stopped, signal: ac.signal, onProgress: (e) => e.done === 4 && ac.abort() }));
  assert.ok(existsSync(join(stopped, INCOMPLETE_MARKER)) && !existsSync(join(stopped, 'Manifest.plist')));
  const good = join(scratchDir(), 'good');
  const ok = await writeDecryptedCopy(b, { out: good });
  await b.close();
  assert.equal(ok.complete, true);
  assert.ok(existsSync(join(good, 'Manifest.plist')) && !existsSync(join(good, INCOMPLETE_MARKER)));
});

test('one damaged record (a file key that does not unwrap, a bad file id) costs that file only', async () => {
  const w = await writeBackup({ dir: join(scratchDir(), 'b'), seed: 'rec', files: many(5), encryption: ENC });
  const b = await openBackup(w.dir, { password: FIXTURE_PASSWORD });
  const [r0, r1] = b.records.filter((r) => r.relativePath.startsWith('Documents/f'));
  r0.encryptionKey = Buffer.concat([r0.encryptionKey!.subarray(0, 4), Buffer.alloc(40, 0xff)]);
  const s = await extractFiles(b, { out: join(scratchDir(), 'o') });
  assert.equal(s.written, 4);
  assert.deepEqual(s.failed.map((i) => i.relativePath), [r0.relativePath]);
  r1.fileID = '../../not-a-file-id';
  const c = await writeDecryptedCopy(b, { out: join(scratchDir(), 'c') });
  await b.close();
  assert.deepEqual(c.failed.map((i) => i.relativePath).sort(), [r0.relativePath, r1.relativePath].sort());
  assert.equal(c.complete, false);
});

// The real thing where this machine allows a tmpfs mount (root in a privileged container).
const mnt = mkdtempSync(join(tmpdir(), 'irescue-tmpfs-'));
const mounted = process.platform === 'linux' && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt]).status === 0;
after(() => {
  if (mounted) spawnSync('umount', [mnt]);
  rmSync(mnt, { recursive: true, force: true });
});

test('real 8 MiB tmpfs: decrypt of a 16 MiB file is incomplete (B7); read-only remount is exit 2 (B11)', { skip: mounted ? false : 'cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)' }, async () => {
  const w = await writeBackup({ dir: join(scratchDir(), 'b'), seed: 'tmpfs', files: [...many(3), { domain: 'CameraRollDomain', relativePath: 'Media/big.mov', content: { size: 16 << 20 } }], encryption: ENC });
  const b = await openBackup(w.dir, { password: FIXTURE_PASSWORD });
  const s = await writeDecryptedCopy(b, { out: join(mnt, 'copy') });
  assert.equal(s.complete, false);
  assert.deepEqual(s.notWritten.map((i) => [i.relativePath, i.reason]), [['Media/big.mov', 'not written: the output disk is full']]);
  assert.ok(!existsSync(join(mnt, 'copy/Manifest.plist')));
  assert.ok(!readdirSync(join(mnt, 'copy'), { recursive: true }).some((p) => String(p).endsWith('.part')));
  assert.equal(spawnSync('mount', ['-o', 'remount,ro', mnt]).status, 0);
  await assert.rejects(extractFiles(b, { out: join(mnt, 'new') }), (e: unknown) => e instanceof UsageError && /read-only|cannot be created/.test(e.message));
  await assert.rejects(extractFiles(b, { out: join(mnt, 'copy') }), (e: unknown) => e instanceof UsageError && /read-only/.test(e.message));
  await b.close();
});
