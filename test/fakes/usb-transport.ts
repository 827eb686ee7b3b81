/**
 * A scripted UsbTransport: devices are described by the serial strings real iBoot reports (format
 * as printed by irecovery; IDs and numbers here are made up), control transfers are recorded, and
 * the script decides which command makes the device vanish (reboot) or fail.
 */
import type { ControlSetup, UsbDeviceRef, UsbHandle, UsbTransport } from '../../src/device/usb/transport.js';
import { UsbTransferError } from '../../src/device/usb/transport.js';

export const SERIALS = {
  /** iPhone 13 (A15, d17ap) in Recovery mode */
  iphone13Recovery: 'SDOM:01 CPID:8110 CPRV:11 CPFM:03 SCEP:01 BDID:0A ECID:001A2B3C4D5E801E IBFL:3D SRNM:[F2LXK0XXXXXX] IMEI:[350000000000000]',
  /** iPhone X (A11, d22ap) in DFU mode */
  iphoneXDfu: 'CPID:8015 CPRV:11 CPFM:03 SCEP:01 BDID:06 ECID:000A1B2C3D4E5F60 IBFL:3C SRTG:[iBoot-3332.0.0.1.23]',
  /** iPhone 7 (A10, d10ap) in Recovery mode, older iBoot with the nonces in the serial string */
  iphone7Recovery: 'CPID:8010 CPRV:11 CPFM:03 SCEP:01 BDID:08 ECID:0000123456789ABC IBFL:1A SRNM:[F71XXXXXHG7K] IMEI:[355000000000000] NONC:00112233445566778899AABBCCDDEEFF00112233 SNON:AABBCCDDEEFF00112233445566778899AABBCCDD',
  /** a chip/board pair no table knows */
  unknownRecovery: 'CPID:9999 CPRV:01 CPFM:03 SCEP:01 BDID:7F ECID:00000000DEADBEEF IBFL:3D',
};

export interface ScriptedDevice {
  productId: number;
  serial: string;
  /** command (first word) after which the device disappears: 'reboot' by default */
  vanishAfter?: string;
  /** command whose transfer fails because the cable was pulled */
  unplugOn?: string;
  /** reboot drops the link before the transfer completes (seen on real devices) */
  rebootCutsTransfer?: boolean;
}

export interface RecordedTransfer {
  device: number;
  setup: ControlSetup;
  data: Buffer;
}

export class FakeUsbTransport implements UsbTransport {
  readonly transfers: RecordedTransfer[] = [];
  readonly present: Array<ScriptedDevice & { address: number }> = [];
  opened = 0;
  closed = 0;

  constructor(devices: ScriptedDevice[] = []) {
    devices.forEach((d, i) => this.present.push({ ...d, address: 10 + i }));
  }

  async list(): Promise<UsbDeviceRef[]> {
    return this.present.map((d) => ({ vendorId: 0x05ac, productId: d.productId, busNumber: 1, deviceAddress: d.address, serial: d.serial }));
  }

  async open(ref: UsbDeviceRef): Promise<UsbHandle> {
    const dev = this.present.find((d) => d.address === ref.deviceAddress);
    if (!dev) throw new UsbTransferError('gone', 'LIBUSB_ERROR_NO_DEVICE');
    this.opened++;
    return {
      controlOut: async (setup, data) => {
        if (!this.present.includes(dev)) throw new UsbTransferError('gone', 'LIBUSB_ERROR_NO_DEVICE');
        const word = data.toString('utf8').replace(/\0$/, '').split(' ')[0];
        this.transfers.push({ device: dev.address, setup, data });
        if (dev.unplugOn === word) {
          this.present.splice(this.present.indexOf(dev), 1);
          throw new UsbTransferError('gone', 'LIBUSB_ERROR_NO_DEVICE');
        }
        if ((dev.vanishAfter ?? 'reboot') === word) {
          this.present.splice(this.present.indexOf(dev), 1);
          if (dev.rebootCutsTransfer) throw new UsbTransferError('stall', 'LIBUSB_ERROR_PIPE');
        }
      },
      close: async () => {
        this.closed++;
      },
    };
  }

  /** The commands sent so far, as text. */
  commands(): string[] {
    return this.transfers.map((t) => t.data.toString('utf8'));
  }
}
