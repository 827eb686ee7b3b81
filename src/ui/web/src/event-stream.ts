/**
 * Server-sent events read with fetch, so the stream carries the page key in its header (EventSource
 * cannot set headers, and a cookie would reach every other port on 127.0.0.1). Reconnects after a
 * dropped connection as EventSource does; an HTTP refusal (job gone, no access) ends it.
 */
import { ApiError, keyedFetch, parse, type ApiErrorBody } from './api.js';

export interface StreamCallbacks {
  /** one parsed event: its name and its JSON data */
  event(name: string, data: unknown): void;
  /** the server refused the stream (4xx/5xx): no retry */
  refused?(error: ApiErrorBody): void;
  /** the connection dropped (the wizard stopped, the network hiccuped); it retries after a pause */
  dropped?(): void;
}

const RETRY_MS = 2000;

/** Opens the stream; returns the function that closes it. */
export function openEventStream(path: string, cb: StreamCallbacks): () => void {
  const ac = new AbortController();
  let closed = false;
  const run = async () => {
    while (!closed) {
      try {
        const res = await keyedFetch(path, { headers: { Accept: 'text/event-stream' }, signal: ac.signal, cache: 'no-store' });
        if (!res.ok || !res.body) {
          await parse(res).catch((e: unknown) => cb.refused?.(e instanceof ApiError ? e.body : { code: 'INTERNAL', message: String(e), next: 'Reload the page.' }));
          return;
        }
        await readEvents(res.body, cb, () => closed);
      } catch {
        if (closed) return;
      }
      if (closed) return;
      cb.dropped?.();
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  };
  void run();
  return () => {
    closed = true;
    ac.abort();
  };
}

async function readEvents(body: ReadableStream<Uint8Array>, cb: StreamCallbacks, isClosed: () => boolean): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done || isClosed()) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      dispatch(block, cb);
    }
  }
}

/** One event block: `event:` names it, `data:` lines join with newlines; comments and retry are ignored. */
function dispatch(block: string, cb: StreamCallbacks): void {
  let name = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length === 0) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.join('\n'));
  } catch {
    return;
  }
  cb.event(name, parsed);
}
