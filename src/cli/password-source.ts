/**
 * Where a password comes from, in DESIGN.md §2's order: --password-file, IRESCUE_PASSWORD, a hidden
 * prompt on a TTY. Never argv. The value is never logged or echoed.
 */
import { readFile } from 'node:fs/promises';
import { NoPasswordSourceError, UsageError, CancelledError } from '../errors.js';
import { describeFsError } from '../errors.js';

export interface PasswordSourceOptions {
  passwordFile?: string;
  env?: NodeJS.ProcessEnv;
  interactive?: boolean;
  prompt?: string;
}

export async function getPassword(opts: PasswordSourceOptions): Promise<string> {
  const env = opts.env ?? process.env;
  if (opts.passwordFile) {
    let text: string;
    try {
      text = await readFile(opts.passwordFile, 'utf8');
    } catch (e) {
      throw new UsageError(`${opts.passwordFile}: ${describeFsError(e)}`);
    }
    // First line only; the trailing CR/LF an editor adds is not part of the password.
    const first = text.split('\n')[0].replace(/\r$/, '');
    return first;
  }
  if (env.IRESCUE_PASSWORD !== undefined) return env.IRESCUE_PASSWORD;
  const interactive = opts.interactive ?? (process.stdin.isTTY === true && process.stderr.isTTY === true);
  if (!interactive) throw new NoPasswordSourceError();
  const { password, isCancel } = await import('@clack/prompts');
  const v = await password({ message: opts.prompt ?? 'Backup password', mask: '' });
  if (isCancel(v)) throw new CancelledError('cancelled at the password prompt');
  return v as string;
}
