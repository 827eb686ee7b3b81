/**
 * The wizard's live device list: a thin adapter over the device layer's createLiveDeviceList
 * (device/watch.ts), which merges usbmuxd Listen and USB polling with their warnings.
 */
import { createLiveDeviceList, type DeviceWatchOptions } from '../device/watch.js';
import type { DeviceWatch } from './context.js';

export { deviceKey, type DeviceWatchOptions } from '../device/watch.js';

export function createDeviceWatch(o: DeviceWatchOptions = {}): DeviceWatch & { close(): void } {
  return createLiveDeviceList(o);
}
