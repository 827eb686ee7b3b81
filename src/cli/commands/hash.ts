import type { Command } from 'commander';
import { join } from 'node:path';
import { resolveBackupPath } from '../../backup/locate.js';
import { readBackupMetadata } from '../../backup/manifest-plist.js';
import { formatHashLine, hashLineFromKeybag } from '../../backup/hash-line.js';
import { CorruptInputError, UsageError } from '../../errors.js';

export function register(program: Command): void {
  program
    .command('hash')
    .description('print the $itunes_backup$ line for hashcat (-m 14800, or 14700 before iOS 10.2) and John the Ripper')
    .argument('<backup>', 'backup folder or UDID')
    .action(async (backup: string) => {
      const dir = await resolveBackupPath(backup);
      const meta = await readBackupMetadata(dir, true);
      if (!meta.info.encrypted) throw new UsageError(`${dir}: this backup is not encrypted; there is no password to crack`);
      if (!meta.keybag) throw new CorruptInputError(join(dir, 'Manifest.plist'), 'encrypted backup without a usable keybag');
      const h = hashLineFromKeybag(meta.keybag, join(dir, 'Manifest.plist'));
      process.stdout.write(formatHashLine(h) + '\n');
      process.stderr.write(`hashcat mode ${h.version === 10 ? 14800 : 14700}; candidates in our order: irescue candidates ... | hashcat -m ${h.version === 10 ? 14800 : 14700} hash.txt\n`);
    });
}
