/** Runs the CLI from source, as a user does, against a fake usbmuxd (USBMUXD_SOCKET_ADDRESS). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeUsbmuxd } from '../fakes/usbmuxd.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export function runDeviceCli(mux: FakeUsbmuxd, args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, USBMUXD_SOCKET_ADDRESS: mux.address, NO_COLOR: '1', ...extraEnv };
    // no password may leak in from the environment of whoever runs the tests
    if (extraEnv.IRESCUE_PASSWORD === undefined) delete env.IRESCUE_PASSWORD;
    if (extraEnv.IRESCUE_NEW_PASSWORD === undefined) delete env.IRESCUE_NEW_PASSWORD;
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
