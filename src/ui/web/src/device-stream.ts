/**
 * The live device list from GET /api/devices/events: the first `devices` event, then attach and
 * detach as they happen (normal, Recovery and DFU mode). The stream reconnects by itself.
 */
import { useEffect, useState } from 'preact/hooks';
import { openEventStream } from './event-stream.js';

export type { DeviceSummary } from '../../../device/device-summary.js';
import type { DeviceSummary } from '../../../device/device-summary.js';

export interface DeviceStream {
  devices: DeviceSummary[];
  warnings: string[];
  connected: boolean;
}

export const deviceKey = (d: DeviceSummary) => `${d.mode}:${d.udid ?? d.ecid ?? '?'}`;

export const MODE_NAMES: Record<DeviceSummary['mode'], string> = { normal: 'normal mode', recovery: 'Recovery mode', dfu: 'DFU mode' };

export function deviceTitle(d: DeviceSummary): string {
  const model = d.model ? (d.productType ? `${d.model} (${d.productType})` : d.model) : d.productType ?? 'Unknown model';
  return d.deviceName ? `${d.deviceName}: ${model}` : model;
}

export function useDeviceStream(): DeviceStream {
  const [state, setState] = useState<DeviceStream>({ devices: [], warnings: [], connected: false });
  useEffect(
    () =>
      openEventStream('/api/devices/events', {
        event(name, data) {
          const d = data as { devices?: DeviceSummary[]; device?: DeviceSummary; warnings?: string[] };
          if (name === 'devices') setState({ devices: d.devices ?? [], warnings: d.warnings ?? [], connected: true });
          else if (name === 'attach' && d.device) {
            const dev = d.device;
            setState((s) => ({ ...s, devices: [...s.devices.filter((x) => deviceKey(x) !== deviceKey(dev)), dev] }));
          } else if (name === 'detach' && d.device) {
            const dev = d.device;
            setState((s) => ({ ...s, devices: s.devices.filter((x) => deviceKey(x) !== deviceKey(dev)) }));
          } else if (name === 'warnings') setState((s) => ({ ...s, warnings: d.warnings ?? [] }));
        },
        dropped() {
          setState((s) => ({ ...s, connected: false }));
        },
      }),
    [],
  );
  return state;
}
