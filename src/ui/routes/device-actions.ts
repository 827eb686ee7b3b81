/**
 * Devices: the current list (normal, Recovery, DFU), one device's details, entering and leaving
 * Recovery mode. The live updates come from the event stream in devices.ts.
 */
import { deviceInfo, enterRecovery, leaveRecovery, listDevices } from '../../device/devices.js';
import { RecoveryNeedsTrustError } from '../../errors.js';
import type { RouteModule } from '../context.js';
import { HttpError, readJsonBody, stringField } from '../http.js';

/** Values worth showing a person; the rest (keys, certificates) stays out of the page. */
const INFO_KEYS = ['DeviceName', 'ProductType', 'ProductVersion', 'BuildVersion', 'SerialNumber', 'UniqueDeviceID', 'ModelNumber', 'RegionInfo', 'DeviceClass', 'HardwareModel', 'CPUArchitecture', 'ActivationState', 'PasswordProtected', 'WiFiAddress', 'BluetoothAddress', 'PhoneNumber', 'TimeZone'];

export const deviceRoutes: RouteModule = {
  register(router, ctx) {
    const sources = () => ctx.options.deviceSources ?? {};

    router.get('/api/devices', async () => listDevices(sources()));

    router.get('/api/devices/info', async ({ query }) => {
      const udid = query.get('udid') || undefined;
      const info = await deviceInfo({ ...sources(), udid });
      const values: Record<string, unknown> = {};
      for (const k of INFO_KEYS) {
        const v = info.values[k];
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') values[k] = v;
      }
      return { summary: info.summary, paired: info.paired, values };
    });

    router.post('/api/devices/recovery/enter', async ({ req }) => {
      const body = await readJsonBody(req);
      try {
        return { device: await enterRecovery({ ...sources(), udid: stringField(body, 'udid') }) };
      } catch (e) {
        // Newer iOS obeys only a computer it trusts; a locked-out owner cannot pair, so the buttons it is.
        if (e instanceof RecoveryNeedsTrustError) {
          throw new HttpError(409, 'DEVICE', 'this device enters Recovery mode on command only from a computer it trusts', 'Use the buttons instead: the guide (“Locked out?”) shows them for your model, and this page shows the device when it arrives in Recovery mode.');
        }
        throw e;
      }
    });

    router.post('/api/devices/recovery/leave', async ({ req }) => {
      const body = await readJsonBody(req);
      return { device: await leaveRecovery({ ...sources(), ecid: stringField(body, 'ecid') }) };
    });
  },
};
