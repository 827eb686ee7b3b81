import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, connect, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HIGH_WATER, SocketConnection, startClientTls, type Connection } from '../../src/device/connection.js';
import { receiveFiles } from '../../src/device/services/backup-files.js';
import { certificateToPem, createCertificate } from '../../src/device/lockdown/pairing.js';

const BOUND = 8 * 1024 * 1024;
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** A connected pair over a Unix socket: the test's "phone" end and the host's SocketConnection. */
async function pair(dir: string, tls?: { cert: string; key: string }): Promise<{ phone: Socket; host: SocketConnection; close(): void }> {
  const path = join(dir, `s${Math.random().toString(36).slice(2)}.sock`);
  const server = createServer();
  await new Promise<void>((r) => server.listen(path, r));
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  const raw = connect(path);
  await new Promise((r) => raw.once('connect', r));
  let phone: Socket = raw;
  let host = new SocketConnection(await accepted, 'test phone');
  if (tls) {
    const t = new TLSSocket(raw, { isServer: true, cert: tls.cert, key: tls.key });
    [host] = await Promise.all([startClientTls(host, tls, 'test phone'), new Promise((r) => t.once('secure', r))]);
    phone = t;
  }
  return { phone, host, close: () => (raw.destroy(), server.close()) };
}

function credentials(): { cert: string; key: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { cert: certificateToPem(createCertificate({ subjectKey: publicKey, issuerKey: privateKey, ca: false })).toString(), key: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string };
}

/** The phone streams `files` files of `size` bytes (pattern by index) as fast as the socket takes them. */
async function upload(phone: Socket, files: number, size: number): Promise<void> {
  const block = 64 * 1024;
  for (let f = 0; f < files; f++) {
    const name = Buffer.from(`UDID/f${f}`);
    const data = Buffer.alloc(size, f + 1);
    const parts = [u32(name.length), name, u32(name.length), name];
    for (let i = 0; i < size; i += block) {
      const c = data.subarray(i, i + block);
      parts.push(u32(c.length + 1), Buffer.from([0x0c]), c);
    }
    parts.push(u32(1), Buffer.from([0]));
    if (!phone.write(Buffer.concat(parts))) await new Promise((r) => phone.once('drain', r));
  }
  phone.write(u32(0));
}

/** A consumer that stops reading for `ms` after `after` bytes: a slow disk, an antivirus scan. */
function stalling(conn: SocketConnection, after: number, ms: number): Connection {
  let read = 0;
  const stall = async (): Promise<void> => {
    if (read >= after && read - after < 1e12) {
      read = -1e13;
      await new Promise((r) => setTimeout(r, ms));
    }
  };
  return {
    send: (b) => conn.send(b),
    close: () => conn.close(),
    async receive(n) {
      await stall();
      read += n;
      return conn.receive(n);
    },
    async receiveSome(max) {
      await stall();
      const b = await conn.receiveSome(max);
      for (const piece of b) read += piece.length;
      return b;
    },
  };
}

for (const kind of ['plain', 'tls'] as const) {
  test(`${kind}: a stalled consumer pauses the phone; buffered bytes stay under 8 MB and every byte arrives`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'irescue-conn-'));
    const p = await pair(dir, kind === 'tls' ? credentials() : undefined);
    try {
      const files = 6;
      const size = 8 * 1024 * 1024;
      const sending = upload(p.phone, files, size);
      const r = await receiveFiles(stalling(p.host, 4 * 1024 * 1024, 1000), join(dir, 'out'));
      await sending;
      assert.equal(r.files, files);
      assert.equal(r.bytes, files * size);
      assert.ok(p.host.peakBufferedBytes < BOUND, `peak buffered ${p.host.peakBufferedBytes} bytes`);
      // the stall really filled the buffer up to the pause point: the bound was exercised, not idle
      assert.ok(p.host.peakBufferedBytes >= HIGH_WATER, `peak buffered ${p.host.peakBufferedBytes} bytes`);
      for (const f of [0, files - 1]) {
        const got = await readFile(join(dir, 'out', 'UDID', `f${f}`));
        assert.equal(got.length, size);
        assert.ok(got.every((b) => b === f + 1));
      }
    } finally {
      p.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test('a single read larger than the pause mark still completes (one big plist message)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-conn-'));
  const p = await pair(dir);
  try {
    const big = Buffer.alloc(HIGH_WATER * 3, 7);
    p.phone.write(big);
    p.phone.write(Buffer.from('tail'));
    await new Promise((r) => setTimeout(r, 200));
    const got = await p.host.receive(big.length);
    assert.ok(got.equals(big));
    assert.equal((await p.host.receive(4)).toString(), 'tail');
  } finally {
    p.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('reads across chunk borders return exactly the bytes sent, in order', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-conn-'));
  const p = await pair(dir);
  try {
    const all = Buffer.from(Array.from({ length: 300000 }, (_, i) => (i * 7) & 0xff));
    for (let i = 0; i < all.length; i += 999) p.phone.write(all.subarray(i, i + 999));
    const sizes = [1, 4, 65541, 3, 100000, 2];
    let at = 0;
    for (const n of sizes) {
      assert.ok((await p.host.receive(n)).equals(all.subarray(at, at + n)));
      at += n;
    }
    const some = Buffer.concat(await p.host.receiveSome(10 ** 6));
    assert.ok(some.length >= 1 && some.equals(all.subarray(at, at + some.length)));
    at += some.length;
    while (p.host.bufferedBytes < all.length - at) await new Promise((r) => setTimeout(r, 10));
    assert.ok(Buffer.concat(await p.host.receiveSome(10 ** 6)).equals(all.subarray(at)));
    // pieces that arrived apart come back in one call, uncopied, cut at max
    const late = [Buffer.alloc(3000, 1), Buffer.alloc(3000, 2), Buffer.alloc(3000, 3)];
    for (const b of late) {
      p.phone.write(b);
      await new Promise((r) => setTimeout(r, 30));
    }
    while (p.host.bufferedBytes < 9000) await new Promise((r) => setTimeout(r, 10));
    const capped = await p.host.receiveSome(5000);
    assert.deepEqual(capped.map((b) => b.length), [3000, 2000]);
    const rest = await p.host.receiveSome(10 ** 6);
    assert.deepEqual(rest.map((b) => b.length), [1000, 3000]);
    assert.ok(Buffer.concat([...capped, ...rest]).equals(Buffer.concat(late)));
  } finally {
    p.close();
    await rm(dir, { recursive: true, force: true });
  }
});
