/**
 * The CLI face of backup/keep.ts: keeps the old backup before a command makes a new one in its
 * place, and says where it went. Shared by `device backup` and `device encryption`.
 */
import { keepBeforeBackup, type KeptBackup } from '../../backup/keep.js';
import { info } from '../common.js';

export async function keepBeforeBackupForCli(root: string, udid: string, opts: { keep?: boolean; json?: boolean; signal?: AbortSignal }): Promise<KeptBackup | undefined> {
  const kept = await keepBeforeBackup(root, udid, { keep: opts.keep, signal: opts.signal });
  if (kept && !opts.json) {
    info(`The earlier backup of this device was kept as ${kept.to} (${kept.method === 'rename' ? 'moved' : 'copied'}); the new backup goes into ${kept.from}. Use --no-keep to replace it instead.`);
  }
  return kept;
}
