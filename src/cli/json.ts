/**
 * The CLI's one JSON encoder: every document on stdout and every JSON line on stderr goes through
 * it, so a value looks the same whichever command prints it. Dates as ISO strings, binary data
 * (Buffer, Uint8Array) as base64, bigints as numbers when exact, else as decimal strings.
 */

function replacer(this: Record<string, unknown>, key: string, v: unknown): unknown {
  const raw = this[key];
  if (Buffer.isBuffer(raw) || raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  return v;
}

/** `indent` 2 for documents a person may read, 0 for one-line events. */
export function encodeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, replacer, indent || undefined);
}

/** One JSON document on stdout, newline-terminated. */
export function printJson(value: unknown, indent = 2): void {
  process.stdout.write(encodeJson(value, indent) + '\n');
}
