/**
 * A restore's first check: is a device connected, in Recovery or DFU mode, and which one. The
 * front ends look (the guide does not import the device layer, a peer) and pass what they saw;
 * this module only judges it, so every outcome is testable without a device.
 */
import { formatEcid, parseEcid } from '../../models/ecid.js';
import { modelByChip, modelName } from '../../models/models.js';
import type { DeviceMode, RestoreTarget } from './target.js';

/** A device the caller sees connected, in the device layer's words (DeviceSummary's fields). */
export interface ConnectedDevice {
  mode: DeviceMode;
  ecid?: string;
  udid?: string;
  productType?: string;
  cpid?: number;
  bdid?: number;
}

export interface DeviceCheck {
  status: 'ok' | 'warn' | 'fail';
  message: string;
  hints?: string[];
  /** the target with what the connected device tells (ECID, chip, mode) filled in */
  target: RestoreTarget;
}

const MODE_WORDS: Record<DeviceMode, string> = { recovery: 'Recovery mode', dfu: 'DFU mode', normal: 'normal mode', restore: 'restore mode', unknown: 'an unknown mode' };

/** Where to find the buttons, for every "put it into Recovery mode" hint. */
function buttonsHint(target: RestoreTarget): string {
  return `Put the device into Recovery mode: \`irescue guide --situation forgot-passcode --model "${target.productType ?? '<your model>'}"\` shows the buttons for your model.`;
}
const CABLE_HINT = 'Connect it straight to this computer with a USB cable (no hub), then check again.';

function sameEcid(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = parseEcid(a);
  return x !== undefined && x === parseEcid(b);
}

/** "an iPhone 12" (every name in the table starts with iPhone or iPad), else "a device". */
function deviceWords(d: ConnectedDevice): string {
  const name = modelName(d.productType) ?? (d.cpid !== undefined && d.bdid !== undefined ? modelByChip(d.cpid, d.bdid)?.name : undefined);
  return name ? `an ${name}` : 'a device';
}

/**
 * Judges the connected devices for a restore aimed at `target`: undefined `connected` means the
 * caller did not look, and the target's own mode (if any) is all there is to go on.
 */
export function checkConnectedDevice(target: RestoreTarget, connected: readonly ConnectedDevice[] | undefined): DeviceCheck {
  if (connected === undefined) {
    if (target.mode === 'recovery' || target.mode === 'dfu') return { status: 'ok', message: `the device is connected in ${MODE_WORDS[target.mode]}`, target };
    if (target.mode === 'normal') return { status: 'warn', message: 'the device is in normal mode: idevicerestore will first restart it into Recovery Mode', target };
    if (target.mode === 'restore') return { status: 'warn', message: 'the device is in restore mode: a restore was interrupted; idevicerestore may need -R, or put the device into Recovery Mode again', target };
    return { status: 'warn', message: 'could not check whether a device is connected in Recovery or DFU mode (`irescue devices` says why); idevicerestore will look for it itself', hints: [buttonsHint(target)], target };
  }
  const wanted = connected.filter((d) => (target.ecid ? sameEcid(d.ecid, target.ecid) : target.udid ? d.udid === target.udid : true));
  const ready = wanted.filter((d) => d.mode === 'recovery' || d.mode === 'dfu');
  if (ready.length > 1) {
    return { status: 'fail', message: `${ready.length} devices are connected in Recovery or DFU mode: say which one to erase with --ecid (irescue devices lists them)`, hints: ['Or unplug the others.'], target };
  }
  if (ready.length === 1) {
    const d = ready[0];
    const filled: RestoreTarget = { ...target, mode: d.mode };
    const ecid = d.ecid !== undefined ? parseEcid(d.ecid) : undefined;
    // idevicerestore must erase this device and no other: aim it by the ECID we saw.
    if (!filled.ecid && ecid !== undefined) filled.ecid = formatEcid(ecid, 'c');
    if (!filled.productType && d.productType) filled.productType = d.productType;
    if (filled.cpid === undefined && d.cpid !== undefined) filled.cpid = d.cpid;
    if (filled.bdid === undefined && d.bdid !== undefined) filled.bdid = d.bdid;
    return { status: 'ok', message: `${deviceWords(d)} is connected in ${MODE_WORDS[d.mode]}`, target: filled };
  }
  const normal = wanted.find((d) => d.mode === 'normal');
  if (normal) {
    return {
      status: 'warn',
      message: `${deviceWords(normal)} is connected in normal mode, not in Recovery or DFU mode: idevicerestore will try to restart it into Recovery mode`,
      hints: ['If it is locked and this computer was never trusted, that does not work: put it into Recovery mode with the buttons instead.', buttonsHint(target)],
      target: { ...target, mode: 'normal', udid: target.udid ?? normal.udid },
    };
  }
  const which = target.ecid ? ` with ECID ${target.ecid}` : target.udid ? ` with UDID ${target.udid}` : '';
  return { status: 'fail', message: `no device${which} is connected in Recovery or DFU mode`, hints: [buttonsHint(target), CABLE_HINT], target };
}
