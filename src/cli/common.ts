/**
 * Helpers every command shares: one JSON printer, one way to open a backup (asking for the
 * password only when it is encrypted), one progress renderer per run, interrupts as AbortSignals.
 */
import type { Command } from 'commander';
import { findBackup, type BackupFolder } from '../backup/folder.js';
import type { Backup } from '../backup/open.js';
import { getPassword } from './password-source.js';
import { createProgressRenderer } from './render-progress.js';

export interface PasswordOption {
  passwordFile?: string;
}

export function addPasswordOption(cmd: Command): Command {
  return cmd.option('--password-file <file>', 'read the backup password from the first line of FILE (else IRESCUE_PASSWORD, else a prompt)');
}

/**
 * One JSON document on stdout, newline-terminated: Dates as ISO strings, binary data as base64,
 * bigints as numbers when exact, else as decimal strings.
 */
export function printJson(value: unknown): void {
  process.stdout.write(
    JSON.stringify(
      value,
      function (this: Record<string, unknown>, key, v: unknown) {
        const raw = this[key];
        if (Buffer.isBuffer(raw)) return raw.toString('base64');
        if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
        return v;
      },
      2,
    ) + '\n',
  );
}

export function info(line: string): void {
  process.stderr.write(line + '\n');
}

export function isDebugRun(cmd: Command): boolean {
  return Boolean(cmd.optsWithGlobals().debug) || process.env.IRESCUE_DEBUG === '1';
}

/** An AbortSignal that fires on Ctrl-C / SIGTERM, so work stops cleanly (exit 130). */
export function interruptSignal(): AbortSignal {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return ac.signal;
}

/** One read of the backup's metadata: find it, ask for the password only when it is encrypted, unlock. */
export async function openBackupForCli(arg: string, opts: PasswordOption & { json?: boolean; debug?: boolean; signal?: AbortSignal }): Promise<Backup> {
  const folder = await findBackup(arg);
  if (!folder.encryptedForOpening()) return folder.unlock(undefined, { signal: opts.signal });
  folder.requireEncrypted();
  const password = await getPassword({ passwordFile: opts.passwordFile, prompt: `Password for the backup of ${folder.info.deviceName ?? folder.dir}` });
  const engine = await folder.kdfEngine();
  if (opts.debug) info(`key derivation engine: ${engine.name} (${engine.detail})`);
  if (!opts.json) info(passwordCheckNote(folder));
  return folder.unlock(password, { engine, signal: opts.signal });
}

/** What one password check costs, in owner words: pre-iOS 10.2 backups have only the fast stage. */
export function passwordCheckNote(folder: BackupFolder): string {
  const kb = folder.keybag;
  if (kb && folder.legacyKdf) return `Checking the password (a backup from before iOS 10.2: only the ${kb.iterations.toLocaleString('en-US')}-round SHA-1 stage, a few milliseconds)...`;
  return `Checking the password (about 2 seconds per core at ${(kb?.dpic ?? 10_000_000).toLocaleString('en-US')} rounds)...`;
}

export function progressFor(opts: { json?: boolean }) {
  return createProgressRenderer({ json: opts.json });
}

export { formatBytes } from '../format.js';

export function formatDate(d: Date | undefined): string {
  if (!d) return '?';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
