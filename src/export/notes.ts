/**
 * Notes export: NoteStore.sqlite (iOS 9+) to one HTML and one Markdown file per note, in folders
 * named after the Notes folders, plus an index. Locked (password-protected) notes are listed, not
 * opened. Column names moved between iOS versions (ZCREATIONDATE → ZCREATIONDATE1 → ZCREATIONDATE3);
 * docs/schemas/NoteStore.sqlite.md lists them.
 */
import { throwIfAborted } from '../errors.js';
import { fromAppleTime, formatLocal, isoOrEmpty } from './apple-time.js';
import { formatDateTime } from '../format.js';
import { copyBackupFile } from './backup-files.js';
import { type CategoryRun, finishResult, onCategoryDb, openCategoryDb } from './category.js';
import { csvRow } from './csv.js';
import { escapeHtml, hrefFor, page } from './html.js';
import { bodyToHtml, bodyToMarkdown, decodeNoteData, type NoteAttachmentLink, type NoteBody } from './note-body.js';
import { joinRel, sanitizeName } from './output.js';
import { KnownFiles } from './paths.js';
import { asBlob, asInt, asText, ColumnPicker, each, need, tableColumns, type Db } from './sqlite.js';
import type { CategoryResult, ExportContext } from './types.js';

const ROOT = 'notes';

export interface NoteRow {
  id: number;
  title: string | null;
  folder: string | null;
  created: unknown;
  modified: unknown;
  locked: number | null;
  deleted: number | null;
  data: Buffer | null;
}

function readNotes(db: Db, missing: string[]): NoteRow[] {
  if (!need(db, missing, 'ZICCLOUDSYNCINGOBJECT', 'Z_PK')) return [];
  const n = new ColumnPicker(db, 'ZICCLOUDSYNCINGOBJECT', 'n');
  const f = new ColumnPicker(db, 'ZICCLOUDSYNCINGOBJECT', 'f');
  const hasData = need(db, missing, 'ZICNOTEDATA', 'ZDATA', 'ZNOTE');
  let entFilter = '';
  if (n.has('Z_ENT') && tableColumns(db, 'Z_PRIMARYKEY').has('Z_ENT') && tableColumns(db, 'Z_PRIMARYKEY').has('Z_NAME')) {
    const ent = asInt((db.prepare(`SELECT Z_ENT FROM Z_PRIMARYKEY WHERE Z_NAME = 'ICNote'`).get() as { Z_ENT: unknown } | undefined)?.Z_ENT);
    if (ent !== null) entFilter = `n.Z_ENT = ${ent}`;
  }
  const folderJoin = n.has('ZFOLDER') ? 'LEFT JOIN ZICCLOUDSYNCINGOBJECT f ON f.Z_PK = n.ZFOLDER' : '';
  if (!folderJoin) missing.push('ZICCLOUDSYNCINGOBJECT.ZFOLDER');
  const where = entFilter || (n.has('ZNOTEDATA') ? 'n.ZNOTEDATA IS NOT NULL' : hasData ? 'd.Z_PK IS NOT NULL' : '0');
  const dataJoin = hasData ? `LEFT JOIN ZICNOTEDATA d ON d.ZNOTE = n.Z_PK` : '';
  const sql = `SELECT n.Z_PK AS id, ${n.pick('title', 'ZTITLE1', 'ZTITLE')}, ${folderJoin ? f.pick('folder', 'ZTITLE2', 'ZTITLE') : 'NULL AS folder'}, ` +
    `${n.pick('created', 'ZCREATIONDATE3', 'ZCREATIONDATE1', 'ZCREATIONDATE')}, ${n.pick('modified', 'ZMODIFICATIONDATE1', 'ZMODIFICATIONDATE')}, ` +
    `${n.pick('locked', 'ZISPASSWORDPROTECTED')}, ${n.optional('deleted', 'ZMARKEDFORDELETION')}, ${hasData ? 'd.ZDATA' : 'NULL'} AS data ` +
    `FROM ZICCLOUDSYNCINGOBJECT n ${folderJoin} ${dataJoin} WHERE ${where} ORDER BY n.Z_PK`;
  // where the data join needs d.Z_PK, that column must exist too
  if (!entFilter && !n.has('ZNOTEDATA') && hasData && !tableColumns(db, 'ZICNOTEDATA').has('Z_PK')) {
    missing.push('ZICNOTEDATA.Z_PK');
    return [];
  }
  const rows: NoteRow[] = [];
  for (const r of each(db, sql)) {
    const id = asInt(r.id);
    if (id === null) continue;
    rows.push({ id, title: asText(r.title), folder: asText(r.folder), created: r.created, modified: r.modified, locked: asInt(r.locked), deleted: asInt(r.deleted), data: asBlob(r.data) });
  }
  missing.push(...n.missing, ...f.missing);
  return rows;
}

/** Attachment identifier (as in the note body) → its media file's identifier and name. */
function readNoteMedia(db: Db): Map<string, { mediaId: string; filename: string }> {
  const map = new Map<string, { mediaId: string; filename: string }>();
  const c = new ColumnPicker(db, 'ZICCLOUDSYNCINGOBJECT');
  if (!c.has('Z_PK') || !c.has('ZMEDIA') || !c.has('ZIDENTIFIER') || !c.has('ZFILENAME')) return map;
  const sql = `SELECT a.ZIDENTIFIER AS att, m.ZIDENTIFIER AS media, m.ZFILENAME AS filename FROM ZICCLOUDSYNCINGOBJECT a
    JOIN ZICCLOUDSYNCINGOBJECT m ON m.Z_PK = a.ZMEDIA WHERE a.ZMEDIA IS NOT NULL AND a.ZIDENTIFIER IS NOT NULL AND m.ZIDENTIFIER IS NOT NULL`;
  for (const r of each(db, sql)) {
    const att = asText(r.att);
    const media = asText(r.media);
    if (att && media) map.set(att, { mediaId: media, filename: asText(r.filename) ?? '' });
  }
  return map;
}

/**
 * Copies the media of a note's attachments (Accounts/<account>/Media/<media id>/[…/]<file> in the
 * notes domain) into "<note>_files/" beside the note, and returns the links for the renderers.
 */
async function copyNoteAttachments(ctx: ExportContext, run: CategoryRun, body: NoteBody, media: Map<string, { mediaId: string; filename: string }>,
  dir: string, stem: string): Promise<Map<string, NoteAttachmentLink>> {
  const links = new Map<string, NoteAttachmentLink>();
  for (const r of body.runs) {
    const att = r.attachment;
    if (!att || links.has(att.id)) continue;
    const m = media.get(att.id);
    if (!m || !/^[A-Za-z0-9-]+$/.test(m.mediaId)) continue;
    const candidates = ctx.reader.files({ domain: KnownFiles.NOTE_STORE.domain, path: `Accounts/*/Media/${m.mediaId}/**` });
    const record = candidates.find((f) => m.filename && f.relativePath.endsWith('/' + m.filename)) ?? candidates[0];
    if (!record) {
      run.warnings.push(`note attachment not in the backup: ${m.filename || m.mediaId}`);
      continue;
    }
    const filesDir = joinRel(dir, `${stem}_files`);
    const name = ctx.out.uniqueName(filesDir, sanitizeName(m.filename || record.relativePath.split('/').pop(), `attachment-${links.size + 1}`));
    if (!(await copyBackupFile(ctx, run, record, joinRel(filesDir, name), record.mtime))) continue;
    links.set(att.id, { href: hrefFor(joinRel(`${stem}_files`, name)), name });
  }
  return links;
}

const NOTE_CSV_HEADER = ['title', 'folder', 'created_utc', 'modified_utc', 'locked', 'html', 'markdown'];

export async function exportNotes(ctx: ExportContext): Promise<CategoryResult> {
  const run: CategoryRun = { category: 'notes', files: [], warnings: [], count: 0 };
  const opened = await openCategoryDb(ctx, run, [KnownFiles.NOTE_STORE], 'no notes in this backup');
  if (!opened) return finishResult(run);
  const missing: string[] = [];
  return onCategoryDb(opened, async () => {
    const notes = readNotes(opened.db, missing).filter((r) => r.deleted !== 1);
    run.missingColumns = missing;
    if (!notes.length) {
      run.status = 'empty';
      run.message = 'no notes in this backup';
      return finishResult(run);
    }
    const tz = ctx.options.timeZone ?? 'local';
    ctx.out.reserve(ROOT, 'index.html', 'notes.csv');
    const folders = new Map<string, string>();
    const rows: string[] = [];
    const media = readNoteMedia(opened.db);
    let csv = csvRow(NOTE_CSV_HEADER);
    for (const note of notes) {
      throwIfAborted(ctx.options.signal);
      const created = fromAppleTime(note.created);
      const modified = fromAppleTime(note.modified);
      const folderName = note.folder || 'Notes';
      let folder = folders.get(folderName);
      if (folder === undefined) folders.set(folderName, (folder = ctx.out.uniqueName(ROOT, sanitizeName(folderName, 'Notes'))));
      const locked = note.locked === 1;
      let htmlBody = '';
      let mdBody = '';
      let title = note.title ?? '';
      let body: NoteBody | undefined;
      if (locked) {
        htmlBody = '<p class="locked">This note is locked with a password in Notes; its text is encrypted and was not exported.</p>';
        mdBody = '*This note is locked with a password in Notes; its text is encrypted and was not exported.*\n';
      } else if (!note.data) {
        htmlBody = '<p class="muted">(no text)</p>';
      } else {
        try {
          body = decodeNoteData(note.data);
          if (!title) title = body.text.split('\n')[0].slice(0, 80);
        } catch (e) {
          run.warnings.push(`${opened.label}: note ${note.id} ("${title}"): body could not be decoded (${(e as Error).message.split('\n')[0]})`);
          htmlBody = '<p class="warn">The text of this note could not be decoded.</p>';
          mdBody = '*The text of this note could not be decoded.*\n';
        }
      }
      if (!title) title = `Note ${note.id}`;
      const dir = joinRel(ROOT, folder);
      const stem = ctx.out.uniqueName(dir, sanitizeName(title.slice(0, 80), `note-${note.id}`) + '.html').replace(/\.html$/, '');
      if (body) {
        const links = await copyNoteAttachments(ctx, run, body, media, dir, stem);
        htmlBody = bodyToHtml(body, links);
        mdBody = bodyToMarkdown(body, links);
      }
      const meta = `<p class="muted">Folder: ${escapeHtml(folderName)} · Created: ${escapeHtml(formatDateTime(created, tz))} · Modified: ${escapeHtml(formatDateTime(modified, tz))}${locked ? ' · <span class="locked">Locked</span>' : ''}</p>`;
      await ctx.out.writeFile(joinRel(dir, stem + '.html'), page({ title, body: meta + '\n' + htmlBody, back: { href: '../index.html', label: 'All notes' } }), modified);
      const front = `---\ntitle: ${JSON.stringify(title)}\nfolder: ${JSON.stringify(folderName)}\ncreated: ${isoOrEmpty(created)}\nmodified: ${isoOrEmpty(modified)}\nlocked: ${locked}\n---\n\n`;
      await ctx.out.writeFile(joinRel(dir, stem + '.md'), front + mdBody, modified);
      run.count++;
      csv += csvRow([title, folderName, isoOrEmpty(created), isoOrEmpty(modified), locked ? 1 : 0, joinRel(folder, stem + '.html'), joinRel(folder, stem + '.md')]);
      rows.push(`<tr><td><a href="${hrefFor(joinRel(folder, stem + '.html'))}">${escapeHtml(title)}</a>${locked ? ' <span class="locked">(locked)</span>' : ''}</td>` +
        `<td>${escapeHtml(folderName)}</td><td>${escapeHtml(formatDateTime(created, tz))}</td><td>${escapeHtml(formatDateTime(modified, tz))}</td>` +
        `<td><a href="${hrefFor(joinRel(folder, stem + '.md'))}">Markdown</a></td></tr>`);
      ctx.options.onProgress?.({ phase: 'notes', done: run.count, total: notes.length, unit: 'steps' });
    }
    await ctx.out.writeFile(joinRel(ROOT, 'notes.csv'), csv);
    const lockedCount = notes.filter((n) => n.locked === 1).length;
    const body = `<p>${run.count} notes${lockedCount ? `, ${lockedCount} of them locked` : ''}. List as <a href="notes.csv">CSV</a>.</p>\n` +
      `<table><tr><th>Title</th><th>Folder</th><th>Created</th><th>Modified</th><th></th></tr>\n${rows.join('\n')}</table>`;
    await ctx.out.writeFile(joinRel(ROOT, 'index.html'), page({ title: 'Notes', body, back: { href: '../index.html', label: 'Report' } }));
    run.files.push(joinRel(ROOT, 'notes.csv'), joinRel(ROOT, 'index.html'));
    run.page = joinRel(ROOT, 'index.html');
    return finishResult(run);
  });
}
