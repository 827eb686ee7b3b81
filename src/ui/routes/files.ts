/**
 * One file of an unlocked backup, decrypted, as a download: the browse page's per-file button.
 * The page names the file by domain and path; only a regular file recorded in the backup is sent.
 */
import { FileKind } from '../../backup/types.js';
import type { RouteModule } from '../context.js';
import { HttpError } from '../http.js';

/** RFC 6266 filename*: the name as UTF-8, percent-encoded, with an ASCII fallback. */
function disposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const fileRoutes: RouteModule = {
  register(router, ctx) {
    router.get('/api/sessions/:sid/download', async ({ res, params, query }) => {
      const s = ctx.sessions.get(params.sid);
      if (!s) throw new HttpError(404, 'USAGE', 'this backup is not open any more', 'Go back to the list of backups and unlock it again.');
      const record = s.backup.findFile(query.get('domain') ?? '', query.get('path') ?? '');
      if (!record || record.kind !== FileKind.File) throw new HttpError(404, 'USAGE', 'no such file in this backup', 'Choose the file again from the list.');
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
