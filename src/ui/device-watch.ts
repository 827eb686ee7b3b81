/**
 * The wizard's live device list: normal-mode devices from usbmuxd's Listen (watchDevices), and
 * Recovery/DFU devices polled over USB (usbmuxd does not see those). Runs only while a page is
 * listening. A source that cannot be reached (no usbmuxd, no USB access) becomes a warning the page
 * shows as a plain note, and is tried again a little later.
 */
import { listDevices, watchDevices, type DeviceSources, type DeviceSummary } from '../device/devices.js';
import { NodeUsbTransport } from '../device/usb/node-usb.js';
import { listRecoveryDevices } from '../device/usb/recovery.js';
import { modelName } from '../models/models.js';
import type { DeviceWatch, DeviceWatchEvent } from './context.js';

export interface DeviceWatchOptions {
  sources?: DeviceSources;
  /** how often USB is polled for Recovery/DFU devices (ms) */
  pollMs?: number;
  /** how long to wait before asking usbmuxd again after it failed (ms) */
  retryMs?: number;
}

/** One key per device and mode: a device that reboots into Recovery is a new entry. */
export function deviceKey(d: DeviceSummary): string {
  return `${d.mode}:${d.udid ?? d.ecid ?? '?'}`;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createDeviceWatch(o: DeviceWatchOptions = {}): DeviceWatch & { close(): void } {
  const sources = o.sources ?? {};
  const pollMs = o.pollMs ?? 1000;
  const retryMs = o.retryMs ?? 5000;
  const usb = sources.usb === null ? null : (sources.usb ?? new NodeUsbTransport());
  const listeners = new Set<(e: DeviceWatchEvent) => void>();
  const normal = new Map<string, DeviceSummary>();
  const recovery = new Map<string, DeviceSummary>();
  const warn = { usbmux: undefined as string | undefined, usb: undefined as string | undefined };
  let running = false;
  // Each start() is one generation: work still in flight from an earlier one ends quietly.
  let gen = 0;
  let usbTimer: NodeJS.Timeout | undefined;
  let muxTimer: NodeJS.Timeout | undefined;
  let mux: { close(): void } | undefined;

  const emit = (e: DeviceWatchEvent) => {
    for (const l of listeners) l(e);
  };
  let listWarnings: string[] = [];
  const warnings = () => (running ? [warn.usbmux, warn.usb].filter((w): w is string => !!w) : listWarnings);
  const setWarning = (which: 'usbmux' | 'usb', text: string | undefined) => {
    if (warn[which] === text) return;
    warn[which] = text;
    emit({ type: 'warnings', warnings: warnings() });
  };

  const pollUsb = async (my: number) => {
    if (!usb) return;
    try {
      const listed = await listRecoveryDevices(usb);
      if (my !== gen) return;
      const found = listed.map((d): DeviceSummary => ({
        mode: d.mode, ecid: d.ecid, productType: d.productType, model: d.productType ? modelName(d.productType) ?? d.name : d.name, connection: 'USB', cpid: d.cpid, bdid: d.bdid,
      }));
      setWarning('usb', undefined);
      const now = new Map(found.map((d) => [deviceKey(d), d]));
      for (const [k, d] of recovery) if (!now.has(k)) { recovery.delete(k); emit({ type: 'detach', device: d }); }
      for (const [k, d] of now) if (!recovery.has(k)) { recovery.set(k, d); emit({ type: 'attach', device: d }); }
    } catch (e) {
      if (my !== gen) return;
      setWarning('usb', `Recovery and DFU mode cannot be seen: ${message(e)}`);
    }
  };

  const loopUsb = async (my: number) => {
    await pollUsb(my);
    if (running && my === gen) usbTimer = setTimeout(() => loopUsb(my), pollMs);
  };

  const startMux = async (my: number) => {
    try {
      const listener = await watchDevices((c) => {
        if (c.type === 'attached') {
          normal.set(deviceKey(c.device), c.device);
          emit({ type: 'attach', device: c.device });
        } else {
          const k = `normal:${c.udid}`;
          const d = normal.get(k) ?? { mode: 'normal', udid: c.udid, connection: 'USB' };
          normal.delete(k);
          emit({ type: 'detach', device: d });
        }
      }, sources);
      if (!running || my !== gen) return listener.close();
      mux = listener;
      setWarning('usbmux', undefined);
      listener.done.then((err) => {
        if (!running || my !== gen || mux !== listener) return;
        mux = undefined;
        for (const d of normal.values()) emit({ type: 'detach', device: d });
        normal.clear();
        setWarning('usbmux', `the connection to usbmuxd ended${err ? ` (${message(err)})` : ''}; trying again`);
        muxTimer = setTimeout(() => startMux(my), retryMs);
      });
    } catch (e) {
      if (my !== gen) return;
      setWarning('usbmux', `devices in normal mode cannot be seen: ${message(e)}`);
      if (running) muxTimer = setTimeout(() => startMux(my), retryMs);
    }
  };

  const start = () => {
    running = true;
    const my = ++gen;
    void startMux(my);
    void loopUsb(my);
  };

  const stop = () => {
    running = false;
    clearTimeout(usbTimer);
    clearTimeout(muxTimer);
    mux?.close();
    mux = undefined;
    normal.clear();
    recovery.clear();
    warn.usbmux = warn.usb = undefined;
  };

  return {
    async list() {
      const r = await listDevices({ ...sources, usb });
      listWarnings = r.warnings;
      return r.devices;
    },
    watch(listener) {
      listeners.add(listener);
      if (!running) start();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    warnings,
    close() {
      listeners.clear();
      stop();
    },
  };
}
