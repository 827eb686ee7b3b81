/**
 * Text from a backup (file names, link targets, device names, reasons that quote them) is data from
 * outside: printed raw, ESC/CSI, OSC 0 (window title), OSC 52 (clipboard), BEL and CR could rewrite
 * the screen or the clipboard. Every CLI printer of backup-controlled text goes through here.
 */

/** C0 and C1 controls, DEL, and the bidi overrides/isolates that reorder what is shown (Trojan Source). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One line of text with every control shown as an escape (`\x1b`, `\u202e`); the rest unchanged. */
export function printable(text: string | undefined | null): string {
  if (text === undefined || text === null) return '';
  return String(text).replace(UNSAFE, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/** Several lines: each line made printable, our own newlines kept. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
