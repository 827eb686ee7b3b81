/**
 * What every route module receives: the shared registries (jobs, open backups, the backups the page
 * was shown, folders written) and the server's options.
 */
import type { BackupRegistry } from './backup-registry.js';
import type { JobRegistry } from './jobs.js';
import type { OutputViews } from './output-view.js';
import type { Router } from './router.js';
import type { SessionStore } from './sessions.js';
import type { DeviceSources } from '../device/devices.js';

/** What the device stream sends: a device came or went, or what cannot be watched changed. */
export type DeviceWatchEvent = { type: 'attach' | 'detach'; device: unknown } | { type: 'warnings'; warnings: string[] };

/** A device attach/detach source; src/ui/device-watch.ts supplies one (usbmux listen + USB polling). */
export interface DeviceWatch {
  list(): Promise<unknown[]>;
  /** calls back on every attach or detach; returns the function that stops watching */
  watch(listener: (event: DeviceWatchEvent) => void): () => void;
  /** why some devices cannot be seen right now (no usbmuxd, no USB access), for a plain note */
  warnings?(): string[];
}

export interface UiOptions {
  /** extra backup roots searched besides (or instead of) the OS defaults */
  roots: string[];
  includeDefaultRoots: boolean;
  /** where the demo backup is generated (default: the user cache) */
  demoRoot?: string;
  devices?: DeviceWatch;
  /** where device info and Recovery commands go (tests: a fake usbmuxd and USB); default: the real ones */
  deviceSources?: DeviceSources;
  /** base folder for restore downloads and logs (default: the irescue cache folder) */
  cacheDir?: string;
}

export interface UiContext {
  port: number;
  options: UiOptions;
  jobs: JobRegistry;
  sessions: SessionStore;
  /** backups the page was shown, by id: every area resolves the page's backup ids here */
  backups: BackupRegistry;
  /** reports this wizard wrote, served to the browser by capability (output-view.ts) */
  views: OutputViews;
  /** folders this wizard wrote, the only ones it will open in the file manager */
  outputs: Set<string>;
}

export interface RouteModule {
  register(router: Router, ctx: UiContext): void;
}
