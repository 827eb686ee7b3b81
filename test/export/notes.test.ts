import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportNotes } from '../../src/export/notes.js';
import { decodeNoteData, bodyToMarkdown } from '../../src/export/note-body.js';
import { OutputDir } from '../../src/export/output.js';
import { APPLE_EPOCH_MS } from '../../src/export/apple-time.js';
import { formatDateTime } from '../../src/format.js';
import { FakeBackup } from './fake-backup.js';
import { buildDb } from './fixtures/db-file.js';
import { solidPng } from './fixtures/png.js';
import { addAttachment, addFolder, addNote, createNoteStoreSchema, encodeNoteBody, type NotesSchema } from './fixtures/notestore-db.js';

const RECEIPT = solidPng(3, 3, [1, 2, 3]);
const apple = (iso: string): number => (Date.parse(iso) - APPLE_EPOCH_MS) / 1000;

const TEXT = 'Shopping\nBuy milk\nCall mum\nbold and link\nnumbered\ncode()\nend \uFFFC\n';
//            0-8        9-17     18-26    27-40          41-49     50-56   57-...
function richBody(): Buffer {
  return encodeNoteBody(TEXT, [
    { length: 9, style: 0 },
    { length: 9, style: 103, done: true },
    { length: 9, style: 103, done: false },
    { length: 4, weight: 1 },
    { length: 5 },
    { length: 4, link: 'https://example.com/a' },
    { length: 1 },
    { length: 9, style: 102 },
    { length: 7, style: 4 },
    { length: 4 },
    { length: 1, attachment: { id: 'ATT-1', uti: 'public.jpeg' } },
    { length: 1 },
  ]);
}

test('note body: gzipped protobuf decoded with the repo .proto, rendered to Markdown', () => {
  const body = decodeNoteData(richBody());
  assert.equal(body.text, TEXT);
  assert.equal(body.runs.length, 12);
  assert.equal(body.runs[1].checked, true);
  const md = bodyToMarkdown(body);
  assert.equal(md, '# Shopping\n- [x] Buy milk\n- [ ] Call mum\n**bold** and [link](https://example.com/a)  \n1. numbered\n```\ncode()\n```\nend [attachment: public.jpeg]  \n');
});

for (const schema of ['ios12', 'ios16'] as NotesSchema[]) {
  test(`notes (${schema}): one HTML and one Markdown per note, folders, dates, locked notes listed`, async () => {
    const data = buildDb((db) => {
      createNoteStoreSchema(db, schema);
      const work = addFolder(db, 'Work/Projects');
      const notes = addFolder(db, 'Notes');
      const shopping = addNote(db, schema, { folder: notes, title: 'Shopping', created: apple('2023-01-01T10:00:00Z'), modified: apple('2023-01-02T11:00:00Z'), body: richBody() });
      addAttachment(db, shopping, { id: 'ATT-1', uti: 'public.png', mediaId: 'MEDIA-1', filename: 'Receipt 1.png' });
      addNote(db, schema, { folder: work, title: '<script>alert(1)</script>', created: apple('2023-02-01T10:00:00Z'), modified: apple('2023-02-01T10:00:00Z'), body: encodeNoteBody('<script>alert(1)</script>\nplain', []) });
      addNote(db, schema, { folder: work, title: 'Secret', created: apple('2023-03-01T10:00:00Z'), modified: apple('2023-03-01T10:00:00Z'), locked: true });
      addNote(db, schema, { folder: notes, title: 'Deleted', created: 0, modified: 0, body: encodeNoteBody('gone', []), deleted: true });
      addNote(db, schema, { folder: notes, title: 'Broken', created: 0, modified: 0, body: Buffer.from([0x1f, 0x8b, 1, 2, 3]) });
    }, { wal: true });
    const dir = await mkdtemp(join(tmpdir(), 'irescue-notes-'));
    const reader = new FakeBackup([
      { domain: 'AppDomainGroup-group.com.apple.notes', relativePath: 'NoteStore.sqlite', data },
      { domain: 'AppDomainGroup-group.com.apple.notes', relativePath: 'Accounts/LocalAccount/Media/MEDIA-1/Receipt 1.png', data: RECEIPT },
    ]);
    try {
      const r = await exportNotes({ reader, out: await OutputDir.open(dir), options: { out: dir, timeZone: 'UTC' } });
      assert.equal(r.status, 'exported');
      assert.equal(r.count, 4);
      assert.deepEqual(r.missingColumns ?? [], []);
      assert.ok(r.warnings.some((w) => w.includes('Broken')));
      const root = join(dir, 'notes');
      assert.deepEqual((await readdir(join(root, 'Notes'))).sort(), ['Broken.html', 'Broken.md', 'Shopping.html', 'Shopping.md', 'Shopping_files']);
      assert.deepEqual(await readFile(join(root, 'Notes', 'Shopping_files', 'Receipt 1.png')), RECEIPT);
      assert.deepEqual((await readdir(join(root, 'Work_Projects'))).sort(), ['Secret.html', 'Secret.md', '_script_alert(1)__script_.html', '_script_alert(1)__script_.md']);
      const html = await readFile(join(root, 'Notes', 'Shopping.html'), 'utf8');
      assert.match(html, /<h2>Shopping<\/h2>/);
      assert.match(html, /&#9745; Buy milk/);
      assert.match(html, /<a href="https:\/\/example.com\/a">link<\/a>/);
      // People's pages use the wizard's one date format (src/format.ts), in the export's zone (UTC here).
      assert.ok(html.includes(`Created: ${formatDateTime(new Date('2023-01-01T10:00:00Z'), 'UTC')} · Modified: ${formatDateTime(new Date('2023-01-02T11:00:00Z'), 'UTC')}`), 'note dates in the one human format');
      assert.doesNotMatch(html, /2023-01-01 10:00/);
      assert.match(html, /<img src="Shopping_files\/Receipt%201\.png"/);
      const md = await readFile(join(root, 'Notes', 'Shopping.md'), 'utf8');
      assert.match(md, /^---\ntitle: "Shopping"\nfolder: "Notes"\ncreated: 2023-01-01T10:00:00.000Z\nmodified: 2023-01-02T11:00:00.000Z\nlocked: false\n---\n\n# Shopping\n/);
      assert.match(md, /end !\[Receipt 1\.png\]\(<Shopping_files\/Receipt%201\.png>\)/);
      assert.equal((await stat(join(root, 'Notes', 'Shopping.md'))).mtime.toISOString(), '2023-01-02T11:00:00.000Z');
      const xss = await readFile(join(root, 'Work_Projects', '_script_alert(1)__script_.html'), 'utf8');
      assert.ok(!xss.includes('<script>'));
      const secret = await readFile(join(root, 'Work_Projects', 'Secret.md'), 'utf8');
      assert.match(secret, /locked: true/);
      assert.match(secret, /locked with a password/);
      const index = await readFile(join(root, 'index.html'), 'utf8');
      assert.match(index, /4 notes, 1 of them locked/);
    } finally {
      await reader.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test('notes: no NoteStore.sqlite says so', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-notes-'));
  try {
    const r = await exportNotes({ reader: new FakeBackup([]), out: await OutputDir.open(dir), options: { out: dir } });
    assert.equal(r.message, 'no notes in this backup');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('notes: an unknown NoteStore layout exports what it can and names the missing columns', async () => {
  const data = buildDb((db) => {
    db.exec(`CREATE TABLE ZICCLOUDSYNCINGOBJECT (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, ZTITLE VARCHAR, ZNOTEDATA INTEGER, ZCREATIONDATE9 TIMESTAMP);
      CREATE TABLE ZICNOTEDATA (Z_PK INTEGER PRIMARY KEY, ZNOTE INTEGER, ZDATA BLOB);`);
    db.prepare('INSERT INTO ZICCLOUDSYNCINGOBJECT VALUES (1, 12, ?, 1, 0)').run('Future note');
    db.prepare('INSERT INTO ZICNOTEDATA VALUES (1, 1, ?)').run(encodeNoteBody('Future note\nbody', []));
  });
  const dir = await mkdtemp(join(tmpdir(), 'irescue-notes-'));
  const reader = new FakeBackup([{ domain: 'AppDomainGroup-group.com.apple.notes', relativePath: 'NoteStore.sqlite', data }]);
  try {
    const r = await exportNotes({ reader, out: await OutputDir.open(dir), options: { out: dir } });
    assert.equal(r.count, 1);
    assert.deepEqual(r.missingColumns!.sort(), ['ZICCLOUDSYNCINGOBJECT.ZCREATIONDATE3', 'ZICCLOUDSYNCINGOBJECT.ZFOLDER', 'ZICCLOUDSYNCINGOBJECT.ZISPASSWORDPROTECTED', 'ZICCLOUDSYNCINGOBJECT.ZMODIFICATIONDATE1'].sort());
    assert.match(await readFile(join(dir, 'notes', 'Notes', 'Future note.md'), 'utf8'), /body/);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});
