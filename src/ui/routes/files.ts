/**
 * Browsing an unlocked backup like a person: its files sorted into categories with counts, a page
 * of files (by category, domain or name), a bounded picture preview for the photo grid, and one
 * file, decrypted, as a download. Nothing is written to disk: previews and downloads go from the
 * backup straight into the response.
 */
import exifr from 'exifr';
import { FileKind, type BackupFileRecord } from '../../backup/types.js';
import type { RouteModule } from '../context.js';
import { CATEGORY_LABELS, FILE_CATEGORIES, fileCategory, isFileCategory, previewKind } from '../file-categories.js';
import { HttpError } from '../http.js';
import type { OpenSession } from '../sessions.js';

/** RFC 6266 filename*: the name as UTF-8, percent-encoded, with an ASCII fallback. */
function disposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** A preview is read into memory whole: pictures above this get "no preview" instead. */
const MAX_PREVIEW_BYTES = 32 * 1024 * 1024;

const IMAGE_TYPES: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp' };

const NO_PREVIEW = 'There is no preview for this file; download it to see it.';

function regularFile(s: OpenSession, domain: string, path: string): BackupFileRecord {
  const record = s.backup.findFile(domain, path);
  if (!record || record.kind !== FileKind.File) throw new HttpError(404, 'USAGE', 'no such file in this backup', 'Choose the file again from the list.');
  return record;
}

/** The EXIF thumbnail a camera stores in JPEG and HEIC files (about 160 px): a few KB instead of the photo. */
async function embeddedThumbnail(data: Buffer): Promise<Buffer | undefined> {
  try {
    const t = await exifr.thumbnail(data);
    return t && t.length > 0 && t[0] === 0xff && t[1] === 0xd8 ? Buffer.from(t) : undefined;
  } catch {
    return undefined;
  }
}

export const fileRoutes: RouteModule = {
  register(router, ctx) {
    const sessionOf = (sid: string) => ctx.sessions.require(sid);

    router.get('/api/sessions/:sid/categories', ({ params }) => {
      const s = sessionOf(params.sid);
      const counts = new Map<string, { files: number; bytes: number }>(FILE_CATEGORIES.map((c) => [c, { files: 0, bytes: 0 }]));
      for (const r of s.backup.files({ kinds: [FileKind.File] })) {
        const c = counts.get(fileCategory(r.domain, r.relativePath))!;
        c.files++;
        c.bytes += r.size;
      }
      return { categories: FILE_CATEGORIES.map((id) => ({ id, label: CATEGORY_LABELS[id], ...counts.get(id)! })) };
    });

    router.get('/api/sessions/:sid/files', ({ params, query }) => {
      const s = sessionOf(params.sid);
      const domain = query.get('domain') || undefined;
      const category = query.get('category');
      if (category && !isFileCategory(category)) throw new HttpError(400, 'USAGE', `unknown category ${JSON.stringify(category)}`, 'Choose a category from the list.');
      const q = (query.get('q') ?? '').toLowerCase();
      const offset = Math.max(0, Number(query.get('offset')) || 0);
      const limit = Math.min(500, Math.max(1, Number(query.get('limit')) || 100));
      const all = s.backup
        .files({ domain, kinds: [FileKind.File, FileKind.Symlink] })
        .filter((r) => (!category || fileCategory(r.domain, r.relativePath) === category) && (!q || `${r.domain}/${r.relativePath}`.toLowerCase().includes(q)));
      return {
        total: all.length,
        offset,
        files: all.slice(offset, offset + limit).map((r) => ({
          domain: r.domain,
          relativePath: r.relativePath,
          kind: r.kind === FileKind.Symlink ? 'link' : 'file',
          size: r.size,
          mtime: r.mtime,
          category: fileCategory(r.domain, r.relativePath),
          preview: r.kind === FileKind.File && r.size <= MAX_PREVIEW_BYTES ? previewKind(r.relativePath) : 'none',
        })),
      };
    });

    router.get('/api/sessions/:sid/preview', async ({ res, params, query }) => {
      const s = sessionOf(params.sid);
      const record = regularFile(s, query.get('domain') ?? '', query.get('path') ?? '');
      const kind = previewKind(record.relativePath);
      if (kind === 'none' || record.size > MAX_PREVIEW_BYTES) throw new HttpError(404, 'USAGE', 'no preview for this file', NO_PREVIEW);
      const data = await s.backup.readFile(record);
      if (data.length > MAX_PREVIEW_BYTES) throw new HttpError(404, 'USAGE', 'no preview for this file', NO_PREVIEW);
      const ext = record.relativePath.slice(record.relativePath.lastIndexOf('.') + 1).toLowerCase();
      // JPEG and HEIC carry a small thumbnail; the browser draws anything else it can, scaled.
      const thumb = ext === 'jpg' || ext === 'jpeg' || kind === 'heic' ? await embeddedThumbnail(data) : undefined;
      const body = thumb ?? (kind === 'image' ? data : undefined);
      if (!body) throw new HttpError(404, 'USAGE', 'no preview for this file', NO_PREVIEW);
      res.writeHead(200, { 'Content-Type': thumb ? 'image/jpeg' : IMAGE_TYPES[ext], 'Content-Length': body.length, 'Cache-Control': 'no-store' });
      res.end(body);
    });

    router.get('/api/sessions/:sid/download', async ({ res, params, query }) => {
      const s = sessionOf(params.sid);
      const record = regularFile(s, query.get('domain') ?? '', query.get('path') ?? '');
      const stream = await s.backup.openFile(record);
      const name = record.relativePath.split('/').pop() || 'file';
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Disposition': disposition(name), 'Cache-Control': 'no-store' });
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject);
        res.on('close', () => {
          stream.destroy();
          resolve();
        });
        stream.pipe(res);
      });
    });
  },
};
