import type { Command } from 'commander';
import { listDevices } from '../../device/devices.js';
import { describeDevice } from './device-output.js';
import { info, printJson } from '../common.js';
import { isDebug } from '../exit.js';

export function register(program: Command): void {
  program
    .command('devices')
    .description('list connected iPhones and iPads in normal, Recovery and DFU mode')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { json?: boolean }) => {
      const { devices, warnings } = await listDevices();
      if (opts.json) {
        printJson({ devices, warnings });
        return;
      }
      const debug = isDebug();
      for (const w of warnings) info(`irescue: ${debug ? w : ownerWords(w)}`);
      if (devices.length === 0) {
        info('No device found. Connect it with a cable; a device in normal mode shows up even when locked.');
        return;
      }
      for (const d of devices) process.stdout.write(describeDevice(d) + '\n');
    });
}

/** The warning without its engineer's "(details: socket path, errno, variable)" tail, which --debug keeps. */
export function ownerWords(warning: string): string {
  return warning.replace(/\s*\(details: [^)]*\)/g, '');
}
