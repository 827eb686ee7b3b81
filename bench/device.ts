/**
 * Device receive path: streams IRESCUE_BENCH_DEVICE_MB (default 2048) MiB of mobilebackup2 file
 * uploads from a fake phone (a worker thread) over a Unix socket, plain and TLS, through the real
 * SocketConnection + receiveFiles into a folder, with one 1 s consumer stall in each run. Prints
 * throughput, peak buffered bytes and RSS range, against same-run baselines: the fake's bytes read
 * off the same kind of socket and dropped (the fake's and the socket's ceiling; over TLS also the
 * fake alone, its records dropped undecrypted), and written to one
 * file in the same folder by Node's stream pipeline (what storing the bytes with backpressure costs). IRESCUE_BENCH_DEVICE_ROUNDS (default 2)
 * repeats the three, interleaved, and keeps each one's fastest round: on a shared machine the
 * least disturbed round is the one that says what the code can do. CPU seconds per GiB (all
 * threads) are printed beside each, being far less sensitive to other users than wall time.
 * Issue 16 targets: >= 200 MB/s, buffered < 8 MB.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { loadavg } from 'node:os';
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
  /** CPU seconds (user + system, every thread of the process) per GiB: ours, then the two baselines */
  cpuPerGib: number;
  baselineCpuPerGib: number;
  diskBaselineCpuPerGib: number;
  /** TLS only: the fake's encrypted stream counted and dropped undecrypted (the fake's own ceiling) */
  fakeAloneMbPerSecond?: number;
  fakeAloneCpuPerGib?: number;
  rounds: number;
  peakBufferedBytes: number;
  rssMinMb: number;
  rssMaxMb: number;
}

interface RunFigures {
  seconds: number;
  /** user + system CPU seconds of the whole process (receiver, producer thread, thread pool) */
  cpu: number;
  peak: number;
  rss: [number, number];
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
      for (const piece of b) read += piece.length;
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

/**
 * The fake phone alone over TLS: the handshake is relayed to a TLS client on a second socket, then
 * the relay stops and the encrypted records are counted and dropped, undecrypted. Resolves with
 * the ciphertext bytes once the fake has ended the stream.
 */
async function ciphertextSink(phone: Socket, dir: string, tls: { cert: string; key: string }): Promise<number> {
  const path = join(dir, 'bench-relay.sock');
  const relay = createServer();
  await new Promise<void>((r) => relay.listen(path, r));
  try {
    const inner = new Promise<Socket>((r) => relay.once('connection', r));
    const client = tlsConnect({ path, cert: tls.cert, key: tls.key, rejectUnauthorized: false });
    const side = await inner;
    let got = 0;
    const toClient = (b: Buffer): void => {
      got += b.length;
      side.write(b);
    };
    phone.on('data', toClient);
    side.on('data', (b: Buffer) => phone.write(b));
    await new Promise((r) => client.once('secureConnect', r));
    // the client's Finished may still be on its way to the fake: that direction stays relayed
    phone.off('data', toClient);
    phone.on('data', (b: Buffer) => (got += b.length));
    await new Promise((r) => phone.once('end', r));
    client.destroy();
    side.destroy();
    return got;
  } finally {
    relay.close();
  }
}

type Sink = 'drop' | 'file' | 'ciphertext';

async function oneRun(mode: ProducerJob['mode'], transport: 'plain' | 'tls', bytes: number, dir: string, tls: { cert: string; key: string }, sink: Sink = 'drop'): Promise<RunFigures> {
  const socketPath = join(dir, `bench-${mode}-${transport}.sock`);
  const server = createServer();
  await new Promise<void>((r) => server.listen(socketPath, r));
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  const files = Math.max(1, Math.round(bytes / (FILE_MB << 20)));
  const job: ProducerJob = { socketPath, tls: transport === 'tls' ? tls : undefined, files, fileBytes: FILE_MB << 20, block: BLOCK, names: files, mode };
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
    const cpu0 = process.cpuUsage();
    let sc: SocketConnection | undefined;
    if (mode === 'raw') {
      const total = files * FILE_MB * 2 ** 20;
      let sock: Socket = await accepted;
      let got = 0;
      if (sink === 'ciphertext') got = await ciphertextSink(sock, dir, tls);
      else {
        if (transport === 'tls') {
          const c = tlsConnect({ socket: sock, cert: tls.cert, key: tls.key, rejectUnauthorized: false });
          await new Promise((r) => c.once('secureConnect', r));
          sock = c;
        }
        if (sink === 'file') {
          // Node's own socket-to-file copy (stream pipeline, 1 MiB write buffer): what a plain
          // receiver that only stores the bytes, with backpressure, costs on this machine
          const file = join(dir, 'baseline.bin');
          await pipeline(sock, createWriteStream(file, { highWaterMark: 2 ** 20 }));
          got = statSync(file).size;
        } else {
          sock.on('data', (b: Buffer) => (got += b.length));
          await new Promise((r) => sock.once('end', r));
        }
      }
      if (got < total) throw new Error(`baseline read ${got} of at least ${total} bytes`);
    } else {
      sc = new SocketConnection(await accepted, 'bench phone');
      if (transport === 'tls') sc = await startClientTls(sc, tls, 'bench phone');
      const r = await receiveFiles(stallingOnce(sc, bytes / 2), join(dir, 'out'));
      if (r.files !== files || r.bytes !== files * FILE_MB * 2 ** 20) throw new Error(`received ${r.files} files, ${r.bytes} bytes`);
    }
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu0);
    await finished;
    sc?.close();
    // what a run wrote must not weigh on the next runs' memory (tmpfs); not timed
    rmSync(join(dir, 'baseline.bin'), { force: true });
    rmSync(join(dir, 'out'), { recursive: true, force: true });
    return { seconds, cpu: (used.user + used.system) / 1e6, peak: sc?.peakBufferedBytes ?? 0, rss };
  } finally {
    clearInterval(sampler);
    await worker.terminate();
    server.close();
  }
}

/** The fastest of several rounds; peak buffered and RSS are the worst seen in any round. */
function best(runs: RunFigures[]): RunFigures {
  const fastest = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return {
    ...fastest,
    peak: Math.max(...runs.map((r) => r.peak)),
    rss: [Math.min(...runs.map((r) => r.rss[0])), Math.max(...runs.map((r) => r.rss[1]))],
  };
}

const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');

export async function benchDevice(log: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<DeviceBenchRun[]> {
  const mb = Number(process.env.IRESCUE_BENCH_DEVICE_MB ?? 2048);
  const rounds = Math.max(1, Number(process.env.IRESCUE_BENCH_DEVICE_ROUNDS ?? 2));
  const bytes = mb * 2 ** 20;
  const gib = bytes / 2 ** 30;
  // tmpfs when there is one: the bench measures the receive path, not this machine's disk
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'irescue-bench-device-'));
  const tls = credentials();
  const out: DeviceBenchRun[] = [];
  try {
    for (const transport of ['plain', 'tls'] as const) {
      const loadBefore = load();
      const all: Record<'base' | 'disk' | 'fake' | 'ours', RunFigures[]> = { base: [], disk: [], fake: [], ours: [] };
      for (let i = 0; i < rounds; i++) {
        all.base.push(await oneRun('raw', transport, bytes, dir, tls));
        all.disk.push(await oneRun('raw', transport, bytes, dir, tls, 'file'));
        if (transport === 'tls') all.fake.push(await oneRun('raw', transport, bytes, dir, tls, 'ciphertext'));
        all.ours.push(await oneRun('upload', transport, bytes, dir, tls));
      }
      const [base, disk, ours] = [best(all.base), best(all.disk), best(all.ours)];
      const fake = all.fake.length ? best(all.fake) : undefined;
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
        cpuPerGib: ours.cpu / gib,
        baselineCpuPerGib: base.cpu / gib,
        diskBaselineCpuPerGib: disk.cpu / gib,
        ...(fake ? { fakeAloneMbPerSecond: mbs(fake.seconds), fakeAloneCpuPerGib: fake.cpu / gib } : {}),
        rounds,
        peakBufferedBytes: ours.peak,
        rssMinMb: ours.rss[0] / 2 ** 20,
        rssMaxMb: ours.rss[1] / 2 ** 20,
      };
      out.push(run);
      const each = all.ours.map((r) => mbs(r.seconds - STALL_MS / 1000).toFixed(0)).join('/');
      log(
        `device ${transport} (best of ${rounds}; load average ${loadBefore} -> ${load()}): ${mb} MiB in ${run.seconds.toFixed(2)} s incl. one ${STALL_MS} ms consumer stall = ${run.mbPerSecond.toFixed(0)} MB/s; ` +
          `${run.mbPerSecondStallExcluded.toFixed(0)} MB/s while the consumer runs (rounds ${each}), ${run.cpuPerGib.toFixed(2)} CPU s/GiB (fake phone included: ${(2 ** 30 / 1e6 / run.cpuPerGib).toFixed(0)} MB/s per free core); ` +
          `baselines: ${fake ? `the fake alone (ciphertext dropped) ${run.fakeAloneMbPerSecond!.toFixed(0)} MB/s (${run.fakeAloneCpuPerGib!.toFixed(2)} CPU s/GiB), ` : ''}fake to socket, dropped ${run.baselineMbPerSecond.toFixed(0)} MB/s (${run.baselineCpuPerGib.toFixed(2)} CPU s/GiB), socket to one file ${run.diskBaselineMbPerSecond.toFixed(0)} MB/s (${run.diskBaselineCpuPerGib.toFixed(2)} CPU s/GiB); ` +
          `ratio to the latter ${run.ratio.toFixed(2)} (time), ${(run.diskBaselineCpuPerGib / run.cpuPerGib).toFixed(2)} (CPU); ` +
          `peak buffered ${(run.peakBufferedBytes / 2 ** 20).toFixed(2)} MiB (bound 8 MiB); RSS ${run.rssMinMb.toFixed(0)}-${run.rssMaxMb.toFixed(0)} MiB` +
          `  [target >= 200 MB/s while the consumer runs: ${run.mbPerSecondStallExcluded >= 200 ? 'pass' : 'FAIL'}, buffered < 8 MiB: ${run.peakBufferedBytes < 8 * 2 ** 20 ? 'pass' : 'FAIL'}]`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
