/**
 * A byte stream to a device (a usbmuxd tunnel, possibly wrapped in TLS). Every layer above takes a
 * Connection; only usbmux opens one. A closed stream while a read is pending is DeviceLostError,
 * because on a real device that is what an unplugged cable looks like.
 */
import type { Socket } from 'node:net';
import { TLSSocket, connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { DeviceLostError, InternalError } from '../errors.js';

export interface Connection {
  send(data: Buffer): Promise<void>;
  /** Exactly `n` bytes, or DeviceLostError when the stream ends first. */
  receive(n: number): Promise<Buffer>;
  close(): void;
}

interface PendingRead {
  n: number;
  resolve: (b: Buffer) => void;
  reject: (e: Error) => void;
}

export class SocketConnection implements Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private pending: PendingRead | undefined;
  private ended = false;
  private endError: Error | undefined;
  private readonly onData = (b: Buffer): void => {
    this.chunks.push(b);
    this.buffered += b.length;
    this.drain();
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

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }

  private drain(): void {
    const p = this.pending;
    if (!p) return;
    if (this.buffered >= p.n) {
      this.pending = undefined;
      p.resolve(this.take(p.n));
    } else if (this.ended) {
      this.pending = undefined;
      p.reject(this.lostError());
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

/** Client side TLS over an existing connection (lockdown StartSession, services with SSL). */
export async function startClientTls(conn: SocketConnection, options: Pick<ConnectionOptions, 'cert' | 'key'>, what = 'device'): Promise<SocketConnection> {
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
    const fail = (e: Error): void => reject(new DeviceLostError(`TLS handshake with the ${what} failed: ${e.message}`));
    s.once('error', fail);
    s.once('secureConnect', () => {
      s.off('error', fail);
      resolve(s);
    });
  });
  return new SocketConnection(tls, what);
}
