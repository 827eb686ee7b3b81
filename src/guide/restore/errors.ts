/** Restore failures as IrescueErrors (codes and exit codes from src/errors.ts). */
import { IrescueError } from '../../errors.js';
import type { DecodedFailure } from './output.js';

/** A pre-flight check failed: missing or old idevicerestore, no disk space, no firmware file, no network. */
export class RestorePreflightError extends IrescueError {
  constructor(check: string, message: string, hints: string[] = []) {
    super('USAGE', message, { check, hints });
  }
}

/** idevicerestore ran and failed; `details.failure` holds the decoded cause and advice. */
export class RestoreFailedError extends IrescueError {
  constructor(message: string, details: { failure?: DecodedFailure; logPath?: string; exitCode?: number | null }) {
    super('DEVICE', message, { ...details });
  }
}
