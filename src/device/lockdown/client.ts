/**
 * lockdownd client (device port 62078) over a Connection: QueryType, GetValue, Pair, StartSession
 * (then TLS on the same stream), StartService, EnterRecovery. Error strings from the device are
 * mapped in lockdown/errors.ts.
 */
import { getBool, getData, getNumber, getString, isDict, type PlistDict, type PlistValue } from '../../plist/plist.js';
import { CorruptInputError, InternalError, IrescueError } from '../../errors.js';
import type { Connection } from '../connection.js';
import { receivePlist, sendPlist } from '../plist-service.js';
import { lockdownError } from './errors.js';
import { publicPairRecord, type PairRecord } from './pairing.js';

export const LOCKDOWN_PORT = 62078;
export const LOCKDOWN_TYPE = 'com.apple.mobile.lockdown';

/** A Connection that can switch to TLS in place (SocketConnection does). */
export interface TlsUpgradable extends Connection {
  startTls(credentials: { cert: Buffer; key: Buffer }): Promise<Connection>;
}

export interface ServiceDescriptor {
  name: string;
  port: number;
  ssl: boolean;
}

/** lockdownd answers at once (Pair too: "pending" while the Trust prompt shows); pymobiledevice3 waits 10 s. */
const LOCKDOWN_REQUEST_TIMEOUT_MS = 10_000;

export class LockdownClient {
  private conn: Connection;
  private sessionId: string | undefined;
  private tls = false;

  constructor(conn: Connection, private readonly opts: { label?: string; udid?: string; timeoutMs?: number } = {}) {
    this.conn = conn;
  }

  get inSession(): boolean {
    return this.sessionId !== undefined;
  }

  get sessionUsesTls(): boolean {
    return this.tls;
  }

  /** Sends one request and returns the reply, throwing LockdownError when the reply carries Error. */
  async request(request: string, fields: PlistDict = {}, what = request): Promise<PlistDict> {
    const message: PlistDict = { Label: this.opts.label ?? 'irescue', Request: request, ...fields };
    await sendPlist(this.conn, message);
    const reply = await this.receiveReply(request);
    const err = getString(reply, 'Error');
    if (err) throw lockdownError(err, what, this.opts.udid);
    if (getString(reply, 'Result') === 'Failure') throw lockdownError('Failure', what, this.opts.udid);
    const echoed = getString(reply, 'Request');
    if (echoed !== undefined && echoed !== request) throw new CorruptInputError(`lockdownd reply to ${request}`, `answers a different request (${echoed})`);
    return reply;
  }

  /** A silent lockdownd (a wedged phone) ends the wait instead of hanging the command forever. */
  private async receiveReply(request: string): Promise<PlistDict> {
    const ms = this.opts.timeoutMs ?? LOCKDOWN_REQUEST_TIMEOUT_MS;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.conn.close();
    }, ms);
    try {
      return await receivePlist(this.conn, `lockdownd reply to ${request}`);
    } catch (e) {
      if (timedOut) throw new IrescueError('DEVICE', `the device did not answer "${request}" within ${Math.round(ms / 1000)} s: unplug and replug it, unlock it, and try again`, { request, timeoutMs: ms, udid: this.opts.udid });
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  async queryType(): Promise<string> {
    const reply = await this.request('QueryType');
    const type = getString(reply, 'Type');
    if (!type) throw new CorruptInputError('lockdownd reply to QueryType', 'no Type');
    return type;
  }

  /** One value, or the whole domain when `key` is omitted. */
  async getValue(key?: string, domain?: string): Promise<PlistValue> {
    const fields: PlistDict = {};
    if (domain) fields.Domain = domain;
    if (key) fields.Key = key;
    const reply = await this.request('GetValue', fields, `GetValue ${[domain, key].filter(Boolean).join(' ') || '(all)'}`);
    const v = reply.Value;
    if (v === undefined) throw lockdownError('MissingValue', `GetValue ${key ?? ''}`.trim(), this.opts.udid);
    return v;
  }

  async getValues(domain?: string): Promise<PlistDict> {
    const v = await this.getValue(undefined, domain);
    if (!isDict(v)) throw new CorruptInputError('lockdownd reply to GetValue', 'value is not a dictionary');
    return v;
  }

  async devicePublicKey(): Promise<Buffer> {
    const v = await this.getValue('DevicePublicKey');
    if (!Buffer.isBuffer(v)) throw new CorruptInputError('lockdownd DevicePublicKey', 'not data');
    return v;
  }

  /** Asks the device to trust `record`; returns the EscrowBag it hands out (iOS 7+). */
  async pair(record: PairRecord): Promise<{ escrowBag?: Buffer }> {
    const reply = await this.request('Pair', {
      PairRecord: publicPairRecord(record),
      ProtocolVersion: '2',
      PairingOptions: { ExtendedPairingErrors: true },
    });
    return { escrowBag: getData(reply, 'EscrowBag') };
  }

  async unpair(record: PairRecord): Promise<void> {
    await this.request('Unpair', { PairRecord: { HostID: record.HostID }, ProtocolVersion: '2' });
  }

  /** StartSession with our HostID, then TLS on this same stream when the device asks for it. */
  async startSession(record: PairRecord): Promise<void> {
    const reply = await this.request('StartSession', { HostID: record.HostID, SystemBUID: record.SystemBUID });
    this.sessionId = getString(reply, 'SessionID');
    if (!this.sessionId) throw new CorruptInputError('lockdownd reply to StartSession', 'no SessionID');
    if (getBool(reply, 'EnableSessionSSL')) {
      const c = this.conn as Partial<TlsUpgradable>;
      if (typeof c.startTls !== 'function') throw new InternalError('lockdown: this connection cannot start TLS');
      this.conn = await c.startTls({ cert: record.HostCertificate, key: record.HostPrivateKey });
      this.tls = true;
    }
  }

  async stopSession(): Promise<void> {
    if (!this.sessionId) return;
    const id = this.sessionId;
    this.sessionId = undefined;
    await this.request('StopSession', { SessionID: id });
  }

  async startService(name: string, opts: { escrowBag?: Buffer } = {}): Promise<ServiceDescriptor> {
    const fields: PlistDict = { Service: name };
    if (opts.escrowBag) fields.EscrowBag = opts.escrowBag;
    const reply = await this.request('StartService', fields, `StartService ${name}`);
    const port = getNumber(reply, 'Port');
    if (!port) throw new CorruptInputError(`lockdownd reply to StartService ${name}`, 'no Port');
    return { name, port, ssl: getBool(reply, 'EnableServiceSSL') ?? false };
  }

  async enterRecovery(): Promise<void> {
    await this.request('EnterRecovery');
  }

  async goodbye(): Promise<void> {
    await this.request('Goodbye').catch(() => undefined);
  }

  close(): void {
    this.conn.close();
  }
}
