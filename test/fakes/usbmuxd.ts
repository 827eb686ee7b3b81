/**
 * A fake usbmuxd on a Unix socket in a temp folder, speaking the plist protocol (version 1) as the
 * real daemon does: ListDevices, Listen (+ Attached/Detached/Paired events), Connect (the socket
 * then becomes the tunnel to the fake device), ReadBUID, Read/Save/DeletePairRecord. Real
 * libimobiledevice tools reach it through USBMUXD_SOCKET_ADDRESS=UNIX:<path>.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getData, getNumber, getString, type PlistDict } from '../../src/plist/plist.js';
import { SocketConnection } from '../../src/device/connection.js';
import * as M from '../../src/device/usbmux/messages.js';
import { FakeDevice } from './fake-device.js';

export class FakeUsbmuxd {
  readonly devices: FakeDevice[] = [];
  readonly pairRecords = new Map<string, Buffer>();
  readonly requests: string[] = [];
  readonly buid = '5B4F3C2A-1D2E-4F60-8A9B-0C1D2E3F4A5B';
  /** behave like usbmuxd before 1.0.9, which has no ListDevices */
  oldDaemon = false;
  private readonly listeners = new Set<{ conn: SocketConnection; tag: number }>();
  private readonly sockets = new Set<Socket>();
  private nextId = 1;

  private constructor(readonly dir: string, readonly socketPath: string, private readonly server: Server) {}

  /** tcp: listen on 127.0.0.1 (a free port), as usbmuxd does on Windows; else a Unix socket in a temp folder */
  static async start(opts: { tcp?: boolean } = {}): Promise<FakeUsbmuxd> {
    const dir = await mkdtemp(join(tmpdir(), 'irescue-usbmuxd-'));
    const socketPath = join(dir, 'usbmuxd.sock');
    const server = createServer();
    const fake = new FakeUsbmuxd(dir, socketPath, server);
    server.on('connection', (s) => fake.onConnection(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if (opts.tcp) server.listen(0, '127.0.0.1', resolve);
      else server.listen(socketPath, resolve);
    });
    const a = server.address();
    if (a && typeof a === 'object') fake.tcpPort = a.port;
    return fake;
  }

  tcpPort: number | undefined;

  /** USBMUXD_SOCKET_ADDRESS value for clients of this fake. */
  get address(): string {
    return this.tcpPort !== undefined ? `127.0.0.1:${this.tcpPort}` : `UNIX:${this.socketPath}`;
  }

  attach(device: FakeDevice): FakeDevice {
    device.deviceId = this.nextId++;
    device.gone = false;
    device.onGone = () => this.detach(device);
    this.devices.push(device);
    this.broadcast({ type: 'attached', device: this.record(device) });
    return device;
  }

  detach(device: FakeDevice): void {
    const i = this.devices.indexOf(device);
    if (i < 0) return;
    this.devices.splice(i, 1);
    this.broadcast({ type: 'detached', deviceId: device.deviceId });
  }

  record(d: FakeDevice): M.UsbmuxDevice {
    return { deviceId: d.deviceId, udid: d.udid, serialNumber: d.usbSerial, connectionType: 'USB', productId: 0x12a8, locationId: 0x01100000 + d.deviceId };
  }

  private broadcast(e: M.UsbmuxEvent): void {
    for (const l of this.listeners) l.conn.send(M.encodePacket(0, M.encodeEvent(e))).catch(() => undefined);
  }

  private onConnection(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const conn = new SocketConnection(socket, 'client');
    this.serve(conn, socket).catch(() => socket.destroy());
  }

  private async serve(conn: SocketConnection, socket: Socket): Promise<void> {
    for (;;) {
      const header = M.decodeHeader(await conn.receive(M.USBMUX_HEADER_SIZE));
      const payload = await conn.receive(header.length - M.USBMUX_HEADER_SIZE);
      const tag = header.tag;
      if (header.version !== M.USBMUX_PROTOCOL_PLIST || header.message !== M.USBMUX_MESSAGE_PLIST) {
        await conn.send(M.encodePacket(tag, M.resultMessage(M.UsbmuxResult.BAD_VERSION)));
        continue;
      }
      const msg = M.decodePayload(header, payload);
      const type = getString(msg, 'MessageType') ?? '';
      this.requests.push(type);
      const send = (body: PlistDict): Promise<void> => conn.send(M.encodePacket(tag, body));
      switch (type) {
        case 'ListDevices':
          if (this.oldDaemon) {
            await send(M.resultMessage(M.UsbmuxResult.BAD_COMMAND));
            break;
          }
          await send({ DeviceList: this.devices.map((d) => ({ MessageType: 'Attached', DeviceID: d.deviceId, Properties: M.encodeDeviceProperties(this.record(d)) })) });
          break;
        case 'Listen': {
          await send(M.resultMessage(M.UsbmuxResult.OK));
          const l = { conn, tag };
          this.listeners.add(l);
          socket.once('close', () => this.listeners.delete(l));
          for (const d of this.devices) await conn.send(M.encodePacket(0, M.encodeEvent({ type: 'attached', device: this.record(d) })));
          return; // the client only listens from now on
        }
        case 'Connect': {
          const id = getNumber(msg, 'DeviceID');
          const port = M.swapPort(getNumber(msg, 'PortNumber') ?? 0);
          const d = this.devices.find((x) => x.deviceId === id);
          if (!d) await send(M.resultMessage(M.UsbmuxResult.BAD_DEVICE));
          else if (!d.hasPort(port)) await send(M.resultMessage(M.UsbmuxResult.CONNECTION_REFUSED));
          else {
            await send(M.resultMessage(M.UsbmuxResult.OK));
            conn.detach();
            d.accept(socket, port);
            socket.resume();
            return;
          }
          break;
        }
        case 'ReadBUID':
          await send({ BUID: this.buid });
          break;
        case 'ReadPairRecord': {
          const rec = this.pairRecords.get(getString(msg, 'PairRecordID') ?? '');
          await send(rec ? { PairRecordData: rec } : M.resultMessage(M.UsbmuxResult.BAD_DEVICE));
          break;
        }
        case 'SavePairRecord': {
          const id = getString(msg, 'PairRecordID');
          const data = getData(msg, 'PairRecordData');
          if (!id || !data) await send(M.resultMessage(M.UsbmuxResult.BAD_COMMAND));
          else {
            this.pairRecords.set(id, data);
            await send(M.resultMessage(M.UsbmuxResult.OK));
            const d = this.devices.find((x) => x.udid === id);
            if (d) this.broadcast({ type: 'paired', deviceId: d.deviceId });
          }
          break;
        }
        case 'DeletePairRecord':
          this.pairRecords.delete(getString(msg, 'PairRecordID') ?? '');
          await send(M.resultMessage(M.UsbmuxResult.OK));
          break;
        default:
          await send(M.resultMessage(M.UsbmuxResult.BAD_COMMAND));
      }
    }
  }

  async close(): Promise<void> {
    for (const d of [...this.devices]) d.unplug();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.dir, { recursive: true, force: true });
  }
}
