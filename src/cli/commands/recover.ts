/**
 * `irescue recover (<backup> | --hash LINE_OR_FILE) [source flags] [--workers N] [--session DIR] [--json]`
 * (DESIGN.md §2). Thin: picks the target and sources, asks before reading the keychain, renders the
 * plan and progress, turns Ctrl-C/SIGTERM into a saved session and exit 130.
 */
import type { Command } from 'commander';
import { CancelledError, PasswordNotFoundError, UsageError } from '../../errors.js';
import { formatDuration, formatRate } from '../../format.js';
import { readKeychainPasswords, savedPasswordStore } from '../../recover/candidates/keychain.js';
import { planSearch, runSearch, type RecoverOutcome, type SearchPlan } from '../../recover/plan.js';
import { targetFromBackupFolder, targetsFromHashArg, type RecoverTarget } from '../../recover/target.js';
import { createProgressRenderer } from '../render-progress.js';
import { addSourceOptions, specFromFlagsAndFiles, type SourceFlags } from './candidates.js';
import type { SearchSpec } from '../../recover/sources.js';
import { exitFor, isDebug } from '../exit.js';
import { interruptible } from '../common.js';
import { encodeJson, printJson } from '../json.js';

export const NEVER_SET_HELP = `
"I never set a backup password"
  Something set it, maybe long ago: it lives on the iPhone and carries over to new iPhones restored
  from a backup; iTunes/Finder on another computer; another backup tool (iMazing, 3uTools, ...);
  or a configuration profile / MDM (see Settings > General > VPN & Device Management).
  It may be saved on the Mac that set it: the login keychain item "iOS Backup" or "iPhone Backup"
  whose account is the device's UDID, or on Windows in Credential Manager by a backup tool such
  as iMazing (recover asks before looking; --keychain / --no-keychain).
  Try your Apple Account, computer login, email and Wi-Fi passwords, old ones too, with --try.
  On iOS 11 and later you can remove it from the iPhone: Settings > General > Transfer or Reset
  iPhone > Reset > Reset All Settings (needs the passcode). Your data stays; settings are reset; the
  next backup asks for a new password. Backups made before stay locked with the old password: the
  candidate-source options above are for them. More: docs/recover.md.

Examples
  irescue recover ~/Backups/00008030-... --hint rex --hint 2015 --common
  irescue recover BACKUP --try-file my-guesses.txt --hint rex   (guesses kept off the command line)
  irescue recover --hash hash.txt --mask '?u?l?l?l?d?d?d?d' --workers 8
  irescue recover BACKUP --wordlist rockyou.txt.gz --rules --session ~/rex-search
  irescue candidates --hint rex --common | hashcat -m 14800 hash.txt
Exit codes: 0 found, 5 not found, 4 bad input, 2 usage, 130 interrupted (progress saved; run the
same command again to resume).
`;

interface RecoverFlags extends SourceFlags {
  hash?: string;
  keychain?: boolean;
  workers?: string;
  session?: string | false;
  restart?: boolean;
  engine: string;
  json?: boolean;
  debug?: boolean;
}

function parseWorkers(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,4}$/.test(v) || Number(v) < 1) throw new UsageError(`--workers takes a positive number, got ${JSON.stringify(v.slice(0, 10))}`);
  return Number(v);
}

/** IRESCUE_CHECKPOINT_MS: how often progress is saved (default 2000 ms); tests shorten it. */
function checkpointInterval(): number | undefined {
  const v = process.env.IRESCUE_CHECKPOINT_MS;
  return v && /^[0-9]{1,7}$/.test(v) ? Number(v) : undefined;
}

function say(json: boolean, text: string): void {
  process.stderr.write(json ? encodeJson({ note: text }, 0) + '\n' : text + '\n');
}

export function describePlan(plan: SearchPlan, debug = false): string {
  const how = plan.runner === 'hashcat' ? 'on hashcat' : `${plan.workers} worker${plan.workers === 1 ? '' : 's'}`;
  const lines = [`Searching the password of ${plan.name} (${how}${debug ? `; ${plan.engineDetail}` : ''})`];
  const width = Math.max(...plan.sources.map((s) => s.label.length));
  plan.sources.forEach((s, i) => lines.push(`  ${i + 1}. ${s.label.padEnd(width)}  ${s.size.toLocaleString('en-US').padStart(14)}`));
  lines.push(`  total ${plan.total.toLocaleString('en-US')} candidates (duplicates of earlier sources are skipped, not tested)`);
  if (plan.resumeNote) lines.push(`  ${plan.resumeNote}`);
  for (const w of plan.warnings) lines.push(`  note: ${w}`);
  if (plan.rate !== undefined && plan.etaSeconds !== undefined) {
    const b = plan.rateBasis;
    const basis = b ? ` (${b.cores} core${b.cores === 1 ? '' : 's'}, ${formatRate(b.perCore)} a core; ${b.by})` : '';
    lines.push(`  about ${formatRate(plan.rate)} passwords a second here${basis}: everything tried within ${formatDuration(plan.etaSeconds)}`);
  }
  if (plan.hopeless) {
    lines.push(
      '  This search is hopeless on this machine. Narrow it (more --hint words, a shorter --mask), or run it on a GPU:',
      ...plan.hashcatCommand.map((c) => `    ${c}`),
      '  (or hashcat\'s own mask attack: hashcat -m 14800 -a 3 hash.txt MASK).',
    );
  }
  return lines.join('\n');
}

async function keychainPasswords(t: RecoverTarget, allow: boolean | undefined, json: boolean): Promise<string[]> {
  if (allow === false) return [];
  const store = savedPasswordStore();
  const worthAsking = (process.platform === 'darwin' && t.udid !== undefined) || process.platform === 'win32';
  if (store && worthAsking && allow === undefined) {
    const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
    if (!interactive) {
      say(json, `saved passwords: not looked up (add --keychain to look in ${store} without being asked)`);
      return [];
    }
    const { confirm, isCancel } = await import('@clack/prompts');
    const why = process.platform === 'darwin' ? ' (macOS will ask for permission)' : '';
    const ok = await confirm({ message: `Look for a backup password saved in ${store}?${why}` });
    if (isCancel(ok) || ok !== true) return [];
  }
  const r = await readKeychainPasswords(t.udid);
  say(json, r.note);
  return r.passwords;
}

async function searchOne(t: RecoverTarget, o: RecoverFlags, spec: SearchSpec, many: boolean, signal: AbortSignal): Promise<RecoverOutcome> {
  const json = o.json === true;
  const keychain = await keychainPasswords(t, o.keychain, json);
  const plan = await planSearch({
    target: t,
    spec: { ...spec, keychain },
    engine: o.engine === 'hashcat' ? 'hashcat' : 'auto',
    workers: parseWorkers(o.workers),
    session: o.session === false ? false : o.session ? (many ? `${o.session}/${t.target.id}` : o.session) : undefined,
    restart: o.restart,
    checkpointMs: checkpointInterval(),
    signal,
  });
  if (json) process.stderr.write(JSON.stringify({ plan }) + '\n');
  else process.stderr.write(describePlan(plan, o.debug === true || process.env.IRESCUE_DEBUG === '1') + '\n');
  const render = createProgressRenderer({ json });
  try {
    return await runSearch(plan, { onProgress: render, signal });
  } catch (e) {
    if (e instanceof CancelledError && !plan.session) throw new CancelledError('interrupted (no session: nothing saved)');
    throw e;
  } finally {
    render.done();
  }
}

function nextStep(t: RecoverTarget): string {
  const where = t.backupDir ?? '<backup folder>';
  return [
    'Next: open the backup with it. Keep the password off the command line: put it on the first line of a',
    'file (or in the IRESCUE_PASSWORD environment variable), then run',
    `  irescue extract ${where} --out DIR --password-file FILE`,
    `  irescue decrypt ${where} --out DIR --password-file FILE   (a full decrypted copy)`,
  ].join('\n');
}

export function register(program: Command): void {
  const cmd = program
    .command('recover')
    .argument('[backup]', 'backup folder (the one holding Manifest.plist)')
    .description('find a forgotten backup password: your guesses and hints first, then common passwords, wordlists, masks, PINs; all cores; resumable')
    .option('--hash <line-or-file>', 'a $itunes_backup$*9* or *10* line (from `irescue hash`), or a file of them, instead of a backup');
  addSourceOptions(cmd)
    .option('--keychain', 'look for a saved password (macOS keychain, Windows Credential Manager) without asking')
    .option('--no-keychain', 'do not look in the keychain')
    .option('--workers <n>', 'parallel engine workers (default: one per CPU core)')
    .option('--session <dir>', 'where progress is saved (default: a folder per backup in your cache folder)')
    .option('--no-session', 'save no progress')
    .option('--restart', 'discard the saved progress of this session and start over')
    .option('--engine <name>', 'auto (the fastest built-in engine) or hashcat (streams our candidates into a hashcat binary: GPUs)', 'auto')
    .option('--json', 'final result as JSON on stdout; progress as JSON lines on stderr')
    .addHelpText('after', NEVER_SET_HELP)
    .action(async (backup: string | undefined, o: RecoverFlags, command: Command) => {
      o.debug = isDebug(command);
      if (backup && o.hash) throw new UsageError('give a backup folder or --hash, not both');
      if (!backup && !o.hash) throw new UsageError('give a backup folder or --hash LINE_OR_FILE (see irescue recover --help)');
      if (o.engine !== 'auto' && o.engine !== 'hashcat') throw new UsageError(`--engine ${o.engine}: use "auto" (the fastest built-in engine) or "hashcat" (a hashcat binary on PATH, for GPUs)`);
      parseWorkers(o.workers); // fail on a bad value before reading anything
      const targets = backup ? [await targetFromBackupFolder(backup)] : await targetsFromHashArg(o.hash!);
      const json = o.json === true;
      const spec = await specFromFlagsAndFiles(o, [], (line: string) => say(json, line));
      // a second Ctrl-C exits at once: the last checkpoint stands; work since then is redone on resume
      const interrupt = interruptible(() => {
        if (!json) process.stderr.write('\nstopping: saving progress (press Ctrl-C again to quit at once) ...\n');
      });
      const results: Array<{ t: RecoverTarget; r: RecoverOutcome }> = [];
      try {
        for (const t of targets) results.push({ t, r: await searchOne(t, o, spec, targets.length > 1, interrupt.signal) });
      } finally {
        interrupt.dispose();
      }
      const docs = results.map(({ r }) => ({ found: r.found, ...(r.found ? { password: r.password } : {}), tried: r.tried, ...(r.skipped ? { skipped: r.skipped } : {}), seconds: Math.round(r.seconds * 100) / 100 }));
      for (const { t, r } of results) {
        for (const n of r.notes) say(json, `note: ${n}`);
        if (r.found && !r.verified) throw new PasswordNotFoundError(`${t.name}: a candidate passed the quick check but not the full one; the keybag may be damaged`);
        if (!json) {
          if (r.found) {
            process.stdout.write(`${r.password}\n`);
            process.stderr.write(`Password found for ${t.name} and verified (${r.tried.toLocaleString('en-US')} tried, ${formatDuration(r.seconds)}).\n${nextStep(t)}\n`);
          } else {
            process.stderr.write(`${t.name}: password not found among ${r.plan.total.toLocaleString('en-US')} candidates (${r.tried.toLocaleString('en-US')} tested). Add --hint words, --wordlist or --mask to search further.\n`);
          }
        }
      }
      if (json) printJson(docs.length === 1 ? docs[0] : { results: docs }, 0);
      // exit 5 (PasswordNotFoundError's code): the message above already said it
      process.exitCode = exitFor(results.some(({ r }) => !r.found), 'NOT_FOUND');
    });
}
