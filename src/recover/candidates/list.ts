/**
 * A finite, in-memory, ordered list of candidates (--try, keychain, hints, the common list):
 * deduplicated at construction, first occurrence kept, so every position holds a candidate.
 */
import { FingerprintSet, slotsFor } from '../fingerprint-set.js';
import { sha256OfList, type CandidateSource, type Cursor, type SourceKind } from './source.js';

/**
 * The first occurrence of each non-empty word, in order, at most `limit` of them, and the set that
 * remembers them. The set holds 64-bit fingerprints rather than the strings (fingerprint-set.ts):
 * half the time of a Set<string> on the hint lists' hundreds of thousands of fresh strings, which
 * is most of their set-up; a false "seen" needs a 64-bit collision (odds about n / 2^64 a lookup).
 */
export interface UniqueList {
  items: string[];
  set: FingerprintSet;
}

function uniqueInOrder(words: Iterable<string>, limit = Infinity): UniqueList {
  const list = Array.isArray(words) ? (words as string[]) : undefined;
  const set = new FingerprintSet(slotsFor(Math.min(limit, list?.length ?? 0)));
  const items: string[] = [];
  if (limit <= 0) return { items, set };
  for (const w of words) {
    if (w === '' || !set.add(w)) continue;
    items.push(w);
    if (items.length >= limit) break;
  }
  return { items, set };
}

export class ListSource implements CandidateSource {
  readonly items: readonly string[];
  readonly fingerprint: string;
  private readonly set: FingerprintSet;

  constructor(
    readonly kind: SourceKind,
    readonly label: string,
    words: Iterable<string> | UniqueList,
    readonly secret: boolean,
    opts: {
      limit?: number;
      /** the session fingerprint of a list that is a pure function of a short definition (hints) */
      fingerprint?: string;
    } = {},
  ) {
    const { items, set } = 'set' in words ? words : uniqueInOrder(words, opts.limit);
    this.items = items;
    this.set = set;
    this.fingerprint = opts.fingerprint ?? sha256OfList([kind, ...items]);
  }

  get size(): number {
    return this.items.length;
  }

  has(candidate: string): boolean {
    return this.set.has(candidate);
  }

  open(from: number): Cursor {
    let i = Math.max(0, from);
    return {
      read: async (max) => {
        const out = this.items.slice(i, i + max);
        i += out.length;
        return out;
      },
      close() {},
    };
  }
}
