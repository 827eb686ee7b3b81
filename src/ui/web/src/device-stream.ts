/**
 * The live device list from GET /api/devices/events: the first `devices` event, then attach and
 * detach as they happen (normal, Recovery and DFU mode). EventSource reconnects by itself.
 */
import { useEffect, useState } from 'preact/hooks';

export type { DeviceSummary } from '../../../device/device-summary.js';
import type { DeviceSummary } from '../../../device/device-summary.js';

export interface DeviceStream {
  devices: DeviceSummary[];
  warnings: string[];
  /** set when this build or machine has no device support at all */
  unavailable?: string;
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
  useEffect(() => {
    const es = new EventSource('/api/devices/events');
    const data = (e: Event) => JSON.parse((e as MessageEvent).data);
    es.addEventListener('devices', (e) => {
      const d = data(e) as { devices: DeviceSummary[]; warnings?: string[] };
      setState({ devices: d.devices, warnings: d.warnings ?? [], connected: true });
    });
    es.addEventListener('attach', (e) => {
      const dev = data(e).device as DeviceSummary;
      setState((s) => ({ ...s, devices: [...s.devices.filter((x) => deviceKey(x) !== deviceKey(dev)), dev] }));
    });
    es.addEventListener('detach', (e) => {
      const dev = data(e).device as DeviceSummary;
      setState((s) => ({ ...s, devices: s.devices.filter((x) => deviceKey(x) !== deviceKey(dev)) }));
    });
    es.addEventListener('warnings', (e) => {
      const w = data(e).warnings as string[];
      setState((s) => ({ ...s, warnings: w }));
    });
    es.addEventListener('unavailable', (e) => {
      setState({ devices: [], warnings: [], unavailable: data(e).message, connected: true });
      es.close();
    });
    return () => es.close();
  }, []);
  return state;
}
