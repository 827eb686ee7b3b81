/**
 * What the device list reports about one attached device, on the CLI's --json and to the web
 * wizard (which imports this type: the file stays free of imports so the browser bundle can).
 */
export type DeviceMode = 'normal' | 'recovery' | 'dfu';

export interface DeviceSummary {
  mode: DeviceMode;
  udid?: string;
  ecid?: string;
  productType?: string;
  /** marketing name from the model table ("iPhone 13") */
  model?: string;
  /** the name the owner gave it ("Anna's iPhone"); normal mode only */
  deviceName?: string;
  iosVersion?: string;
  buildVersion?: string;
  connection: 'USB' | 'Network';
  /** normal mode: whether this computer holds a pair record for it */
  paired?: boolean;
  /** Recovery/DFU: chip and board IDs, what identifies the model there */
  cpid?: number;
  bdid?: number;
}
