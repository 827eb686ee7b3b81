import type { Command } from 'commander';
import { deviceInfo, diagnosticsAction } from '../../device/devices.js';
import { cliTrustWait, describeDevice } from './device-output.js';
import { info, printJson, interruptSignal } from '../common.js';
import { addBackupCommands } from './device-backup.js';
import { addRestoreCommand } from './device-restore.js';

const PAIR_HINT = 'Pairing shows "Trust This Computer?" on the device: unlock it, tap Trust and enter the passcode.';

export function register(program: Command): void {
  const device = program.command('device').description('talk to a connected device in normal mode (usbmuxd + lockdown)');

  device
    .command('info')
    .description('model, iOS version and the values the device gives this computer')
    .option('--udid <udid>', 'which device, when several are connected')
    .option('--pair', `pair first when this computer is not trusted yet. ${PAIR_HINT}`)
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { udid?: string; pair?: boolean; json?: boolean }) => {
      const r = await deviceInfo({ udid: opts.udid, pair: opts.pair, trust: cliTrustWait(interruptSignal()) });
      if (opts.json) {
        printJson({ device: r.summary, paired: r.paired, values: r.values });
        return;
      }
      process.stdout.write(describeDevice(r.summary) + '\n');
      for (const k of Object.keys(r.values).sort()) {
        const v = r.values[k];
        if (Buffer.isBuffer(v) || (typeof v === 'object' && v !== null)) continue; // certificates, nested domains: see --json
        process.stdout.write(`  ${k}: ${String(v)}\n`);
      }
      if (!r.paired) info('Not paired: these are the values any computer gets. Run "irescue device info --pair" to see more.');
    });

  addBackupCommands(device);
  addRestoreCommand(device);

  for (const [name, action, text] of [
    ['restart', 'Restart', 'restart the device (needs pairing)'],
    ['shutdown', 'Shutdown', 'shut the device down (needs pairing)'],
  ] as const) {
    device
      .command(name)
      .description(text)
      .option('--udid <udid>', 'which device, when several are connected')
      .option('--json', 'print JSON on stdout')
      .action(async (opts: { udid?: string; json?: boolean }) => {
        await diagnosticsAction(action, { udid: opts.udid });
        if (opts.json) printJson({ ok: true, action: name });
        else info(name === 'restart' ? 'The device is restarting.' : 'The device is shutting down.');
      });
  }
}
