/**
 * What the device layer tells its caller while a long device step runs, beside byte progress:
 * the phone waits for its passcode, asks for disk space, gives up on a file. The library returns
 * these as values; the CLI prints `message`, the wizard renders `kind`.
 */
export type DeviceNotice =
  | { kind: 'passcode-prompt'; message: string }
  | { kind: 'passcode-dismissed'; message: string }
  | { kind: 'cancelled-on-device'; message: string }
  | { kind: 'disk-space'; message: string; bytesWanted: number; bytesFree?: number }
  | { kind: 'failed-file'; message: string; path: string; reason: string };

export type OnDeviceNotice = (notice: DeviceNotice) => void;

export const PASSCODE_PROMPT_MESSAGE = 'Enter the passcode on the iPhone to start the backup';

const GB = 1e9;

function formatGb(bytes: number): string {
  return `${(bytes / GB).toFixed(bytes >= 10 * GB ? 0 : 1)} GB`;
}

/** iOS asks for its shortfall plus 2 GiB (pymobiledevice3#1879): the owner needs the shortfall. */
export const PURGE_MARGIN = 2 * 1024 ** 3;

export function diskSpaceMessage(bytesWanted: number, bytesFree: number | undefined, platform: NodeJS.Platform = process.platform): string {
  const free = bytesFree !== undefined ? ` (${formatGb(bytesFree)} free now)` : '';
  const mac = platform === 'darwin' ? '; macOS counts space it could free (purgeable: iCloud caches, local snapshots) as used until it frees it, so free a little more than that' : '';
  return `the iPhone needs about ${formatGb(bytesWanted)} more free space on this computer's backup drive${free}${mac}`;
}
