/**
 * Device receive path: streams IRESCUE_BENCH_DEVICE_MB (default 2048) MiB of mobilebackup2 file
 * uploads from a fake phone (a worker thread) over a Unix socket, plain and TLS, through the real
 * SocketConnection + receiveFiles into a folder, with one 1 s consumer stall in each run. Prints
 * throughput, peak buffered bytes and RSS range, against same-run baselines: the same bytes read
 * off the same kind of socket and dropped, and written to one file in the same folder. Issue 16
 * targets: >= 200 MB/s, buffered < 8 MB.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { Worker } from 'node:worker_threads';
import { SocketConnection, startClientTls, type Connection } from '../src/device/connection.js';
import { receiveFiles } from '../src/device/services/backup-files.js';
import { certificateToPem, createCertificate } from '../src/device/lockdown/pairing.js';

export interface DeviceBenchRun {
  transport: 'plain' | 'tls';
  bytes: number;
  seconds: number;
  mbPerSecond: number;
  mbPerSecondStallExcluded: number;
  baselineMbPerSecond: number;
  diskBaselineMbPerSecond: number;
  ratio: number;
  peakBufferedBytes: number;
  rssMinMb: number;
  rssMaxMb: number;
}

interface ProducerJob {
  socketPath: string;
  tls?: { cert: string; key: string };
  files: number;
  fileBytes: number;
  block: number;
  names: number;
  /** 'upload' streams the mobilebackup2 file body; 'raw' streams the same bytes, for the baseline */
  mode: 'upload' | 'raw';
}

const BLOCK = 64 * 1024;
const FILE_MB = 64;
const STALL_MS = 1000;

function credentials(): { cert: string; key: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = certificateToPem(createCertificate({ subjectKey: publicKey, issuerKey: privateKey, ca: false })).toString();
  return { cert, key: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string };
}

/** A consumer that stops reading for STALL_MS once, halfway: a slow disk or an antivirus scan. */
function stallingOnce(conn: SocketConnection, afterBytes: number): Connection {
  let read = 0;
  let stalled = false;
  return {
    send: (b) => conn.send(b),
    close: () => conn.close(),
    async receiveSome(max) {
      await this.receive(0);
      const b = await conn.receiveSome(max);
      read += b.length;
      return b;
    },
    async receive(n) {
      if (!stalled && read >= afterBytes) {
        stalled = true;
        await new Promise((r) => setTimeout(r, STALL_MS));
      }
      read += n;
      return n === 0 ? Buffer.alloc(0) : conn.receive(n);
    },
  };
}

async function oneRun(mode: ProducerJob['mode'], transport: 'plain' | 'tls', bytes: number, dir: string, tls: { cert: string; key: string }, toDisk = false): Promise<{ seconds: number; peak: number; rss: [number, number] }> {
  const socketPath = join(dir, `bench-${mode}-${transport}.sock`);
  const server = createServer();
  await new Promise<void>((r) => server.listen(socketPath, r));
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  const files = Math.max(1, Math.round(bytes / (FILE_MB << 20)));
  const job: ProducerJob = { socketPath, tls: transport === 'tls' ? tls : undefined, files, fileBytes: FILE_MB << 20, block: BLOCK, names: 4, mode };
  const worker = new Worker(new URL('./device-producer.mjs', import.meta.url), { workerData: job });
  const finished = new Promise<void>((resolve, reject) => worker.once('message', (m) => (m === 'done' ? resolve() : reject(new Error(String(m))))));
  const rss: [number, number] = [Infinity, 0];
  const sampler = setInterval(() => {
    const r = process.memoryUsage.rss();
    rss[0] = Math.min(rss[0], r);
    rss[1] = Math.max(rss[1], r);
  }, 50);
  try {
    const t = performance.now();
    let sc: SocketConnection | undefined;
    if (mode === 'raw') {
      const total = files * FILE_MB * 2 ** 20;
      let sock: Socket = await accepted;
      if (transport === 'tls') {
        const c = tlsConnect({ socket: sock, cert: tls.cert, key: tls.key, rejectUnauthorized: false });
        await new Promise((r) => c.once('secureConnect', r));
        sock = c;
      }
      let got = 0;
      if (toDisk) {
        // the least any receiver must do: the same bytes into one file in the same folder, 1 MiB writes
        const fh = await open(join(dir, 'baseline.bin'), 'w');
        let parts: Buffer[] = [];
        let size = 0;
        for await (const b of sock as AsyncIterable<Buffer>) {
          got += b.length;
          parts.push(b);
          size += b.length;
          if (size >= 2 ** 20) {
            await fh.writev(parts);
            parts = [];
            size = 0;
          }
        }
        await fh.writev(parts);
        await fh.close();
      } else {
        sock.on('data', (b: Buffer) => (got += b.length));
        await new Promise((r) => sock.once('end', r));
      }
      if (got < total) throw new Error(`baseline read ${got} of at least ${total} bytes`);
    } else {
      sc = new SocketConnection(await accepted, 'bench phone');
      if (transport === 'tls') sc = await startClientTls(sc, tls, 'bench phone');
      const r = await receiveFiles(stallingOnce(sc, bytes / 2), join(dir, 'out'));
      if (r.files !== files || r.bytes !== files * FILE_MB * 2 ** 20) throw new Error(`received ${r.files} files, ${r.bytes} bytes`);
    }
    const seconds = (performance.now() - t) / 1000;
    await finished;
    sc?.close();
    return { seconds, peak: sc?.peakBufferedBytes ?? 0, rss };
  } finally {
    clearInterval(sampler);
    await worker.terminate();
    server.close();
  }
}

export async function benchDevice(log: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<DeviceBenchRun[]> {
  const mb = Number(process.env.IRESCUE_BENCH_DEVICE_MB ?? 2048);
  const bytes = mb * 2 ** 20;
  // tmpfs when there is one: the bench measures the receive path, not this machine's disk
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'irescue-bench-device-'));
  const tls = credentials();
  const out: DeviceBenchRun[] = [];
  try {
    for (const transport of ['plain', 'tls'] as const) {
      const base = await oneRun('raw', transport, bytes, dir, tls);
      const disk = await oneRun('raw', transport, bytes, dir, tls, true);
      const ours = await oneRun('upload', transport, bytes, dir, tls);
      const mbs = (x: number): number => bytes / 1e6 / x;
      const run: DeviceBenchRun = {
        transport,
        bytes,
        seconds: ours.seconds,
        mbPerSecond: mbs(ours.seconds),
        mbPerSecondStallExcluded: mbs(ours.seconds - STALL_MS / 1000),
        baselineMbPerSecond: mbs(base.seconds),
        diskBaselineMbPerSecond: mbs(disk.seconds),
        ratio: disk.seconds / (ours.seconds - STALL_MS / 1000),
        peakBufferedBytes: ours.peak,
        rssMinMb: ours.rss[0] / 2 ** 20,
        rssMaxMb: ours.rss[1] / 2 ** 20,
      };
      out.push(run);
      log(
        `device ${transport}: ${mb} MiB in ${run.seconds.toFixed(2)} s incl. one ${STALL_MS} ms consumer stall = ${run.mbPerSecond.toFixed(0)} MB/s (${run.mbPerSecondStallExcluded.toFixed(0)} MB/s without the stall); ` +
          `baselines: socket read and dropped ${run.baselineMbPerSecond.toFixed(0)} MB/s, socket to one file ${run.diskBaselineMbPerSecond.toFixed(0)} MB/s; ratio to the latter ${run.ratio.toFixed(2)} without the stall; ` +
          `peak buffered ${(run.peakBufferedBytes / 2 ** 20).toFixed(2)} MiB (bound 8 MiB); RSS ${run.rssMinMb.toFixed(0)}-${run.rssMaxMb.toFixed(0)} MiB` +
          `  [target >= 200 MB/s: ${run.mbPerSecond >= 200 ? 'pass' : 'FAIL'}, buffered < 8 MiB: ${run.peakBufferedBytes < 8 * 2 ** 20 ? 'pass' : 'FAIL'}]`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
