/**
 * The backups this wizard has shown its page, by id. Every area that acts on a backup (browse,
 * recover, export) resolves the page's id here, so the page never sends a path to open and an id
 * the page was never shown is a plain 404. The backups area fills it each time it lists.
 */
import { HttpError } from './http.js';

export class BackupRegistry {
  private readonly known = new Map<string, string>();
  private lister?: () => Promise<unknown>;

  /** How to list again (the backups area: its roots, the demo); called when an id is not known yet. */
  setLister(list: () => Promise<unknown>): void {
    this.lister = list;
  }

  remember(id: string, path: string): void {
    this.known.set(id, path);
  }

  /** The folder of a backup the page knows by id; a 404 with a next step when it is not in the list. */
  async pathOf(id: string): Promise<string> {
    if (!this.known.has(id)) await this.lister?.();
    const p = this.known.get(id);
    if (!p) throw new HttpError(404, 'USAGE', 'this backup is no longer in the list', 'Go back to the list of backups and choose it again.');
    return p;
  }
}
