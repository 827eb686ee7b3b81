/**
 * The one place that turns errors into exit codes and one-line messages. A stack trace is printed
 * only with --debug (or IRESCUE_DEBUG=1), for errors we did not expect.
 */
import type { Command } from 'commander';
import { CancelledError, IrescueError, EXIT_CODES, InternalError, type ErrorCode } from '../errors.js';
import { encodeJson } from './json.js';
import { say } from './terminal.js';

/** The one prefix of every problem the CLI reports, commander's own included (main.ts). */
export const PREFIX = 'irescue: ';

/**
 * The one debug detector: IRESCUE_DEBUG=1, or --debug on the command line. With the running
 * command it reads the parsed options; without one (an error before or outside parsing) argv.
 */
export function isDebug(cmd?: Command): boolean {
  if (process.env.IRESCUE_DEBUG === '1') return true;
  if (cmd) return Boolean(cmd.optsWithGlobals().debug);
  return process.argv.includes('--debug');
}

/**
 * The exit status of a command that ran to its end: 0, or, when part of the work could not be done
 * (files that failed, a password not found), the status of that kind of failure (default 4, damaged
 * input). Commands set `process.exitCode = exitFor(...)` instead of writing numbers.
 */
export function exitFor(partialFailure: boolean, because: ErrorCode = 'CORRUPT_INPUT'): number {
  return partialFailure ? EXIT_CODES[because] : 0;
}

export function reportError(e: unknown, json = process.argv.includes('--json')): number {
  const err = toIrescueError(e);
  if (json) {
    process.stdout.write(encodeJson({ error: err.toJSON() }, 0) + '\n');
  }
  say(`${PREFIX}${err.message}`, PREFIX.length);
  if (isDebug() && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
  else if (err.code === 'INTERNAL') say(`${PREFIX}this is a bug; run again with --debug for details and report it`, PREFIX.length);
  return err.exitCode;
}

function toIrescueError(e: unknown): IrescueError {
  if (e instanceof IrescueError) return e;
  if ((e as { code?: string })?.code === 'ABORT_ERR') return new CancelledError();
  const msg = e instanceof Error ? e.message : String(e);
  return new InternalError(`unexpected error: ${msg.split('\n')[0]}`);
}

