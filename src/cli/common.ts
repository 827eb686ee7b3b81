/**
 * Helpers every command shares: one JSON printer, one way to open a backup (asking for the
 * password only when it is encrypted), one progress renderer per run, interrupts as AbortSignals.
 */
import type { Command } from 'commander';
import { openBackup, type Backup } from '../backup/open.js';
import { resolveBackupPath } from '../backup/locate.js';
import { readBackupMetadata } from '../backup/manifest-plist.js';
import { selectEngine } from '../kdf/select.js';
import { getPassword } from './password-source.js';
import { createProgressRenderer } from './render-progress.js';
import { printable } from './printable.js';

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

export async function openBackupForCli(arg: string, opts: PasswordOption & { json?: boolean; debug?: boolean; signal?: AbortSignal }): Promise<Backup> {
  const dir = await resolveBackupPath(arg);
  const meta = await readBackupMetadata(dir, true);
  let password: string | undefined;
  if (meta.info.encrypted) password = await getPassword({ passwordFile: opts.passwordFile, prompt: `Password for the backup of ${printable(meta.info.deviceName ?? dir)}` });
  const engine = await selectEngine();
  if (opts.debug && meta.info.encrypted) info(`key derivation engine: ${engine.name} (${engine.detail})`);
  if (meta.info.encrypted && !opts.json) info('Checking the password (about 2 seconds per core at 10,000,000 rounds)...');
  return openBackup(dir, { password, engine, signal: opts.signal });
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
