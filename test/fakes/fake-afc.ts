/**
 * com.apple.afc for the fake device: an in-memory file tree with the operations the host tools
 * use (make folder, open/write/close, remove, lock, file info). Enough for idevicebackup2's sync
 * lock and for a restore's /iTunesRestore/RestoreApplications.plist.
 */
import type { SocketConnection } from '../../src/device/connection.js';
import { afcPacket, readAfcPacket, AFC_OP } from '../../src/device/services/afc.js';

const OBJECT_NOT_FOUND = 8;
const FILE_INFO = 0x0a;
const FILE_LOCK = 0x1b;

const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
const path = (b: Buffer): string => b.subarray(0, b.indexOf(0) < 0 ? b.length : b.indexOf(0)).toString('utf8');

export async function serveAfc(conn: SocketConnection, files: Map<string, Buffer>, log: (r: string) => void): Promise<void> {
  const open = new Map<number, string>();
  let nextHandle = 1;
  for (;;) {
    let p;
    try {
      p = await readAfcPacket(conn, 'fake afc');
    } catch {
      return;
    }
    // answers carry the request's packet number: libimobiledevice checks it
    const status = (code: number): Promise<void> => conn.send(afcPacket(p.num, AFC_OP.STATUS, u64(code)));
    log(`afc:${p.op}`);
    switch (p.op) {
      case AFC_OP.MAKE_DIR:
        await status(0);
        break;
      case AFC_OP.FILE_OPEN: {
        const name = path(p.params.subarray(8));
        const h = nextHandle++;
        open.set(h, name);
        if (!files.has(name) || Number(p.params.readBigUInt64LE(0)) >= 3) files.set(name, files.get(name) && Number(p.params.readBigUInt64LE(0)) === 2 ? files.get(name)! : Buffer.alloc(0));
        await conn.send(afcPacket(p.num, AFC_OP.FILE_OPEN_RES, u64(h)));
        break;
      }
      case AFC_OP.FILE_WRITE: {
        const name = open.get(Number(p.params.readBigUInt64LE(0)));
        if (name === undefined) await status(OBJECT_NOT_FOUND);
        else {
          files.set(name, Buffer.concat([files.get(name) ?? Buffer.alloc(0), p.payload]));
          await status(0);
        }
        break;
      }
      case AFC_OP.FILE_CLOSE:
        open.delete(Number(p.params.readBigUInt64LE(0)));
        await status(0);
        break;
      case FILE_LOCK:
        await status(0);
        break;
      case AFC_OP.REMOVE_PATH:
        await status(files.delete(path(p.params)) ? 0 : OBJECT_NOT_FOUND);
        break;
      case FILE_INFO: {
        const f = files.get(path(p.params));
        if (!f) await status(OBJECT_NOT_FOUND);
        else await conn.send(afcPacket(p.num, AFC_OP.DATA, Buffer.alloc(0), Buffer.from(`st_size\0${f.length}\0st_ifmt\0S_IFREG\0`)));
        break;
      }
      default:
        await status(OBJECT_NOT_FOUND);
    }
  }
}
