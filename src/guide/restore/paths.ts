/** Where restore firmware and logs go when the user does not choose: the OS cache folder. */
import { homedir } from 'node:os';
import { join } from 'node:path';

function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'irescue');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'irescue', 'Cache');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'irescue');
}

export function restoreCacheDir(base = defaultCacheDir()): string {
  return join(base, 'restore');
}

export function restoreLogDir(base = defaultCacheDir()): string {
  return join(base, 'restore-logs');
}
