/**
 * Photos export: camera roll originals copied with their own names (HEIC kept as is), file times
 * from the manifest, optionally sorted into YYYY/YYYY-MM-DD folders by the EXIF capture date;
 * a Live Photo's MOV goes beside its still under the same (possibly de-duplicated) name.
 */
import { throwIfAborted } from '../errors.js';
import { FileKind, type BackupFileRecord } from '../backup/types.js';
import { formatLocal } from './apple-time.js';
import { formatDateTime } from '../format.js';
import { copyBackupFile, readBackupFile } from './backup-files.js';
import { finishResult, type CategoryRun } from './category.js';
import { csvRow } from './csv.js';
import { exifDateTaken } from './exif-date.js';
import { escapeHtml, hrefFor, page } from './html.js';
import { joinRel, sanitizeName } from './output.js';
import { CAMERA_ROLL_DOMAIN, CAMERA_ROLL_GLOBS } from './paths.js';
import type { CategoryResult, ExportContext } from './types.js';
import picomatch from 'picomatch';

const ROOT = 'photos';
const STILL = /\.(heic|heif|jpe?g|png|gif|tiff?|dng|webp)$/i;
const VIDEO = /\.(mov|mp4|m4v|3gp)$/i;
/** what a browser draws by itself (the report's grid, the wizard's previews) */
export const WEB_IMAGE = /\.(jpe?g|png|gif|webp)$/i;
const inCameraRoll = picomatch(CAMERA_ROLL_GLOBS, { dot: true, nocase: true });

/** A photo or video of the camera roll (by its path in CameraRollDomain): what `export photos` writes. */
export function isCameraRollMedia(relativePath: string): boolean {
  return inCameraRoll(relativePath) && (STILL.test(relativePath) || VIDEO.test(relativePath));
}

interface Item {
  record: BackupFileRecord;
  name: string;
  folder: string;
  /** the Live Photo video paired with this still */
  live?: BackupFileRecord;
}

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const dirOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const stem = (n: string): string => (n.includes('.') ? n.slice(0, n.lastIndexOf('.')) : n);
const ext = (n: string): string => (n.includes('.') ? n.slice(n.lastIndexOf('.')) : '');

/** Camera-roll media, with each Live Photo's MOV attached to its still (same folder, same stem). */
function collectPhotos(records: BackupFileRecord[]): Item[] {
  const media = records.filter((r) => r.kind === FileKind.File && isCameraRollMedia(r.relativePath));
  const stills = new Map<string, Item>();
  const items: Item[] = [];
  for (const r of media) {
    if (!STILL.test(r.relativePath)) continue;
    const item: Item = { record: r, name: base(r.relativePath), folder: base(dirOf(r.relativePath)) };
    stills.set(`${dirOf(r.relativePath)}/${stem(base(r.relativePath))}`.toLowerCase(), item);
    items.push(item);
  }
  for (const r of media) {
    if (!VIDEO.test(r.relativePath)) continue;
    const still = stills.get(`${dirOf(r.relativePath)}/${stem(base(r.relativePath))}`.toLowerCase());
    if (still && !still.live && /\.mov$/i.test(r.relativePath)) still.live = r;
    else items.push({ record: r, name: base(r.relativePath), folder: base(dirOf(r.relativePath)) });
  }
  return items.sort((a, b) => a.record.relativePath.localeCompare(b.record.relativePath));
}

const pad = (n: number): string => String(n).padStart(2, '0');

const PHOTO_CSV_HEADER = ['file', 'original_path', 'taken_local', 'modified_utc', 'live_photo_video', 'bytes'];

export async function exportPhotos(ctx: ExportContext): Promise<CategoryResult> {
  const run: CategoryRun = { category: 'photos', files: [], warnings: [], count: 0 };
  const items = collectPhotos(ctx.reader.files({ domain: CAMERA_ROLL_DOMAIN }));
  if (!items.length) {
    run.status = 'missing';
    run.message = 'no photos in this backup';
    return finishResult(run);
  }
  const tz = ctx.options.timeZone ?? 'local';
  ctx.out.reserve(ROOT, 'index.html', 'photos.csv');
  let csv = csvRow(PHOTO_CSV_HEADER);
  const cells: string[] = [];
  const total = items.length;
  for (const item of items) {
    throwIfAborted(ctx.options.signal);
    const isStill = STILL.test(item.name);
    const data = isStill ? await readBackupFile(ctx, run, item.record) : undefined;
    // A still the backup cannot give is listed as skipped (its Live Photo video with it).
    if (isStill && !data) continue;
    const taken = data ? await exifDateTaken(data) : undefined;
    const mtime = item.record.mtime ?? taken;
    const when = taken ?? item.record.mtime ?? item.record.birth;
    let folder: string;
    if (ctx.options.byDate) {
      // exifr reads EXIF wall-clock times in this machine's zone, so local getters give back the camera's date.
      folder = when ? (tz === 'UTC'
        ? joinRel(String(when.getUTCFullYear()), `${when.getUTCFullYear()}-${pad(when.getUTCMonth() + 1)}-${pad(when.getUTCDate())}`)
        : joinRel(String(when.getFullYear()), `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`)) : 'undated';
    } else {
      folder = sanitizeName(item.folder, 'camera-roll');
      if (/^(index\.html|photos\.csv)$/i.test(folder)) folder = '_' + folder;
    }
    const dir = joinRel(ROOT, folder);
    const name = ctx.out.uniqueName(dir, sanitizeName(item.name, `photo-${run.count + 1}`));
    const rel = joinRel(dir, name);
    if (data) await ctx.out.writeFile(rel, data, mtime);
    else if (!(await copyBackupFile(ctx, run, item.record, rel, mtime))) continue;
    let liveName = '';
    if (item.live) {
      // Reserve the paired name even if a same-named MOV was already used, so the pair stays together.
      liveName = ctx.out.uniqueName(dir, stem(name) + ext(base(item.live.relativePath)));
      if (!(await copyBackupFile(ctx, run, item.live, joinRel(dir, liveName), item.live.mtime ?? mtime))) liveName = '';
    }
    run.count++;
    csv += csvRow([joinRel(folder, name), `${item.record.domain}/${item.record.relativePath}`, formatLocal(taken, tz), mtime?.toISOString() ?? '',
      liveName ? joinRel(folder, liveName) : '', item.record.size]);
    cells.push(gridCell(joinRel(folder, name), name, liveName ? joinRel(folder, liveName) : '', formatDateTime(when, tz)));
    ctx.options.onProgress?.({ phase: 'photos', done: run.count + (run.skippedCount ?? 0), total, unit: 'files', detail: item.name });
  }
  await ctx.out.writeFile(joinRel(ROOT, 'photos.csv'), csv);
  const body = `<p>${run.count} photos and videos (originals; HEIC files open in Photos, Preview and Windows Photos). List as <a href="photos.csv">CSV</a>.</p>\n` +
    `<ul class="grid">\n${cells.join('\n')}\n</ul>`;
  await ctx.out.writeFile(joinRel(ROOT, 'index.html'), page({ title: 'Photos', body, back: { href: '../index.html', label: 'Report' } }));
  run.files.push(joinRel(ROOT, 'photos.csv'), joinRel(ROOT, 'index.html'));
  run.page = joinRel(ROOT, 'index.html');
  return finishResult(run);
}

/**
 * One tile of the photo grid: the picture itself where a browser can draw it (scaled, loaded when
 * scrolled to), else a labelled box; its name, the Live Photo's video and the date taken below.
 */
function gridCell(rel: string, name: string, liveRel: string, taken: string): string {
  const href = hrefFor(rel);
  const kind = WEB_IMAGE.test(name) ? 'image' : VIDEO.test(name) ? 'video' : 'other';
  const preview = kind === 'image'
    ? `<img src="${href}" alt="${escapeHtml(name)}" width="160" height="160" loading="lazy">`
    : `<span class="nopreview">${kind === 'video' ? 'Video' : 'No preview'} (${escapeHtml(ext(name).slice(1).toUpperCase() || 'file')})</span>`;
  return `<li><a href="${href}">${preview}</a><div>${escapeHtml(rel)}</div>` +
    (liveRel ? `<div><a href="${hrefFor(liveRel)}">Live Photo video</a></div>` : '') +
    (taken ? `<div class="muted">${escapeHtml(taken)}</div>` : '') + '</li>';
}
