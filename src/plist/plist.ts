/**
 * The one plist reader and writer of the project. Binary plists are read by our own decoder
 * (bplist-read.ts: exact 64-bit integers, keyed-archiver UIDs as a class; see there for why) and
 * written by our own encoder (bplist-write.ts: see there for why); XML goes through plist@5. Every failure becomes a CorruptInputError
 * naming the file, never a parser stack trace.
 */
import { readFile, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { decodeBplist } from './bplist-read.js';
import { encodeBplist } from './bplist-write.js';
import * as plistXml from 'plist';
import { CorruptInputError, describeFsError } from '../errors.js';
import { isDict, PlistUid, type PlistDict, type PlistValue, type WireValue } from './value.js';

export { PlistUid, PlistReal, isDict, hasReal, type PlistValue, type PlistDict, type WireValue } from './value.js';

const BPLIST_MAGIC = Buffer.from('bplist00');

/**
 * plist@5 reads an XML <integer> as a double, which rounds above 2^53 (ECIDs, sizes). Before it
 * parses, such integers are rewritten as strings carrying a per-call random marker, and turned
 * back into exact bigints after (the way bplist-read.ts returns them). Safe integers stay numbers.
 */
const INTEGER_ELEMENT = /<integer>\s*([+-]?\d{16,})\s*<\/integer>/g;

function markBigIntegers(text: string): { text: string; marker?: string } {
  if (!/<integer>\s*[+-]?\d{16,}/.test(text)) return { text };
  const marker = `irescue-int-${randomBytes(8).toString('hex')}:`;
  const out = text.replace(INTEGER_ELEMENT, (whole, digits: string) => {
    const n = BigInt(digits);
    return n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER) ? `<string>${marker}${n.toString()}</string>` : whole;
  });
  return { text: out, marker };
}

function normalize(v: unknown, marker?: string): PlistValue {
  if (v instanceof PlistUid) return v;
  if (marker && typeof v === 'string' && v.startsWith(marker)) return BigInt(v.slice(marker.length));
  if (Array.isArray(v)) return v.map((x) => normalize(x, marker));
  if (Buffer.isBuffer(v) || v instanceof Date || v === null) return v as PlistValue;
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (typeof v === 'object') {
    const out: PlistDict = {};
    for (const [k, val] of Object.entries(v as object)) out[k] = normalize(val, marker);
    return out;
  }
  return v as PlistValue;
}

/** Parse a binary or XML plist from bytes. `name` is what error messages call the file. */
export function parsePlist(bytes: Buffer, name?: string): PlistValue {
  if (bytes.length === 0) throw new CorruptInputError(name, 'empty file, expected a property list');
  if (bytes.subarray(0, 8).equals(BPLIST_MAGIC)) {
    let root: unknown;
    try {
      root = decodeBplist(bytes);
    } catch (e) {
      throw new CorruptInputError(name, `damaged binary property list (${(e as Error).message})`, { cause: e });
    }
    if (root === undefined || root === null) throw new CorruptInputError(name, 'damaged binary property list (no root object)');
    return root as PlistValue;
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (!/^\s*(<\?xml|<!DOCTYPE plist|<plist)/.test(text)) {
    throw new CorruptInputError(name, 'not a property list (neither binary nor XML)');
  }
  let root: unknown;
  const marked = markBigIntegers(text);
  try {
    root = plistXml.parse(marked.text);
  } catch (e) {
    throw new CorruptInputError(name, `damaged XML property list (${String((e as Error).message).split('\n')[0]})`, { cause: e });
  }
  if (root === undefined || root === null) throw new CorruptInputError(name, 'XML property list has no content');
  return normalize(root, marked.marker);
}

/** Largest plist file we read into memory (a real Info.plist with app data is a few MB). */
export const PLIST_MAX_FILE_BYTES = 256 << 20;

export async function readPlistFile(path: string, displayName = path): Promise<PlistValue> {
  let bytes: Buffer;
  try {
    const size = (await stat(path)).size;
    if (size > PLIST_MAX_FILE_BYTES) throw new CorruptInputError(displayName, `is ${size} bytes, more than the ${PLIST_MAX_FILE_BYTES} a property list may have`);
    bytes = await readFile(path);
  } catch (e) {
    if (e instanceof CorruptInputError) throw e;
    throw new CorruptInputError(displayName, describeFsError(e), { cause: e });
  }
  return parsePlist(bytes, displayName);
}

/** Parse and insist on a dictionary at the root (Info.plist, Manifest.plist, Status.plist). */
export function parsePlistDict(bytes: Buffer, name?: string): PlistDict {
  const v = parsePlist(bytes, name);
  if (!isDict(v)) throw new CorruptInputError(name, 'property list root is not a dictionary');
  return v;
}

export async function readPlistDict(path: string, displayName = path): Promise<PlistDict> {
  const v = await readPlistFile(path, displayName);
  if (!isDict(v)) throw new CorruptInputError(displayName, 'property list root is not a dictionary');
  return v;
}

/** The one binary writer (files and device messages alike); PlistReal stays a real. */
export function buildBinaryPlist(value: WireValue): Buffer {
  return encodeBplist(value);
}

/** bigints (exact 64-bit integers) become <integer> elements with every digit (plist@5 cannot write them). */
export function buildXmlPlist(value: PlistValue): string {
  let marker: string | undefined;
  const swap = (v: PlistValue): unknown => {
    if (typeof v === 'bigint') {
      marker ??= `irescue-int-${randomBytes(8).toString('hex')}:`;
      return `${marker}${v.toString()}`;
    }
    if (Array.isArray(v)) return v.map(swap);
    if (isDict(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(v)) if (val !== undefined) out[k] = swap(val);
      return out;
    }
    return v;
  };
  const xml = plistXml.build(swap(value) as never);
  if (!marker) return xml;
  const m = marker;
  return xml.replace(new RegExp(`<string>${m}(-?\\d+)</string>`, 'g'), '<integer>$1</integer>');
}

// Typed getters: the keys we read are optional in practice, so absence is undefined, a wrong type is corrupt.
export function getString(d: PlistDict, key: string): string | undefined {
  const v = d[key];
  return typeof v === 'string' ? v : undefined;
}
export function getNumber(d: PlistDict, key: string): number | undefined {
  const v = d[key];
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}
export function getBool(d: PlistDict, key: string): boolean | undefined {
  const v = d[key];
  return typeof v === 'boolean' ? v : undefined;
}
export function getDate(d: PlistDict, key: string): Date | undefined {
  const v = d[key];
  return v instanceof Date && !Number.isNaN(v.getTime()) ? v : undefined;
}
export function getData(d: PlistDict, key: string): Buffer | undefined {
  const v = d[key];
  return Buffer.isBuffer(v) ? v : undefined;
}
export function getDict(d: PlistDict, key: string): PlistDict | undefined {
  const v = d[key];
  return isDict(v) ? v : undefined;
}
