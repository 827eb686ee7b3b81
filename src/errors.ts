/**
 * One error hierarchy for the whole library. Every expected failure is an IrescueError with a
 * stable string `code` and an `exitCode` (shared/DESIGN.md §2). Only cli/exit.ts reads exitCode;
 * the web UI shows `code` and `message`. Messages name the file and the problem, never a password.
 */
export type ErrorCode =
  | 'USAGE'
  | 'WRONG_PASSWORD'
  | 'CORRUPT_INPUT'
  | 'NOT_FOUND'
  | 'DEVICE'
  | 'CANCELLED'
  | 'INTERNAL';

export const EXIT_CODES: Record<ErrorCode, number> = {
  USAGE: 2,
  WRONG_PASSWORD: 3,
  CORRUPT_INPUT: 4,
  NOT_FOUND: 5,
  DEVICE: 6,
  CANCELLED: 130,
  INTERNAL: 1,
};

export class IrescueError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }

  get exitCode(): number {
    return EXIT_CODES[this.code];
  }

  toJSON(): { code: ErrorCode; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export class UsageError extends IrescueError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('USAGE', message, details);
  }
}

/** No --password-file, no IRESCUE_PASSWORD and no terminal to ask on. */
export class NoPasswordSourceError extends IrescueError {
  constructor(message = 'no password given: use --password-file FILE, the IRESCUE_PASSWORD environment variable, or run in a terminal to be asked') {
    super('USAGE', message);
  }
}

export class WrongPasswordError extends IrescueError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('WRONG_PASSWORD', message, details);
  }
}

/** A file we read is malformed: plist, keybag, manifest, database, hash line, wordlist. */
export class CorruptInputError extends IrescueError {
  constructor(file: string | undefined, problem: string, options?: { cause?: unknown }) {
    super('CORRUPT_INPUT', file ? `${file}: ${problem}` : problem, { file, problem }, options);
  }
}

export class PasswordNotFoundError extends IrescueError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('NOT_FOUND', message, details);
  }
}

export class NoDeviceError extends IrescueError {
  constructor(message = 'no iPhone or iPad found: check the cable, unlock the device and tap "Trust"', details: Record<string, unknown> = {}) {
    super('DEVICE', message, details);
  }
}

export class DeviceLostError extends IrescueError {
  constructor(message = 'the device was disconnected during the operation', details: Record<string, unknown> = {}) {
    super('DEVICE', message, details);
  }
}

export class LockdownError extends IrescueError {
  /** The device's own error string (e.g. "PasswordProtected"), mapped in device/lockdown/errors.ts. */
  readonly lockdownCode: string;
  constructor(lockdownCode: string, message: string, details: Record<string, unknown> = {}) {
    super('DEVICE', message, { ...details, lockdownCode });
    this.lockdownCode = lockdownCode;
  }
}

/** The work was stopped by an AbortSignal or Ctrl-C; any resumable state was saved first. */
export class CancelledError extends IrescueError {
  constructor(message = 'interrupted', details: Record<string, unknown> = {}) {
    super('CANCELLED', message, details);
  }
}

export function isIrescueError(e: unknown): e is IrescueError {
  return e instanceof IrescueError;
}

/** Throws CancelledError when the signal has fired; call it between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** A file-system error in plain words ("file not found"), for messages that name the file. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'file not found';
    case 'EACCES':
    case 'EPERM': return 'permission denied (on macOS, give the terminal Full Disk Access)';
    case 'EISDIR': return 'is a folder, expected a file';
    case 'ENOTDIR': return 'a part of the path is not a folder';
    case 'EIO': return 'read error from the disk';
    default: return code ? `cannot read (${code})` : `cannot read (${(e as Error)?.message ?? String(e)})`;
  }
}
