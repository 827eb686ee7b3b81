/**
 * The hashcat branch of runSearch (`recover --engine hashcat`): our ordered, deduplicated
 * candidates streamed into hashcat (GPU or CPU) on its standard input, hashcat's progress and
 * speed shown as ours, and the result checked once more with our own engine. The backup's tested
 * record (tested-record.ts) works as with the built-in engine: candidates an earlier search tested
 * are not sent, and those hashcat confirms tested (kdf/hashcat.ts onConfirmed) are recorded, so a
 * later search, on either engine, skips them. A stdin stream has no resumable position: an
 * interrupted run starts over, skipping what was recorded.
 */
import { UsageError } from '../errors.js';
import type { KdfEngine } from '../kdf/engine.js';
import { detectHashcat, hashcatCanTake, hashcatModeOf, runHashcat } from '../kdf/hashcat.js';
import { fingerprint } from './fingerprint-set.js';
import type { Keyspace } from './keyspace.js';
import type { RecoverOutcome, RunOptions, SearchPlan } from './plan.js';
import { progressReporter } from './progress.js';
import type { Session } from './session.js';
import { testedNotes } from './tested-record.js';
import { specToArgs, type SearchSpec } from './sources.js';
import { verifyPassword, type RecoverTarget } from './target.js';

/*
 * hashcat's -S (slow candidates) keeps a short list fast, but hashcat refuses it on standard input
 * ("Use of --slow-candidates is not possible in stdin mode", hashcat 6.2.6): our own run streams
 * over stdin without it (with 10M-round keys the device is the bottleneck either way), and the
 * command we print for a GPU machine writes the list to a file first, where -S is allowed.
 */

/** The same search on a GPU machine, as shell lines. */
export function hashcatCommand(t: RecoverTarget, spec: SearchSpec | undefined): string[] {
  let mode = 14800;
  try {
    mode = hashcatModeOf(t.target.hashLine);
  } catch {
    // no hash-line form: the usual mode is shown
  }
  const from = t.backupDir ? `irescue hash '${t.backupDir.replace(/'/g, `'\\''`)}' > hash.txt` : 'put the hash line in hash.txt';
  const flags = spec ? specToArgs(spec).join(' ') : '<the same source flags>';
  return [from, `irescue candidates ${flags} > candidates.txt`, `hashcat -m ${mode} -a 0 -S -w 3 hash.txt candidates.txt   # then delete candidates.txt: it holds your guesses`];
}

export interface HashcatSearch {
  plan: SearchPlan;
  target: RecoverTarget;
  keyspace: Keyspace;
  kdf: KdfEngine;
  session?: Session;
  /** where the stream starts (a search that an earlier run finished up to here) */
  from: number;
  /** candidates tested by earlier runs of this search */
  triedBefore: number;
}

/**
 * Fingerprints and positions of the candidates written to hashcat and not yet confirmed tested:
 * no more than hashcat has read ahead of its devices, so small.
 */
class InFlight {
  private items: number[] = [];
  private head = 0;

  push(candidate: string, position: number): void {
    const [a, b] = fingerprint(candidate);
    this.items.push(a, b, position);
  }

  /** Takes the oldest `n`, calling `each` with each one's fingerprint and position. */
  take(n: number, each: (a: number, b: number, position: number) => void): void {
    for (let i = 0; i < n && this.head < this.items.length; i++, this.head += 3) each(this.items[this.head], this.items[this.head + 1], this.items[this.head + 2]);
    if (this.head > 3 * 65536) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

export async function searchWithHashcat(h: HashcatSearch, o: RunOptions): Promise<RecoverOutcome> {
  const { plan, keyspace, session } = h;
  const info = await detectHashcat();
  if (!info) throw new UsageError('--engine hashcat: no hashcat found on PATH (or IRESCUE_HASHCAT); install hashcat and an OpenCL runtime for your GPU, or use --engine auto');
  if (!h.target.target.hashLine) throw new UsageError('--engine hashcat: this keybag has no hash-line form (unusual salt size); use --engine auto');
  const record = session?.tested;
  // this search was finished before (the same sources): nothing is left to send
  if (h.from >= keyspace.total) return { found: false, tried: h.triedBefore, skipped: 0, seconds: 0, plan, notes: [] };
  const inFlight = new InFlight();
  let skipped = 0;
  let confirmed = 0;
  let settled = h.from;
  let speed: number | undefined;
  const report = progressReporter(plan, keyspace, o.onProgress);
  report(settled, keyspace.sourceAt(settled));

  async function* stream(): AsyncGenerator<string> {
    for await (const b of keyspace.batches(h.from, 4096)) {
      for (let i = 0; i < b.candidates.length; i++) {
        const c = b.candidates[i];
        if (record?.has(c)) {
          skipped++;
          continue;
        }
        if (hashcatCanTake(c)) inFlight.push(c, b.positions[i]);
        yield c;
      }
    }
  }

  const started = performance.now();
  const r = await runHashcat({
    hashLine: h.target.target.hashLine,
    candidates: stream(),
    signal: o.signal,
    onStatus: (s) => {
      speed = s.speed > 0 ? s.speed : speed;
    },
    onConfirmed: (n) => {
      const fresh = n - confirmed;
      if (fresh <= 0) return;
      inFlight.take(fresh, (a, b, position) => {
        record?.addFingerprint(a, b);
        settled = position + 1;
      });
      confirmed = n;
      // the position stays: the record, not the position, says what was tested (a stdin run
      // cannot resume by position); a checkpoint is written when its interval has passed
      session?.commit({ position: session.position, tested: fresh });
      report(settled, keyspace.sourceAt(settled), speed);
    },
    onProgress: () => report(settled, keyspace.sourceAt(settled), speed),
  });
  const seconds = (performance.now() - started) / 1000;
  const notes = [`hashcat ${info.version} did the key derivation`];
  if (r.skipped) notes.push(`${r.skipped.toLocaleString('en-US')} candidates with line breaks or over 256 bytes cannot go through hashcat and were not tested`);
  notes.push(...testedNotes(record, skipped));
  const tried = h.triedBefore + r.tried;
  if (!r.found || r.password === undefined) {
    // exhausted: the whole stream is settled (unless some could not be sent: a CPU run may test them)
    if (session && !r.skipped) session.commit({ position: keyspace.total, tested: 0 });
    report(keyspace.total, keyspace.sourceAt(keyspace.total), speed);
    return { found: false, tried, skipped, seconds, plan, notes };
  }
  const verified = await verifyPassword(h.target, h.kdf, r.password);
  return { found: true, password: r.password, tried, skipped, seconds, verified, plan, notes };
}
