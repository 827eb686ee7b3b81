/**
 * Talking to the wizard's server: JSON in POST bodies (passwords never go in a URL), the session
 * cookie sent automatically, and every failure turned into the server's plain message + next step.
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

async function parse<T>(res: Response): Promise<T> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    const data = await res.json();
    if (!res.ok) throw new ApiError(data.error ?? { code: 'INTERNAL', message: `request failed (${res.status})`, next: 'Try again.' }, res.status);
    return data as T;
  }
  const text = await res.text();
  if (!res.ok) {
    const next = res.status === 403 ? 'Open the full address that `irescue ui` printed in the terminal.' : 'Try again.';
    throw new ApiError({ code: res.status === 403 ? 'USAGE' : 'INTERNAL', message: text || `request failed (${res.status})`, next }, res.status);
  }
  return text as unknown as T;
}

function offline(e: unknown): never {
  if (e instanceof ApiError) throw e;
  throw new ApiError({ code: 'INTERNAL', message: 'the wizard is not answering (was `irescue ui` stopped?)', next: 'Start `irescue ui` again in the terminal and open the address it prints.' }, 0);
}

export async function getJson<T>(path: string): Promise<T> {
  try {
    return await parse<T>(await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } }));
  } catch (e) {
    return offline(e);
  }
}

export async function postJson<T>(path: string, body: unknown = {}): Promise<T> {
  try {
    return await parse<T>(await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) }));
  } catch (e) {
    return offline(e);
  }
}
