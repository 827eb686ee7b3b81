/**
 * Live detection for the Recovery/DFU instructions: poll a detector until the device shows up in
 * the wanted mode, so the next step appears by itself. The detector comes from the caller (USB
 * Recovery/DFU detection lives in src/device/); this module only waits.
 */
import { CancelledError, NoDeviceError, throwIfAborted } from '../errors.js';
import type { DeviceMode } from './restore/target.js';

export interface WaitOptions {
  signal?: AbortSignal;
  intervalMs?: number;
  /** give up after this long (default: wait until aborted) */
  timeoutMs?: number;
  /** called with every mode seen, for "still in normal mode…" feedback */
  onSeen?: (mode: DeviceMode | undefined) => void;
}

export async function waitForMode(detect: () => Promise<DeviceMode | undefined>, want: readonly DeviceMode[], o: WaitOptions = {}): Promise<DeviceMode> {
  const interval = o.intervalMs ?? 1000;
  const deadline = o.timeoutMs !== undefined ? Date.now() + o.timeoutMs : Infinity;
  for (;;) {
    throwIfAborted(o.signal);
    const mode = await detect();
    o.onSeen?.(mode);
    if (mode && want.includes(mode)) return mode;
    if (Date.now() >= deadline) throw new NoDeviceError(`no device appeared in ${want.join(' or ')} mode: check the cable and repeat the button steps`);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, interval);
      o.signal?.addEventListener('abort', () => {
        clearTimeout(t);
        reject(new CancelledError());
      }, { once: true });
    });
  }
}
