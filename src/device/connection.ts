/**
 * A byte stream to a device (a usbmuxd tunnel, possibly wrapped in TLS). Every layer above takes a
 * Connection; only usbmux opens one. A closed stream while a read is pending is DeviceLostError,
 * because on a real device that is what an unplugged cable looks like.
 */
import type { Socket } from 'node:net';
import { TLSSocket, connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { DeviceLostError, InternalError, IrescueError } from '../errors.js';

export interface Connection {
  send(data: Buffer): Promise<void>;
  /** Exactly `n` bytes, or DeviceLostError when the stream ends first. */
  receive(n: number): Promise<Buffer>;
  /**
   * Between 1 and `max` bytes, as soon as any are there: every received piece already buffered,
   * uncopied, in one call (one wake-up for many socket chunks when the reader was behind). For
   * streams (file data) whose pieces go straight to disk. Optional; receive(max) is the fallback.
   */
  receiveSome?(max: number): Promise<Buffer[]>;
  close(): void;
}

interface PendingRead {
  n: number;
  resolve: (b: Buffer) => void;
  /** set for receiveSome: resolve with what is there (1..n bytes, as the received pieces) instead of exactly n */
  resolveSome?: (b: Buffer[]) => void;
  reject: (e: Error) => void;
}

/**
 * Backpressure bounds: above HIGH_WATER unread bytes the socket is paused (the kernel buffer then
 * throttles the phone, as the references' blocking reads do); below LOW_WATER it reads again.
 * The bound holds whatever the consumer does: a stalled disk just stops the phone.
 */
export const HIGH_WATER = 4 * 1024 * 1024;
const LOW_WATER = 1024 * 1024;

export class SocketConnection implements Connection {
  /** unread chunks; the first starts at `head` (no copying of the backlog on a read) */
  private chunks: Buffer[] = [];
  private head = 0;
  private buffered = 0;
  private peak = 0;
  private paused = false;
  private pending: PendingRead | undefined;
  private ended = false;
  private endError: Error | undefined;
  private readonly onData = (b: Buffer): void => {
    this.chunks.push(b);
    this.buffered += b.length;
    if (this.buffered > this.peak) this.peak = this.buffered;
    this.drain();
    // a pending read larger than the high-water mark (one big plist) must still be able to fill
    if (!this.paused && this.buffered >= HIGH_WATER && this.buffered >= (this.pending?.n ?? 0)) {
      this.paused = true;
      this.socket.pause();
    }
  };
  private readonly onEnd = (): void => this.finish();
  private readonly onError = (e: Error): void => this.finish(e);

  constructor(readonly socket: Socket, private readonly what = 'device') {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  private finish(e?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.endError = e;
    this.drain();
  }

  /** Exactly n bytes off the front (n <= buffered); copies only those n bytes, or none when one chunk holds them. */
  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length - this.head < n) return Buffer.concat(this.takeSome(n), n);
    const out = first.subarray(this.head, this.head + n);
    this.head += n;
    if (this.head === first.length) {
      this.chunks.shift();
      this.head = 0;
    }
    this.buffered -= n;
    return out;
  }

  /** Up to n bytes off the front as the received chunks themselves (the last one maybe cut): no copy. */
  private takeSome(n: number): Buffer[] {
    const out: Buffer[] = [];
    let left = Math.min(n, this.buffered);
    this.buffered -= left;
    while (left > 0) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length - this.head, left);
      out.push(this.head === 0 && k === c.length ? c : c.subarray(this.head, this.head + k));
      left -= k;
      this.head += k;
      if (this.head === c.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    return out;
  }

  private drain(): void {
    const p = this.pending;
    if (p) {
      if (p.resolveSome && this.buffered > 0) {
        this.pending = undefined;
        p.resolveSome(this.takeSome(p.n));
      } else if (this.buffered >= p.n) {
        this.pending = undefined;
        p.resolve(this.take(p.n));
      } else if (this.ended) {
        this.pending = undefined;
        p.reject(this.lostError());
      }
    }
    if (this.paused && !this.ended && (this.buffered <= LOW_WATER || (this.pending !== undefined && this.buffered < this.pending.n))) {
      this.paused = false;
      this.socket.resume();
    }
  }

  private lostError(): Error {
    const why = this.endError ? ` (${(this.endError as NodeJS.ErrnoException).code ?? this.endError.message})` : '';
    return new DeviceLostError(`the connection to the ${this.what} closed during the operation${why}: was it unplugged?`);
  }

  receive(n: number): Promise<Buffer> {
    if (this.pending) return Promise.reject(new InternalError('SocketConnection: concurrent receive'));
    if (n === 0) return Promise.resolve(Buffer.alloc(0));
    return new Promise((resolve, reject) => {
      this.pending = { n, resolve, reject };
      this.drain();
    });
  }

  receiveSome(max: number): Promise<Buffer[]> {
    if (this.pending) return Promise.reject(new InternalError('SocketConnection: concurrent receive'));
    if (max <= 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.pending = { n: max, resolve: () => undefined, resolveSome: resolve, reject };
      this.drain();
    });
  }

  send(data: Buffer): Promise<void> {
    if (this.ended || this.socket.destroyed) return Promise.reject(this.lostError());
    return new Promise((resolve, reject) => {
      this.socket.write(data, (e) => (e ? reject(this.lostError()) : resolve()));
    });
  }

  /** Bytes received but not yet read: nothing may be pending when the stream changes hands. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** The most bytes ever buffered unread (the backpressure bound, for tests and the bench). */
  get peakBufferedBytes(): number {
    return this.peak;
  }

  /** Stops reading so another owner (TLS) can take the socket over. */
  detach(): Socket {
    if (this.buffered > 0) throw new InternalError('SocketConnection: cannot hand over a stream with unread bytes');
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    this.socket.pause();
    return this.socket;
  }

  /** The same stream, now through TLS (lockdown StartSession, services with EnableServiceSSL). */
  startTls(credentials: { cert: Buffer; key: Buffer }): Promise<SocketConnection> {
    return startClientTls(this, credentials, this.what);
  }

  close(): void {
    this.ended = true;
    this.socket.destroy();
    this.drain();
  }
}

/** pymobiledevice3's DEFAULT_SSL_HANDSHAKE_TIMEOUT: a phone answers a handshake in well under a second. */
const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * The secure session with the device failed: not an unplugged cable. A phone that closes the
 * connection during the handshake has usually dropped this computer's pairing (erased, "Reset
 * Location & Privacy"); pymobiledevice3 re-pairs on exactly that.
 */
export class TlsHandshakeError extends IrescueError {
  constructor(what: string, why: 'closed' | 'timeout' | 'error', detail: string) {
    const text =
      why === 'closed'
        ? `the ${what} closed the secure (TLS) connection during the handshake: it may no longer trust this computer. Pair again (irescue device info --pair, then tap Trust)`
        : why === 'timeout'
          ? `the ${what} did not answer the secure (TLS) handshake within ${TLS_HANDSHAKE_TIMEOUT_MS / 1000} s. Unplug and replug it, unlock it, and try again`
          : `the secure (TLS) connection to the ${what} failed. Pair again (irescue device info --pair) and try again`;
    super('DEVICE', text, { tls: why, tlsDetail: detail, next: 'pair again' });
  }
}

/** Client side TLS over an existing connection (lockdown StartSession, services with SSL). */
export async function startClientTls(conn: SocketConnection, options: Pick<ConnectionOptions, 'cert' | 'key'>, what = 'device', timeoutMs = TLS_HANDSHAKE_TIMEOUT_MS): Promise<SocketConnection> {
  const raw = conn.detach();
  const tls = await new Promise<TLSSocket>((resolve, reject) => {
    const s = tlsConnect({
      socket: raw,
      cert: options.cert,
      key: options.key,
      // the device presents the certificate we issued it when pairing; trust comes from the pair record
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    let done = false;
    const end = (e: Error | undefined, why: 'closed' | 'timeout' | 'error'): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      reject(new TlsHandshakeError(what, why, e?.message ?? why));
    };
    const timer = setTimeout(() => end(undefined, 'timeout'), timeoutMs);
    const fail = (e: NodeJS.ErrnoException): void => end(e, e.code === 'ECONNRESET' || /disconnected before secure|socket hang up|EOF/i.test(e.message) ? 'closed' : 'error');
    const closed = (): void => end(undefined, 'closed');
    s.once('error', fail);
    s.once('close', closed);
    s.once('secureConnect', () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.off('error', fail);
      s.off('close', closed);
      resolve(s);
    });
  });
  return new SocketConnection(tls, what);
}
