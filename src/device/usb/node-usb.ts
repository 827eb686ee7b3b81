/**
 * UsbTransport over the `usb` package (2.x: getDeviceList, callback control transfers). Loaded
 * lazily so that a machine without it (or without its prebuilt binary) still runs everything else.
 */
import { IrescueError } from '../../errors.js';
import { APPLE_VENDOR_ID, UsbTransferError, usbModeOf, type ControlSetup, type UsbDeviceRef, type UsbHandle, type UsbTransport } from './transport.js';

// The few parts of usb@2 we use, typed here so the package stays optional at compile time too.
interface LibUsbError extends Error {
  errno?: number;
}
interface NodeUsbDevice {
  busNumber: number;
  deviceAddress: number;
  deviceDescriptor: { idVendor: number; idProduct: number; iSerialNumber: number };
  open(defaultConfig?: boolean): void;
  close(): void;
  getStringDescriptor(index: number, cb: (err?: LibUsbError, value?: string) => void): void;
  controlTransfer(t: number, r: number, v: number, i: number, data: Buffer, cb: (err?: LibUsbError) => void): void;
}
interface NodeUsbModule {
  getDeviceList(): NodeUsbDevice[];
}

export class UsbUnavailableError extends IrescueError {
  constructor(reason: string) {
    super('DEVICE', `USB access for Recovery and DFU mode is unavailable: ${reason} (reinstall irescue so the optional "usb" package installs, or use Finder/iTunes/Apple Devices)`);
  }
}

let loaded: Promise<NodeUsbModule> | undefined;
async function loadUsb(): Promise<NodeUsbModule> {
  const name = 'usb';
  loaded ??= import(name).then(
    (m: { default?: NodeUsbModule } & NodeUsbModule) => (typeof m.getDeviceList === 'function' ? m : (m.default as NodeUsbModule)),
    (e: NodeJS.ErrnoException) => {
      loaded = undefined;
      throw new UsbUnavailableError(e.code === 'ERR_MODULE_NOT_FOUND' ? 'the optional "usb" package is not installed' : e.message.split('\n')[0]);
    },
  );
  return loaded;
}

// libusb error numbers: NO_DEVICE -4, PIPE -9, TIMEOUT -7, IO -1, NOT_FOUND -5
function transferError(e: LibUsbError): UsbTransferError {
  switch (e.errno) {
    case -4:
    case -5:
    case -1:
      return new UsbTransferError('gone', e.message);
    case -9:
      return new UsbTransferError('stall', e.message);
    case -7:
      return new UsbTransferError('timeout', e.message);
    default:
      return new UsbTransferError('other', e.message);
  }
}

function readSerial(d: NodeUsbDevice): Promise<string> {
  return new Promise((resolve, reject) => d.getStringDescriptor(d.deviceDescriptor.iSerialNumber, (err, v) => (err ? reject(transferError(err)) : resolve(v ?? ''))));
}

export type { NodeUsbDevice, NodeUsbModule, LibUsbError };

export class NodeUsbTransport implements UsbTransport {
  private readonly byRef = new Map<string, NodeUsbDevice>();

  /** `load` replaces the lazy import of the `usb` package (tests pass a stand-in module). */
  constructor(private readonly load: () => Promise<NodeUsbModule> = loadUsb) {}

  async list(): Promise<UsbDeviceRef[]> {
    const usb = await this.load();
    const out: UsbDeviceRef[] = [];
    this.byRef.clear();
    for (const d of usb.getDeviceList()) {
      const { idVendor, idProduct } = d.deviceDescriptor;
      if (idVendor !== APPLE_VENDOR_ID || !usbModeOf(idVendor, idProduct)) continue;
      let serial = '';
      try {
        d.open();
        serial = await readSerial(d);
      } catch (e) {
        // on Linux without a udev rule the device cannot be opened: list it with what we know
        serial = '';
        void e;
      } finally {
        try {
          d.close();
        } catch {
          // not opened
        }
      }
      const ref = { vendorId: idVendor, productId: idProduct, busNumber: d.busNumber, deviceAddress: d.deviceAddress, serial };
      this.byRef.set(`${d.busNumber}:${d.deviceAddress}`, d);
      out.push(ref);
    }
    return out;
  }

  async open(ref: UsbDeviceRef): Promise<UsbHandle> {
    const d = this.byRef.get(`${ref.busNumber}:${ref.deviceAddress}`);
    if (!d) throw new UsbTransferError('gone', 'device no longer present');
    try {
      d.open();
    } catch (e) {
      const err = transferError(e as LibUsbError);
      if ((e as LibUsbError).errno === -3) throw new IrescueError('DEVICE', 'permission denied opening the device over USB: on Linux add a udev rule for vendor 05ac (the usbmuxd package installs one) or run as root');
      throw err;
    }
    return {
      controlOut: (s: ControlSetup, data: Buffer) =>
        new Promise<void>((resolve, reject) => d.controlTransfer(s.requestType, s.request, s.value, s.index, data, (err) => (err ? reject(transferError(err)) : resolve()))),
      close: async () => {
        try {
          d.close();
        } catch {
          // a device that rebooted is already closed
        }
      },
    };
  }
}
