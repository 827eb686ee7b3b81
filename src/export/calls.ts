/**
 * Call history export: CallHistory.storedata (iOS 8+, Core Data: ZCALLRECORD) or call_history.db
 * (older: `call`), to calls.csv and an HTML table (docs/schemas/CallHistory.md).
 */
import { throwIfAborted } from '../errors.js';
import { fromAppleTime, fromUnixSeconds, formatLocal, isoOrEmpty } from './apple-time.js';
import { formatDateTime } from '../format.js';
import { type CategoryRun, finishResult, onCategoryDb, openCategoryDb } from './category.js';
import type { ContactIndex } from './contact-index.js';
import { csvRow } from './csv.js';
import { escapeHtml, page } from './html.js';
import { joinRel } from './output.js';
import { KnownFiles } from './paths.js';
import { all, asInt, asNum, ColumnPicker, hasTable, type Db } from './sqlite.js';
import type { CategoryResult, ExportContext } from './types.js';

const ROOT = 'calls';

export interface CallRecord {
  date?: Date;
  number: string;
  name?: string;
  direction: 'incoming' | 'outgoing';
  answered: boolean;
  durationSeconds: number;
  /** "Phone", "FaceTime Video", "FaceTime Audio", or the app's service id */
  type: string;
  country?: string;
}

/** ZCALLTYPE values. */
const CALL_TYPES: Record<number, string> = { 1: 'Phone', 8: 'FaceTime Video', 16: 'FaceTime Audio' };

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  // ZADDRESS is a BLOB holding UTF-8 on some iOS versions.
  return Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
}

function readCoreDataCalls(db: Db, missing: string[]): CallRecord[] {
  const c = new ColumnPicker(db, 'ZCALLRECORD', 'c');
  const sql = `SELECT ${c.pick('date', 'ZDATE')}, ${c.pick('address', 'ZADDRESS')}, ${c.pick('name', 'ZNAME')}, ${c.pick('answered', 'ZANSWERED')}, ` +
    `${c.pick('calltype', 'ZCALLTYPE')}, ${c.pick('originated', 'ZORIGINATED')}, ${c.pick('duration', 'ZDURATION')}, ` +
    `${c.pick('country', 'ZISO_COUNTRY_CODE')}, ${c.pick('provider', 'ZSERVICE_PROVIDER')} FROM ZCALLRECORD c ORDER BY 1`;
  const rows = all(db, sql);
  missing.push(...c.missing);
  return rows.map((r) => {
    const callType = asInt(r.calltype) ?? 1;
    const provider = text(r.provider);
    const type = CALL_TYPES[callType] ?? (provider && !provider.startsWith('com.apple.') ? provider : provider === 'com.apple.FaceTime' ? 'FaceTime' : 'Phone');
    return {
      date: fromAppleTime(r.date),
      number: text(r.address),
      name: text(r.name) || undefined,
      direction: asInt(r.originated) === 1 ? 'outgoing' : 'incoming',
      answered: asInt(r.answered) === 1,
      durationSeconds: Math.max(0, Math.round(asNum(r.duration) ?? 0)),
      type,
      country: text(r.country).toUpperCase() || undefined,
    } satisfies CallRecord;
  });
}

/** call_history.db flags: bit 0 outgoing, bit 4 (16) FaceTime; a zero-length incoming call was missed. */
function readLegacyCalls(db: Db, missing: string[]): CallRecord[] {
  const c = new ColumnPicker(db, 'call', 'c');
  const sql = `SELECT ${c.pick('address')}, ${c.pick('date')}, ${c.pick('duration')}, ${c.pick('flags')}, ${c.pick('name')}, ${c.pick('country_code')} FROM call c ORDER BY 2`;
  const rows = all(db, sql);
  missing.push(...c.missing);
  return rows.map((r) => {
    const flags = asInt(r.flags) ?? 0;
    const duration = Math.max(0, Math.round(asNum(r.duration) ?? 0));
    return {
      date: fromUnixSeconds(r.date),
      number: text(r.address),
      name: text(r.name) || undefined,
      direction: flags & 1 ? 'outgoing' : 'incoming',
      answered: duration > 0,
      durationSeconds: duration,
      type: flags & 16 ? 'FaceTime' : 'Phone',
      country: undefined,
    } satisfies CallRecord;
  });
}

function formatDurationHms(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

function callStatus(c: CallRecord): string {
  if (c.answered) return 'answered';
  return c.direction === 'incoming' ? 'missed' : 'not answered';
}

const CALL_CSV_HEADER = ['date_utc', 'date_local', 'number', 'contact_name', 'direction', 'status', 'duration_seconds', 'duration', 'type', 'country'];

export async function exportCalls(ctx: ExportContext, opts: { contacts?: ContactIndex } = {}): Promise<CategoryResult> {
  const run: CategoryRun = { category: 'calls', files: [], warnings: [], count: 0 };
  const opened = await openCategoryDb(ctx, run, [KnownFiles.CALL_HISTORY, KnownFiles.CALL_HISTORY_LEGACY, KnownFiles.CALL_HISTORY_LEGACY_HOME], 'no call history in this backup');
  if (!opened) return finishResult(run);
  const missing: string[] = [];
  return onCategoryDb(opened, async () => {
    let calls: CallRecord[];
    if (hasTable(opened.db, 'ZCALLRECORD')) calls = readCoreDataCalls(opened.db, missing);
    else if (hasTable(opened.db, 'call')) calls = readLegacyCalls(opened.db, missing);
    else {
      missing.push('ZCALLRECORD');
      calls = [];
    }
    throwIfAborted(ctx.options.signal);
    run.missingColumns = missing;
    if (!calls.length) {
      run.status = 'empty';
      run.message = 'no call history in this backup';
      return finishResult(run);
    }
    const tz = ctx.options.timeZone ?? 'local';
    let csv = csvRow(CALL_CSV_HEADER);
    const rows: string[] = [];
    for (const c of calls) {
      const contact = opts.contacts?.lookup(c.number) ?? c.name ?? '';
      const status = callStatus(c);
      csv += csvRow([isoOrEmpty(c.date), formatLocal(c.date, tz), c.number, contact, c.direction, status, c.durationSeconds, formatDurationHms(c.durationSeconds), c.type, c.country]);
      rows.push(`<tr class="${status.replace(' ', '-')}"><td>${escapeHtml(formatDateTime(c.date, tz))}</td><td>${escapeHtml(c.number)}</td><td>${escapeHtml(contact)}</td>` +
        `<td>${c.direction}</td><td>${status}</td><td>${formatDurationHms(c.durationSeconds)}</td><td>${escapeHtml(c.type)}</td></tr>`);
      run.count++;
    }
    await ctx.out.writeFile(joinRel(ROOT, 'calls.csv'), csv);
    const body = `<p>${run.count} calls. Also as <a href="calls.csv">CSV</a>.</p>\n<table><tr><th>Date</th><th>Number</th><th>Contact</th><th>Direction</th><th>Status</th><th>Duration</th><th>Type</th></tr>\n${rows.join('\n')}</table>`;
    await ctx.out.writeFile(joinRel(ROOT, 'index.html'), page({ title: 'Call history', body, back: { href: '../index.html', label: 'Report' } }));
    run.files.push(joinRel(ROOT, 'calls.csv'), joinRel(ROOT, 'index.html'));
    run.page = joinRel(ROOT, 'index.html');
    ctx.options.onProgress?.({ phase: 'calls', done: run.count, total: run.count, unit: 'steps' });
    return finishResult(run);
  });
}
