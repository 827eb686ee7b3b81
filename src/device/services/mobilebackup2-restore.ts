/**
 * The computer's side of a mobilebackup2 Restore: a backup folder goes onto the device. We send
 * the Restore request; then the device drives, as in a backup, and we answer each DeviceLink
 * message until its final DLMessageProcessMessage. Most of the traffic is DLMessageDownloadFiles:
 * the device pulls the backup's metadata, then its file blobs. Requests to change files on the
 * computer are served by a throw-away overlay (restore-overlay.ts): the backup is only read.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { getNumber, getString, isDict, type PlistDict } from '../../plist/plist.js';
import { CancelledError, IrescueError, WrongPasswordError } from '../../errors.js';
import type { OnProgress } from '../../progress.js';
import type { Connection } from '../connection.js';
import { DeviceLink } from '../device-link.js';
import { PlistReal, type WireValue } from '../../plist/value.js';
import { CODE_ERROR_LOCAL, CODE_FILE_DATA, CODE_SUCCESS, freeSpace, receiveFiles } from './backup-files.js';
import { RestoreOverlay } from './restore-overlay.js';

const CHUNK = 64 * 1024;

/** What the device is asked to do; the defaults are the safe ones (see `defaultRestoreOptions`). */
export interface RestoreOptions {
  /** restore system files too (without them little comes back on current iOS) */
  systemFiles: boolean;
  /** reboot when done (the restored files take effect at the reboot) */
  reboot: boolean;
  /** keep the device's own settings instead of the backup's */
  preserveSettings: boolean;
  /** remove items on the device that the backup does not have (a full migration) */
  removeItemsNotRestored: boolean;
}

/**
 * Safe defaults: system files and reboot on (what Finder does, and what makes a restore complete);
 * the backup's settings are restored (the device was just erased, it has none worth keeping);
 * nothing on the device is removed unless asked.
 */
export const defaultRestoreOptions: RestoreOptions = { systemFiles: true, reboot: true, preserveSettings: false, removeItemsNotRestored: false };

/** The Options dictionary of the Restore request. The safety copy is never asked for: it would be a write into the backup folder. */
export function restoreRequestOptions(o: RestoreOptions, password?: string): { [k: string]: WireValue } {
  const out: { [k: string]: WireValue } = {
    RestoreSystemFiles: o.systemFiles,
    RestoreShouldReboot: o.reboot,
    RestoreDontCopyBackup: true,
    RestorePreserveSettings: o.preserveSettings,
    RemoveItemsNotRestored: o.removeItemsNotRestored,
  };
  if (password !== undefined) out.Password = password;
  return out;
}

export class RestoreRefusedError extends IrescueError {
  constructor(message: string, readonly deviceErrorCode: number) {
    super('DEVICE', message, { deviceErrorCode });
  }
}

/** The device's refusal codes, as sentences with the next step. */
export function restoreErrorMessage(code: number, description?: string): string {
  switch (code) {
    case 211:
      return 'the iPhone refused the restore because Find My is on: on the iPhone open Settings > your name > Find My > Find My iPhone and turn it off (it asks for the Apple Account password), then run the restore again';
    case 207:
      return 'the iPhone did not accept the backup password; run the restore again with the password of this backup (`irescue verify <backup>` checks it)';
    case 105:
      return 'the iPhone has not enough free space for this backup: free space on it (or erase it) and run the restore again';
    case 205:
      return 'the iPhone could not get some files of the backup from this computer; check the backup with `irescue verify <backup>` and run the restore again';
    case 208:
      return 'the iPhone is locked: unlock it, enter its passcode if it asks, and run the restore again';
    default:
      return `the iPhone stopped the restore: ${description || 'no reason given'} (code ${code}); restart the iPhone and try again`;
  }
}

export interface RestoreRunOptions {
  targetUdid: string;
  /** the backup's own UDID: the folder name the device asks for */
  sourceId: string;
  /** the backup folder on disk (any name: a kept copy works too) */
  backupDir: string;
  options: RestoreOptions;
  password?: string;
  /** bytes of the file blobs, for the progress total */
  totalBytes?: number;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

export interface RestoreOutcome {
  filesSent: number;
  bytesSent: number;
  /** files the device asked for that the backup does not have */
  missing: string[];
  /** what the device asked to change on the computer, answered from a throw-away overlay instead */
  ignoredWrites: string[];
}

/** errno -> the device's error numbers (as the reference tools map them) */
function deviceErrno(code: string | undefined): number {
  return { ENOENT: -6, EEXIST: -7, ENOTDIR: -8, EISDIR: -9, ELOOP: -10, EIO: -11, ENOSPC: -15 }[code ?? ''] ?? -1;
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

export class Mobilebackup2RestoreClient {
  private readonly link: DeviceLink;

  constructor(conn: Connection) {
    this.link = new DeviceLink(conn, 'mobilebackup2');
  }

  async hello(): Promise<void> {
    await this.link.versionExchange(300, 0);
    await this.link.sendProcessMessage({ MessageName: 'Hello', SupportedProtocolVersions: [new PlistReal(2.0), new PlistReal(2.1)] });
    const reply = await this.link.receiveProcessMessage();
    const code = getNumber(reply, 'ErrorCode');
    if (code !== 0) throw new RestoreRefusedError(`the iPhone refused to start its backup service (code ${code}); restart it and try again`, code ?? -1);
  }

  async restore(o: RestoreRunOptions): Promise<RestoreOutcome> {
    const overlay = new RestoreOverlay(o.sourceId, o.backupDir);
    const out: RestoreOutcome = { filesSent: 0, bytesSent: 0, missing: [], ignoredWrites: overlay.ignoredWrites };
    const abort = (): void => this.link.conn.close();
    o.signal?.addEventListener('abort', abort, { once: true });
    const progress = (detail?: string): void => o.onProgress?.({ phase: 'restore', done: out.bytesSent, total: o.totalBytes, unit: 'bytes', detail });
    try {
      await this.link.sendProcessMessage({ MessageName: 'Restore', TargetIdentifier: o.targetUdid, SourceIdentifier: o.sourceId, Options: restoreRequestOptions(o.options, o.password) });
      for (;;) {
        let m;
        try {
          m = await this.link.receive();
        } catch (e) {
          if (o.signal?.aborted) throw new CancelledError('restore interrupted; the iPhone is only partly restored: run the restore again (the backup is unchanged)');
          throw e;
        }
        if (m.name === 'DLMessageProcessMessage') {
          const final = isDict(m.args[0]) ? m.args[0] : {};
          checkFinal(final);
          return out;
        }
        if (m.name === 'DLMessageDisconnect') throw new RestoreRefusedError('the iPhone ended the restore without a result; restart it and try again', -1);
        await this.answer(m.name, m.args, overlay, out, progress);
      }
    } finally {
      o.signal?.removeEventListener('abort', abort);
      overlay.close();
    }
  }

  private async answer(name: string, args: unknown[], overlay: RestoreOverlay, out: RestoreOutcome, progress: (d?: string) => void): Promise<void> {
    const ok = (extra: WireValue = {}): Promise<void> => this.link.sendStatusResponse(0, undefined, extra);
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    try {
      switch (name) {
        case 'DLMessageDownloadFiles': {
          const errors = await this.sendFiles(strings(args[0]), overlay, out, progress);
          return Object.keys(errors).length ? this.link.sendStatusResponse(-13, 'Multi status', errors) : ok();
        }
        case 'DLMessageUploadFiles':
          await receiveFiles(this.link.conn, overlay.uploadRoot());
          return ok();
        case 'DLMessageGetFreeDiskSpace':
          return ok(await freeSpace(overlay.scratch));
        case 'DLMessagePurgeDiskSpace':
          return this.link.sendStatusResponse(-1, 'Operation not supported', {});
        case 'DLContentsOfDirectory':
          return ok(await overlay.list(String(args[0] ?? '')));
        case 'DLMessageCreateDirectory':
          await overlay.makeDirectory(String(args[0] ?? ''));
          return ok();
        case 'DLMessageMoveFiles':
        case 'DLMessageMoveItems':
          await overlay.move(isDict(args[0]) ? (Object.fromEntries(Object.entries(args[0]).filter(([, v]) => typeof v === 'string')) as Record<string, string>) : {});
          return ok();
        case 'DLMessageRemoveFiles':
        case 'DLMessageRemoveItems':
          await overlay.remove(strings(args[0]));
          return ok();
        case 'DLMessageCopyItem':
          await overlay.copy(String(args[0] ?? ''), String(args[1] ?? ''));
          return ok();
        default:
          return this.link.sendStatusResponse(-1, `unsupported ${name}`, {});
      }
    } catch (e) {
      if (e instanceof IrescueError) throw e;
      const err = e as NodeJS.ErrnoException;
      await this.link.sendStatusResponse(deviceErrno(err.code), err.message, {});
    }
  }

  /** DLMessageDownloadFiles: each path, its data in frames, then the end marker; missing files are reported per path. */
  private async sendFiles(paths: string[], overlay: RestoreOverlay, out: RestoreOutcome, progress: (d?: string) => void): Promise<PlistDict> {
    const errors: PlistDict = {};
    const conn = this.link.conn;
    for (const rel of paths) {
      const name = Buffer.from(rel, 'utf8');
      await conn.send(Buffer.concat([u32(name.length), name]));
      const real = await overlay.resolveRead(rel);
      const st = real ? await stat(real).catch((e: NodeJS.ErrnoException) => e) : undefined;
      if (!st || st instanceof Error || !st.isFile()) {
        const code = st instanceof Error ? st.code : st?.isDirectory() ? 'EISDIR' : 'ENOENT';
        const why = code === 'EISDIR' ? 'Is a directory' : code === 'ENOENT' ? 'No such file or directory' : (st as Error).message;
        errors[rel] = { DLFileErrorString: why, DLFileErrorCode: deviceErrno(code) };
        out.missing.push(rel);
        const msg = Buffer.from(why, 'utf8');
        await conn.send(Buffer.concat([u32(msg.length + 1), Buffer.from([CODE_ERROR_LOCAL]), msg]));
        continue;
      }
      if (st.size > 0) {
        for await (const chunk of createReadStream(real as string, { highWaterMark: CHUNK })) {
          const b = chunk as Buffer;
          await conn.send(Buffer.concat([u32(b.length + 1), Buffer.from([CODE_FILE_DATA]), b]));
          out.bytesSent += b.length;
          progress(`${out.filesSent} files`);
        }
      }
      await conn.send(Buffer.concat([u32(1), Buffer.from([CODE_SUCCESS])]));
      out.filesSent++;
      progress(`${out.filesSent} files`);
    }
    await conn.send(u32(0));
    return errors;
  }

  async disconnect(): Promise<void> {
    await this.link.disconnect();
    this.link.conn.close();
  }
}

function checkFinal(final: PlistDict): void {
  const code = getNumber(final, 'ErrorCode') ?? 0;
  if (code === 0) return;
  const message = restoreErrorMessage(code, getString(final, 'ErrorDescription'));
  if (code === 207) throw new WrongPasswordError(message, { deviceErrorCode: code });
  throw new RestoreRefusedError(message, code);
}
