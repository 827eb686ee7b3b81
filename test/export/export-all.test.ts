import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, symlink, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { exportAll, exportCategory } from '../../src/export/index.js';
import { register } from '../../src/cli/commands/export.js';
import { CancelledError, CorruptInputError } from '../../src/errors.js';
import { fullBackup } from './fixtures/full-backup.js';

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(join(e.parentPath ?? e.path, e.name));
  return out;
}

test('export all: every category, index.html with device summary and counts; a corrupt database is reported by name and the rest exported', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-all-'));
  const reader = fullBackup({ corruptCalls: true });
  try {
    const summary = await exportAll(reader, { out: join(dir, 'out'), timeZone: 'UTC' });
    const by = Object.fromEntries(summary.categories.map((r) => [r.category, r]));
    assert.equal(by.messages.status, 'exported');
    assert.equal(by.messages.count, 2);
    assert.equal(by.contacts.count, 1);
    assert.equal(by.photos.count, 2);
    assert.equal(by.notes.count, 1);
    assert.equal(by.whatsapp.status, 'missing');
    assert.equal(by.whatsapp.message, 'no WhatsApp messages in this backup');
    assert.equal(by.calls.status, 'failed');
    assert.equal(by.calls.errorCode, 'CORRUPT_INPUT');
    assert.match(by.calls.message!, /^HomeDomain\/Library\/CallHistoryDB\/CallHistory\.storedata: /);
    const index = await readFile(join(dir, 'out', 'index.html'), 'utf8');
    assert.match(index, /Anna’s iPhone &lt;3/);
    assert.match(index, /iPhone 13 \(iPhone14,5\)/);
    assert.match(index, /17\.4\.1 \(21E236\)/);
    assert.match(index, /<a href="messages\/index.html">Messages<\/a><\/td><td class="count">2 messages/);
    assert.match(index, /Could not export: HomeDomain\/Library\/CallHistoryDB\/CallHistory.storedata/);
    // Messages got contact names from the AddressBook.
    const conv = (await readdir(join(dir, 'out', 'messages'))).find((f) => f.startsWith('Anna Smith'));
    assert.ok(conv);
    // No temp files left behind, nothing outside the output folder.
    const files = await allFiles(join(dir, 'out'));
    assert.ok(!files.some((f) => f.includes('.irescue-')), 'no temp files');
    assert.deepEqual(await readdir(dir), ['out']);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('export one category: its failure is thrown as CorruptInputError (exit code 4)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-one-'));
  const reader = fullBackup({ corruptCalls: true });
  try {
    await assert.rejects(exportCategory(reader, 'calls', { out: dir }), CorruptInputError);
    const ok = await exportCategory(reader, 'contacts', { out: dir });
    assert.equal(ok.categories[0].count, 1);
    assert.ok(existsSync(join(dir, 'index.html')));
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('output folder: a symlinked folder is followed once, paths cannot escape it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-out-'));
  try {
    await mkdir(join(dir, 'real'));
    await symlink(join(dir, 'real'), join(dir, 'link'));
    const { OutputDir } = await import('../../src/export/output.js');
    const out = await OutputDir.open(join(dir, 'link'));
    assert.throws(() => out.resolve('../escape.txt'), /outside the output folder/);
    assert.throws(() => out.resolve('a/../../escape.txt'), /outside the output folder/);
    assert.throws(() => out.resolve('/etc/passwd'), /outside the output folder/);
    await out.writeFile('a/b.txt', 'x');
    assert.equal(await readFile(join(dir, 'real', 'a', 'b.txt'), 'utf8'), 'x');
    // A link planted inside the output folder that points elsewhere is refused.
    await mkdir(join(dir, 'elsewhere'));
    await symlink(join(dir, 'elsewhere'), join(dir, 'real', 'messages'));
    await assert.rejects(out.writeFile('messages/index.html', 'x'), /outside the output folder/);
    assert.deepEqual(await readdir(join(dir, 'elsewhere')), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('CLI: irescue export all <backup> --out DIR --json prints one JSON summary; a failed category gives exit code 4', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-cli-'));
  const program = new Command('irescue').exitOverride();
  let openedWith: string | undefined;
  register(program, async (path) => {
    openedWith = path;
    return fullBackup({ corruptCalls: true });
  });
  const writes: string[] = [];
  const origOut = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (writes.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  const prevExit = process.exitCode;
  try {
    await program.parseAsync(['node', 'irescue', 'export', 'all', '/backups/abc', '--out', join(dir, 'o'), '--json']);
    assert.equal(process.exitCode, 4);
  } finally {
    process.stdout.write = origOut;
    process.stderr.write = origErr;
    process.exitCode = prevExit;
  }
  try {
    assert.equal(openedWith, '/backups/abc');
    const doc = JSON.parse(writes.join(''));
    assert.equal(doc.categories.length, 6);
    assert.equal(doc.categories.find((c: { category: string }) => c.category === 'calls').status, 'failed');
    assert.equal(doc.report, 'index.html');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('CLI: an unknown category is a usage error', async () => {
  const program = new Command('irescue').exitOverride();
  register(program, async () => fullBackup());
  await assert.rejects(program.parseAsync(['node', 'irescue', 'export', 'selfies', '/b', '--out', '/tmp/x']), (e: unknown) => (e as { exitCode?: number }).exitCode === 2);
});

test('an aborted export stops with CancelledError (exit code 130) and leaves no half-written files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-abort-'));
  const reader = fullBackup();
  try {
    const controller = new AbortController();
    let events = 0;
    const onProgress = () => {
      events++;
      controller.abort();
    };
    // Photos report progress per file: aborting on the first event stops before the second file.
    await assert.rejects(exportCategory(reader, 'photos', { out: dir, onProgress, signal: controller.signal }), (e: unknown) => {
      assert.ok(e instanceof CancelledError);
      assert.equal(e.exitCode, 130);
      return true;
    });
    assert.equal(events, 1);
    assert.ok(!existsSync(join(dir, 'photos', 'photos.csv')));
    assert.ok(!(await allFiles(dir)).some((f) => f.includes('.irescue-')));
    await assert.rejects(exportAll(reader, { out: dir, signal: AbortSignal.abort() }), CancelledError);
    await assert.rejects(exportCategory(reader, 'messages', { out: dir, signal: AbortSignal.abort() }), CancelledError);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});
