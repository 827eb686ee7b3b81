/** Typos and variants of a guess the user thought was right (--try): what a slip of the hand makes. */

export function capitalize(w: string): string {
  return w ? w[0].toUpperCase() + w.slice(1).toLowerCase() : w;
}

const KEYBOARD_ROWS = ['1234567890-=', 'qwertyuiop[]', "asdfghjkl;'", 'zxcvbnm,./'];
const ADJACENT = new Map<string, string>();
for (let r = 0; r < KEYBOARD_ROWS.length; r++) {
  for (let c = 0; c < KEYBOARD_ROWS[r].length; c++) {
    const near: string[] = [];
    for (const [dr, dc] of [[0, -1], [0, 1], [-1, 0], [-1, 1], [1, 0], [1, -1]]) {
      const ch = KEYBOARD_ROWS[r + dr]?.[c + dc];
      if (ch) near.push(ch);
    }
    ADJACENT.set(KEYBOARD_ROWS[r][c], near.join(''));
  }
}

/**
 * Typos and variants of a guess: its case (Caps Lock, a missed or extra Shift on the first letter),
 * a missing or an extra trailing suffix (the "1" or "!" added or left off), an adjacent key, a
 * doubled, a dropped letter, swapped neighbours. The learned suffixes follow through the
 * typo suffixes in plan().
 */
export function typos(w: string): string[] {
  const out: string[] = [];
  const swapCase = [...w].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  for (const v of [swapCase, w.toLowerCase(), capitalize(w), w.toUpperCase()]) if (v !== w) out.push(v);
  const bare = /^(.*?[^0-9!?.#$*@]+)[0-9!?.#$*@]+$/.exec(w)?.[1];
  if (bare) out.push(...new Set([bare, capitalize(bare)]));
  const chars = [...w];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const lower = ch.toLowerCase();
    const near = ADJACENT.get(lower) ?? '';
    for (const n of near) out.push([...chars.slice(0, i), ch === lower ? n : n.toUpperCase(), ...chars.slice(i + 1)].join(''));
    out.push([...chars.slice(0, i + 1), ch, ...chars.slice(i + 1)].join('')); // doubled
    if (chars.length > 1) out.push([...chars.slice(0, i), ...chars.slice(i + 1)].join('')); // dropped
    if (i + 1 < chars.length && chars[i] !== chars[i + 1]) out.push([...chars.slice(0, i), chars[i + 1], chars[i], ...chars.slice(i + 2)].join(''));
  }
  return out;
}

const INSERTED = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A character the guess left out, anywhere (after the typos: 36 a position, each about as rare). */
export function insertions(w: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= w.length; i++) for (const ch of INSERTED) if (ch !== w[i] && ch !== w[i - 1]) out.push(w.slice(0, i) + ch + w.slice(i));
  return out;
}
