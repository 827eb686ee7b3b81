/**
 * A finite, in-memory, ordered list of candidates (--try, keychain, hints, the common list):
 * deduplicated at construction, first occurrence kept, so every position holds a candidate.
 */
import { sha256OfList, type CandidateSource, type Cursor, type SourceKind } from './source.js';

export class ListSource implements CandidateSource {
  readonly items: readonly string[];
  readonly fingerprint: string;
  private readonly set: Set<string>;

  constructor(
    readonly kind: SourceKind,
    readonly label: string,
    words: Iterable<string>,
    readonly secret: boolean,
  ) {
    const set = new Set<string>();
    for (const w of words) if (w !== '') set.add(w);
    this.set = set;
    this.items = [...set];
    this.fingerprint = sha256OfList([kind, ...this.items]);
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
