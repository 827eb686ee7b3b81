/**
 * Property-list framing used by lockdownd and most services: a 4-byte big-endian length, then an
 * XML or binary plist. Pure encode/decode plus send/receive over a Connection. Device-link
 * services (mobilebackup2) exchange arrays and need typed reals (ProtocolVersion 2.0 must stay a
 * real): PlistReal and WireValue live with the format in src/plist/.
 */
import { buildBinaryPlist, buildXmlPlist, hasReal, isDict, parsePlist, type PlistDict, type PlistValue, type WireValue } from '../plist/plist.js';
import { CorruptInputError } from '../errors.js';
import type { Connection } from './connection.js';


/** Larger than any message lockdownd or a service sends; stops a garbage length from allocating GBs. */
const MAX_PLIST_MESSAGE = 64 * 1024 * 1024;

export type PlistFormat = 'xml' | 'binary';

export function encodePlistBody(message: WireValue, format: PlistFormat = 'xml'): Buffer {
  // XML cannot mark a whole number as real through plist@5; such messages go binary
  if (format === 'xml' && !hasReal(message)) return Buffer.from(buildXmlPlist(message as PlistValue), 'utf8');
  return buildBinaryPlist(message);
}

function encodePlistMessage(message: WireValue, format: PlistFormat = 'xml'): Buffer {
  const body = encodePlistBody(message, format);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

export function decodePlistBody(body: Buffer, what: string): PlistDict {
  const v = parsePlist(body, what);
  if (!isDict(v)) throw new CorruptInputError(what, 'message is not a dictionary');
  return v;
}

export async function sendPlist(conn: Connection, message: WireValue, format: PlistFormat = 'xml'): Promise<void> {
  await conn.send(encodePlistMessage(message, format));
}

/** Any plist value (device-link messages are arrays). */
export async function receivePlistValue(conn: Connection, what = 'device message'): Promise<PlistValue> {
  const n = (await conn.receive(4)).readUInt32BE(0);
  if (n === 0 || n > MAX_PLIST_MESSAGE) throw new CorruptInputError(what, `implausible message length ${n}`);
  return parsePlist(await conn.receive(n), what);
}

export async function receivePlist(conn: Connection, what = 'device message'): Promise<PlistDict> {
  const v = await receivePlistValue(conn, what);
  if (!isDict(v)) throw new CorruptInputError(what, 'message is not a dictionary');
  return v;
}
