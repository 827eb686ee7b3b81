import type { Command } from 'commander';
import * as backups from './backups.js';
import * as bench from './bench.js';
import * as candidates from './candidates.js';
import * as decrypt from './decrypt.js';
import * as demo from './demo.js';
import * as device from './device.js';
import * as devices from './devices.js';
import * as exportCmd from './export.js';
import * as extract from './extract.js';
import * as guide from './guide.js';
import * as hash from './hash.js';
import * as info from './info.js';
import * as ls from './ls.js';
import * as recover from './recover.js';
import * as recovery from './recovery.js';
import * as restore from './restore.js';
import * as ui from './ui.js';
import * as verify from './verify.js';
import * as keychain from './keychain.js';
import * as screentime from './screentime.js';

/** Every command module exports register(program); the order here is the order in --help. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  backups.register,
  info.register,
  verify.register,
  ls.register,
  extract.register,
  decrypt.register,
  hash.register,
  recover.register,
  candidates.register,
  keychain.register,
  screentime.register,
  bench.register,
  demo.register,
  exportCmd.register,
  devices.register,
  device.register,
  recovery.register,
  guide.register,
  restore.register,
  ui.register,
];
