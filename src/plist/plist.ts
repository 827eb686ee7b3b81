/**
 * The one plist reader and writer of the project. Binary plists are read by our own decoder
 * (bplist-read.ts: exact 64-bit integers, keyed-archiver UIDs as a class; see there for why) and
 * written by bplist-creator; XML goes through plist@5. Every failure becomes a CorruptInputError
 * naming the file, never a parser stack trace.
 */
import { readFile } from 'node:fs/promises';
import { decodeBplist } from './bplist-read.js';
import bplistCreate from 'bplist-creator';
import * as plistXml from 'plist';
import { CorruptInputError, describeFsError } from '../errors.js';
import { isDict, PlistReal, PlistUid, type PlistDict, type PlistValue, type WireValue } from './value.js';

export { PlistUid, PlistReal, isDict, hasReal, type PlistValue, type PlistDict, type WireValue } from './value.js';

const BPLIST_MAGIC = Buffer.from('bplist00');

function normalize(v: unknown): PlistValue {
  if (v instanceof PlistUid) return v;
  if (Array.isArray(v)) return v.map(normalize);
  if (Buffer.isBuffer(v) || v instanceof Date || v === null) return v as PlistValue;
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (typeof v === 'object') {
    const out: PlistDict = {};
    for (const [k, val] of Object.entries(v as object)) out[k] = normalize(val);
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
  try {
    root = plistXml.parse(text);
  } catch (e) {
    throw new CorruptInputError(name, `damaged XML property list (${String((e as Error).message).split('\n')[0]})`, { cause: e });
  }
  if (root === undefined || root === null) throw new CorruptInputError(name, 'XML property list has no content');
  return normalize(root);
}

export async function readPlistFile(path: string, displayName = path): Promise<PlistValue> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
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

function toCreatorValue(v: WireValue): unknown {
  if (v instanceof PlistReal) return new bplistCreate.Real(v.value);
  if (v instanceof PlistUid) return { UID: v.uid };
  if (Array.isArray(v)) return v.map(toCreatorValue);
  if (Buffer.isBuffer(v) || v instanceof Date || typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) if (val !== undefined) out[k] = toCreatorValue(val as WireValue);
  return out;
}

/** The one binary writer (files and device messages alike); PlistReal stays a real. */
export function buildBinaryPlist(value: WireValue): Buffer {
  return bplistCreate(toCreatorValue(value) as never);
}

export function buildXmlPlist(value: PlistValue): string {
  return plistXml.build(value as never);
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
