/**
 * MBFile: the NSKeyedArchiver plist in each row of Manifest.db's Files table. We resolve the
 * archiver's UID references ourselves (a dozen lines) rather than pull in a general unarchiver.
 */
import { CorruptInputError } from '../errors.js';
import { buildBinaryPlist, isDict, parsePlist, PlistUid, type PlistDict, type PlistValue } from '../plist/plist.js';

export interface MBFile {
  relativePath?: string;
  target?: string;
  /** 4-byte little-endian protection class + 40-byte wrapped key */
  encryptionKey?: Buffer;
  size: number;
  mode?: number;
  flags?: number;
  protectionClass?: number;
  lastModified?: number;
  birth?: number;
  lastStatusChange?: number;
  inode?: number;
  userId?: number;
  groupId?: number;
  extendedAttributes?: Buffer;
}

function num(v: PlistValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

export function decodeMBFile(blob: Buffer, name = 'Manifest.db'): MBFile {
  const root = parsePlist(blob, name);
  if (!isDict(root) || !Array.isArray(root.$objects)) throw new CorruptInputError(name, 'file record is not a keyed archive');
  const objects = root.$objects;
  const deref = (v: PlistValue | undefined): PlistValue | undefined => {
    if (v instanceof PlistUid) {
      if (v.uid >= objects.length) throw new CorruptInputError(name, `file record references object ${v.uid} of ${objects.length}`);
      const o = objects[v.uid];
      return o === '$null' ? undefined : o;
    }
    return v;
  };
  const top = isDict(root.$top) ? root.$top : undefined;
  const obj = deref(top?.root ?? new PlistUid(1));
  if (!isDict(obj)) throw new CorruptInputError(name, 'file record has no root object');
  const str = (k: string): string | undefined => {
    const v = deref(obj[k]);
    return typeof v === 'string' ? v : undefined;
  };
  let encryptionKey: Buffer | undefined;
  const ek = deref(obj.EncryptionKey);
  if (isDict(ek) && Buffer.isBuffer(ek['NS.data'])) encryptionKey = ek['NS.data'];
  else if (Buffer.isBuffer(ek)) encryptionKey = ek;
  const xa = deref(obj.ExtendedAttributes);
  return {
    relativePath: str('RelativePath'),
    target: str('Target'),
    encryptionKey,
    size: num(obj.Size) ?? 0,
    mode: num(obj.Mode),
    flags: num(obj.Flags),
    protectionClass: num(obj.ProtectionClass),
    lastModified: num(obj.LastModified),
    birth: num(obj.Birth),
    lastStatusChange: num(obj.LastStatusChange),
    inode: num(obj.InodeNumber),
    userId: num(obj.UserID),
    groupId: num(obj.GroupID),
    extendedAttributes: Buffer.isBuffer(xa) ? xa : isDict(xa) && Buffer.isBuffer(xa['NS.data']) ? xa['NS.data'] : undefined,
  };
}

/** Encode the way iOS does: $objects[1] is the MBFile, strings and data are separate objects. */
export function encodeMBFile(f: MBFile): Buffer {
  const objects: PlistValue[] = ['$null'];
  const file: PlistDict = {};
  objects.push(file);
  const add = (v: PlistValue): PlistUid => {
    objects.push(v);
    return new PlistUid(objects.length - 1);
  };
  const put = (k: string, v: number | undefined) => {
    if (v !== undefined) file[k] = v;
  };
  put('LastModified', f.lastModified);
  put('Flags', f.flags ?? 0);
  put('GroupID', f.groupId ?? 501);
  put('LastStatusChange', f.lastStatusChange ?? f.lastModified);
  put('Birth', f.birth ?? f.lastModified);
  put('Size', f.size);
  put('InodeNumber', f.inode ?? 0);
  put('Mode', f.mode);
  put('UserID', f.userId ?? 501);
  put('ProtectionClass', f.protectionClass ?? 0);
  file.RelativePath = add(f.relativePath ?? '');
  if (f.target !== undefined) file.Target = add(f.target);
  if (f.encryptionKey) {
    const dataClass = new PlistUid(0); // patched below
    file.EncryptionKey = add({ 'NS.data': f.encryptionKey, $class: dataClass });
    (objects[file.EncryptionKey.uid] as PlistDict).$class = add({ $classname: 'NSMutableData', $classes: ['NSMutableData', 'NSData', 'NSObject'] });
  }
  if (f.extendedAttributes) file.ExtendedAttributes = add(f.extendedAttributes);
  file.$class = add({ $classname: 'MBFile', $classes: ['MBFile', 'NSObject'] });
  return buildBinaryPlist({ $version: 100000, $archiver: 'NSKeyedArchiver', $top: { root: new PlistUid(1) }, $objects: objects });
}

/** Protection class and wrapped key from an EncryptionKey field. */
export function splitEncryptionKey(ek: Buffer, name = 'Manifest.db'): { protectionClass: number; wrappedKey: Buffer } {
  if (ek.length < 4 + 24) throw new CorruptInputError(name, `file encryption key is ${ek.length} bytes, too short`);
  return { protectionClass: ek.readUInt32LE(0), wrappedKey: ek.subarray(4) };
}
