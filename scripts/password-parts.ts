/**
 * Shared by the candidate-table generator (scripts/learn-candidates.ts) and the guess benchmark
 * (bench/guesses.ts): the public frequency-ranked password list and how a password splits into
 * the word a person remembers (its longest run of letters) and what is around it.
 */
import { dictionary } from '@zxcvbn-ts/language-common';
export { shapeOf, wordBucket, WORD_BUCKETS } from '../src/recover/candidates/affix-shape.js';

export const SOURCE = {
  package: '@zxcvbn-ts/language-common@4.1.3',
  list: "dictionary['passwords-common'] (zxcvbn's frequency-ranked common-password list, lower-cased)",
  licence: 'MIT (c) 2012-2016 Dan Wheeler and Dropbox, Inc.; (c) 2021 @zxcvbn-ts',
};

/** The list, most frequent first. */
export function rankedPasswords(): string[] {
  return (dictionary as unknown as Record<string, string[]>)['passwords-common'];
}

/** Learn on even ranks, test on odd ones: the benchmark never scores what was learned from. */
export const isLearnRank = (rank: number) => rank % 2 === 0;

export interface Parts {
  prefix: string;
  word: string;
  suffix: string;
}

/** The first longest run of letters, and what is before and after it; undefined without letters. */
export function splitPassword(pw: string): Parts | undefined {
  let best = { start: 0, end: 0 };
  const re = /[a-zA-Z]+/g;
  for (let m = re.exec(pw); m; m = re.exec(pw)) {
    if (m[0].length > best.end - best.start) best = { start: m.index, end: m.index + m[0].length };
  }
  if (best.end === 0) return undefined;
  return { prefix: pw.slice(0, best.start), word: pw.slice(best.start, best.end), suffix: pw.slice(best.end) };
}

/** Word-length buckets the affix shapes are learned per: 1, 2, 3, 4, 5, 6, 7, 8 and more letters. */
