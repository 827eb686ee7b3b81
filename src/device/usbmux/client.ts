/**
 * usbmuxd client: one short-lived socket per request, as libusbmuxd does; a Connect request turns
 * its socket into the tunnel to the device port, returned as a Connection.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { getString, getData, type PlistDict } from '../../plist/plist.js';
import { DeviceLostError, IrescueError, NoDeviceError, UsageError } from '../../errors.js';
import { SocketConnection } from '../connection.js';
import { describeAddress, resolveUsbmuxAddress, type UsbmuxAddress } from './address.js';
import * as M from './messages.js';

export interface UsbmuxClientOptions {
  address?: UsbmuxAddress;
  client?: M.ClientInfo;
  /** how long to wait for usbmuxd to answer a request */
  timeoutMs?: number;
}

/** What to do when the service that talks to iPhones over USB is not there, per host OS. */
function usbmuxMissingSentence(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return "this computer's iPhone service is not running: install Apple Devices (Microsoft Store) or iTunes, open it once, then try again";
  if (platform === 'darwin') return "this Mac's iPhone service (usbmuxd) did not answer: unplug and replug the iPhone, or restart the Mac, then try again";
  return "this computer's iPhone service (usbmuxd) is not running: install and start it (Debian/Ubuntu: sudo apt install usbmuxd), plug the iPhone in again, then try again";
}

export class UsbmuxError extends IrescueError {
  constructor(message: string, readonly result?: number) {
    super('DEVICE', message, { result });
  }
}

export interface UsbmuxListener {
  close(): void;
  /** resolves when the listening socket ends: with nothing after close(), else with why (usbmuxd stopped, garbage) */
  readonly done: Promise<Error | undefined>;
}

export class UsbmuxClient {
  readonly address: UsbmuxAddress;
  private readonly info: M.ClientInfo;
  private readonly timeoutMs: number;
  private tag = 0;

  constructor(opts: UsbmuxClientOptions = {}) {
    this.address = opts.address ?? resolveUsbmuxAddress();
    this.info = opts.client ?? M.DEFAULT_CLIENT;
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  private open(): Promise<SocketConnection> {
    return new Promise((resolve, reject) => {
      const a = this.address;
      const s: Socket = a.kind === 'unix' ? netConnect({ path: a.path }) : netConnect({ host: a.host, port: a.port });
      const fail = (e: NodeJS.ErrnoException): void => {
        s.destroy();
        // the plain sentence first; the socket and errno after it, for a report or --debug
        reject(new NoDeviceError(`${usbmuxMissingSentence()} (details: cannot reach usbmuxd at ${describeAddress(a)}, ${e.code ?? e.message}; USBMUXD_SOCKET_ADDRESS chooses another)`, { address: describeAddress(a), errno: e.code }));
      };
      s.once('error', fail);
      s.once('connect', () => {
        s.off('error', fail);
        resolve(new SocketConnection(s, 'usbmuxd'));
      });
    });
  }

  private async readPacket(conn: SocketConnection): Promise<{ header: M.UsbmuxHeader; body: PlistDict }> {
    const header = M.decodeHeader(await conn.receive(M.USBMUX_HEADER_SIZE));
    const body = M.decodePayload(header, await conn.receive(header.length - M.USBMUX_HEADER_SIZE));
    return { header, body };
  }

  private async exchange(conn: SocketConnection, message: PlistDict): Promise<PlistDict> {
    const tag = ++this.tag;
    await conn.send(M.encodePacket(tag, message));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        conn.close();
        reject(new UsbmuxError(`usbmuxd at ${describeAddress(this.address)} did not answer ${String(message.MessageType)} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    try {
      return (await Promise.race([this.readPacket(conn), timeout])).body;
    } finally {
      clearTimeout(timer);
    }
  }

  /** One request on its own socket, closed afterwards. */
  private async request(message: PlistDict): Promise<PlistDict> {
    const conn = await this.open();
    try {
      return await this.exchange(conn, message);
    } finally {
      conn.close();
    }
  }

  async listDevices(): Promise<M.UsbmuxDevice[]> {
    const reply = await this.request(M.listDevicesRequest(this.info));
    const n = M.resultNumber(reply);
    // usbmuxd before 1.0.9 knows no ListDevices: the present devices are the first events of Listen
    if (n === M.UsbmuxResult.BAD_COMMAND || n === M.UsbmuxResult.BAD_VERSION) return this.listByListening();
    if (n !== undefined) throw new UsbmuxError(`usbmuxd refused ListDevices (result ${n})`, n);
    return M.parseDeviceList(reply);
  }

  /** Listens until usbmuxd has been quiet for `quietMs` (it sends the present devices at once). */
  private async listByListening(quietMs = 100): Promise<M.UsbmuxDevice[]> {
    const found = new Map<number, M.UsbmuxDevice>();
    let timer: NodeJS.Timeout | undefined;
    let settle: () => void = () => undefined;
    const quiet = new Promise<void>((resolve) => (settle = resolve));
    const rearm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(settle, quietMs);
    };
    const listener = await this.listen((e) => {
      if (e.type === 'attached') found.set(e.device.deviceId, e.device);
      else if (e.type === 'detached') found.delete(e.deviceId);
      rearm();
    });
    rearm();
    await Promise.race([quiet, listener.done]);
    clearTimeout(timer);
    listener.close();
    return [...found.values()];
  }

  async readBuid(): Promise<string> {
    const reply = await this.request(M.readBuidRequest(this.info));
    const buid = getString(reply, 'BUID');
    if (!buid) throw new UsbmuxError(`usbmuxd gave no SystemBUID (result ${M.resultNumber(reply) ?? 'none'})`);
    return buid;
  }

  /** The stored pair record bytes (a plist) for this UDID, or undefined when usbmuxd has none. */
  async readPairRecord(udid: string): Promise<Buffer | undefined> {
    const reply = await this.request(M.readPairRecordRequest(udid, this.info));
    return getData(reply, 'PairRecordData');
  }

  async savePairRecord(udid: string, record: Buffer, deviceId?: number): Promise<void> {
    const reply = await this.request(M.savePairRecordRequest(udid, record, deviceId, this.info));
    const n = M.resultNumber(reply);
    if (n !== M.UsbmuxResult.OK) throw new UsbmuxError(`usbmuxd could not save the pair record for ${udid} (result ${n})`, n);
  }

  async deletePairRecord(udid: string): Promise<void> {
    await this.request(M.deletePairRecordRequest(udid, this.info));
  }

  /** A tunnel to TCP `port` on the device. */
  async connect(device: Pick<M.UsbmuxDevice, 'deviceId' | 'udid'>, port: number): Promise<SocketConnection> {
    const conn = await this.open();
    let reply: PlistDict;
    try {
      reply = await this.exchange(conn, M.connectRequest(device.deviceId, port, this.info));
    } catch (e) {
      conn.close();
      throw e;
    }
    const n = M.resultNumber(reply);
    if (n === M.UsbmuxResult.OK) return conn;
    conn.close();
    if (n === M.UsbmuxResult.BAD_DEVICE) throw new DeviceLostError(`device ${device.udid} is no longer connected`);
    if (n === M.UsbmuxResult.CONNECTION_REFUSED) throw new UsbmuxError(`device ${device.udid} refused a connection to port ${port}`, n);
    throw new UsbmuxError(`usbmuxd could not connect to device ${device.udid} port ${port} (result ${n})`, n);
  }

  /** Follows attach/detach events; the current devices arrive first as "attached". */
  async listen(onEvent: (e: M.UsbmuxEvent) => void): Promise<UsbmuxListener> {
    const conn = await this.open();
    const first = await this.exchange(conn, M.listenRequest(this.info)).catch((e) => {
      conn.close();
      throw e;
    });
    const n = M.resultNumber(first);
    if (n !== M.UsbmuxResult.OK) {
      conn.close();
      throw new UsbmuxError(`usbmuxd refused Listen (result ${n})`, n);
    }
    let closed = false;
    const done = (async (): Promise<Error | undefined> => {
      try {
        for (;;) {
          const { body } = await this.readPacket(conn);
          const ev = M.parseEvent(body);
          if (ev) onEvent(ev);
        }
      } catch (e) {
        conn.close();
        if (closed) return undefined;
        return e instanceof DeviceLostError ? new NoDeviceError(`usbmuxd at ${describeAddress(this.address)} closed the event stream`) : (e as Error);
      }
    })();
    return {
      done,
      close: () => {
        closed = true;
        conn.close();
      },
    };
  }

  /** Finds one device: by UDID when given, else the only USB device attached. */
  async findDevice(udid?: string): Promise<M.UsbmuxDevice> {
    const all = await this.listDevices();
    // a device seen over both USB and Wi-Fi appears twice; USB is faster and needs no pairing on the network
    const devices = all.filter((d) => d.connectionType === 'USB').concat(all.filter((d) => d.connectionType !== 'USB'));
    if (udid) {
      const d = devices.find((x) => x.udid === udid || x.serialNumber === udid);
      if (!d) throw new NoDeviceError(`no device with UDID ${udid} is connected (found ${devices.length === 0 ? 'none' : devices.map((x) => x.udid).join(', ')})`);
      return d;
    }
    const unique = [...new Map(devices.map((d) => [d.udid, d])).values()];
    if (unique.length === 0) throw new NoDeviceError();
    if (unique.length > 1) throw new UsageError(`${unique.length} devices are connected; choose one with --udid (${unique.map((d) => d.udid).join(', ')})`);
    return unique[0];
  }
}
