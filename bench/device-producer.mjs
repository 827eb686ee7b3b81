/**
 * The phone's side of the device bench, in a worker thread so that the producer does not share
 * the receiving thread: connects to a Unix socket (optionally TLS as the server, as a device is)
 * and streams a DLMessageUploadFiles body: `files` files of `fileBytes` each in `block`-byte
 * FILE_DATA blocks, each file ended by SUCCESS, the stream by a zero length.
 */
import { connect } from 'node:net';
import { TLSSocket } from 'node:tls';
import { workerData, parentPort } from 'node:worker_threads';

/** @typedef {{ socketPath: string, tls?: { cert: string, key: string }, files: number, fileBytes: number, block: number, names: number, mode: 'upload' | 'raw' }} ProducerJob
 * (bench/device.ts keeps the same shape as a TypeScript type) */

const u32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

function write(s, b) {
  if (s.write(b)) return undefined;
  return new Promise((resolve) => s.once('drain', resolve));
}

/** @param {ProducerJob} job */
async function produce(job) {
  const raw = connect(job.socketPath);
  await new Promise((resolve, reject) => raw.once('connect', resolve).once('error', reject));
  let s = raw;
  if (job.tls) {
    const t = new TLSSocket(raw, { isServer: true, cert: job.tls.cert, key: job.tls.key, minVersion: 'TLSv1.2' });
    await new Promise((resolve, reject) => t.once('secure', resolve).once('error', reject));
    s = t;
  }
  const one = Buffer.concat([u32(job.block + 1), Buffer.from([0x0c]), Buffer.alloc(job.block, 0x5a)]);
  // 16 blocks per write: a phone's kernel hands the socket large segments, not one block per call
  const perWrite = 16;
  const block = Buffer.concat(Array.from({ length: perWrite }, () => one));
  const end = Buffer.concat([u32(1), Buffer.from([0x00])]);
  for (let f = 0; f < job.files; f++) {
    const name = Buffer.from(`BENCHUDID/${String(f % job.names).padStart(2, '0')}/file-${f % job.names}`);
    const head = Buffer.concat([u32(name.length), name, u32(name.length), name]);
    await write(s, head);
    let left = job.fileBytes;
    for (; left >= job.block * perWrite; left -= job.block * perWrite) await write(s, block);
    for (; left > 0; left -= job.block) await write(s, one);
    await write(s, end);
  }
  await write(s, u32(0));
  await new Promise((resolve) => s.end(resolve));
}

produce(workerData).then(
  () => parentPort?.postMessage('done'),
  (e) => parentPort?.postMessage(`error: ${e.message}`),
);
