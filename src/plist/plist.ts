/**
 * The one plist reader and writer of the project. Binary plists are read by our own decoder
 * (bplist-read.ts: exact 64-bit integers, keyed-archiver UIDs as a class; see there for why) and
 * written by our own encoder (bplist-write.ts: see there for why); XML is read by xml-read.ts and
 * written by plist@5. Every failure becomes a CorruptInputError naming the file, never a parser
 * stack trace.
 */
import { readFile, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { decodeBplist } from './bplist-read.js';
import { encodeBplist } from './bplist-write.js';
import { decodeXmlPlist } from './xml-read.js';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CorruptInputError, describeFsError } from '../errors.js';
import { isDict, PlistUid, type PlistDict, type PlistValue, type WireValue } from './value.js';

export { PlistUid, PlistReal, isDict, hasReal, type PlistValue, type PlistDict, type WireValue } from './value.js';

const BPLIST_MAGIC = Buffer.from('bplist00');

/**
 * plist@5 (the XML writer) is loaded only when XML is written (device messages, test fixtures):
 * its DOM and builder cost about 6 MB and tens of milliseconds at start-up, and reading has its own
 * parser. The package is an ES module with no "require" entry, so it is resolved through
 * import.meta and loaded with require(esm) (Node 20.19+), which keeps buildXmlPlist synchronous.
 */
let xmlWriter: typeof import('plist') | undefined;
function plistXml(): typeof import('plist') {
  return (xmlWriter ??= createRequire(import.meta.url)(fileURLToPath(import.meta.resolve('plist'))) as typeof import('plist'));
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
  let root: PlistValue | undefined;
  try {
    root = decodeXmlPlist(text);
  } catch (e) {
    throw new CorruptInputError(name, `damaged XML property list (${(e as Error).message})`, { cause: e });
  }
  if (root === undefined) throw new CorruptInputError(name, 'XML property list has no content');
  return root;
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
  const xml = plistXml().build(swap(value) as never);
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
