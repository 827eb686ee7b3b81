/** The shape of an affix, what the learned grammar (affix-model.ts) and its generator script share. */

/** "1!" is "D1S1": its runs of digits (D), letters (L) and anything else (S) with their lengths. */
export function shapeOf(text: string): string {
  let out = '';
  for (const m of text.match(/[0-9]+|[a-zA-Z]+|[^a-zA-Z0-9]+/g) ?? []) out += (/[0-9]/.test(m) ? 'D' : /[a-zA-Z]/.test(m) ? 'L' : 'S') + m.length;
  return out;
}

/** Word lengths 1 to 8+ each have their own affix habits (a one-letter word takes long digit runs). */
export const WORD_BUCKETS = 8;
/** The bucket (0-based) of a word of this many letters: the learning script and the reader agree through this. */
export const wordBucket = (length: number) => Math.min(WORD_BUCKETS, Math.max(1, length)) - 1;
