import type { Command } from 'commander';
import { DEMO_PASSWORD, ensureDemoBackup } from '../../demo/demo-backup.js';
import { info } from '../common.js';
import { showInfo } from './info.js';
import { listFiles } from './ls.js';

export function register(program: Command): void {
  program
    .command('demo')
    .description('generate the demo encrypted backup (first run) and show it with `info` and `ls`')
    .action(async () => {
      info('Preparing the demo backup (generated locally on first run)...');
      const dir = await ensureDemoBackup();
      info(`Demo backup: ${dir}`);
      info(`Its password is "${DEMO_PASSWORD}" (a public demo password; yours are never shown or logged).\n`);
      const prev = process.env.IRESCUE_PASSWORD;
      process.env.IRESCUE_PASSWORD = DEMO_PASSWORD;
      try {
        info(`$ irescue info "${dir}"`);
        await showInfo(dir, {});
        info(`\n$ IRESCUE_PASSWORD=... irescue ls "${dir}"`);
        await listFiles(dir, {});
      } finally {
        if (prev === undefined) delete process.env.IRESCUE_PASSWORD;
        else process.env.IRESCUE_PASSWORD = prev;
      }
      info('\nNext, try on the demo (password demo1234):');
      info(`  irescue export all "${dir}" --out ./demo-export     messages, contacts, photos and a report`);
      info(`  irescue extract "${dir}" --out ./demo-files        every file`);
      info('  irescue ui                                            the same in your browser');
    });
}
