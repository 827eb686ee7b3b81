/**
 * The hashcat branch of runSearch (`recover --engine hashcat`): our ordered, deduplicated
 * candidates streamed into hashcat (GPU or CPU) on its standard input, hashcat's progress and
 * speed shown as ours, and the result checked once more with our own engine. No session here:
 * hashcat does the work and a stdin stream cannot be resumed by position.
 */
import { UsageError } from '../errors.js';
import type { KdfEngine } from '../kdf/engine.js';
import { detectHashcat, hashcatModeOf, runHashcat } from '../kdf/hashcat.js';
import { Keyspace } from './keyspace.js';
import type { CandidateSource } from './candidates/source.js';
import type { RecoverOutcome, RunOptions, SearchPlan } from './plan.js';
import { specToArgs, type SearchSpec } from './sources.js';
import { verifyPassword, type RecoverTarget } from './target.js';

/*
 * hashcat's -S (slow candidates) keeps a short list fast, but hashcat refuses it on standard input
 * ("Use of --slow-candidates is not possible in stdin mode", hashcat 6.2.6): our own run streams
 * over stdin without it (with 10M-round keys the device is the bottleneck either way), and the
 * command we print for a GPU machine writes the list to a file first, where -S is allowed.
 */

async function* stream(keyspace: Keyspace): AsyncGenerator<string> {
  for await (const b of keyspace.batches(0, 4096)) yield* b.candidates;
}

/** The same search on a GPU machine, as two shell lines. */
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

export async function searchWithHashcat(plan: SearchPlan, target: RecoverTarget, sources: CandidateSource[], kdf: KdfEngine, o: RunOptions): Promise<RecoverOutcome> {
  const info = await detectHashcat();
  if (!info) throw new UsageError('--engine hashcat: no hashcat found on PATH (or IRESCUE_HASHCAT); install hashcat and an OpenCL runtime for your GPU, or use --engine auto');
  if (!target.target.hashLine) throw new UsageError('--engine hashcat: this keybag has no hash-line form (unusual salt size); use --engine auto');
  const keyspace = new Keyspace(sources);
  const started = performance.now();
  const r = await runHashcat({
    hashLine: target.target.hashLine,
    candidates: stream(keyspace),
    signal: o.signal,
    onProgress: (e) => o.onProgress?.({ ...e, phase: 'recover', total: keyspace.total }),
  });
  const notes = [`hashcat ${info.version} did the key derivation; progress is not saved between runs with --engine hashcat`];
  if (r.skipped) notes.push(`${r.skipped} candidates with line breaks cannot go through hashcat and were skipped`);
  const seconds = (performance.now() - started) / 1000;
  if (!r.found || r.password === undefined) return { found: false, tried: r.tried, skipped: 0, seconds, plan, notes };
  const verified = await verifyPassword(target, kdf, r.password);
  return { found: true, password: r.password, tried: r.tried, skipped: 0, seconds, verified, plan, notes };
}
