/**
 * A raw HTTP client for the wizard's server, so tests can send what a browser never would (a wrong
 * Host, no Origin, a foreign Origin) and read every header back.
 */
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function raw(port: number, method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export const KEY_HEADER = 'x-irescue-key';

/** Trades the address token for a page key by POST, as the page does on its first load. */
export async function login(port: number, token: string): Promise<string> {
  const r = await raw(port, 'POST', '/api/session', { headers: { origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  if (r.status !== 200) throw new Error(`token exchange answered ${r.status}: ${r.body}`);
  return (JSON.parse(r.body) as { key: string }).key;
}

/** The headers the page sends with its key. */
export function keyed(key: string): Record<string, string> {
  return { [KEY_HEADER]: key };
}

/** A same-origin JSON call with the page key in its header, as the page makes it. */
export function api(port: number, key: string, method: string, path: string, body?: unknown): Promise<RawResponse> {
  const headers: Record<string, string> = keyed(key);
  if (method !== 'GET') {
    headers.origin = `http://127.0.0.1:${port}`;
    headers['content-type'] = 'application/json';
  }
  return raw(port, method, path, { headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
