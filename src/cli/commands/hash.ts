import type { Command } from 'commander';
import { findBackup } from '../../backup/folder.js';
import { say } from '../terminal.js';

export function register(program: Command): void {
  program
    .command('hash')
    .description('print the $itunes_backup$ line for hashcat (-m 14800, or 14700 before iOS 10.2) and John the Ripper')
    .argument('<backup>', 'backup folder or UDID')
    .action(async (backup: string) => {
      const { line, mode } = (await findBackup(backup)).hashLine();
      process.stdout.write(line + '\n');
      say(`hashcat mode ${mode}; candidates in our order: irescue candidates ... | hashcat -m ${mode} hash.txt`);
    });
}
