/**
 * The one place that turns errors into exit codes and one-line messages. A stack trace is printed
 * only with --debug (or IRESCUE_DEBUG=1), for errors we did not expect.
 */
import { CancelledError, IrescueError, EXIT_CODES } from '../errors.js';

export function isDebug(): boolean {
  return process.argv.includes('--debug') || process.env.IRESCUE_DEBUG === '1';
}

export function reportError(e: unknown, json = process.argv.includes('--json')): number {
  const err = toIrescueError(e);
  if (json) {
    process.stdout.write(JSON.stringify({ error: err.toJSON() }) + '\n');
  }
  process.stderr.write(`irescue: ${err.message}\n`);
  if (isDebug() && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
  else if (err.code === 'INTERNAL') process.stderr.write('irescue: this is a bug; run again with --debug for details and report it\n');
  return err.exitCode;
}

function toIrescueError(e: unknown): IrescueError {
  if (e instanceof IrescueError) return e;
  if ((e as { code?: string })?.code === 'ABORT_ERR') return new CancelledError();
  const msg = e instanceof Error ? e.message : String(e);
  return new IrescueError('INTERNAL', `unexpected error: ${msg.split('\n')[0]}`);
}

export { EXIT_CODES };
