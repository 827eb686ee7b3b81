/**
 * `irescue recover (<backup> | --hash LINE_OR_FILE) [source flags] [--workers N] [--session DIR] [--json]`
 * (DESIGN.md §2). Thin: picks the target and sources, asks before reading the keychain, renders the
 * plan and progress, turns Ctrl-C/SIGTERM into a saved session and exit 130.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { CancelledError, PasswordNotFoundError, UsageError } from '../../errors.js';
import { formatDuration } from '../../format.js';
import { selectEngine } from '../../kdf/select.js';
import { buildSources } from '../../recover/sources.js';
import { readKeychainPasswords, savedPasswordStore } from '../../recover/candidates/keychain.js';
import { recoverPassword, type RecoverOutcome, type SearchPlan } from '../../recover/recover.js';
import { recoverWithHashcat } from '../../recover/hashcat-search.js';
import { threadsPerWorker } from '../../recover/pool.js';
import { defaultSessionDir } from '../../recover/session.js';
import { targetFromBackupFolder, targetsFromHashArg, verifyPassword, type RecoverTarget } from '../../recover/target.js';
import { createProgressRenderer } from '../render-progress.js';
import { addSourceOptions, specFromFlags, type SourceFlags } from './candidates.js';
import { exitFor } from '../exit.js';
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
}

function parseWorkers(v: string | undefined): number {
  if (v === undefined) return availableParallelism();
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

function describePlan(t: RecoverTarget, plan: SearchPlan, engineDetail: string): string {
  const lines = [`Searching the password of ${t.name} (${engineDetail}; ${plan.workers} worker${plan.workers === 1 ? '' : 's'})`];
  const width = Math.max(...plan.sources.map((s) => s.label.length));
  plan.sources.forEach((s, i) => lines.push(`  ${i + 1}. ${s.label.padEnd(width)}  ${s.size.toLocaleString('en-US').padStart(14)}`));
  lines.push(`  total ${plan.total.toLocaleString('en-US')} candidates (duplicates of earlier sources are skipped, not tested)`);
  if (plan.resumeNote) lines.push(`  ${plan.resumeNote}`);
  if (plan.rate !== undefined && plan.etaSeconds !== undefined) {
    lines.push(`  measured ${plan.rate < 10 ? plan.rate.toFixed(2) : Math.round(plan.rate).toLocaleString('en-US')} candidates/s: everything tried within ${formatDuration(plan.etaSeconds)}`);
  }
  if (plan.hopeless) {
    lines.push(
      '  This search is hopeless on this machine. Narrow it (more --hint words, a shorter --mask), or run it on a GPU:',
      `  \`irescue hash ${t.backupDir ?? '<backup>'} > hash.txt\`, then \`irescue candidates <the same source flags> | hashcat -m 14800 hash.txt\``,
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

async function searchOne(t: RecoverTarget, o: RecoverFlags, many: boolean, signal: AbortSignal): Promise<RecoverOutcome> {
  const json = o.json === true;
  const keychain = await keychainPasswords(t, o.keychain, json);
  const sources = await buildSources(specFromFlags(o, keychain));
  const workers = parseWorkers(o.workers);
  const engine = await selectEngine({ threads: threadsPerWorker(workers) });
  // node crypto runs on libuv's thread pool, sized once at start-up (4 unless UV_THREADPOOL_SIZE)
  const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  if (engine.name === 'node-crypto' && workers > pool) {
    say(json, `note: the Node.js crypto engine runs on ${pool} threads here, so only ${pool} of the ${workers} workers compute at once; start irescue with UV_THREADPOOL_SIZE=${workers} to use them all`);
  }
  const sessionDir = o.session === false ? undefined : o.session ? (many ? `${o.session}/${t.target.id}` : o.session) : defaultSessionDir(t.target.id);
  const render = createProgressRenderer({ json });
  try {
    if (o.engine === 'hashcat') {
      say(json, `Streaming ${sources.reduce((a, s) => a + s.size, 0).toLocaleString('en-US')} candidates into hashcat (mode ${t.target.hashLine.includes('*10*') ? 14800 : 14700})...`);
      return await recoverWithHashcat({ target: t, sources, engine, onProgress: render, signal });
    }
    return await recoverPassword({
      target: t.target,
      sources,
      engine,
      workers,
      sessionDir,
      restart: o.restart,
      traceFile: process.env.IRESCUE_TRACE_FILE || undefined,
      checkpointMs: checkpointInterval(),
      signal,
      onPlan: (plan) => {
        if (json) process.stderr.write(encodeJson({ plan: { ...plan, target: t.target.id, session: sessionDir } }, 0) + '\n');
        else process.stderr.write(describePlan(t, plan, engine.detail) + '\n');
      },
      onProgress: render,
      verify: (pw) => verifyPassword(t, engine, pw),
    });
  } catch (e) {
    if (e instanceof CancelledError) {
      throw new CancelledError(sessionDir ? `interrupted: progress saved in ${sessionDir}; run the same command again to resume` : 'interrupted (no session: nothing saved)');
    }
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
    .action(async (backup: string | undefined, o: RecoverFlags) => {
      if (backup && o.hash) throw new UsageError('give a backup folder or --hash, not both');
      if (!backup && !o.hash) throw new UsageError('give a backup folder or --hash LINE_OR_FILE (see irescue recover --help)');
      if (o.engine !== 'auto' && o.engine !== 'hashcat') throw new UsageError(`--engine ${o.engine}: use "auto" (the fastest built-in engine) or "hashcat" (a hashcat binary on PATH, for GPUs)`);
      parseWorkers(o.workers); // fail on a bad value before reading anything
      const targets = backup ? [await targetFromBackupFolder(backup)] : await targetsFromHashArg(o.hash!);
      const json = o.json === true;
      // a second Ctrl-C exits at once: the last checkpoint stands; work since then is redone on resume
      const interrupt = interruptible(() => {
        if (!json) process.stderr.write('\nstopping: saving progress (press Ctrl-C again to quit at once) ...\n');
      });
      const results: Array<{ t: RecoverTarget; r: RecoverOutcome }> = [];
      try {
        for (const t of targets) results.push({ t, r: await searchOne(t, o, targets.length > 1, interrupt.signal) });
      } finally {
        interrupt.dispose();
      }
      const docs = results.map(({ r }) => ({ found: r.found, ...(r.found ? { password: r.password } : {}), tried: r.tried, seconds: Math.round(r.seconds * 100) / 100 }));
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
