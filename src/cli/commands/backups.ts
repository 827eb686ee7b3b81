import type { Command } from 'commander';
import { listBackups } from '../../backup/info.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultBackupRoots } from '../../backup/locate.js';
import { keepBackup, keptCopyOf } from '../../backup/keep.js';
import { resolveBackupPath } from '../../backup/locate.js';
import { userCacheDir } from '../../cache-dir.js';
import { printable } from '../printable.js';
import { formatBytes, formatDate, info, printJson } from '../common.js';
import { wrapFor } from '../terminal.js';

export function register(program: Command): void {
  const backups = program
    .command('backups')
    .description('list iPhone/iPad backups in the usual folders of this OS and in --root folders')
    .option('--root <dir>', 'also look in DIR (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { root: string[]; json?: boolean }) => {
      // The demo backup, once made, is listed too (as the wizard lists it), marked as the demo.
      const demoRoot = join(userCacheDir(), 'demo');
      const withDemo = existsSync(demoRoot) ? [...opts.root, demoRoot] : opts.root;
      const list = await listBackups(withDemo);
      if (opts.json) return printJson({ roots: [...defaultBackupRoots(), ...withDemo], backups: list.map((b) => ({ ...b, keptCopyOf: keptCopyOf(b.path) })) });
      if (list.length === 0) {
        info(`No backups found. Looked in: ${printable([...defaultBackupRoots(), ...opts.root].join(', '))}`);
        info('Point at a folder with --root DIR (the folder that holds the UDID-named backup folders, or a backup folder itself).');
        info('No backup yet? Practise on the demo backup: irescue demo (or open the wizard: irescue ui).');
        return;
      }
      for (const b of list) {
        const model = printable(b.modelName ?? b.productType ?? 'unknown model') + (b.path.startsWith(demoRoot) ? ' (the demo backup, password demo1234)' : '');
        const state = b.state === 'complete' ? '' : ` [${b.state === 'in-progress' ? 'incomplete' : 'state unknown'}]`;
        const kept = keptCopyOf(b.path);
        const keptNote = kept ? ` (kept copy of this device's backup from ${formatDate(kept.date)})` : '';
        process.stdout.write(
          wrapFor(process.stdout, `${printable(b.deviceName ?? '(no name)')} — ${model}, iOS ${printable(b.productVersion ?? '?')}, ${formatDate(b.lastBackupDate)}, ${formatBytes(b.sizeOnDisk)}, ${b.encrypted === undefined ? 'encryption unknown' : b.encrypted ? 'encrypted' : 'not encrypted'}${state}${keptNote}`, 2) + `\n  ${printable(b.path)}\n`,
        );
        for (const p of b.problems) process.stdout.write(wrapFor(process.stdout, `  ! ${printable(p)}`) + '\n');
      }
    });

  backups
    .command('keep')
    .description('keep a copy of a backup beside it as <UDID>-<date>, so that the next backup of the device (by Finder, iTunes, Apple Devices or irescue) cannot overwrite it')
    .argument('<backup>', 'backup folder, or UDID under the usual folders')
    .option('--json', 'print JSON on stdout')
    .action(async (arg: string, _opts: unknown, cmd: Command) => {
      // `backups` has its own --json, which commander gives the parent: read both
      const opts = cmd.optsWithGlobals<{ json?: boolean }>();
      const dir = await resolveBackupPath(arg);
      const kept = await keepBackup(dir, { method: 'copy' });
      if (opts.json) return printJson({ ok: true, ...kept });
      info(`Kept a copy of ${kept.from} as ${kept.to}. The next backup of this device may replace ${kept.from}; the copy stays.`);
    });
}
