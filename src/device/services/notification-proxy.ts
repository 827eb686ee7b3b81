/**
 * com.apple.mobile.notification_proxy: the device relays named notifications the host observes
 * ("RelayNotification"), and the host can post its own. A backup uses it to learn when the phone
 * shows its passcode prompt (iOS 16.1+ asks before every backup) and when the user cancels a sync
 * on the phone, so that it can say so instead of sitting at 0 %.
 */
import { getString } from '../../plist/plist.js';
import type { Connection } from '../connection.js';
import { receivePlist, sendPlist } from '../plist-service.js';

export const NOTIFICATION_PROXY_SERVICE = 'com.apple.mobile.notification_proxy';

/** The passcode sheet appeared on the phone / went away (entered or cancelled). */
export const NOTE_PASSCODE_PRESENTED = 'com.apple.LocalAuthentication.ui.presented';
export const NOTE_PASSCODE_DISMISSED = 'com.apple.LocalAuthentication.ui.dismissed';
/** The user tapped Cancel on the phone's "Sync in progress" banner. */
export const NOTE_SYNC_CANCEL = 'com.apple.itunes-client.syncCancelRequest';

export const BACKUP_NOTIFICATIONS = [NOTE_PASSCODE_PRESENTED, NOTE_PASSCODE_DISMISSED, NOTE_SYNC_CANCEL];

export class NotificationProxyClient {
  private closed = false;
  private reading: Promise<void> | undefined;

  constructor(private readonly conn: Connection) {}

  async observe(names: string[]): Promise<void> {
    for (const name of names) await sendPlist(this.conn, { Command: 'ObserveNotification', Name: name });
  }

  async post(name: string): Promise<void> {
    await sendPlist(this.conn, { Command: 'PostNotification', Name: name });
  }

  /**
   * Calls `onNote` for each relayed notification until the proxy dies or close() is called.
   * Errors end the listening quietly: losing this side channel must not fail a backup.
   */
  listen(onNote: (name: string) => void): void {
    if (this.reading) return;
    this.reading = (async () => {
      while (!this.closed) {
        const m = await receivePlist(this.conn, 'notification_proxy message');
        const cmd = getString(m, 'Command');
        if (cmd === 'ProxyDeath') return;
        const name = getString(m, 'Name');
        if (cmd === 'RelayNotification' && name) onNote(name);
      }
    })().catch(() => undefined);
  }

  /** Shutdown, then close; never throws (the device may already be gone). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await sendPlist(this.conn, { Command: 'Shutdown' }).catch(() => undefined);
    this.conn.close();
    await this.reading;
  }
}
