/**
 * The one small interface between irescue and USB for devices in Recovery or DFU mode (which
 * usbmuxd does not serve). node-usb.ts implements it with the `usb` package; tests use a
 * scripted fake.
 */
export const APPLE_VENDOR_ID = 0x05ac;
const DFU_PRODUCT_ID = 0x1227;
const RECOVERY_PRODUCT_IDS = [0x1280, 0x1281, 0x1282, 0x1283] as const;

export type UsbMode = 'recovery' | 'dfu';

export function usbModeOf(vendorId: number, productId: number): UsbMode | undefined {
  if (vendorId !== APPLE_VENDOR_ID) return undefined;
  if (productId === DFU_PRODUCT_ID) return 'dfu';
  if ((RECOVERY_PRODUCT_IDS as readonly number[]).includes(productId)) return 'recovery';
  return undefined;
}

export interface UsbDeviceRef {
  vendorId: number;
  productId: number;
  busNumber: number;
  deviceAddress: number;
  /** the iSerialNumber string descriptor: "CPID:8110 CPRV:11 ... ECID:... " */
  serial: string;
  /** why the device could not be opened to read its serial (a plain sentence: permissions, driver) */
  problem?: string;
}

export interface ControlSetup {
  requestType: number;
  request: number;
  value: number;
  index: number;
}

/** Why a transfer failed: a device that disappears (reboot, unplug) is "gone", not an error per se. */
export class UsbTransferError extends Error {
  constructor(readonly kind: 'gone' | 'stall' | 'timeout' | 'other', message: string) {
    super(message);
  }
}

export interface UsbHandle {
  controlOut(setup: ControlSetup, data: Buffer): Promise<void>;
  close(): Promise<void>;
}

export interface UsbTransport {
  /** Apple devices in Recovery or DFU mode, with their serial strings read. */
  list(): Promise<UsbDeviceRef[]>;
  open(device: UsbDeviceRef): Promise<UsbHandle>;
}
