/**
 * Server-sent events: the same ProgressEvents the CLI renders, forwarded to the page. A comment
 * line every 15 s keeps idle streams (device watch, long KDF steps) open through any proxy.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toJson } from './http.js';

export interface SseStream {
  send(event: string, data: unknown, id?: string): void;
  close(): void;
  readonly closed: boolean;
  onClose(fn: () => void): void;
}

const open = new Set<SseStream>();

export function openSse(req: IncomingMessage, res: ServerResponse, heartbeatMs = 15_000): SseStream {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  const closers: Array<() => void> = [];
  let closed = false;
  const beat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
  beat.unref();
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(beat);
    open.delete(stream);
    for (const fn of closers) fn();
  };
  const stream: SseStream = {
    send(event, data, id) {
      if (closed) return;
      let msg = `event: ${event}\n`;
      if (id) msg += `id: ${id}\n`;
      for (const line of toJson(data).split('\n')) msg += `data: ${line}\n`;
      res.write(msg + '\n');
    },
    close() {
      if (closed) return;
      finish();
      res.end();
    },
    get closed() {
      return closed;
    },
    onClose(fn) {
      closers.push(fn);
    },
  };
  open.add(stream);
  req.on('close', finish);
  return stream;
}

/** Ends every open stream (server shutdown), so `server.close()` is not held up by them. */
export function closeAllSse(): void {
  for (const s of [...open]) s.close();
}
