/**
 * `irescue restore [--udid U | --ecid E] [--model M] [--ipsw F | --latest] [--update] [--yes]`:
 * erase (or update) a device in Recovery/DFU mode with idevicerestore, after pre-flight checks, the
 * Activation Lock warning and a typed confirmation. The work is in guide/restore/; this file asks
 * and prints (human text on stderr, the --json document on stdout).
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { UsageError, CancelledError } from '../../errors.js';
import { createProgressRenderer } from '../render-progress.js';
import { interruptible, printJson } from '../common.js';
import { say } from '../terminal.js';
import {
  planRestore,
  checkConfirmable,
  confirmRestore,
  runRestore,
  checkEcid,
  targetName,
  restoreCacheDir,
  restoreLogDir,
  RestoreFailedError,
  RestorePreflightError,
  firstFailure,
  type Check,
  type ConnectedDevice,
  type RestoreKind,
} from '../../guide/restore/index.js';

interface RestoreOptions {
  udid?: string;
  ecid?: string;
  model?: string;
  ipsw?: string;
  latest?: boolean;
  update?: boolean;
  yes?: boolean;
  cacheDir?: string;
  logDir?: string;
  networkCheck?: boolean;
  deviceCheck?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('restore')
    .description('erase and reinstall iOS on a device in Recovery or DFU mode with idevicerestore (asks you to type a confirmation)')
    .option('--udid <udid>', 'device in normal mode, by UDID')
    .option('--ecid <ecid>', 'device in Recovery/DFU mode, by ECID (hex 0x… or decimal)')
    .option('--model <model>', 'model, to check that idevicerestore knows it (iPhone13,2 or "iPhone 12")')
    .option('--ipsw <file>', 'install this firmware file instead of downloading the newest signed one')
    .option('--latest', 'download and install the newest firmware Apple signs (default)')
    .option('--update', 'reinstall iOS keeping the data (for a device stuck after a failed update) instead of erasing')
    .option('--yes', 'skip the typed confirmation: only honoured when not run in a terminal (scripts)')
    .option('--cache-dir <dir>', 'folder for downloaded firmware (default: the irescue cache folder)')
    .option('--log-dir <dir>', 'folder for the full restore log (default: the irescue cache folder)')
    .option('--no-network-check', 'do not check that Apple\'s servers are reachable first')
    .option('--no-device-check', 'do not look for the device first (idevicerestore looks for it itself)')
    .option('--json', 'print the result as one JSON document on stdout')
    .action(async (opts: RestoreOptions) => {
      await restoreCommand(opts);
    });
}

/**
 * The devices this computer sees: Recovery/DFU over USB, normal mode through usbmuxd. Undefined when
 * USB cannot be looked at (no "usb" package, no permission): then nothing can be said either way.
 */
async function connectedDevices(): Promise<ConnectedDevice[] | undefined> {
  const { listDevices, listRecoveryDevices, NodeUsbTransport } = await import('../../device/index.js');
  let recovery: ConnectedDevice[];
  try {
    recovery = await listRecoveryDevices(new NodeUsbTransport());
  } catch {
    return undefined;
  }
  const normal = (await listDevices({ usb: null })).devices;
  return [...recovery, ...normal];
}

const MARK: Record<Check['status'], string> = { ok: pc.green('ok  '), warn: pc.yellow('warn'), fail: pc.red('FAIL') };

async function restoreCommand(opts: RestoreOptions): Promise<void> {
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  // Before any slow check: a script without --yes can never confirm.
  checkConfirmable({ yes: opts.yes === true, interactive });
  if (opts.ipsw && opts.latest) throw new UsageError('give either --ipsw FILE or --latest, not both');
  if (opts.udid && opts.ecid) throw new UsageError('give either --udid or --ecid, not both');
  const kind: RestoreKind = opts.update ? 'update' : 'erase';

  const plan = await planRestore({
    kind,
    target: { ecid: opts.ecid ? checkEcid(opts.ecid) : undefined, udid: opts.udid, productType: opts.model },
    ipsw: opts.ipsw,
    cacheDir: opts.cacheDir ?? restoreCacheDir(),
    networkCheck: opts.networkCheck !== false,
    connected: opts.deviceCheck === false ? undefined : await connectedDevices(),
  });
  say(pc.bold('Checks before the restore:'));
  for (const c of plan.checks) {
    say(`  ${MARK[c.status]} ${c.message}`, 7);
    if (c.status !== 'ok') for (const h of c.hints ?? []) say(`       ${h}`);
  }
  const failed = firstFailure(plan);
  if (failed) throw new RestorePreflightError(failed.id, failed.message, failed.hints);

  say('\n' + pc.bold('Before you go on:'));
  for (const w of plan.warnings) say(`  - ${w}`);
  say('');

  const deviceName = targetName(plan.model);
  const confirmation = await confirmRestore({
    kind,
    deviceName,
    yes: opts.yes === true,
    interactive,
    ask: async (message, expected) => {
      const { text, isCancel } = await import('@clack/prompts');
      const v = await text({ message, placeholder: expected, output: process.stderr });
      return isCancel(v) ? undefined : String(v ?? '');
    },
  });

  const interrupt = interruptible();
  const progress = createProgressRenderer({ json: opts.json });
  try {
    const result = await runRestore(plan, { confirmation, logDir: opts.logDir ?? restoreLogDir(), onProgress: progress, signal: interrupt.signal });
    progress.done();
    if (opts.json) {
      printJson({ ok: true, kind, model: plan.model?.productType ?? null, logPath: result.logPath, seconds: result.seconds }, 0);
    }
    say(`\nRestore finished. Full log: ${result.logPath}`);
    if (kind === 'erase') say('Set the device up; if it asks for an Apple Account (Activation Lock), use the one that was signed in. Then restore your backup.');
  } catch (e) {
    progress.done();
    if (e instanceof RestoreFailedError) {
      const f = e.details.failure as { title: string; advice: string[]; line: string } | undefined;
      if (f) {
        say(`\n${pc.red(f.title)}\n  (idevicerestore said: ${f.line})`);
        for (const a of f.advice) say(`  - ${a}`);
      }
    } else if (e instanceof CancelledError) {
      say('\nStopped. If the device shows the Recovery screen, run the restore again.');
    }
    throw e;
  } finally {
    interrupt.dispose();
  }
}
