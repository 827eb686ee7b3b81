/**
 * com.apple.mobile.diagnostics_relay: restart, shut down or sleep the device. Takes a Connection
 * from a lockdown session; never opens one.
 */
import { getString, type PlistDict } from '../../plist/plist.js';
import { IrescueError } from '../../errors.js';
import type { Connection } from '../connection.js';
import { receivePlist, sendPlist } from '../plist-service.js';

export const DIAGNOSTICS_SERVICE = 'com.apple.mobile.diagnostics_relay';

export type DiagnosticsAction = 'Restart' | 'Shutdown' | 'Sleep';

export class DiagnosticsClient {
  constructor(private readonly conn: Connection) {}

  private async request(request: string, extra: PlistDict = {}): Promise<PlistDict> {
    await sendPlist(this.conn, { Request: request, ...extra });
    const reply = await receivePlist(this.conn, `diagnostics_relay reply to ${request}`);
    const status = getString(reply, 'Status');
    if (status !== 'Success') throw new IrescueError('DEVICE', `the device refused ${request} (diagnostics_relay answered ${status ?? 'nothing'})`, { status });
    return reply;
  }

  /** The device acts once this connection closes (WaitForDisconnect), so we close right after. */
  async perform(action: DiagnosticsAction): Promise<void> {
    await this.request(action, { WaitForDisconnect: true, DisplayPass: false, DisplayFail: false });
  }

  restart(): Promise<void> {
    return this.perform('Restart');
  }

  shutdown(): Promise<void> {
    return this.perform('Shutdown');
  }

  async goodbye(): Promise<void> {
    await this.request('Goodbye').catch(() => undefined);
  }

  close(): void {
    this.conn.close();
  }
}
