/**
 * com.apple.mobilebackup2 over DeviceLink: the protocol iTunes/Finder use for backups and for
 * turning backup encryption on, off or changing its password. Takes a Connection; never opens one.
 * The device drives a backup: we answer its file operations (services/backup-files.ts) until it
 * sends the final DLMessageProcessMessage with an ErrorCode.
 */
import { mkdir } from 'node:fs/promises';
import { getNumber, getString, isDict, type PlistDict } from '../../plist/plist.js';
import { CancelledError, IrescueError } from '../../errors.js';
import type { OnProgress } from '../../progress.js';
import type { Connection } from '../connection.js';
import { DeviceLink } from '../device-link.js';
import { PlistReal, type WireValue } from '../../plist/value.js';
import * as files from './backup-files.js';

export const MOBILEBACKUP2_SERVICE = 'com.apple.mobilebackup2';
const DL_VERSION_MAJOR = 300;
const DL_VERSION_MINOR = 0;
const PROTOCOL_VERSIONS = [2.0, 2.1];

export class Mobilebackup2Error extends IrescueError {
  constructor(message: string, readonly deviceErrorCode?: number) {
    super('DEVICE', message, { deviceErrorCode });
  }
}

export interface BackupOptions {
  udid: string;
  /** the backup root: the device writes "<udid>/..." below it */
  root: string;
  full?: boolean;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

export interface BackupOutcome {
  filesReceived: number;
  bytesReceived: number;
  remoteErrors: string[];
}

export class Mobilebackup2Client {
  private readonly link: DeviceLink;
  protocolVersion: number | undefined;

  constructor(conn: Connection) {
    this.link = new DeviceLink(conn, 'mobilebackup2');
  }

  /** DeviceLink version exchange, then Hello with the protocol versions we speak. */
  async hello(): Promise<number> {
    await this.link.versionExchange(DL_VERSION_MAJOR, DL_VERSION_MINOR);
    await this.link.sendProcessMessage({ MessageName: 'Hello', SupportedProtocolVersions: PROTOCOL_VERSIONS.map((v) => new PlistReal(v)) });
    const reply = await this.link.receiveProcessMessage();
    const code = getNumber(reply, 'ErrorCode');
    if (code !== 0) throw new Mobilebackup2Error(code === 1 ? 'mobilebackup2: the device speaks no backup protocol version we know' : `mobilebackup2: the device refused Hello (error ${code})`, code);
    this.protocolVersion = getNumber(reply, 'ProtocolVersion');
    return this.protocolVersion ?? 0;
  }

  private async request(name: string, udid: string, extra: { [key: string]: WireValue } = {}): Promise<void> {
    await this.link.sendProcessMessage({ MessageName: name, TargetIdentifier: udid, SourceIdentifier: udid, ...extra });
  }

  async backup(opts: BackupOptions): Promise<BackupOutcome> {
    await mkdir(opts.root, { recursive: true });
    await this.request('Backup', opts.udid, { Options: opts.full ? { ForceFullBackup: true } : {} });
    const outcome: BackupOutcome = { filesReceived: 0, bytesReceived: 0, remoteErrors: [] };
    let total: number | undefined;
    const progress = (): void => opts.onProgress?.({ phase: 'backup', done: outcome.bytesReceived, total, unit: 'bytes' });
    const final = await this.serveDevice(opts.root, opts.signal, async (name, args) => {
      if (name !== 'DLMessageUploadFiles') return false;
      const size = typeof args[2] === 'number' ? args[2] : undefined;
      if (size && size > 0) total = Math.max(total ?? 0, outcome.bytesReceived + size);
      const r = await files.receiveFiles(this.link.conn, opts.root, (n) => {
        outcome.bytesReceived += n;
        progress();
      });
      outcome.filesReceived += r.files;
      outcome.remoteErrors.push(...r.remoteErrors);
      await this.link.sendStatusResponse(0, undefined, {});
      return true;
    });
    checkFinal(final, 'the backup');
    return outcome;
  }

  /**
   * Turns encryption on (newPassword), off (oldPassword) or changes it (both). From iOS 13 the
   * device asks for its passcode on screen first, so this waits as long as the user needs.
   */
  async changePassword(opts: { udid: string; oldPassword?: string; newPassword?: string; signal?: AbortSignal }): Promise<void> {
    const fields: { [key: string]: WireValue } = { TargetIdentifier: opts.udid };
    if (opts.newPassword !== undefined) fields.NewPassword = opts.newPassword;
    if (opts.oldPassword !== undefined) fields.OldPassword = opts.oldPassword;
    await this.link.sendProcessMessage({ MessageName: 'ChangePassword', ...fields });
    const final = await this.serveDevice(undefined, opts.signal, async () => false);
    checkFinal(final, 'changing backup encryption');
  }

  /**
   * Answers the device's DeviceLink requests until its final ProcessMessage (returned) or a
   * disconnect. `special` handles messages that need the caller's state first.
   */
  private async serveDevice(root: string | undefined, signal: AbortSignal | undefined, special: (name: string, args: unknown[]) => Promise<boolean>): Promise<PlistDict | undefined> {
    const abort = (): void => this.link.conn.close();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      for (;;) {
        if (signal?.aborted) throw new CancelledError('backup interrupted; the partial backup is not usable');
        let m;
        try {
          m = await this.link.receive();
        } catch (e) {
          if (signal?.aborted) throw new CancelledError('backup interrupted; the partial backup is not usable');
          throw e;
        }
        if (m.name === 'DLMessageProcessMessage') return isDict(m.args[0]) ? m.args[0] : {};
        if (m.name === 'DLMessageDisconnect') return undefined;
        if (await special(m.name, m.args)) continue;
        if (!root) {
          await this.link.sendStatusResponse(-1, `unexpected ${m.name}`, {});
          continue;
        }
        await this.fileOperation(root, m.name, m.args);
      }
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  private async fileOperation(root: string, name: string, args: unknown[]): Promise<void> {
    const ok = (extra: WireValue = {}): Promise<void> => this.link.sendStatusResponse(0, undefined, extra);
    try {
      switch (name) {
        case 'DLMessageDownloadFiles': {
          const list = Array.isArray(args[0]) ? args[0].filter((x): x is string => typeof x === 'string') : [];
          const { errors } = await files.sendFiles(this.link.conn, root, list);
          return Object.keys(errors).length ? this.link.sendStatusResponse(-13, 'Multi status', errors) : ok();
        }
        case 'DLMessageGetFreeDiskSpace':
          return ok(await files.freeSpace(root));
        case 'DLContentsOfDirectory':
          return ok(await files.listDirectory(root, String(args[0] ?? '')));
        case 'DLMessageCreateDirectory':
          await files.makeDirectory(root, String(args[0] ?? ''));
          return ok();
        case 'DLMessageMoveFiles':
        case 'DLMessageMoveItems':
          await files.moveItems(root, isDict(args[0]) ? (Object.fromEntries(Object.entries(args[0]).filter(([, v]) => typeof v === 'string')) as Record<string, string>) : {});
          return ok();
        case 'DLMessageRemoveFiles':
        case 'DLMessageRemoveItems':
          await files.removeItems(root, Array.isArray(args[0]) ? args[0].filter((x): x is string => typeof x === 'string') : []);
          return ok();
        case 'DLMessageCopyItem':
          await files.copyItem(root, String(args[0] ?? ''), String(args[1] ?? ''));
          return ok();
        default:
          return this.link.sendStatusResponse(-1, `unsupported ${name}`, {});
      }
    } catch (e) {
      if (e instanceof IrescueError) throw e;
      const err = e as NodeJS.ErrnoException;
      // tell the device, which decides whether the backup can go on
      await this.link.sendStatusResponse(err.code === 'ENOENT' ? -6 : -1, err.message, {});
    }
  }

  async disconnect(): Promise<void> {
    await this.link.disconnect();
    this.link.conn.close();
  }
}

function checkFinal(final: PlistDict | undefined, what: string): void {
  if (!final) throw new Mobilebackup2Error(`the device ended ${what} without a result`);
  const code = getNumber(final, 'ErrorCode') ?? 0;
  if (code !== 0) {
    const desc = getString(final, 'ErrorDescription');
    throw new Mobilebackup2Error(`the device reported an error during ${what}: ${desc ?? 'no description'} (code ${code})`, code);
  }
}
