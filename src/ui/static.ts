/**
 * Serves the built front end (vite's output in dist/ui-web) and nothing else from disk: names are
 * resolved inside the web root only, and unknown paths get the page itself (client-side routes).
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendText } from './http.js';

/** src/ui and dist/ui both sit two levels below the package root. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/ui-web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

export async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string, webRoot: string): Promise<void> {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    sendText(res, 400, 'bad path');
    return;
  }
  let file = normalize(join(webRoot, rel));
  const inside = relative(webRoot, file);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    sendText(res, 404, 'not found');
    return;
  }
  if (!(await isFile(file))) {
    if (extname(rel) && rel !== '/') {
      sendText(res, 404, 'not found');
      return;
    }
    file = join(webRoot, 'index.html');
    if (!(await isFile(file))) {
      sendText(res, 503, "The wizard's page has not been built. Run `npm run build` in the irescue folder, then start `irescue ui` again.");
      return;
    }
  }
  const body = await readFile(file);
  const hashed = /[\\/]assets[\\/]/.test(file);
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
