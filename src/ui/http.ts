/**
 * Small HTTP helpers shared by the routes: JSON replies, bounded JSON bodies, and the one mapping
 * from errors to a status plus a plain message with the next step for the page to show.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IrescueError, UsageError, type ErrorCode } from '../errors.js';

export class HttpError extends IrescueError {
  constructor(readonly status: number, code: ErrorCode, message: string, next?: string) {
    super(code, message, {}, { next });
  }
}

/** JSON with Dates as ISO strings, bigints as numbers, Buffers as hex. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return Number(v);
    if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) return Buffer.from((v as { data: number[] }).data).toString('hex');
    return v;
  });
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = toJson(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const MAX_BODY = 64 * 1024;

/** A JSON object body (requests carry small forms only). Never logged: it may hold a password. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  // JSON only: a cross-site <form> can post text/plain or urlencoded bodies, never application/json.
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'USAGE', 'requests must send JSON (Content-Type: application/json)');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'USAGE', 'request too large');
    chunks.push(c as Buffer);
  }
  if (size === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'USAGE', 'request body is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new HttpError(400, 'USAGE', 'request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

export function stringField(body: Record<string, unknown>, name: string, opts: { required?: boolean } = {}): string | undefined {
  const v = body[name];
  if (v === undefined || v === null || v === '') {
    if (opts.required) throw new UsageError(`missing ${name}`);
    return undefined;
  }
  if (typeof v !== 'string') throw new UsageError(`${name} must be text`);
  return v;
}

const NEXT_STEP: Record<ErrorCode, string> = {
  USAGE: 'Check what you entered and try again.',
  WRONG_PASSWORD: 'Check the password (capitals, spaces and accents count) and try again. If you have forgotten it, use “Recover a forgotten password”.',
  CORRUPT_INPUT: 'This backup looks damaged or incomplete. Try another backup, or make a new one if the device still works.',
  NOT_FOUND: 'The password was not among the guesses tried. Add more hints or words you might have used and try again.',
  DEVICE: 'Check the cable and try again. If you can unlock the device and it asks “Trust This Computer?”, tap Trust; if you cannot unlock it, use Recovery mode (see “Locked out?”).',
  CANCELLED: 'Anything already written is complete; start again when you are ready.',
  INTERNAL: 'This is a bug in irescue. Try again; if it happens again, run the same step with the command line and `--debug`, and report what it prints.',
};

const STATUS: Record<ErrorCode, number> = {
  USAGE: 400,
  WRONG_PASSWORD: 422,
  CORRUPT_INPUT: 422,
  NOT_FOUND: 404,
  DEVICE: 503,
  CANCELLED: 409,
  INTERNAL: 500,
};

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  next: string;
}

/** What the page shows for any failure: the code, a one-line message, and what to do next. */
export function describeError(e: unknown): { status: number; body: ErrorBody } {
  if (e instanceof IrescueError) {
    const next = e.next ?? NEXT_STEP[e.code];
    return { status: e instanceof HttpError ? e.status : STATUS[e.code], body: { code: e.code, message: e.message, next } };
  }
  if ((e as { code?: string })?.code === 'ABORT_ERR') return { status: 409, body: { code: 'CANCELLED', message: 'interrupted', next: NEXT_STEP.CANCELLED } };
  const msg = e instanceof Error ? e.message : String(e);
  return { status: 500, body: { code: 'INTERNAL', message: `unexpected error: ${msg.split('\n')[0]}`, next: NEXT_STEP.INTERNAL } };
}

export function sendError(res: ServerResponse, e: unknown): void {
  const { status, body } = describeError(e);
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, status, { error: body });
}
