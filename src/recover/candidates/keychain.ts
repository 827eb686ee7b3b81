/**
 * Passwords this computer may have saved for the backup. On macOS, Finder/iTunes can keep the
 * backup password in the login keychain as a generic password whose service is "iOS Backup" (or
 * "iPhone Backup" on older systems) and whose account is the device's UDID. Reading it makes macOS
 * show its own permission dialog; the CLI asks the user before trying. Other systems: nothing is
 * read, and the note says why.
 */
import { execFile } from 'node:child_process';

export const KEYCHAIN_SERVICES = ['iOS Backup', 'iPhone Backup'];

export interface KeychainResult {
  passwords: string[];
  /** for the user: what was looked at, or why nothing was */
  note: string;
}

export type RunCommand = (cmd: string, args: string[]) => Promise<{ code: number; stdout: string }>;

const runSecurity: RunCommand = (cmd, args) =>
  new Promise((resolve) => {
    execFile(cmd, args, { timeout: 120_000, maxBuffer: 1 << 16 }, (err, stdout) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout) });
    });
  });

export async function readKeychainPasswords(udid: string | undefined, opts: { platform?: NodeJS.Platform; run?: RunCommand } = {}): Promise<KeychainResult> {
  const platform = opts.platform ?? process.platform;
  if (platform !== 'darwin') {
    const where = platform === 'win32' ? 'Windows Credential Manager entries are not read yet' : 'only macOS keeps backup passwords in a keychain';
    return { passwords: [], note: `saved passwords: skipped (${where})` };
  }
  if (!udid) return { passwords: [], note: 'saved passwords: skipped (a hash line carries no device UDID to look up)' };
  const run = opts.run ?? runSecurity;
  const found: string[] = [];
  for (const service of KEYCHAIN_SERVICES) {
    const { code, stdout } = await run('security', ['find-generic-password', '-s', service, '-a', udid, '-w']);
    if (code === 0) {
      const pw = stdout.replace(/\r?\n$/, '');
      if (pw) found.push(pw);
    }
  }
  return {
    passwords: found,
    note: found.length ? `saved passwords: ${found.length} found in the keychain for this device` : `saved passwords: none in the keychain for device ${udid}`,
  };
}
