/**
 * `irescue keychain <backup> --out DIR [--format F] [--yes] [--show]`: the saved passwords, Wi-Fi
 * networks and app passwords of an encrypted backup, as the CSV a password manager imports plus a
 * JSON report. Inspect, then act: the backup is unlocked and the keychain read into a summary
 * (counts only) first; the owner confirms by typing before anything with a secret is written.
 * Secrets reach the terminal only with --show, and never a log or an error.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { UsageError } from '../../errors.js';
import { CSV_FORMATS } from '../../keychain/csv.js';
import { exportKeychain, summarizeKeychain, type KeychainFormat, type KeychainSummary } from '../../keychain/export.js';
import { readKeychain, type KeychainReport } from '../../keychain/read.js';
import { addPasswordOption, info, interruptSignal, openBackupForCli, printJson, type PasswordOption } from '../common.js';

const FORMATS: readonly KeychainFormat[] = [...CSV_FORMATS, 'json'];
export const KEYCHAIN_CONFIRM_PHRASE = 'I am the owner';

interface KeychainOptions extends PasswordOption {
  out?: string;
  format: string;
  yes?: boolean;
  show?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  addPasswordOption(
    program
      .command('keychain')
      .description('saved website passwords, Wi-Fi networks and app passwords of an encrypted backup, as CSV for a password manager')
      .argument('<backup>', 'backup folder or UDID')
      .option('--out <dir>', 'folder for the CSV and keychain.json (created; files are readable by you only)')
      .option('--format <f>', `CSV for: ${FORMATS.join(', ')}`, 'apple')
      .option('--yes', 'confirm that you own the backup and want the passwords written in clear text (no typed confirmation)')
      .option('--show', 'also print the passwords in this terminal')
      .option('--json', 'print the summary (and with --show the items) as JSON on stdout'),
  ).action(async (backup: string, opts: KeychainOptions) => {
    const format = opts.format as KeychainFormat;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    if (!opts.out && !opts.show) throw new UsageError('say where to write the passwords with --out DIR (or print them with --show)');
    const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
    if (!opts.yes && !interactive) throw new UsageError('the keychain export needs your confirmation: run it in a terminal, or add --yes to confirm that you own this backup');
    const signal = interruptSignal();
    const b = await openBackupForCli(backup, { ...opts, signal });
    try {
      const report = await readKeychain(b);
      const summary = summarizeKeychain(report);
      if (!opts.json) printSummary(summary);
      if (!opts.yes) await confirmOwner(b.info.deviceName ?? 'this iPhone', opts.out);
      let files: string[] = [];
      let formulaCells = 0;
      if (opts.out) {
        const r = await exportKeychain(report, { out: opts.out, format, backup: b.info.path, deviceName: b.info.deviceName, backupDate: b.info.lastBackupDate });
        files = r.files;
        formulaCells = r.formulaCells;
      }
      if (opts.json) {
        printJson({ backup: b.info.path, summary, files, formulaCells, items: opts.show ? shown(report) : undefined });
        return;
      }
      if (opts.show) printItems(report);
      for (const f of files) info(`Wrote ${f}`);
      if (files.length) info(pc.yellow('These files hold every password in clear text: import them, then delete them.'));
      if (formulaCells) info(pc.yellow(`${formulaCells} cell(s) start with = + - or @; a spreadsheet would run them as formulas, so open the CSV only in a password manager (the passwords are kept exactly as saved).`));
    } finally {
      await b.close();
    }
  });
}

function printSummary(s: KeychainSummary): void {
  info(`In this backup's keychain: ${s.websites} website password(s), ${s.wifi} Wi-Fi network(s), ${s.apps} app password(s), ${s.certificates} certificate(s), ${s.keys} key(s).`);
  if (s.locked.total) {
    const parts = Object.entries(s.locked.byKind).map(([k, n]) => `${n} ${k}`);
    info(`${s.locked.total} more item(s) (${parts.join(', ')}) cannot be read from any backup: ${s.locked.reason}.`);
  }
  if (s.damaged) info(`${s.damaged} item(s) are damaged and were skipped (details in keychain.json).`);
}

async function confirmOwner(device: string, out: string | undefined): Promise<void> {
  const { text, isCancel } = await import('@clack/prompts');
  const where = out ? ` into ${out}` : ' on this screen';
  const v = await text({
    message: `This writes every saved password of ${device} in clear text${where}. Only do this with your own backup. Type "${KEYCHAIN_CONFIRM_PHRASE}" to go on`,
    placeholder: KEYCHAIN_CONFIRM_PHRASE,
    output: process.stderr,
  });
  if (isCancel(v) || String(v ?? '').trim().toLowerCase() !== KEYCHAIN_CONFIRM_PHRASE.toLowerCase()) throw new UsageError('not confirmed; nothing was written');
}

function shown(r: KeychainReport) {
  return r.items.filter((i) => i.kind !== 'certificate' && i.kind !== 'key').map((i) => ({ kind: i.kind, title: i.title, url: i.url, username: i.username, password: i.password }));
}

function printItems(r: KeychainReport): void {
  for (const i of shown(r)) {
    const who = i.kind === 'wifi' ? `Wi-Fi ${i.title}` : `${i.url ?? i.title}${i.username ? `  ${i.username}` : ''}`;
    process.stdout.write(`${who}  ${i.password ?? '(binary secret, see keychain.json)'}\n`);
  }
}
