/**
 * Talking to the wizard's server: JSON in POST bodies (passwords never go in a URL), the page key
 * in a header on every request (never a cookie: cookies reach every port on 127.0.0.1), and every
 * failure turned into the server's plain message + next step.
 */
export interface ApiErrorBody {
  code: string;
  message: string;
  next: string;
}

export class ApiError extends Error {
  constructor(readonly body: ApiErrorBody, readonly status: number) {
    super(body.message);
  }
}

const KEY_HEADER = 'X-Irescue-Key';
/** sessionStorage is this tab's and this origin's (port included): a reload keeps the key, another site never sees it. */
const KEY_STORE = 'irescue-page-key';
const NEXT_ADDRESS = 'Open the address that irescue ui printed in the terminal (press Enter there for a new one).';

function storedKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORE);
  } catch {
    return null;
  }
}

let pageKey: string | null = storedKey();

function keep(key: string): void {
  pageKey = key;
  try {
    sessionStorage.setItem(KEY_STORE, key);
  } catch {
    // Storage refused (private mode): the key lives in memory until the tab reloads.
  }
}

/**
 * Run once before the first request: trades the address token (single use) for this tab's key and
 * removes the token from the address bar and the history entry, whatever the trade's outcome.
 */
export async function startAccess(): Promise<ApiErrorBody | undefined> {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (token !== null) {
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    try {
      const r = await parse<{ key: string }>(await fetch('/api/session', { method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ token }) }));
      keep(r.key);
      return undefined;
    } catch (e) {
      // An old address pasted into a tab that is already in keeps that tab working.
      if (pageKey) return undefined;
      return e instanceof ApiError ? e.body : { code: 'INTERNAL', message: 'the wizard is not answering (was irescue ui stopped?)', next: NEXT_ADDRESS };
    }
  }
  if (pageKey) return undefined;
  return { code: 'USAGE', message: 'this page needs the wizard address with its access token', next: NEXT_ADDRESS };
}

/** fetch with this tab's key; same origin only, no cookies. */
export function keyedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (pageKey) headers.set(KEY_HEADER, pageKey);
  return fetch(path, { ...init, credentials: 'omit', headers });
}

export async function parse<T>(res: Response): Promise<T> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    const data = await res.json();
    if (!res.ok) throw new ApiError(data.error ?? { code: 'INTERNAL', message: `request failed (${res.status})`, next: 'Try again.' }, res.status);
    return data as T;
  }
  const text = await res.text();
  if (!res.ok) {
    const next = res.status === 403 ? NEXT_ADDRESS : 'Try again.';
    throw new ApiError({ code: res.status === 403 ? 'USAGE' : 'INTERNAL', message: text || `request failed (${res.status})`, next }, res.status);
  }
  return text as unknown as T;
}

function offline(e: unknown): never {
  if (e instanceof ApiError) throw e;
  throw new ApiError({ code: 'INTERNAL', message: 'the wizard is not answering (was irescue ui stopped?)', next: 'Start irescue ui again in the terminal and open the address it prints.' }, 0);
}

export async function getJson<T>(path: string): Promise<T> {
  try {
    return await parse<T>(await keyedFetch(path, { headers: { Accept: 'application/json' } }));
  } catch (e) {
    return offline(e);
  }
}

export async function postJson<T>(path: string, body: unknown = {}): Promise<T> {
  try {
    return await parse<T>(await keyedFetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) }));
  } catch (e) {
    return offline(e);
  }
}
