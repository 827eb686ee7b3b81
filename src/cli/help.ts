/**
 * What `irescue --help` (and `irescue` alone) says: commands grouped by what the owner wants to do,
 * one example each, and where to start. Wrapping comes from terminal.ts, like every other message.
 */
import type { Command, Help } from 'commander';
import { terminalWidth, wrapText } from './terminal.js';

interface HelpGroup {
  title: string;
  commands: string[];
  example: string;
}

const HELP_GROUPS: HelpGroup[] = [
  { title: 'Backups: find, read and copy out', commands: ['backups', 'info', 'ls', 'extract', 'decrypt', 'verify', 'demo'], example: 'irescue extract ~/Backups/00008110-001D2C3B4A596877 --out ~/Recovered' },
  { title: 'Password: a forgotten backup password', commands: ['recover', 'candidates', 'hash', 'bench'], example: 'irescue recover ~/Backups/00008110-001D2C3B4A596877 --hint rex --hint 2019' },
  { title: 'Export: messages, contacts, calls, photos, notes', commands: ['export'], example: 'irescue export all ~/Backups/00008110-001D2C3B4A596877 --out ~/Exported' },
  { title: 'Device: a connected iPhone or iPad', commands: ['devices', 'device', 'recovery', 'restore'], example: 'irescue devices' },
  { title: 'Lockout: locked, disabled or "iPhone Unavailable"', commands: ['guide'], example: 'irescue guide --situation unavailable --model "iPhone 12" --ios 17.4' },
  { title: 'The wizard in your browser', commands: ['ui'], example: 'irescue ui' },
];

/** Text wrapped to `width` columns, its later lines indented by `indent` (a hanging indent). */
function hang(text: string, width: number, indent: number): string {
  return wrapText(text, Math.max(20, width)).replace(/\n/g, '\n' + ' '.repeat(indent));
}

/** The top-level help: start here, then each group with its commands and one example. */
export function topLevelHelp(program: Command, helper: Help, width = terminalWidth()): string {
  const byName = new Map(program.commands.map((c) => [c.name(), c]));
  const nameWidth = Math.max(...program.commands.map((c) => c.name().length)) + 2;
  const entry = (term: string, text: string) => `  ${term.padEnd(nameWidth)}${hang(text, width - nameWidth - 2, nameWidth + 2)}`;
  const lines: string[] = [
    'irescue: back into your own iPhone, iPad or encrypted backup. Everything runs on this computer.',
    '',
    'Start here:',
    '  irescue ui      the wizard in your browser, step by step',
    '  irescue demo    a demo backup (password demo1234) to try every step on',
    '',
    `Usage: ${helper.commandUsage(program)}`,
  ];
  const listed = new Set<string>();
  for (const g of HELP_GROUPS) {
    const cmds = g.commands.map((n) => byName.get(n)).filter((c): c is Command => c !== undefined);
    if (!cmds.length) continue;
    lines.push('', `${g.title}:`);
    for (const c of cmds) {
      listed.add(c.name());
      lines.push(entry(c.name(), helper.subcommandDescription(c)));
    }
    lines.push(`  Example: ${g.example}`);
  }
  const others = program.commands.filter((c) => !listed.has(c.name()) && c.name() !== 'help');
  if (others.length) {
    lines.push('', 'Other commands:');
    for (const c of others) lines.push(entry(c.name(), helper.subcommandDescription(c)));
  }
  lines.push('', 'Options:');
  for (const o of helper.visibleOptions(program)) lines.push(`  ${helper.optionTerm(o)}: ${helper.optionDescription(o)}`);
  lines.push(
    '',
    wrapText('Passwords come from --password-file FILE, the IRESCUE_PASSWORD environment variable, or a hidden prompt; never from the command line.', width),
    'Each command has its own help: irescue <command> --help',
    '',
  );
  return lines.join('\n');
}
