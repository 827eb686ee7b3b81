/**
 * What the CLI and the web wizard ask about connected devices: every iPhone/iPad in normal mode
 * (through usbmuxd), Recovery or DFU mode (over USB), one device's details, and the mode changes.
 * Each source that cannot be reached becomes a warning, not a failure, so one missing piece
 * (no usbmuxd, no USB access) still leaves the other visible.
 */
import { getString, type PlistDict, type PlistValue } from '../plist/plist.js';
import { IrescueError, LockdownError, NoDeviceError, RecoveryNeedsTrustError, UsageError } from '../errors.js';
import { modelName } from '../models/models.js';
import { openLockdown, type LockdownSession, type TrustWait } from './lockdown/session.js';
import { readPairRecord } from './lockdown/pair-records.js';
import { DiagnosticsClient, DIAGNOSTICS_SERVICE, type DiagnosticsAction } from './services/diagnostics.js';
import { UsbmuxClient } from './usbmux/client.js';
import { modelFromChip } from './usb/identify.js';
import { NodeUsbTransport } from './usb/node-usb.js';
import { exitRecovery, listRecoveryDevices, type RecoveryDevice } from './usb/recovery.js';
import { normalizeEcid } from './usb/serial.js';
import { formatEcid } from '../models/ecid.js';
import type { UsbTransport } from './usb/transport.js';
import type { DeviceSummary } from './device-summary.js';

export type { DeviceMode, DeviceSummary } from './device-summary.js';

/** "iPhone 13 (iPhone14,5)", or the chip IDs when the model table does not know them. */
export function modelLabel(d: DeviceSummary): string {
  if (d.model) return d.productType ? `${d.model} (${d.productType})` : d.model;
  if (d.productType) return d.productType;
  if (d.cpid !== undefined) return `unknown model (CPID 0x${d.cpid.toString(16).toUpperCase()}${d.bdid !== undefined ? `, BDID 0x${d.bdid.toString(16).toUpperCase().padStart(2, '0')}` : ''})`;
  return 'unknown model';
}

export interface DeviceSources {
  usbmux?: UsbmuxClient;
  /** null: do not look over USB (Recovery/DFU) at all */
  usb?: UsbTransport | null;
  pairRecordFolders?: string[];
}

export interface DeviceList {
  devices: DeviceSummary[];
  warnings: string[];
}

function ecidOf(v: PlistValue | undefined): string | undefined {
  if ((typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'bigint' && v >= 0n)) return formatEcid(BigInt(v));
  return undefined;
}

/** iPhone XS and later: UDID "0000CPID-ECID" carries the ECID a Recovery-mode device reports. */
export function ecidFromUdid(udid: string): string | undefined {
  const m = /^0000[0-9A-Fa-f]{4}-([0-9A-Fa-f]{16})$/.exec(udid);
  return m ? formatEcid(BigInt(`0x${m[1]}`)) : undefined;
}

function summaryFromValues(values: PlistDict, base: Pick<DeviceSummary, 'udid' | 'connection' | 'paired'>): DeviceSummary {
  const productType = getString(values, 'ProductType');
  return {
    mode: 'normal',
    ...base,
    // the UDID carries the ECID exactly (iPhone XS+); UniqueChipID is the fallback for older models
    ecid: (base.udid ? ecidFromUdid(base.udid) : undefined) ?? ecidOf(values.UniqueChipID),
    productType,
    model: modelName(productType),
    deviceName: getString(values, 'DeviceName'),
    iosVersion: getString(values, 'ProductVersion'),
    buildVersion: getString(values, 'BuildVersion'),
  };
}

export function recoverySummary(d: RecoveryDevice): DeviceSummary {
  return { mode: d.mode, ecid: d.ecid, productType: d.productType, model: d.productType ? modelName(d.productType) ?? d.name : d.name, connection: 'USB', cpid: d.cpid, bdid: d.bdid };
}

function warningOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function listDevices(sources: DeviceSources = {}): Promise<DeviceList> {
  const usbmux = sources.usbmux ?? new UsbmuxClient();
  const warnings: string[] = [];
  const devices: DeviceSummary[] = [];
  const normal = await usbmux.listDevices().catch((e) => {
    warnings.push(warningOf(e));
    return [];
  });
  for (const d of normal) {
    const paired = (await readPairRecord(d.udid, usbmux, sources.pairRecordFolders)) !== undefined;
    try {
      const s = await openLockdown({ usbmux, udid: d.udid, session: false });
      try {
        devices.push(summaryFromValues(await s.lockdown.getValues(), { udid: d.udid, connection: d.connectionType, paired }));
      } finally {
        await s.close();
      }
    } catch (e) {
      // still list it: the user sees it is connected, and why details are missing
      warnings.push(`${d.udid}: ${warningOf(e)}`);
      devices.push({ mode: 'normal', udid: d.udid, ecid: ecidFromUdid(d.udid), connection: d.connectionType, paired });
    }
  }
  if (sources.usb !== null) {
    const usb = sources.usb ?? new NodeUsbTransport();
    const rec = await listRecoveryDevices(usb).catch((e) => {
      warnings.push(warningOf(e));
      return [];
    });
    devices.push(...rec.map(recoverySummary));
    // one sentence per cause, not per device
    for (const p of new Set(rec.map((d) => d.problem).filter((x): x is string => x !== undefined))) warnings.push(p);
  }
  return { devices, warnings };
}

export interface DeviceInfo {
  summary: DeviceSummary;
  /** every value lockdownd gave: the public subset unless paired */
  values: PlistDict;
  paired: boolean;
}

/** Details of a normal-mode device; pairs first (Trust prompt) only when `pair` is set. */
export async function deviceInfo(opts: { udid?: string; pair?: boolean; trust?: TrustWait } & DeviceSources = {}): Promise<DeviceInfo> {
  const usbmux = opts.usbmux ?? new UsbmuxClient();
  const device = await usbmux.findDevice(opts.udid);
  const hasRecord = (await readPairRecord(device.udid, usbmux, opts.pairRecordFolders)) !== undefined;
  const s = await openLockdown({ usbmux, udid: device.udid, session: hasRecord || opts.pair === true, pairIfNeeded: opts.pair, pairRecordFolders: opts.pairRecordFolders, trust: opts.trust });
  try {
    const values = await s.lockdown.getValues();
    const paired = s.lockdown.inSession;
    return { summary: summaryFromValues(values, { udid: device.udid, connection: device.connectionType, paired }), values, paired };
  } finally {
    await s.close();
  }
}

async function withSession<T>(opts: { udid?: string } & DeviceSources, needSession: boolean, fn: (s: LockdownSession) => Promise<T>): Promise<T> {
  const usbmux = opts.usbmux ?? new UsbmuxClient();
  const device = await usbmux.findDevice(opts.udid);
  const hasRecord = (await readPairRecord(device.udid, usbmux, opts.pairRecordFolders)) !== undefined;
  const s = await openLockdown({ usbmux, udid: device.udid, session: needSession || hasRecord, pairRecordFolders: opts.pairRecordFolders });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** lockdownd's answers to EnterRecovery from an untrusted computer (the one place these words are read). */
const NEEDS_TRUST = new Set(['SessionInactive', 'InvalidHostID', 'GetProhibited']);

/** Normal mode → Recovery mode through lockdownd (a paired session is needed from iOS 14.5). */
export async function enterRecovery(opts: { udid?: string; ecid?: string } & DeviceSources = {}): Promise<DeviceSummary> {
  let udid = opts.udid;
  if (opts.ecid) {
    const want = normalizeEcid(opts.ecid);
    if (!want) throw new UsageError(`--ecid ${opts.ecid} is not an ECID (hex like 0x1A2B3C4D5E801E or 16 hex digits)`);
    const { devices } = await listDevices({ ...opts, usb: null });
    const hit = devices.find((d) => d.ecid === want);
    if (!hit?.udid) {
      const usb = opts.usb === null ? [] : await listRecoveryDevices(opts.usb ?? new NodeUsbTransport()).catch(() => []);
      const already = usb.find((d) => d.ecid === want);
      if (already) throw new UsageError(`device ${want} is already in ${already.mode === 'dfu' ? 'DFU' : 'Recovery'} mode`);
      throw new NoDeviceError(`no device with ECID ${want} is connected in normal mode`);
    }
    udid = hit.udid;
  }
  return withSession({ ...opts, udid }, false, async (s) => {
    const values = await s.lockdown.getValues();
    try {
      await s.lockdown.enterRecovery();
    } catch (e) {
      // iOS 14.5+ obeys only a trusted computer; someone locked out cannot pair, so point at the buttons
      if (e instanceof LockdownError && !s.lockdown.inSession && NEEDS_TRUST.has(e.lockdownCode)) {
        throw new RecoveryNeedsTrustError(
          e.lockdownCode,
          `device ${s.device.udid}: iOS ${getString(values, 'ProductVersion') ?? ''} enters Recovery mode on command only from a computer it trusts (pair with "irescue device info --pair" if you can unlock it); otherwise use the button sequence: "irescue guide --situation forgot-passcode"`.replace('iOS  ', 'iOS '),
          { udid: s.device.udid },
        );
      }
      throw e;
    }
    return summaryFromValues(values, { udid: s.device.udid, connection: s.device.connectionType, paired: s.lockdown.inSession });
  });
}

/** Recovery mode → normal boot (over USB). With --udid, newer devices are found by the ECID inside it. */
export async function leaveRecovery(opts: { udid?: string; ecid?: string } & DeviceSources = {}): Promise<DeviceSummary> {
  if (opts.usb === null) throw new IrescueError('DEVICE', 'USB access is disabled');
  let ecid = opts.ecid !== undefined ? normalizeEcid(opts.ecid) : undefined;
  if (opts.ecid !== undefined && !ecid) throw new UsageError(`--ecid ${opts.ecid} is not an ECID (hex like 0x1A2B3C4D5E801E or 16 hex digits)`);
  if (!ecid && opts.udid) {
    ecid = ecidFromUdid(opts.udid);
    if (!ecid) throw new UsageError(`in Recovery mode this device is known by its ECID, not its UDID: run "irescue devices" and pass --ecid`);
  }
  const d = await exitRecovery(opts.usb ?? new NodeUsbTransport(), { ecid });
  return recoverySummary(d);
}

/** Restart or shut down a paired device (diagnostics_relay). */
export async function diagnosticsAction(action: DiagnosticsAction, opts: { udid?: string } & DeviceSources = {}): Promise<void> {
  await withSession(opts, true, async (s) => {
    const diag = new DiagnosticsClient(await s.startService(DIAGNOSTICS_SERVICE));
    try {
      await diag.perform(action);
    } finally {
      diag.close();
    }
  });
}


export type DeviceChange = { type: 'attached'; device: DeviceSummary } | { type: 'detached'; udid: string };

/**
 * Follows normal-mode devices as they are plugged in and out (usbmuxd Listen): the wizard's live
 * device list. Devices present at the start arrive as "attached" first.
 */
export async function watchDevices(onChange: (c: DeviceChange) => void, sources: DeviceSources = {}): Promise<{ close(): void; done: Promise<Error | undefined> }> {
  const usbmux = sources.usbmux ?? new UsbmuxClient();
  const known = new Map<number, string>();
  // lockdown answers are fetched one device at a time, in event order
  let queue = Promise.resolve();
  const listener = await usbmux.listen((e) => {
    queue = queue.then(async () => {
      if (e.type === 'attached') {
        known.set(e.device.deviceId, e.device.udid);
        const paired = (await readPairRecord(e.device.udid, usbmux, sources.pairRecordFolders)) !== undefined;
        let device: DeviceSummary = { mode: 'normal', udid: e.device.udid, ecid: ecidFromUdid(e.device.udid), connection: e.device.connectionType, paired };
        try {
          const s = await openLockdown({ usbmux, udid: e.device.udid, session: false });
          try {
            device = summaryFromValues(await s.lockdown.getValues(), { udid: e.device.udid, connection: e.device.connectionType, paired });
          } finally {
            await s.close();
          }
        } catch {
          // gone again, or lockdownd busy: report what usbmuxd told us
        }
        onChange({ type: 'attached', device });
      } else if (e.type === 'detached') {
        const udid = known.get(e.deviceId);
        known.delete(e.deviceId);
        if (udid) onChange({ type: 'detached', udid });
      }
    });
  });
  return listener;
}
