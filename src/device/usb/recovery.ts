/**
 * Devices in Recovery and DFU mode over USB: describe them (mode, ECID, chip, model) and leave
 * Recovery mode. iBoot takes commands as vendor control transfers (bmRequestType 0x40, request 0)
 * whose data is the NUL-terminated command; "reboot" may cut the connection before the transfer
 * completes, which is the expected outcome.
 */
import { DeviceLostError, IrescueError, NoDeviceError, UsageError } from '../../errors.js';
import { modelFromChip } from './identify.js';
import { parseIbootSerial, type IbootSerial } from './serial.js';
import { UsbTransferError, usbModeOf, type UsbDeviceRef, type UsbHandle, type UsbMode, type UsbTransport } from './transport.js';

export interface RecoveryDevice {
  mode: UsbMode;
  ref: UsbDeviceRef;
  ecid?: string;
  cpid?: number;
  bdid?: number;
  productType?: string;
  name?: string;
  serial: IbootSerial;
  /** why details are missing (could not open the device), a plain sentence */
  problem?: string;
}

export function describeUsbDevice(ref: UsbDeviceRef): RecoveryDevice | undefined {
  const mode = usbModeOf(ref.vendorId, ref.productId);
  if (!mode) return undefined;
  const serial = parseIbootSerial(ref.serial);
  const model = modelFromChip(serial.cpid, serial.bdid);
  return { mode, ref, ecid: serial.ecid, cpid: serial.cpid, bdid: serial.bdid, productType: model?.productType, name: model?.name, serial, ...(ref.problem ? { problem: ref.problem } : {}) };
}

export async function listRecoveryDevices(transport: UsbTransport): Promise<RecoveryDevice[]> {
  const refs = await transport.list();
  return refs.map(describeUsbDevice).filter((d): d is RecoveryDevice => d !== undefined);
}

const COMMAND_SETUP = { requestType: 0x40, request: 0, value: 0, index: 0 } as const;

export function encodeCommand(command: string): Buffer {
  if (command.includes('\0')) throw new UsageError('an iBoot command cannot contain a NUL character');
  return Buffer.from(`${command}\0`, 'utf8');
}

async function sendCommand(handle: UsbHandle, command: string, opts: { mayDisconnect?: boolean; tolerate?: boolean } = {}): Promise<void> {
  try {
    await handle.controlOut(COMMAND_SETUP, encodeCommand(command));
  } catch (e) {
    if (opts.mayDisconnect && e instanceof UsbTransferError && (e.kind === 'gone' || e.kind === 'stall' || e.kind === 'timeout')) return;
    // libirecovery ignores the result of a command transfer: a slow NVRAM write that stalls or
    // times out is not a refusal, and the reboot that follows still has to go out
    if (opts.tolerate && e instanceof UsbTransferError && (e.kind === 'stall' || e.kind === 'timeout')) return;
    if (e instanceof UsbTransferError && e.kind === 'gone') throw new DeviceLostError(`the device disconnected while receiving "${command.split(' ')[0]}": was it unplugged?`);
    throw new IrescueError('DEVICE', `the device refused the Recovery command "${command.split(' ')[0]}" (${(e as Error).message})`);
  }
}

/** Picks the Recovery/DFU device: by ECID when given, else the only one. */
function chooseRecoveryDevice(devices: RecoveryDevice[], ecid?: string, mode?: UsbMode): RecoveryDevice {
  const pool = mode ? devices.filter((d) => d.mode === mode) : devices;
  if (ecid) {
    const d = pool.find((x) => x.ecid === ecid);
    if (!d) throw new NoDeviceError(`no device with ECID ${ecid} is in ${mode ?? 'Recovery or DFU'} mode (found ${pool.map((x) => x.ecid ?? '?').join(', ') || 'none'})`);
    return d;
  }
  if (pool.length === 0) throw new NoDeviceError(`no device in ${mode === 'dfu' ? 'DFU' : mode === 'recovery' ? 'Recovery' : 'Recovery or DFU'} mode found over USB`);
  if (pool.length > 1) throw new UsageError(`${pool.length} devices are in ${mode ?? 'Recovery/DFU'} mode; choose one with --ecid (${pool.map((x) => x.ecid ?? '?').join(', ')})`);
  return pool[0];
}

/**
 * Leaves Recovery mode: the device boots its installed iOS. Does nothing useful in DFU mode, where
 * iBoot does not run; there the route is a restore.
 */
export async function exitRecovery(transport: UsbTransport, opts: { ecid?: string } = {}): Promise<RecoveryDevice> {
  const all = await listRecoveryDevices(transport);
  const target = chooseRecoveryDevice(all, opts.ecid);
  if (target.mode === 'dfu') throw new UsageError(`device ${target.ecid ?? ''} is in DFU mode, which cannot be left with commands: hold the buttons to force-restart it, or restore it`.replace('  ', ' '));
  const handle = await transport.open(target.ref);
  try {
    await sendCommand(handle, 'setenv auto-boot true', { tolerate: true });
    await sendCommand(handle, 'saveenv', { tolerate: true });
    await sendCommand(handle, 'reboot', { mayDisconnect: true });
  } finally {
    await handle.close();
  }
  return target;
}
