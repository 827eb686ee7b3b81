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
  /** ms for control transfers (usb@2: Device.timeout, default 1000) */
  timeout?: number;
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

/** libirecovery's USB_TIMEOUT: iBoot may take seconds to write NVRAM (saveenv). */
export const USB_TIMEOUT_MS = 10_000;

/**
 * A plain sentence for the open errors an owner can do something about, by host OS; undefined
 * for the rest. Linux: Recovery/DFU product IDs are in libirecovery's udev rule, not usbmuxd's.
 * Windows: Apple's driver owns these devices and libusb cannot open them; replacing that driver
 * (WinUSB, Zadig) breaks Finder/Apple Devices restores, so we never suggest it.
 */
function usbAccessHint(errno: number | undefined, platform: NodeJS.Platform = process.platform): string | undefined {
  if (errno === -3) {
    if (platform === 'linux') return 'this computer may not open the iPhone over USB (permission denied). Install the udev rules for Recovery and DFU mode, which come with libirecovery (Debian/Ubuntu: sudo apt install libirecovery-common; normal mode needs usbmuxd too), then unplug and replug the iPhone; or run as root';
    return 'this computer may not open the iPhone over USB (permission denied)';
  }
  if (platform === 'win32' && (errno === -12 || errno === -5)) {
    return "on Windows, an iPhone in Recovery or DFU mode is driven by Apple's own driver, which irescue cannot use. Do this step in Apple Devices (or iTunes): it shows the iPhone and offers Update or Restore. To leave Recovery mode without them, force-restart the iPhone with its buttons (irescue guide shows the buttons for your model)";
  }
  return undefined;
}

function readSerial(d: NodeUsbDevice): Promise<string> {
  return new Promise((resolve, reject) => d.getStringDescriptor(d.deviceDescriptor.iSerialNumber, (err, v) => (err ? reject(transferError(err)) : resolve(v ?? ''))));
}

export type { NodeUsbDevice, NodeUsbModule, LibUsbError };

export class NodeUsbTransport implements UsbTransport {
  private readonly byRef = new Map<string, NodeUsbDevice>();

  /** `load` replaces the lazy import of the `usb` package (tests pass a stand-in module); `platform` picks the hints. */
  constructor(
    private readonly load: () => Promise<NodeUsbModule> = loadUsb,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  async list(): Promise<UsbDeviceRef[]> {
    const usb = await this.load();
    const out: UsbDeviceRef[] = [];
    this.byRef.clear();
    for (const d of usb.getDeviceList()) {
      const { idVendor, idProduct } = d.deviceDescriptor;
      if (idVendor !== APPLE_VENDOR_ID || !usbModeOf(idVendor, idProduct)) continue;
      let serial = '';
      let problem: string | undefined;
      try {
        d.open();
        serial = await readSerial(d);
      } catch (e) {
        // on Linux without a udev rule, or on Windows with Apple's driver, the device cannot be
        // opened: list it with what we know, and say why its details are missing
        serial = '';
        problem = usbAccessHint((e as LibUsbError).errno, this.platform);
      } finally {
        try {
          d.close();
        } catch {
          // not opened
        }
      }
      const ref: UsbDeviceRef = { vendorId: idVendor, productId: idProduct, busNumber: d.busNumber, deviceAddress: d.deviceAddress, serial, ...(problem ? { problem } : {}) };
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
      d.timeout = USB_TIMEOUT_MS;
    } catch (e) {
      const err = transferError(e as LibUsbError);
      const hint = usbAccessHint((e as LibUsbError).errno, this.platform);
      if (hint) throw new IrescueError('DEVICE', hint, { libusbError: (e as LibUsbError).errno });
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
