import type { Command } from 'commander';
import { register as bench } from './bench.js';

/** Every command module exports register(program); the order here is the order in --help. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [bench];
