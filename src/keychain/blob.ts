/**
 * The keychain item blob (`v_Data` of keychain-backup.plist), version 3, all little-endian:
 * u32 version | u32 keyclass | u32 n | n bytes RFC 3394 wrap of the item key | AES-256-GCM
 * ciphertext (empty IV, no AAD) | 16-byte tag. Pure: bytes in, fields or sealed bytes out.
 */
import { aesUnwrap, aesWrap } from '../backup/crypto.js';
import { gcmOpenEmptyIv, gcmSealEmptyIv, MAX_ITEM_CIPHERTEXT } from './gcm.js';

const ITEM_BLOB_VERSION = 3;
/** A wrapped 256-bit key is 40 bytes; anything else is not a v3 item. */
const WRAPPED_ITEM_KEY_BYTES = 40;

export interface ItemBlob {
  version: number;
  keyclass: number;
  wrappedKey: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/** Why one item could not be read; a per-item status, never a crash. */
export type ItemFailure =
  | { reason: 'truncated'; detail: string }
  | { reason: 'unsupported-version'; detail: string }
  | { reason: 'device-bound'; detail: string }
  | { reason: 'no-class-key'; detail: string }
  | { reason: 'damaged'; detail: string };

export function parseItemBlob(b: Buffer): ItemBlob | ItemFailure {
  if (b.length < 12) return { reason: 'truncated', detail: `item blob is ${b.length} bytes, shorter than its 12-byte header` };
  const version = b.readUInt32LE(0);
  if (version !== ITEM_BLOB_VERSION) return { reason: 'unsupported-version', detail: `unsupported item blob version ${version}` };
  const keyclass = b.readUInt32LE(4);
  const n = b.readUInt32LE(8);
  if (n !== WRAPPED_ITEM_KEY_BYTES) return { reason: 'damaged', detail: `wrapped item key of ${n} bytes (expected ${WRAPPED_ITEM_KEY_BYTES})` };
  if (b.length < 12 + n + 16) return { reason: 'truncated', detail: `item blob of ${b.length} bytes cannot hold its ${n}-byte key and tag` };
  const ciphertext = b.subarray(12 + n, b.length - 16);
  if (ciphertext.length > MAX_ITEM_CIPHERTEXT) return { reason: 'damaged', detail: `item of ${ciphertext.length} bytes is larger than any keychain item` };
  return { version, keyclass, wrappedKey: b.subarray(12, 12 + n), ciphertext, tag: b.subarray(b.length - 16) };
}

/** Unwrap the item key with its class key, check the tag, return the DER plaintext. */
export function openItemBlob(blob: ItemBlob, classKey: Buffer): Buffer | ItemFailure {
  const itemKey = aesUnwrap(classKey, blob.wrappedKey);
  if (!itemKey || itemKey.length !== 32) return { reason: 'damaged', detail: 'the item key does not unwrap with its class key' };
  const plain = gcmOpenEmptyIv(itemKey, blob.ciphertext, blob.tag);
  itemKey.fill(0);
  if (!plain) return { reason: 'damaged', detail: 'the item fails its integrity check (GCM tag)' };
  return plain;
}

/** Seal a DER plaintext into a v3 blob (fixtures and the demo backup). */
export function sealItemBlob(plaintext: Buffer, keyclass: number, classKey: Buffer, itemKey: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt32LE(ITEM_BLOB_VERSION, 0);
  head.writeUInt32LE(keyclass, 4);
  head.writeUInt32LE(WRAPPED_ITEM_KEY_BYTES, 8);
  const { ciphertext, tag } = gcmSealEmptyIv(itemKey, plaintext);
  return Buffer.concat([head, aesWrap(classKey, itemKey), ciphertext, tag]);
}

export function isFailure(v: unknown): v is ItemFailure {
  return typeof v === 'object' && v !== null && !Buffer.isBuffer(v) && 'reason' in v;
}
