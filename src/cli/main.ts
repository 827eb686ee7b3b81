#!/usr/bin/env node
/**
 * The CLI is a thin front end over the library: each command module registers itself and calls
 * library functions; errors are mapped to exit codes in one place (cli/exit.ts).
 */
import { Command, CommanderError, Help } from 'commander';
import { PREFIX, reportError } from './exit.js';
import { wrapFor } from './terminal.js';
import type { RegisterCommand } from './commands/index.js';
import { topLevelHelp } from './help.js';


/**
 * Commands that load alone when they are the one asked for: every command module together costs
 * several hundred milliseconds of imports (the exporters, the device layer, the wizard), which
 * `irescue info` must not pay (issue 15: info under 0.2 s). --help and every other command load all.
 */
const SOLO: Record<string, () => Promise<RegisterCommand>> = {
  info: async () => (await import('./commands/info.js')).register,
  hash: async () => (await import('./commands/hash.js')).register,
  verify: async () => (await import('./commands/verify.js')).register,
  ls: async () => (await import('./commands/ls.js')).register,
};

/** The command modules `argv` needs: the one solo command it names, else all of them. */
async function commandsFor(argv: readonly string[]): Promise<RegisterCommand[]> {
  const args = argv.slice(2);
  const name = args.find((a) => !a.startsWith('-'));
  const help = args.includes('--help') || args.includes('-h') || name === 'help';
  const solo = name !== undefined && !help && Object.hasOwn(SOLO, name) ? SOLO[name] : undefined;
  if (solo) return [await solo()];
  return (await import('./commands/index.js')).commands;
}

/** The program with the commands `argv` needs (all of them by default). */
async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  return buildProgramWith(await commandsFor(argv));
}

function buildProgramWith(commands: RegisterCommand[]): Command {
  const program = new Command('irescue')
    .description('Open toolkit for people locked out of their own iPhone, iPad or encrypted backup.\nPasswords come from --password-file FILE, the IRESCUE_PASSWORD environment variable, or a hidden prompt; never from the command line.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .option('--debug', 'print stack traces and engine details')
    .showHelpAfterError('(run with --help for usage)')
    // One prefix for every problem ("error: unknown command" reads "irescue: ..."), wrapped like the rest.
    .configureOutput({ outputError: (str, write) => write(wrapFor(process.stderr, str.replace(/^error: /, PREFIX), PREFIX.length)) })
    .exitOverride();
  // Grouped help with examples for `irescue --help`; each command keeps commander's own layout.
  program.configureHelp({ formatHelp: (cmd, helper) => (cmd === program ? topLevelHelp(program, helper) : Help.prototype.formatHelp.call(helper, cmd, helper)) });
  for (const register of commands) register(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** `irescue ls … | head`: the reader left, which is no error; stop quietly instead of a stack trace. */
let pipesWatched = false;
function quietOnClosedPipe(): void {
  if (pipesWatched) return;
  pipesWatched = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
}

export async function main(argv = process.argv): Promise<number> {
  quietOnClosedPipe();
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      // Commander printed the one-line problem on stderr; with --json stdout still gets one document.
      if (argv.includes('--json')) process.stdout.write(JSON.stringify({ error: { code: 'USAGE', message: e.message.replace(/^error: /, '') } }) + '\n');
      return 2;
    }
    return reportError(e);
  }
}

const invokedDirectly = process.argv[1] !== undefined && /[\\/]main\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.exitCode = reportError(e);
    },
  );
}
