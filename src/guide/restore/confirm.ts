/**
 * The typed confirmation before an erase. It cannot be skipped on a terminal; only a script
 * (no terminal) that passed --yes goes ahead without typing, so an accidental --yes in an
 * interactive shell still asks.
 */
import { UsageError, CancelledError } from '../../errors.js';

export type RestoreKind = 'erase' | 'update';

export interface ConfirmOptions {
  kind: RestoreKind;
  deviceName: string;
  yes: boolean;
  interactive: boolean;
  /** asks the question and returns what was typed (undefined = cancelled) */
  ask?: (message: string, expected: string) => Promise<string | undefined>;
}

export function confirmationPhrase(kind: RestoreKind, deviceName: string): string {
  return `${kind === 'erase' ? 'ERASE' : 'UPDATE'} ${deviceName}`;
}

const squashSpaces = (s: string) => s.trim().replace(/\s+/g, ' ');

/** ERASE must be typed in capitals; the device name is compared without regard to case. */
export function matchesPhrase(typed: string, expected: string): boolean {
  const t = squashSpaces(typed);
  const e = squashSpaces(expected);
  const [tw, ...trest] = t.split(' ');
  const [ew, ...erest] = e.split(' ');
  return tw === ew && trest.join(' ').toLowerCase() === erest.join(' ').toLowerCase();
}

/** Throws unless it is allowed to go ahead; checkConfirmable() first to fail before slow work. */
export function checkConfirmable(o: Pick<ConfirmOptions, 'yes' | 'interactive'>): void {
  if (!o.interactive && !o.yes) {
    throw new UsageError('restore erases the device: run it in a terminal to confirm by typing, or pass --yes from a script (no terminal)');
  }
}

export async function confirmRestore(o: ConfirmOptions): Promise<'typed' | 'yes-flag'> {
  checkConfirmable(o);
  if (!o.interactive) return 'yes-flag';
  if (!o.ask) throw new UsageError('no way to ask for the confirmation');
  const expected = confirmationPhrase(o.kind, o.deviceName);
  const what = o.kind === 'erase' ? 'This ERASES everything on the device.' : 'This reinstalls iOS and keeps your data (if it fails, only an erase is left).';
  const typed = await o.ask(`${what} Type "${expected}" to continue`, expected);
  if (typed === undefined) throw new CancelledError('restore cancelled: nothing was changed');
  if (!matchesPhrase(typed, expected)) throw new CancelledError(`restore cancelled: you typed "${squashSpaces(typed)}", not "${expected}"; nothing was changed`);
  return 'typed';
}
