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

/** Trades the token for the session cookie, as the first page load does. */
export async function login(port: number, token: string): Promise<string> {
  const r = await raw(port, 'GET', `/?token=${encodeURIComponent(token)}`);
  if (r.status !== 303) throw new Error(`token exchange answered ${r.status}`);
  const set = ([] as string[]).concat(r.headers['set-cookie'] ?? [])[0];
  return set.split(';')[0];
}

/** A same-origin JSON call with the cookie, as the page makes it. */
export function api(port: number, cookie: string, method: string, path: string, body?: unknown): Promise<RawResponse> {
  const headers: Record<string, string> = { cookie };
  if (method !== 'GET') {
    headers.origin = `http://127.0.0.1:${port}`;
    headers['content-type'] = 'application/json';
  }
  return raw(port, method, path, { headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
