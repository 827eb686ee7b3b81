/**
 * Output helpers of the device commands: human lines for a device and the trust wait. JSON,
 * notes and interrupts are the shared ones in cli/common.ts.
 */
import { modelLabel, type DeviceSummary } from '../../device/devices.js';
import type { TrustWait } from '../../device/lockdown/session.js';

import { info } from '../common.js';
import { printable } from '../printable.js';

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
    onPrompt: () => info('The device asks "Trust This Computer?": unlock it, tap Trust and enter the passcode. Waiting (Ctrl-C to stop)...'),
    onLocked: () => info('The device is locked: unlock it with its passcode so that it can ask "Trust This Computer?". Waiting (Ctrl-C to stop)...'),
    signal,
  };
}

