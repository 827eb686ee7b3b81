import type { Command } from 'commander';
import { registerBackups } from './backups.js';
import { registerInfo } from './info.js';
import { registerVerify } from './verify.js';
import { registerLs } from './ls.js';
import { registerExtract } from './extract.js';
import { registerDecrypt } from './decrypt.js';
import { registerHash } from './hash.js';
import { registerDemo } from './demo.js';
import { register as registerGuide } from './guide.js';
import { register as registerRestore } from './restore.js';
import { registerUi } from './ui.js';
import { register as registerExport } from './export.js';
import { register as registerRecover } from './recover.js';
import { register as registerCandidates } from './candidates.js';
import { register as registerBench } from './bench.js';
import { registerDevices } from './devices.js';
import { registerDevice } from './device.js';
import { registerRecovery } from './recovery.js';
import { registerKeychain } from './keychain.js';
import { registerScreentime } from './screentime.js';

/** Every command module exports register(program); the order here is the order in --help. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerBackups,
  registerInfo,
  registerVerify,
  registerLs,
  registerExtract,
  registerDecrypt,
  registerHash,
  registerRecover,
  registerCandidates,
  registerKeychain,
  registerScreentime,
  registerBench,
  registerDemo,
  registerExport,
  registerDevices,
  registerDevice,
  registerRecovery,
  registerGuide,
  registerRestore,
  registerUi,
];
