/**
 * Backups the user has unlocked in this wizard. The password is used once to open the backup and
 * is not kept; the opened Backup (holding the unwrapped keys) stays in server memory until the user
 * closes it or the server stops, so a reloaded page can carry on browsing.
 */
import { randomBytes } from 'node:crypto';
import type { Backup } from '../backup/open.js';
import { HttpError } from './http.js';

export interface OpenSession {
  id: string;
  backupId: string;
  backup: Backup;
  openedAt: Date;
}

export class SessionStore {
  private readonly sessions = new Map<string, OpenSession>();

  add(backupId: string, backup: Backup): OpenSession {
    const s: OpenSession = { id: randomBytes(9).toString('base64url'), backupId, backup, openedAt: new Date() };
    this.sessions.set(s.id, s);
    return s;
  }

  get(id: string): OpenSession | undefined {
    return this.sessions.get(id);
  }

  /** The unlocked backup, or a 404 whose next step is the caller's (where to come back to). */
  require(id: string, next = 'Go back to the list of backups and unlock it again.'): OpenSession {
    const s = this.sessions.get(id);
    if (!s) throw new HttpError(404, 'USAGE', 'this backup is not open any more (the wizard was restarted or the backup was closed)', next);
    return s;
  }

  list(): OpenSession[] {
    return [...this.sessions.values()];
  }

  async close(id: string): Promise<boolean> {
    const s = this.sessions.get(id);
    if (!s) return false;
    this.sessions.delete(id);
    await s.backup.close();
    return true;
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.sessions.keys()]) await this.close(id);
  }
}
