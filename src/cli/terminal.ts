/**
 * The CLI's one output layer for text meant for a person: every message, warning and error is
 * wrapped to the terminal's width (at spaces, keeping its indent), and long output (the guide) is
 * paged. Pipes and files get the text unchanged, so scripts and `grep` see one line per message.
 */
import { spawnSync } from 'node:child_process';
import { childEnv } from '../child-env.js';

interface TextStream {
  isTTY?: boolean;
  columns?: number;
}

/** The width to wrap to: the terminal's, kept between 40 and 100 columns; 80 when not a terminal. */
export function terminalWidth(stream: TextStream = process.stdout): number {
  if (!stream.isTTY || !stream.columns) return 80;
  return Math.max(40, Math.min(100, stream.columns));
}

/** Colour codes take no columns on screen. */
const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;

/**
 * Wraps each line at spaces to `width`, its added lines indented like its text (after "- ", "1. ",
 * "a) ", "! "), or by `hang` when that is more ("irescue: " messages). A word longer than a line
 * (a path) is left whole rather than cut.
 */
export function wrapText(text: string, width = terminalWidth(), hang = 0): string {
  return text
    .split('\n')
    .map((line) => {
      if (visible(line) <= width) return line;
      const indent = /^\s*(?:[-*•!] |\d+\. |[a-z]\) )?/.exec(line)![0].length;
      const pad = ' '.repeat(Math.min(Math.max(indent, hang), Math.floor(width / 2)));
      const out: string[] = [];
      let current = '';
      for (const word of line.slice(indent).split(/ +/)) {
        const head = out.length === 0 ? line.slice(0, indent) : pad;
        if (current && visible(head) + visible(current) + 1 + visible(word) > width) {
          out.push(head + current);
          current = word;
        } else current = current ? `${current} ${word}` : word;
      }
      out.push((out.length === 0 ? line.slice(0, indent) : pad) + current);
      return out.join('\n');
    })
    .join('\n');
}

/**
 * Text for `stream`: wrapped to its width when it is a terminal (later lines of a message indented
 * by `hang`, so text after "irescue: " keeps its column); unchanged otherwise.
 */
export function wrapFor(stream: TextStream, text: string, hang = 0): string {
  return stream.isTTY ? wrapText(text, terminalWidth(stream), hang) : text;
}

/** One message for the person, on stderr, wrapped: the one way commands say things. */
export function say(text: string, hang = 0): void {
  process.stderr.write(wrapFor(process.stderr, text, hang) + '\n');
}

/**
 * Long text for a person at a terminal: through $PAGER (else `less -R`) when stdout is a TTY and the
 * text is taller than the screen; printed as is otherwise (pipes, files, --json never page).
 */
export function printPaged(text: string, out: NodeJS.WriteStream = process.stdout): void {
  const rows = out.rows ?? 24;
  if (!out.isTTY || text.split('\n').length < rows - 1) {
    out.write(text);
    return;
  }
  const pager = process.env.PAGER?.trim() || 'less -R';
  // The pager is the user's own choice of program; it gets the text on stdin, never in argv.
  const env = childEnv({ ...process.env, LESS: process.env.LESS ?? 'FRX' });
  const r = spawnSync(pager, { input: text, stdio: ['pipe', 'inherit', 'inherit'], shell: true, env });
  if (r.error || r.status === 127) out.write(text);
}
