/**
 * The plist value model, shared by the file reader (backup), the wire framing (device) and the
 * decoder. Kept free of imports so the decoder and the parser both depend on it, not on each other.
 */

export type PlistValue =
  | string
  | number
  | bigint
  | boolean
  | Date
  | Buffer
  | PlistUid
  | PlistValue[]
  | { [key: string]: PlistValue };
export type PlistDict = { [key: string]: PlistValue };

/** A keyed-archiver reference ($objects index). */
export class PlistUid {
  constructor(readonly uid: number) {}
}

/**
 * A number that must be written as a plist real even when it has no fraction: device-link peers
 * check the type (mobilebackup2's ProtocolVersion 2.0 must stay a real). Only the writer knows it;
 * the reader returns plain numbers.
 */
export class PlistReal {
  constructor(readonly value: number) {}
}

/** What the writers accept: a plist value that may contain typed reals. */
export type WireValue = PlistValue | PlistReal | WireValue[] | { [key: string]: WireValue };

export function isDict(v: unknown): v is PlistDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof Date) && !(v instanceof PlistUid) && !(v instanceof PlistReal);
}

/** True when a value holds a PlistReal anywhere (XML through plist@5 cannot mark one). */
export function hasReal(v: WireValue): boolean {
  if (v instanceof PlistReal) return true;
  if (Array.isArray(v)) return v.some(hasReal);
  if (typeof v === 'object' && v !== null && !Buffer.isBuffer(v) && !(v instanceof Date) && !(v instanceof PlistUid)) return Object.values(v).some((x) => hasReal(x as WireValue));
  return false;
}
