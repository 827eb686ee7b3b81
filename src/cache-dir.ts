import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user cache folder: sessions, the demo backup, restore logs. IRESCUE_CACHE_DIR overrides. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.IRESCUE_CACHE_DIR) return env.IRESCUE_CACHE_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'irescue');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'irescue');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'irescue');
}
