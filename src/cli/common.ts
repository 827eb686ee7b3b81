/**
 * Helpers every command shares: one JSON printer, one way to open a backup (asking for the
 * password only when it is encrypted), one progress renderer per run, interrupts as AbortSignals.
 */
import type { Command } from 'commander';
import { findBackup, type BackupFolder } from '../backup/folder.js';
import type { Backup } from '../backup/open.js';
import { getPassword } from './password-source.js';
import { createProgressRenderer } from './render-progress.js';
import { printJson as printJsonDoc } from './json.js';
import type { OnProgress } from '../progress.js';
import { printable } from './printable.js';
import { say } from './terminal.js';

export interface PasswordOption {
  passwordFile?: string;
}

export function addPasswordOption(cmd: Command): Command {
  return cmd.option('--password-file <file>', 'read the backup password from the first line of FILE (else IRESCUE_PASSWORD, else a prompt)');
}

export { printJson } from './json.js';

/** A message for the person on stderr, wrapped to the terminal (terminal.ts). */
export function info(line: string): void {
  say(line);
}


export interface Interrupt {
  /** fires on the first Ctrl-C or SIGTERM */
  readonly signal: AbortSignal;
  /** stop listening (the command is over) */
  dispose(): void;
}

/**
 * The one interrupt rule: the first Ctrl-C (or SIGTERM) aborts the signal, so the work stops cleanly
 * and saves what it can (exit 130 through CancelledError); a second one exits 130 at once.
 * `onFirst` may say what is happening ("stopping: saving progress ...").
 */
export function interruptible(onFirst?: () => void): Interrupt {
  const ac = new AbortController();
  const stop = (): void => {
    if (!ac.signal.aborted) {
      onFirst?.();
      ac.abort();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return {
    signal: ac.signal,
    dispose() {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

/** interruptible() for commands that run until the process ends. */
export function interruptSignal(): AbortSignal {
  return interruptible().signal;
}

/** What every command action gets: the interrupt signal, the JSON printer and one progress renderer. */
export interface CommandContext {
  signal: AbortSignal;
  json: boolean;
  /** the command's result: the --json document through the one encoder */
  print(doc: unknown, indent?: number): void;
  progress: OnProgress & { done(): void };
}

/**
 * Runs a command body in the one command shape: interrupts as above, `print` through the shared
 * encoder, a progress renderer that honours --json; listeners and the progress line are cleaned
 * up however the body ends.
 */
export async function runCommand<T>(opts: { json?: boolean; onInterrupt?: () => void }, body: (ctx: CommandContext) => Promise<T>): Promise<T> {
  const interrupt = interruptible(opts.onInterrupt);
  const progress = createProgressRenderer({ json: opts.json });
  try {
    return await body({ signal: interrupt.signal, json: opts.json === true, print: printJsonDoc, progress });
  } finally {
    progress.done();
    interrupt.dispose();
  }
}

/** One read of the backup's metadata: find it, ask for the password only when it is encrypted, unlock. */
export async function openBackupForCli(arg: string, opts: PasswordOption & { json?: boolean; debug?: boolean; signal?: AbortSignal }): Promise<Backup> {
  const folder = await findBackup(arg);
  if (!folder.encryptedForOpening()) return folder.unlock(undefined, { signal: opts.signal });
  folder.requireEncrypted();
  const password = await getPassword({ passwordFile: opts.passwordFile, prompt: `Password for the backup of ${printable(folder.info.deviceName ?? folder.dir)}` });
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
