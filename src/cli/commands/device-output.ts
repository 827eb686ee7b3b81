/**
 * Output helpers of the device commands: one JSON document on stdout (data as base64, bigints as
 * numbers when exact, else strings), human lines for a device.
 */
import { modelLabel, type DeviceSummary } from '../../device/devices.js';
import type { TrustWait } from '../../device/lockdown/session.js';

// One JSON printer, one stderr note and one interrupt signal for every command (cli/common.ts).
import { info as note } from '../common.js';
import { printable } from '../printable.js';
export { printJson as printDeviceJson, info as note, interruptSignal } from '../common.js';

const MODE_LABEL: Record<DeviceSummary['mode'], string> = { normal: 'normal', recovery: 'Recovery', dfu: 'DFU' };

export function describeDevice(d: DeviceSummary): string {
  const parts = [`${MODE_LABEL[d.mode].padEnd(8)} ${modelLabel(d)}`];
  if (d.iosVersion) parts.push(`iOS ${d.iosVersion}${d.buildVersion ? ` (${d.buildVersion})` : ''}`);
  if (d.deviceName) parts.push(`"${d.deviceName}"`);
  if (d.udid) parts.push(`UDID ${d.udid}`);
  else if (d.ecid) parts.push(`ECID ${d.ecid}`);
  if (d.connection === 'Network') parts.push('over Wi-Fi');
  if (d.mode === 'normal' && d.paired !== undefined) parts.push(d.paired ? 'paired' : 'not paired');
  return printable(parts.join('  '));
}

/** How the CLI waits for "Trust This Computer?": two minutes, saying once what to do; Ctrl-C stops. */
export function cliTrustWait(signal?: AbortSignal): TrustWait {
  return {
    waitMs: 120_000,
    onPrompt: () => note('The device asks "Trust This Computer?": unlock it, tap Trust and enter the passcode. Waiting (Ctrl-C to stop)...'),
    signal,
  };
}

