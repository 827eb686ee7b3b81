/**
 * DeviceLink: the message layer under mobilebackup2. Messages are plist arrays whose first item
 * names them ("DLMessageProcessMessage", "DLMessageUploadFiles", ...); a version exchange opens
 * the link; some messages are followed by raw file streams, hence the raw send/receive.
 */
import { isDict, type PlistDict, type PlistValue } from '../plist/plist.js';
import { CorruptInputError, IrescueError } from '../errors.js';
import type { Connection } from './connection.js';
import { receivePlistValue, sendPlist } from './plist-service.js';
import { type WireValue } from '../plist/value.js';

const EMPTY_PARAMETER = '___EmptyParameterString___';

export interface DeviceLinkMessage {
  name: string;
  args: PlistValue[];
}

function parseDeviceLinkMessage(v: PlistValue, what = 'device link message'): DeviceLinkMessage {
  if (!Array.isArray(v) || typeof v[0] !== 'string') throw new CorruptInputError(what, 'not a DLMessage array');
  return { name: v[0], args: v.slice(1) };
}

export class DeviceLink {
  constructor(readonly conn: Connection, private readonly what = 'mobilebackup2') {}

  async send(message: WireValue[]): Promise<void> {
    await sendPlist(this.conn, message, 'binary');
  }

  async receive(): Promise<DeviceLinkMessage> {
    return parseDeviceLinkMessage(await receivePlistValue(this.conn, `${this.what} message`), `${this.what} message`);
  }

  /** The device proposes its version; we accept what we speak (major 300 for mobilebackup2). */
  async versionExchange(major: number, minor: number): Promise<void> {
    const hello = await this.receive();
    if (hello.name !== 'DLMessageVersionExchange') throw new CorruptInputError(`${this.what} handshake`, `expected DLMessageVersionExchange, got ${hello.name}`);
    const [dmaj, dmin] = hello.args.map((x) => Number(x));
    if (dmaj > major || (dmaj === major && dmin > minor)) throw new IrescueError('DEVICE', `${this.what}: the device speaks version ${dmaj}.${dmin}, newer than ${major}.${minor}`);
    await this.send(['DLMessageVersionExchange', 'DLVersionsOk', major]);
    const ready = await this.receive();
    if (ready.name !== 'DLMessageDeviceReady') throw new CorruptInputError(`${this.what} handshake`, `expected DLMessageDeviceReady, got ${ready.name}`);
  }

  async sendProcessMessage(dict: { [key: string]: WireValue }): Promise<void> {
    await this.send(['DLMessageProcessMessage', dict]);
  }

  async receiveProcessMessage(): Promise<PlistDict> {
    const m = await this.receive();
    if (m.name !== 'DLMessageProcessMessage' || !isDict(m.args[0])) throw new CorruptInputError(`${this.what} message`, `expected DLMessageProcessMessage, got ${m.name}`);
    return m.args[0];
  }

  async sendStatusResponse(code: number, description?: string, extra?: WireValue): Promise<void> {
    // negative codes become 8-byte two's complement integers, the same bytes the C clients send
    await this.send(['DLMessageStatusResponse', code, description ?? EMPTY_PARAMETER, extra ?? EMPTY_PARAMETER]);
  }

  async disconnect(reason?: string): Promise<void> {
    await this.send(['DLMessageDisconnect', reason ?? EMPTY_PARAMETER]).catch(() => undefined);
  }
}
