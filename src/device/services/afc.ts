/**
 * com.apple.afc, the device's file service (media partition), as far as a restore needs it: make
 * a folder, write a small file, remove it. Each packet is a 40-byte header ("CFA6LPAA", total
 * length, header+parameters length, packet number, operation; little-endian u64s), the
 * operation's parameters, then its payload. Takes a Connection; never opens one.
 */
import { IrescueError, CorruptInputError } from '../../errors.js';
import type { Connection } from '../connection.js';

export const AFC_SERVICE = 'com.apple.afc';
const MAGIC = Buffer.from('CFA6LPAA', 'ascii');
const HEADER = 40;
const MAX_REPLY = 1 << 20;
export const AFC_OP = { STATUS: 0x01, DATA: 0x02, REMOVE_PATH: 0x08, MAKE_DIR: 0x09, FILE_OPEN: 0x0d, FILE_OPEN_RES: 0x0e, FILE_WRITE: 0x10, FILE_CLOSE: 0x14 } as const;
/** open mode: write only, create, truncate */
const MODE_WR = 4;

const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
const cstr = (s: string): Buffer => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);

export function afcPacket(num: number, op: number, params: Buffer, payload: Buffer = Buffer.alloc(0)): Buffer {
  const thisLength = HEADER + params.length;
  return Buffer.concat([MAGIC, u64(thisLength + payload.length), u64(thisLength), u64(num), u64(op), params, payload]);
}

export async function readAfcPacket(conn: Connection, what = 'afc'): Promise<{ num: number; op: number; params: Buffer; payload: Buffer }> {
  const h = await conn.receive(HEADER);
  if (!h.subarray(0, 8).equals(MAGIC)) throw new CorruptInputError(what, 'not an AFC packet');
  const entire = Number(h.readBigUInt64LE(8));
  const thisLength = Number(h.readBigUInt64LE(16));
  if (thisLength < HEADER || entire < thisLength || entire - HEADER > MAX_REPLY) throw new CorruptInputError(what, `AFC packet of ${entire} bytes`);
  const params = thisLength > HEADER ? await conn.receive(thisLength - HEADER) : Buffer.alloc(0);
  const payload = entire > thisLength ? await conn.receive(entire - thisLength) : Buffer.alloc(0);
  return { num: Number(h.readBigUInt64LE(24)), op: Number(h.readBigUInt64LE(32)), params, payload };
}

export class AfcClient {
  private num = 0;
  constructor(private readonly conn: Connection) {}

  private async call(op: number, params: Buffer, payload?: Buffer): Promise<{ op: number; params: Buffer }> {
    await this.conn.send(afcPacket(this.num++, op, params, payload));
    const r = await readAfcPacket(this.conn);
    if (r.op === AFC_OP.STATUS) {
      const code = r.params.length >= 8 ? Number(r.params.readBigUInt64LE(0)) : 0;
      if (code !== 0) throw new IrescueError('DEVICE', `the device's file service refused the request (AFC error ${code})`, { afcError: code });
    }
    return r;
  }

  async makeDirectory(path: string): Promise<void> {
    await this.call(AFC_OP.MAKE_DIR, cstr(path));
  }

  async writeFile(path: string, data: Buffer): Promise<void> {
    const r = await this.call(AFC_OP.FILE_OPEN, Buffer.concat([u64(MODE_WR), cstr(path)]));
    if (r.op !== AFC_OP.FILE_OPEN_RES || r.params.length < 8) throw new CorruptInputError('afc', 'no file handle in the answer to open');
    const handle = r.params.subarray(0, 8);
    try {
      for (let i = 0; i < data.length || i === 0; i += 64 * 1024) {
        await this.call(AFC_OP.FILE_WRITE, handle, data.subarray(i, i + 64 * 1024));
        if (data.length === 0) break;
      }
    } finally {
      await this.call(AFC_OP.FILE_CLOSE, handle);
    }
  }

  async remove(path: string): Promise<void> {
    await this.call(AFC_OP.REMOVE_PATH, cstr(path));
  }

  close(): void {
    this.conn.close();
  }
}
