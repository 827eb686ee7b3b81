/**
 * Opens a URL or folder with the desktop's own opener (xdg-open, open, start). Silently does
 * nothing where there is none (a server, a container): the printed URL is the fallback.
 */
import { spawn } from 'node:child_process';
import { childEnv } from '../child-env.js';

export function openerCommand(target: string, platform: NodeJS.Platform = process.platform): { cmd: string; args: string[]; verbatim?: boolean } {
  if (platform === 'darwin') return { cmd: 'open', args: [target] };
  // `start` is a cmd built-in; the empty "" is the window title it would otherwise take from the
  // quoted target. Passed verbatim so Node does not re-quote the quotes.
  if (platform === 'win32') return { cmd: 'cmd', args: ['/d', '/s', '/c', `start "" "${target.replace(/"/g, '')}"`], verbatim: true };
  return { cmd: 'xdg-open', args: [target] };
}

export function openExternal(target: string): Promise<boolean> {
  const { cmd, args, verbatim } = openerCommand(target);
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd, args, { stdio: 'ignore', detached: true, windowsHide: true, windowsVerbatimArguments: verbatim, env: childEnv() });
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
