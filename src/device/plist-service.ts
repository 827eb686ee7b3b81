/**
 * Property-list framing used by lockdownd and most services: a 4-byte big-endian length, then an
 * XML or binary plist. Pure encode/decode plus send/receive over a Connection.
 */
import { buildBinaryPlist, buildXmlPlist, isDict, parsePlist, type PlistDict } from '../backup/plist.js';
import { CorruptInputError } from '../errors.js';
import type { Connection } from './connection.js';

/** Larger than any message lockdownd or a service sends; stops a garbage length from allocating GBs. */
export const MAX_PLIST_MESSAGE = 64 * 1024 * 1024;

export type PlistFormat = 'xml' | 'binary';

export function encodePlistMessage(message: PlistDict, format: PlistFormat = 'xml'): Buffer {
  const body = format === 'xml' ? Buffer.from(buildXmlPlist(message), 'utf8') : buildBinaryPlist(message);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

export function decodePlistBody(body: Buffer, what: string): PlistDict {
  const v = parsePlist(body, what);
  if (!isDict(v)) throw new CorruptInputError(what, 'message is not a dictionary');
  return v;
}

export async function sendPlist(conn: Connection, message: PlistDict, format: PlistFormat = 'xml'): Promise<void> {
  await conn.send(encodePlistMessage(message, format));
}

export async function receivePlist(conn: Connection, what = 'device message'): Promise<PlistDict> {
  const n = (await conn.receive(4)).readUInt32BE(0);
  if (n === 0 || n > MAX_PLIST_MESSAGE) throw new CorruptInputError(what, `implausible message length ${n}`);
  return decodePlistBody(await conn.receive(n), what);
}
