import type { Command } from 'commander';
import { findBackup } from '../../backup/folder.js';
import { WrongPasswordError } from '../../errors.js';
import { addPasswordOption, info, passwordCheckNote, printJson, type PasswordOption } from '../common.js';
import { isDebug } from '../exit.js';
import { getPassword } from '../password-source.js';

export function register(program: Command): void {
  addPasswordOption(
    program
      .command('verify')
      .description('check a backup password (exit 0 right, 3 wrong); one key derivation: about 2 s, milliseconds before iOS 10.2')
      .argument('<backup>', 'backup folder or UDID')
      .option('--json', 'print JSON on stdout'),
  ).action(async (backup: string, opts: PasswordOption & { json?: boolean }, cmd: Command) => {
    const folder = await findBackup(backup);
    folder.requireEncrypted();
    const password = await getPassword({ passwordFile: opts.passwordFile });
    const engine = await folder.kdfEngine();
    if (isDebug(cmd)) info(`key derivation engine: ${engine.name} (${engine.detail})`);
    if (!opts.json) info(passwordCheckNote(folder));
    const ok = await folder.verify(password, { engine });
    // A wrong password is an error: its one JSON document is the error's (cli/exit.ts), not a second one.
    if (opts.json && ok) printJson({ backup: folder.dir, correct: ok, legacyKdf: folder.legacyKdf });
    if (!ok) throw new WrongPasswordError('wrong password for this backup. If you forgot it, `irescue recover` can search for it from what you remember.');
    if (!opts.json) info('Password is correct.');
  });
}
