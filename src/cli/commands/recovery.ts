import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { enterRecovery, leaveRecovery } from '../../device/devices.js';
import { describeDevice } from './device-output.js';
import { info, printJson } from '../common.js';

interface Target {
  udid?: string;
  ecid?: string;
  json?: boolean;
}

function checkTarget(opts: Target): void {
  if (opts.udid && opts.ecid) throw new UsageError('give --udid or --ecid, not both');
}

export function register(program: Command): void {
  const recovery = program.command('recovery').description('enter or leave Recovery mode');

  recovery
    .command('enter')
    .description('restart a device in normal mode into Recovery mode (iOS 14.5+ needs it paired)')
    .option('--udid <udid>', 'which device (see "irescue devices")')
    .option('--ecid <ecid>', 'which device, by ECID')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: Target) => {
      checkTarget(opts);
      const d = await enterRecovery({ udid: opts.udid, ecid: opts.ecid, usb: opts.ecid ? undefined : null });
      if (opts.json) printJson({ ok: true, device: d });
      else {
        process.stdout.write(describeDevice(d) + '\n');
        info('The device is restarting into Recovery mode (a cable and computer on its screen).');
      }
    });

  recovery
    .command('exit')
    .description('leave Recovery mode: the device boots its installed iOS')
    .option('--udid <udid>', 'which device (iPhone XS and later: the ECID is read from the UDID)')
    .option('--ecid <ecid>', 'which device, by ECID (see "irescue devices")')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: Target) => {
      checkTarget(opts);
      const d = await leaveRecovery({ udid: opts.udid, ecid: opts.ecid });
      if (opts.json) printJson({ ok: true, device: d });
      else {
        process.stdout.write(describeDevice(d) + '\n');
        info('The device is restarting out of Recovery mode.');
      }
    });
}
