/**
 * Issue 15 item 1: a file the manifest lists but the folder lacks, cannot read or cannot decrypt
 * never costs a category: it is listed as skipped, the rest is written, and the CLI exits 4 with
 * the list (also in --json).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { exportData } from '../../src/export/index.js';
import { register } from '../../src/cli/commands/export.js';
import { FakeBackup } from './fake-backup.js';
import { fullBackupFiles } from './fixtures/full-backup.js';
import { jpegWithDate } from './fixtures/jpeg-exif.js';

function damagedBackup(): FakeBackup {
  const b = new FakeBackup(fullBackupFiles(), { deviceName: 'Test' });
  // Photos: one still listed but absent, one whose read fails part-way, one Live Photo video absent.
  b.addListedOnly('CameraRollDomain', 'Media/DCIM/100APPLE/IMG_0003.HEIC');
  b.add({ domain: 'CameraRollDomain', relativePath: 'Media/DCIM/100APPLE/IMG_0004.MOV', data: Buffer.alloc(64, 1) });
  b.failMidStream('CameraRollDomain', 'Media/DCIM/100APPLE/IMG_0004.MOV');
  b.add({ domain: 'CameraRollDomain', relativePath: 'Media/DCIM/100APPLE/IMG_0005.JPG', data: jpegWithDate('2020:01:02 03:04:05') });
  b.addListedOnly('CameraRollDomain', 'Media/DCIM/100APPLE/IMG_0005.MOV');
  // The contacts' photos database and WhatsApp's store: listed, not in the folder.
  b.addListedOnly('HomeDomain', 'Library/AddressBook/AddressBookImages.sqlitedb');
  b.addListedOnly('AppDomainGroup-group.net.whatsapp.WhatsApp.shared', 'ChatStorage.sqlite');
  return b;
}

function withoutAttachment(): FakeBackup {
  const files = fullBackupFiles().filter((f) => !f.relativePath.endsWith('red.png'));
  const b = new FakeBackup(files, { deviceName: 'Test' });
  b.addListedOnly('MediaDomain', 'Library/SMS/Attachments/aa/00/X/red.png');
  return b;
}

test('export all: absent and unreadable files are listed as skipped; every category still exports what it can', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-skip-'));
  const reader = damagedBackup();
  try {
    const s = await exportData(reader, 'all', { out: dir, timeZone: 'UTC' });
    const by = Object.fromEntries(s.categories.map((r) => [r.category, r]));
    assert.equal(s.complete, false);
    // Photos: IMG_0001, IMG_0002 and IMG_0005 (without its missing video) are written.
    assert.equal(by.photos.status, 'exported');
    assert.equal(by.photos.count, 3);
    const skippedPhotos = by.photos.skipped!.map((f) => f.file).sort();
    assert.deepEqual(skippedPhotos, ['CameraRollDomain/Media/DCIM/100APPLE/IMG_0003.HEIC', 'CameraRollDomain/Media/DCIM/100APPLE/IMG_0004.MOV', 'CameraRollDomain/Media/DCIM/100APPLE/IMG_0005.MOV']);
    assert.match(by.photos.skipped!.find((f) => f.file.endsWith('IMG_0004.MOV'))!.problem, /does not decrypt/);
    assert.match(by.photos.skipped!.find((f) => f.file.endsWith('IMG_0003.HEIC'))!.problem, /missing/);
    const photoFiles = await readdir(join(dir, 'photos', '100APPLE'));
    assert.deepEqual(photoFiles.sort(), ['IMG_0001.JPG', 'IMG_0002.PNG', 'IMG_0005.JPG']);
    // Contacts: the people are exported without photos; the images database is listed.
    assert.equal(by.contacts.status, 'exported');
    assert.equal(by.contacts.count, 1);
    assert.deepEqual(by.contacts.skipped!.map((f) => f.file), ['HomeDomain/Library/AddressBook/AddressBookImages.sqlitedb']);
    // WhatsApp: its only database is missing, so the category failed, naming the file.
    assert.equal(by.whatsapp.status, 'failed');
    assert.equal(by.whatsapp.errorCode, 'CORRUPT_INPUT');
    assert.match(by.whatsapp.message!, /^AppDomainGroup-group\.net\.whatsapp\.WhatsApp\.shared\/ChatStorage\.sqlite: /);
    assert.deepEqual(by.whatsapp.skipped!.map((f) => f.file), ['AppDomainGroup-group.net.whatsapp.WhatsApp.shared/ChatStorage.sqlite']);
    for (const c of ['messages', 'calls', 'notes']) assert.equal(by[c].status, 'exported', c);
    assert.equal(s.skipped.length, 5);
    // The report names what was left out; no temp file remains.
    const index = await readFile(join(dir, 'index.html'), 'utf8');
    assert.match(index, /Left out \(could not be read from the backup\): CameraRollDomain\/Media\/DCIM\/100APPLE\/IMG_0003\.HEIC/);
    const all = await readdir(dir, { recursive: true });
    assert.ok(!all.some((f) => String(f).includes('.irescue-')), 'no temp files');
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('messages: an attachment listed but absent is skipped; the conversation is written with a note', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-skip-'));
  const reader = withoutAttachment();
  try {
    const s = await exportData(reader, 'messages', { out: dir, timeZone: 'UTC' });
    const r = s.categories[0];
    assert.equal(r.status, 'exported');
    assert.equal(r.count, 2);
    assert.deepEqual(r.skipped!.map((f) => f.file), ['MediaDomain/Library/SMS/Attachments/aa/00/X/red.png']);
    assert.ok(existsSync(join(dir, 'messages', 'messages.csv')));
    const page = (await readdir(join(dir, 'messages'))).find((f) => f.endsWith('.html') && f !== 'index.html')!;
    assert.match(await readFile(join(dir, 'messages', page), 'utf8'), /Attachment not in this backup: red\.png/);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('CLI: skipped files give exit 4 at the end, with the list on stderr and in --json', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-skip-cli-'));
  const run = async (json: boolean): Promise<{ out: string; err: string; code: number | string | undefined }> => {
    const program = new Command('irescue').exitOverride();
    register(program, async () => damagedBackup());
    const out: string[] = [];
    const err: string[] = [];
    const o = process.stdout.write.bind(process.stdout);
    const e = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
    const prev = process.exitCode;
    try {
      await program.parseAsync(['node', 'irescue', 'export', 'photos', '/b', '--out', join(dir, json ? 'j' : 't'), ...(json ? ['--json'] : [])]);
      return { out: out.join(''), err: err.join(''), code: process.exitCode };
    } finally {
      process.stdout.write = o;
      process.stderr.write = e;
      process.exitCode = prev;
    }
  };
  try {
    const j = await run(true);
    assert.equal(j.code, 4);
    const doc = JSON.parse(j.out);
    assert.equal(doc.complete, false);
    assert.equal(doc.skipped.length, 3);
    assert.equal(doc.categories[0].count, 3);
    const t = await run(false);
    assert.equal(t.code, 4);
    assert.match(t.err, /3 files listed in the backup could not be read and were left out:/);
    assert.match(t.err, /IMG_0003\.HEIC: /);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
