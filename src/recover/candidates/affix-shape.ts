/** The shape of an affix, what the learned grammar (affix-model.ts) and its generator script share. */

/** "1!" is "D1S1": its runs of digits (D), letters (L) and anything else (S) with their lengths. */
export function shapeOf(text: string): string {
  let out = '';
  for (const m of text.match(/[0-9]+|[a-zA-Z]+|[^a-zA-Z0-9]+/g) ?? []) out += (/[0-9]/.test(m) ? 'D' : /[a-zA-Z]/.test(m) ? 'L' : 'S') + m.length;
  return out;
}
