import type { Command } from 'commander';
import { resolveBackupPath } from '../../backup/locate.js';
import { verifyBackupPassword } from '../../backup/open.js';
import { WrongPasswordError } from '../../errors.js';
import { selectEngine } from '../../kdf/select.js';
import { addPasswordOption, info, isDebugRun, printJson, type PasswordOption } from '../common.js';
import { getPassword } from '../password-source.js';

export function registerVerify(program: Command): void {
  addPasswordOption(
    program
      .command('verify')
      .description('check a backup password (exit 0 right, 3 wrong); one key derivation, about 2 s')
      .argument('<backup>', 'backup folder or UDID')
      .option('--json', 'print JSON on stdout'),
  ).action(async (backup: string, opts: PasswordOption & { json?: boolean }, cmd: Command) => {
    const dir = await resolveBackupPath(backup);
    const password = await getPassword({ passwordFile: opts.passwordFile });
    const engine = await selectEngine();
    if (isDebugRun(cmd)) info(`key derivation engine: ${engine.name} (${engine.detail})`);
    const ok = await verifyBackupPassword(dir, password, { engine });
    // A wrong password is an error: its one JSON document is the error's (cli/exit.ts), not a second one.
    if (opts.json && ok) printJson({ backup: dir, correct: ok });
    if (!ok) throw new WrongPasswordError('wrong password for this backup. If you forgot it, `irescue recover` can search for it from what you remember.');
    if (!opts.json) info('Password is correct.');
  });
}
