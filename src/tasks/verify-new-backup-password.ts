/**
 * A task that spans two domains: make a device backup (device layer), then open its keybag with
 * the new password (backup layer). Nothing ever asks the user to confirm a new backup password on
 * the phone, so a typo would lock every future backup; after encryption is turned on or its
 * password changed, a fresh backup (also the user's first under the new password) is checked.
 * It lives here so that src/device imports nothing from src/backup.
 */
import { backupDevice, type DeviceBackupOptions, type DeviceBackupResult } from '../device/backup.js';
import { verifyBackupPassword } from '../backup/open.js';

export async function verifyNewBackupPassword(root: string, newPassword: string, opts: DeviceBackupOptions = {}): Promise<{ verified: boolean; backup: DeviceBackupResult }> {
  const backup = await backupDevice(root, opts);
  if (!backup.encrypted) return { verified: false, backup };
  const verified = await verifyBackupPassword(backup.path, newPassword, { signal: opts.signal });
  return { verified, backup };
}
