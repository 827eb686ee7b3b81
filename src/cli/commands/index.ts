import type { Command } from 'commander';
import { registerDevices } from './devices.js';
import { registerDevice } from './device.js';
import { registerRecovery } from './recovery.js';

/** Every command module exports register(program); the order here is the order in --help. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [registerDevices, registerDevice, registerRecovery];
