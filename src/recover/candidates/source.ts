/**
 * What every candidate source offers (STYLE.md principle 9): an indexed keyspace. A source has a
 * fixed number of positions; position i always yields the same candidate (or nothing), so a session
 * stores a position and never a candidate. Sources know nothing about engines or targets.
 */
import { createHash } from 'node:crypto';

/** The order sources are tried in (issue #4 §2): earlier kinds are likelier and cheaper. */
const SOURCE_ORDER = ['try', 'keychain', 'hint', 'common', 'wordlist', 'mask', 'pins'] as const;
export type SourceKind = (typeof SOURCE_ORDER)[number];

export interface Cursor {
  /**
   * Up to `max` positions, in order. '' marks a position without a candidate (an empty wordlist
   * line, a rule that gave the same word twice); a backup password is never empty. Fewer than
   * `max` entries (possibly none) means the source is exhausted.
   */
  read(max: number): Promise<string[]>;
  close(): void;
}

export interface CandidateSource {
  readonly kind: SourceKind;
  /** for humans, stored in sessions: never a candidate or a user's guess */
  readonly label: string;
  /** number of positions */
  readonly size: number;
  /** true when the definition holds the user's own guesses (--try, --hint, keychain) */
  readonly secret: boolean;
  /** sha256 hex of the definition: sessions use it to notice a changed command line */
  readonly fingerprint: string;
  open(from: number): Cursor;
  /**
   * Exact membership without enumerating: finite lists (a Set), masks and PINs (a pattern test).
   * Later sources skip what an earlier source `has`. Wordlists have no `has`: they feed the shared
   * fingerprint set instead (keyspace.ts).
   */
  has?(candidate: string): boolean;
  /** wordlists: whether the candidate at this position is a plain word (rule 0), to be remembered */
  isPlainWord?(position: number): boolean;
  /** wordlists: how many plain words (lines) they hold, to size the fingerprint set once */
  readonly plainWords?: number;
}

export function sha256Hex(...parts: Array<string | number>): string {
  return sha256OfList(parts);
}

/** The same for a list too long to spread into arguments (hashed in joined chunks: the same bytes, far fewer calls). */
export function sha256OfList(parts: Iterable<string | number>): string {
  const h = createHash('sha256');
  let chunk: string[] = [];
  for (const p of parts) {
    chunk.push(String(p));
    if (chunk.length === 4096) {
      h.update(chunk.join('\0') + '\0');
      chunk = [];
    }
  }
  if (chunk.length) h.update(chunk.join('\0') + '\0');
  return h.digest('hex');
}

/** A cursor over a function from position to candidate, for sources with random access. */
export function indexCursor(size: number, from: number, at: (i: number) => string): Cursor {
  let i = Math.max(0, from);
  return {
    async read(max) {
      const end = Math.min(size, i + max);
      const out = new Array<string>(Math.max(0, end - i));
      for (let k = 0; i < end; i++, k++) out[k] = at(i);
      return out;
    },
    close() {},
  };
}
