import type { Command } from 'commander';
import { FileKind } from '../../backup/types.js';
import { printable } from '../printable.js';
import { addPasswordOption, formatDate, openBackupForCli, printJson, type PasswordOption } from '../common.js';
import { exitFor, isDebug } from '../exit.js';
import { say } from '../terminal.js';

const KIND = { [FileKind.File]: 'file', [FileKind.Directory]: 'dir', [FileKind.Symlink]: 'link' } as const;

export function register(program: Command): void {
  addPasswordOption(
    program
      .command('ls')
      .description('list the files in a backup')
      .argument('<backup>', 'backup folder or UDID')
      .option('--domain <domain>', 'only this domain (e.g. HomeDomain, CameraRollDomain, AppDomain-com.example)')
      .option('--path <glob>', 'only paths matching this glob (e.g. "Library/SMS/**")')
      .option('--json', 'print JSON on stdout'),
  ).action((backup: string, opts: LsOptions, cmd: Command) => listFiles(backup, { ...opts, debug: isDebug(cmd) }));
}

type LsOptions = PasswordOption & { domain?: string; path?: string; json?: boolean };

/** The `ls` action; `demo` calls it too. */
export async function listFiles(backup: string, opts: LsOptions & { debug?: boolean }): Promise<void> {
    const b = await openBackupForCli(backup, opts);
    try {
      const files = b.files({ domain: opts.domain, path: opts.path });
      if (opts.json) {
        return printJson(
          files.map((f) => ({ domain: f.domain, relativePath: f.relativePath, fileID: f.fileID, kind: KIND[f.kind], size: f.size, mtime: f.mtime, mode: f.mode, target: f.target })),
        );
      }
      for (const f of files) {
        const suffix = f.kind === FileKind.Symlink ? ` -> ${printable(f.target)}` : f.kind === FileKind.Directory && f.relativePath ? '/' : '';
        const size = f.kind === FileKind.File ? String(f.size) : '';
        process.stdout.write(`${KIND[f.kind].padEnd(4)} ${size.padStart(12)}  ${formatDate(f.mtime)}  ${printable(`${f.domain}/${f.relativePath}`)}${suffix}\n`);
      }
      say(`${files.length} entries`);
      if (b.damaged.length) {
        const d = b.damaged[0];
        say(`! ${b.damaged.length} manifest row(s) could not be read and are not listed (first: row ${d.row}, ${d.domain}/${d.relativePath}: ${d.reason})`);
        process.exitCode = exitFor(true);
      }
    } finally {
      await b.close();
    }
}
