/**
 * `recover --engine hashcat`: our ordered, deduplicated candidates streamed into hashcat (GPU or
 * CPU), hashcat's progress shown as ours, and the result checked once more with our own engine.
 * Sessions are not kept here: hashcat does the work and stdin streams cannot be resumed by position.
 */
import { UsageError } from '../errors.js';
import type { OnProgress } from '../progress.js';
import type { KdfEngine } from '../kdf/engine.js';
import { detectHashcat, runHashcat } from '../kdf/hashcat.js';
import { Keyspace } from './keyspace.js';
import type { CandidateSource } from './candidates/source.js';
import type { RecoverOutcome } from './recover.js';
import { verifyPassword, type RecoverTarget } from './target.js';

async function* stream(keyspace: Keyspace): AsyncGenerator<string> {
  for await (const b of keyspace.batches(0, 4096)) yield* b.candidates;
}

export async function recoverWithHashcat(opts: { target: RecoverTarget; sources: CandidateSource[]; engine: KdfEngine; onProgress?: OnProgress; signal?: AbortSignal }): Promise<RecoverOutcome> {
  const info = await detectHashcat();
  if (!info) throw new UsageError('--engine hashcat: no hashcat found on PATH (or IRESCUE_HASHCAT); install hashcat and an OpenCL runtime for your GPU, or use --engine auto');
  if (!opts.target.target.hashLine) throw new UsageError('--engine hashcat: this keybag has no hash-line form (unusual salt size); use --engine auto');
  const keyspace = new Keyspace(opts.sources);
  const started = performance.now();
  const r = await runHashcat({
    hashLine: opts.target.target.hashLine,
    candidates: stream(keyspace),
    signal: opts.signal,
    onProgress: (e) => opts.onProgress?.({ ...e, total: keyspace.total }),
  });
  const notes = [`hashcat ${info.version} did the key derivation; progress is not saved between runs with --engine hashcat`];
  if (r.skipped) notes.push(`${r.skipped} candidates with line breaks cannot go through hashcat and were skipped`);
  const seconds = (performance.now() - started) / 1000;
  const plan = { sources: opts.sources.map((s) => ({ label: s.label, kind: s.kind, size: s.size })), total: keyspace.total, from: 0, hopeless: false, engine: 'hashcat', workers: 1 };
  if (!r.found || r.password === undefined) return { found: false, tried: r.tried, seconds, plan, notes };
  const verified = await verifyPassword(opts.target, opts.engine, r.password);
  return { found: true, password: r.password, tried: r.tried, seconds, verified, plan, notes };
}
