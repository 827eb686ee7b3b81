/**
 * Opens a URL or folder with the desktop's own opener (xdg-open, open, start). Silently does
 * nothing where there is none (a server, a container): the printed URL is the fallback.
 */
import { spawn } from 'node:child_process';

export function openerCommand(target: string, platform: NodeJS.Platform = process.platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [target]];
  // `start` is a cmd built-in; the empty "" is the window title it would otherwise take from the URL.
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', target.replace(/&/g, '^&')]];
  return ['xdg-open', [target]];
}

export function openExternal(target: string): Promise<boolean> {
  const [cmd, args] = openerCommand(target);
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd, args, { stdio: 'ignore', detached: true, windowsHide: true });
      child.on('error', () => resolve(false));
      child.on('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
