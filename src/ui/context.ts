/**
 * What every route module receives: the shared registries and the server's options. Areas that
 * land later (recover, export, devices, guide) add a RouteModule and read what they need here.
 */
import type { JobRegistry } from './jobs.js';
import type { Router } from './router.js';
import type { SessionStore } from './sessions.js';

/** A device attach/detach source; the device area supplies one (usbmux listen + USB watch). */
export interface DeviceWatch {
  list(): Promise<unknown[]>;
  /** calls back on every attach or detach; returns the function that stops watching */
  watch(listener: (event: { type: 'attach' | 'detach'; device: unknown }) => void): () => void;
}

export interface UiOptions {
  /** extra backup roots searched besides (or instead of) the OS defaults */
  roots: string[];
  includeDefaultRoots: boolean;
  /** where the demo backup is generated (default: the user cache) */
  demoRoot?: string;
  devices?: DeviceWatch;
}

export interface UiContext {
  port: number;
  options: UiOptions;
  jobs: JobRegistry;
  sessions: SessionStore;
  /** folders this wizard wrote, the only ones it will open in the file manager */
  outputs: Set<string>;
}

export interface RouteModule {
  /** the wizard area this module serves; the page shows a "coming" page for areas absent here */
  feature: string;
  register(router: Router, ctx: UiContext): void;
}
