/**
 * The whole search as one indexed keyspace: the sources one after another, global position =
 * offset of the source + position inside it. Deduplication is a pure function of the position
 * (what came before it), so a session can resume at any position and skip exactly what a first
 * run would have skipped.
 *
 * How "deduplicated against every earlier source" stays within bounded memory:
 *  - finite sources (--try, keychain, hints, --common; at most ~1M strings) keep a 64-bit
 *    fingerprint set of their strings and answer `has` in O(1) (list.ts: a false "seen" needs a
 *    64-bit collision);
 *  - masks and PINs answer `has` by pattern (length + charset per position): no memory at all, so a
 *    later --pins 4 skips every PIN an earlier --mask ?d?d?d?d already covered;
 *  - wordlists have no `has` (they are too big to hold): their words go into one shared 64-bit
 *    fingerprint set (fingerprint-set.ts, 8 bytes a word, capped), which dedups each wordlist
 *    against itself and earlier wordlists, and masks/PINs after them. Resuming inside or after a
 *    wordlist streams the earlier words again to rebuild the set (seconds, not hours).
 *  - --rules outputs are checked against all of the above and against the word's other rule outputs,
 *    but not remembered (words x rules would not fit): a repeated word's outputs are skipped whole
 *    (they were made the first time), but a rule output equal to a later plain word (or to another
 *    word's rule output) may be tested twice.
 */
import type { CandidateSource, Cursor } from './candidates/source.js';
import { FingerprintSet, slotsFor } from './fingerprint-set.js';

export interface Batch {
  /** positions [start, end) are settled by this batch: tested here or skipped as duplicates */
  start: number;
  end: number;
  /** index of the source these positions belong to */
  source: number;
  candidates: string[];
  positions: number[];
}

export class Keyspace {
  readonly offsets: number[] = [];
  readonly total: number;
  /** true when the fingerprint set hit its cap during the last iteration (note for the user) */
  fingerprintsFull = false;

  constructor(readonly sources: readonly CandidateSource[]) {
    let t = 0;
    for (const s of sources) {
      this.offsets.push(t);
      t += s.size;
    }
    this.total = t;
  }

  /** Which source holds this global position. */
  sourceAt(position: number): number {
    let k = 0;
    while (k + 1 < this.sources.length && this.offsets[k + 1] <= position) k++;
    return k;
  }

  /**
   * Deduplicated candidates from global position `from`, `batchSize` candidates per batch (fewer
   * at the end of a source: a batch never spans two sources, so progress per source is exact).
   */
  async *batches(from: number, batchSize: number): AsyncGenerator<Batch> {
    const words = this.sources.reduce((n, s) => n + (s.plainWords ?? 0), 0);
    const fps = new FingerprintSet(slotsFor(words));
    const scanSize = Math.max(batchSize, 4096);
    for (let k = 0; k < this.sources.length; k++) {
      const src = this.sources[k];
      const base = this.offsets[k];
      if (base + src.size <= from && src.kind !== 'wordlist') continue;
      const earlier = this.sources.slice(0, k).filter((s) => s.has).map((s) => s.has!.bind(s));
      const useFps = this.sources.slice(0, k + 1).some((s) => s.kind === 'wordlist');
      const plain = src.isPlainWord?.bind(src);
      const local = Math.max(0, from - base);
      // a wordlist is always streamed from its start, to remember its words for later sources
      const cursor: Cursor = src.open(plain ? 0 : local);
      let pos = plain ? 0 : local;
      let repeatedWord = false;
      try {
        let batch: Batch | undefined;
        while (pos < src.size) {
          const chunk = await cursor.read(scanSize);
          if (chunk.length === 0) break;
          for (let j = 0; j < chunk.length; j++, pos++) {
            const c = chunk[j];
            let dup = c === '';
            const isPlain = plain !== undefined && plain(pos);
            if (isPlain) {
              // a word seen before in a wordlist: its rule outputs were all generated the first time
              repeatedWord = !dup && !fps.add(c);
              dup ||= repeatedWord;
            } else if (plain && repeatedWord) {
              dup = true;
            }
            if (!dup) {
              for (let e = 0; e < earlier.length; e++) if (earlier[e](c)) { dup = true; break; }
            }
            if (!dup && useFps && !isPlain) dup = fps.has(c);
            if (pos < local) continue; // before the resume point: only remembered
            if (!batch) batch = { start: base + pos, end: base + pos, source: k, candidates: [], positions: [] };
            batch.end = base + pos + 1;
            if (dup) continue;
            batch.candidates.push(c);
            batch.positions.push(base + pos);
            if (batch.candidates.length >= batchSize) {
              yield batch;
              batch = undefined;
            }
          }
        }
        if (batch) yield batch;
        // a source that ended early (a wordlist that shrank while we ran) still settles its positions
        if (pos < src.size && base + src.size > from) {
          yield { start: Math.max(from, base + pos), end: base + src.size, source: k, candidates: [], positions: [] };
        }
      } finally {
        cursor.close();
      }
      this.fingerprintsFull ||= fps.full;
    }
  }
}
