/**
 * The real databases of test/corpus/ileapp/ (SOURCES.md), as a backup would list them. They are
 * stored gzip-compressed; each is checked against the SHA-256 SOURCES.md records before use.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { BackupPath } from '../../src/export/paths.js';
import type { FakeFile } from './fake-backup.js';

/** SHA-256 of each file as iLEAPP holds it (inside its zip); stored here gzip-compressed. */
const SHA256: Record<string, string> = {
  'hickman-ios15-AddressBook.sqlitedb': '6391fa76842e2b2b1584fc155823f9984f790a46b58aaa3a4f8cab3c520b3d15',
  'hickman-ios15-AddressBook.sqlitedb-wal': 'dcde39509970c5301cf56b19a9ae3df8ed35202c95f841e7749df3b93f18370e',
  'hickman-ios15-AddressBookImages.sqlitedb': 'eb9f439465914131406ddeaa4ae71bdde516ca84eb29f30961ef7e265ee559d9',
  'hickman-ios15-AddressBookImages.sqlitedb-wal': '67738cbf050b22818c18cadd109fea9074c31cb6808a471c1b607b7df11ba38b',
  'belkactf6-AddressBook.sqlitedb': '3d1e98365599c0aadf69ebddee20431cd8525432f9306c8b0e82a09f9ef2b76d',
  'belkactf6-AddressBook.sqlitedb-wal': '6c6ae01c20dce6e7858bf348866ce411239157ffa1c228bcdf944edc1c2538d0',
  'belkactf6-AddressBookImages.sqlitedb': 'd8c37e2e05110fa2a8b0ea006ce24fa153e45c75e88608acdd2272fbbc091c3a',
  'belkactf6-AddressBookImages.sqlitedb-wal': 'bb6c073483866b76e8d687e3376ea3d8070e7a3c9bab88f14a37c760a75fa763',
  'magnet-ios16-AddressBook.sqlitedb': 'f55d6e00e9663e42b99cd12895745c40aa8735ddf51375b1dd3d4bd232c8b5ff',
  'magnet-ios16-AddressBook.sqlitedb-wal': 'c8873f5e1b51bc2adfd5a99d29d8fb3fb15837edce160b6db30bcca1bf60717d',
  'magnet-ios16-AddressBookImages.sqlitedb': '69a514bbff154c8c91d30644afa6da75e6e5edd073601f6a480c6dbff6e5143c',
  'magnet-ios16-AddressBookImages.sqlitedb-wal': 'd3aafe695cecb7a27a192a2078cfa63e4304e1831cc277c15a560335192d05a7',
  'hickman-ios15-ChatStorage.sqlite': '72509784f953d7396313962784d097e22b64b2ad32d70290a501fb87708a3b38',
  'hickman-ios17-NoteStore.sqlite': 'a3e76ddde10624c1f083ee050ad811acc8a541582f91fe8cd0180dea879febf9',
  'hickman-ios17-NoteStore.sqlite-wal': '37f650ead19b5b5a39f38395acc48875ba8f3314415ba79e04985bf70849df52',
};

function ileappFile(name: string): Buffer {
  const data = gunzipSync(readFileSync(fileURLToPath(new URL(`../corpus/ileapp/${name}.gz`, import.meta.url))));
  // The copy is the one SOURCES.md names, byte for byte.
  assert.equal(createHash('sha256').update(data).digest('hex'), SHA256[name], name);
  return data;
}

/** A database and, when the phone left one, its WAL beside it, as a backup lists them. */
export function withWal(at: BackupPath, name: string, wal = true): FakeFile[] {
  const files: FakeFile[] = [{ ...at, data: ileappFile(name) }];
  if (wal) files.push({ domain: at.domain, relativePath: at.relativePath + '-wal', data: ileappFile(name + '-wal') });
  return files;
}

