/**
 * usbmuxd wire messages (plist protocol, version 1). Each packet is a 16-byte little-endian header
 * (total length, version, message type, tag) and an XML plist body. One encode/decode pair per
 * message; pure functions, no sockets.
 */
import { buildXmlPlist, getNumber, getString, isDict, parsePlist, type PlistDict } from '../../plist/plist.js';
import { CorruptInputError } from '../../errors.js';

export const USBMUX_HEADER_SIZE = 16;
export const USBMUX_PROTOCOL_PLIST = 1;
/** Message type of every packet in the plist protocol; the real kind lives in MessageType. */
export const USBMUX_MESSAGE_PLIST = 8;
export const USBMUX_MAX_PACKET = 16 * 1024 * 1024;

export const UsbmuxResult = {
  OK: 0,
  BAD_COMMAND: 1,
  BAD_DEVICE: 2,
  CONNECTION_REFUSED: 3,
  BAD_VERSION: 6,
} as const;

export interface UsbmuxHeader {
  length: number;
  version: number;
  message: number;
  tag: number;
}

export function encodeHeader(h: UsbmuxHeader): Buffer {
  const b = Buffer.alloc(USBMUX_HEADER_SIZE);
  b.writeUInt32LE(h.length, 0);
  b.writeUInt32LE(h.version, 4);
  b.writeUInt32LE(h.message, 8);
  b.writeUInt32LE(h.tag, 12);
  return b;
}

export function decodeHeader(b: Buffer): UsbmuxHeader {
  if (b.length < USBMUX_HEADER_SIZE) throw new CorruptInputError('usbmuxd', `short header (${b.length} bytes)`);
  const h = { length: b.readUInt32LE(0), version: b.readUInt32LE(4), message: b.readUInt32LE(8), tag: b.readUInt32LE(12) };
  if (h.length < USBMUX_HEADER_SIZE || h.length > USBMUX_MAX_PACKET) throw new CorruptInputError('usbmuxd', `implausible packet length ${h.length}`);
  return h;
}

/** A whole plist packet, ready to write. */
export function encodePacket(tag: number, body: PlistDict): Buffer {
  const payload = Buffer.from(buildXmlPlist(body), 'utf8');
  const header = encodeHeader({ length: USBMUX_HEADER_SIZE + payload.length, version: USBMUX_PROTOCOL_PLIST, message: USBMUX_MESSAGE_PLIST, tag });
  return Buffer.concat([header, payload]);
}

export function decodePayload(h: UsbmuxHeader, payload: Buffer): PlistDict {
  if (h.message !== USBMUX_MESSAGE_PLIST) throw new CorruptInputError('usbmuxd', `unsupported message type ${h.message} (only the plist protocol is spoken)`);
  const v = parsePlist(payload, 'usbmuxd message');
  if (!isDict(v)) throw new CorruptInputError('usbmuxd message', 'not a dictionary');
  return v;
}

// ---- requests (client -> usbmuxd) ----

export interface ClientInfo {
  progName: string;
  clientVersion: string;
}

export const DEFAULT_CLIENT: ClientInfo = { progName: 'irescue', clientVersion: 'irescue-0.1' };

function request(type: string, client: ClientInfo, extra: PlistDict = {}): PlistDict {
  return {
    MessageType: type,
    ProgName: client.progName,
    ClientVersionString: client.clientVersion,
    kLibUSBMuxVersion: 3,
    ...extra,
  };
}

export const listDevicesRequest = (c = DEFAULT_CLIENT): PlistDict => request('ListDevices', c);
export const listenRequest = (c = DEFAULT_CLIENT): PlistDict => request('Listen', c);
export const readBuidRequest = (c = DEFAULT_CLIENT): PlistDict => request('ReadBUID', c);
export const readPairRecordRequest = (udid: string, c = DEFAULT_CLIENT): PlistDict => request('ReadPairRecord', c, { PairRecordID: udid });
export const deletePairRecordRequest = (udid: string, c = DEFAULT_CLIENT): PlistDict => request('DeletePairRecord', c, { PairRecordID: udid });
export function savePairRecordRequest(udid: string, record: Buffer, deviceId: number | undefined, c = DEFAULT_CLIENT): PlistDict {
  return request('SavePairRecord', c, { PairRecordID: udid, PairRecordData: record, ...(deviceId !== undefined ? { DeviceID: deviceId } : {}) });
}

/** usbmuxd wants the port in network byte order inside a little-endian integer, as the C API passes htons(port). */
export function swapPort(port: number): number {
  return ((port & 0xff) << 8) | ((port >> 8) & 0xff);
}
export function connectRequest(deviceId: number, port: number, c = DEFAULT_CLIENT): PlistDict {
  return request('Connect', c, { DeviceID: deviceId, PortNumber: swapPort(port) });
}

// ---- responses and events (usbmuxd -> client) ----

export interface UsbmuxDevice {
  deviceId: number;
  udid: string;
  connectionType: 'USB' | 'Network';
  productId?: number;
  locationId?: number;
  serialNumber: string;
}

export type UsbmuxEvent =
  | { type: 'attached'; device: UsbmuxDevice }
  | { type: 'detached'; deviceId: number }
  | { type: 'paired'; deviceId: number };

export function parseDeviceProperties(props: PlistDict): UsbmuxDevice {
  const deviceId = getNumber(props, 'DeviceID');
  const serial = getString(props, 'SerialNumber');
  const ct = getString(props, 'ConnectionType');
  if (deviceId === undefined || !serial) throw new CorruptInputError('usbmuxd device record', 'missing DeviceID or SerialNumber');
  if (ct !== 'USB' && ct !== 'Network') throw new CorruptInputError('usbmuxd device record', `unexpected ConnectionType ${JSON.stringify(ct)}`);
  return {
    deviceId,
    // usbmuxd reports 24-hex-digit UDIDs of newer devices without the dash; the device's own UniqueDeviceID has it
    udid: normalizeUdid(serial),
    serialNumber: serial,
    connectionType: ct,
    productId: getNumber(props, 'ProductID'),
    locationId: getNumber(props, 'LocationID'),
  };
}

export function normalizeUdid(serial: string): string {
  return serial.length === 24 && /^[0-9A-Fa-f]{24}$/.test(serial) ? `${serial.slice(0, 8)}-${serial.slice(8)}` : serial;
}

export function encodeDeviceProperties(d: UsbmuxDevice): PlistDict {
  const props: PlistDict = { ConnectionType: d.connectionType, DeviceID: d.deviceId, SerialNumber: d.serialNumber };
  if (d.productId !== undefined) props.ProductID = d.productId;
  if (d.locationId !== undefined) props.LocationID = d.locationId;
  if (d.connectionType === 'USB') props.ConnectionSpeed = 480000000;
  return props;
}

export function parseEvent(msg: PlistDict): UsbmuxEvent | undefined {
  const t = getString(msg, 'MessageType');
  if (t === 'Attached') {
    const props = msg.Properties;
    if (!isDict(props)) throw new CorruptInputError('usbmuxd Attached event', 'no Properties');
    return { type: 'attached', device: parseDeviceProperties(props) };
  }
  if (t === 'Detached' || t === 'Paired') {
    const id = getNumber(msg, 'DeviceID');
    if (id === undefined) throw new CorruptInputError(`usbmuxd ${t} event`, 'no DeviceID');
    return { type: t === 'Detached' ? 'detached' : 'paired', deviceId: id };
  }
  return undefined;
}

export function encodeEvent(e: UsbmuxEvent): PlistDict {
  if (e.type === 'attached') return { MessageType: 'Attached', DeviceID: e.device.deviceId, Properties: encodeDeviceProperties(e.device) };
  return { MessageType: e.type === 'detached' ? 'Detached' : 'Paired', DeviceID: e.deviceId };
}

export function parseDeviceList(msg: PlistDict): UsbmuxDevice[] {
  const list = msg.DeviceList;
  if (!Array.isArray(list)) throw new CorruptInputError('usbmuxd ListDevices reply', 'no DeviceList');
  return list.map((entry) => {
    if (!isDict(entry) || !isDict(entry.Properties)) throw new CorruptInputError('usbmuxd ListDevices reply', 'entry without Properties');
    return parseDeviceProperties(entry.Properties);
  });
}

export const resultMessage = (n: number): PlistDict => ({ MessageType: 'Result', Number: n });

/** The Number of a Result message, or undefined for replies that carry data instead. */
export function resultNumber(msg: PlistDict): number | undefined {
  return getString(msg, 'MessageType') === 'Result' ? getNumber(msg, 'Number') ?? -1 : undefined;
}
