/**
 * Manifest.mbdb: the file index of iOS 5 to 9 backups. A "mbdb\5\0" header, then records of
 * length-prefixed strings (0xFFFF = null) and big-endian integers. Files sit flat at <root>/<fileID>.
 */
import { createHash } from 'node:crypto';
import { CorruptInputError } from '../errors.js';

export interface MbdbRecord {
  domain: string;
  relativePath: string;
  target?: string;
  dataHash?: Buffer;
  /** 4-byte LE class + wrapped key, as in MBFile */
  encryptionKey?: Buffer;
  mode: number;
  inode: bigint;
  userId: number;
  groupId: number;
  mtime: number;
  atime: number;
  ctime: number;
  size: number;
  protectionClass: number;
  properties: Array<[string, Buffer]>;
}

const MAGIC = Buffer.from('mbdb\x05\x00', 'latin1');
/** Most records read: far above the largest real iOS 9 backups. */
const MBDB_MAX_RECORDS = 10_000_000;
/** Largest Manifest.mbdb read into memory (a 300,000-file backup has one of about 60 MB). */
export const MBDB_MAX_BYTES = 1 << 30;

export function fileIdOf(domain: string, relativePath: string): string {
  return createHash('sha1').update(`${domain}-${relativePath}`, 'utf8').digest('hex');
}

export function parseMbdb(bytes: Buffer, name = 'Manifest.mbdb'): MbdbRecord[] {
  if (bytes.length < 6 || !bytes.subarray(0, 6).equals(MAGIC)) throw new CorruptInputError(name, 'not a Manifest.mbdb (bad header)');
  if (bytes.length > MBDB_MAX_BYTES) throw new CorruptInputError(name, `is ${bytes.length} bytes, more than the ${MBDB_MAX_BYTES} we read`);
  let off = 6;
  const need = (n: number) => {
    if (off + n > bytes.length) throw new CorruptInputError(name, `truncated at byte ${off} (record ${out.length + 1})`);
  };
  const raw = (): Buffer | undefined => {
    need(2);
    const len = bytes.readUInt16BE(off);
    off += 2;
    if (len === 0xffff) return undefined;
    need(len);
    const v = bytes.subarray(off, off + len);
    off += len;
    return v;
  };
  const str = () => raw()?.toString('utf8');
  const u8 = () => (need(1), bytes[off++]);
  const u16 = () => (need(2), (off += 2), bytes.readUInt16BE(off - 2));
  const u32 = () => (need(4), (off += 4), bytes.readUInt32BE(off - 4));
  const u64 = () => (need(8), (off += 8), bytes.readBigUInt64BE(off - 8));
  const out: MbdbRecord[] = [];
  while (off < bytes.length) {
    if (out.length >= MBDB_MAX_RECORDS) throw new CorruptInputError(name, `has more than ${MBDB_MAX_RECORDS} records`);
    const domain = str() ?? '';
    const relativePath = str() ?? '';
    const target = str();
    const dataHash = raw();
    const encryptionKey = raw();
    const mode = u16();
    const inode = u64();
    const userId = u32();
    const groupId = u32();
    const mtime = u32();
    const atime = u32();
    const ctime = u32();
    const size = Number(u64());
    const protectionClass = u8();
    const count = u8();
    const properties: Array<[string, Buffer]> = [];
    for (let i = 0; i < count; i++) properties.push([str() ?? '', raw() ?? Buffer.alloc(0)]);
    out.push({ domain, relativePath, target, dataHash, encryptionKey: encryptionKey?.length ? Buffer.from(encryptionKey) : undefined, mode, inode, userId, groupId, mtime, atime, ctime, size, protectionClass, properties });
  }
  return out;
}

export function serializeMbdb(records: MbdbRecord[]): Buffer {
  const parts: Buffer[] = [MAGIC];
  const str = (v: string | Buffer | undefined) => {
    if (v === undefined) return parts.push(Buffer.from([0xff, 0xff]));
    const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    const len = Buffer.alloc(2);
    len.writeUInt16BE(b.length);
    parts.push(len, b);
  };
  for (const r of records) {
    str(r.domain); str(r.relativePath); str(r.target); str(r.dataHash); str(r.encryptionKey);
    const b = Buffer.alloc(2 + 8 + 4 * 5 + 8 + 2);
    let o = 0;
    o = b.writeUInt16BE(r.mode, o);
    o = b.writeBigUInt64BE(r.inode, o);
    for (const v of [r.userId, r.groupId, r.mtime, r.atime, r.ctime]) o = b.writeUInt32BE(v >>> 0, o);
    o = b.writeBigUInt64BE(BigInt(r.size), o);
    o = b.writeUInt8(r.protectionClass, o);
    b.writeUInt8(r.properties.length, o);
    parts.push(b);
    for (const [k, v] of r.properties) { str(k); str(v); }
  }
  return Buffer.concat(parts);
}
