/**
 * The export report served by the wizard itself, so "View the report" needs no desktop opener. A
 * folder this wizard wrote gets a random capability on request; `/out/CAP/...` then serves files
 * from inside that folder only (resolved on disk, links never followed out), read-only, with a
 * policy that runs no script: the report is static HTML with inline style and local images.
 */
import { realpath, readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, isAbsolute, sep } from 'node:path';
import { sendText } from './http.js';
import { newToken } from './security.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.vcf': 'text/vcard; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.heic': 'image/heic',
  '.webp': 'image/webp',
  '.mov': 'video/quicktime',
  '.mp4': 'video/mp4',
};

/** No script, no connection, no form: the report only shows itself and its own images. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; media-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const OUT_PREFIX = '/out/';

export class OutputViews {
  private readonly byCap = new Map<string, string>();
  private readonly byFolder = new Map<string, string>();

  /** The capability for a folder (the same one each time it is asked). */
  capability(folder: string): string {
    let cap = this.byFolder.get(folder);
    if (!cap) {
      cap = newToken();
      this.byFolder.set(folder, cap);
      this.byCap.set(cap, folder);
    }
    return cap;
  }

  /** Serves `/out/CAP/rest`; answers 404 for anything unknown or outside the folder. */
  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const [cap, ...rest] = pathname.slice(OUT_PREFIX.length).split('/');
    const folder = this.byCap.get(cap);
    let rel: string;
    try {
      rel = rest.map(decodeURIComponent).join('/');
    } catch {
      rel = '\0';
    }
    if (!folder || rel.includes('\0')) return sendText(res, 404, 'not found');
    try {
      const root = await realpath(folder);
      const file = await realpath(join(root, rel || 'index.html'));
      const inside = relative(root, file);
      if (inside.startsWith('..' + sep) || inside === '..' || isAbsolute(inside) || !(await stat(file)).isFile()) return sendText(res, 404, 'not found');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
        'Content-Security-Policy': REPORT_CSP,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      sendText(res, 404, 'not found');
    }
  }
}
