/**
 * The search definition (what the source flags say) -> the ordered list of candidate sources, in
 * the fixed order of issue #4: --try, keychain, --hint, --common, --wordlist, --mask, --pins.
 * Shared by `recover` and `candidates`, so both see the very same stream.
 */
import { UsageError } from '../errors.js';
import { ListSource } from './candidates/list.js';
import { hintList } from './candidates/hints.js';
import { commonSource } from './candidates/common.js';
import { WordlistSource } from './candidates/wordlist.js';
import { MaskSource, type CustomCharsets } from './candidates/mask.js';
import { PinSource } from './candidates/pins.js';
import { sha256OfList, type CandidateSource } from './candidates/source.js';
import { Keyspace } from './keyspace.js';

export interface SearchSpec {
  tries?: string[];
  keychain?: string[];
  hints?: string[];
  common?: boolean;
  wordlists?: string[];
  rules?: boolean;
  masks?: string[];
  custom?: CustomCharsets;
  increment?: boolean;
  pins?: Array<4 | 6>;
}

export function parsePins(v: string): 4 | 6 {
  if (v === '4' || v === '6') return Number(v) as 4 | 6;
  throw new UsageError(`--pins takes 4 or 6, got ${JSON.stringify(v.slice(0, 10))}`);
}

/**
 * The hint list is a pure function of the hints and guesses, so its session fingerprint is their
 * hash plus the list's length and every 997th candidate (which catch a changed generator) instead
 * of a hash of all its hundreds of thousands of strings, a quarter of the list's set-up time.
 */
function hintFingerprint(hints: readonly string[], tries: readonly string[], items: readonly string[]): string {
  const sample: string[] = [];
  for (let i = 0; i < items.length; i += 997) sample.push(items[i]);
  return sha256OfList(['hint', items.length, ...hints, '\u0001', ...tries, '\u0001', ...sample, items[items.length - 1] ?? '']);
}

export async function buildSources(spec: SearchSpec): Promise<CandidateSource[]> {
  const out: CandidateSource[] = [];
  const tries = spec.tries ?? [];
  if (tries.length) out.push(new ListSource('try', '--try guesses', tries, true));
  if (spec.keychain?.length) out.push(new ListSource('keychain', 'saved in the keychain', spec.keychain, true));
  if (spec.hints?.length) {
    const hints = spec.hints.filter((h) => h.trim());
    if (!hints.length) throw new UsageError('--hint words are empty');
    const list = hintList(hints, tries);
    out.push(new ListSource('hint', `variants of ${hints.length} hint(s)`, list, true, { fingerprint: hintFingerprint(hints, tries, list.items) }));
  }
  if (spec.common) out.push(commonSource());
  for (const w of spec.wordlists ?? []) out.push(await WordlistSource.open(w, spec.rules ?? false));
  if (spec.rules && !(spec.wordlists ?? []).length) throw new UsageError('--rules applies to --wordlist words: give a --wordlist too');
  for (const m of spec.masks ?? []) out.push(new MaskSource(m, { custom: spec.custom, increment: spec.increment }));
  if (spec.increment && !(spec.masks ?? []).length) throw new UsageError('--increment applies to --mask: give a --mask too');
  for (const p of spec.pins ?? []) out.push(new PinSource(p));
  if (!out.length) {
    throw new UsageError('no candidate source: give at least one of --try W, --hint W, --common, --wordlist F, --mask M, --pins 4|6');
  }
  return out;
}

export async function buildKeyspace(spec: SearchSpec): Promise<Keyspace> {
  return new Keyspace(await buildSources(spec));
}

const quote = (v: string) => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);

/**
 * The source flags that give this spec's stream (for the command lines a plan shows). Guesses are
 * never echoed: --try and keychain passwords become `--try-file FILE`.
 */
export function specToArgs(spec: SearchSpec): string[] {
  const out: string[] = [];
  if (spec.tries?.length || spec.keychain?.length) out.push('--try-file', 'guesses.txt');
  for (const h of spec.hints ?? []) out.push('--hint', quote(h));
  if (spec.common) out.push('--common');
  for (const w of spec.wordlists ?? []) out.push('--wordlist', quote(w));
  if (spec.rules) out.push('--rules');
  for (const m of spec.masks ?? []) out.push('--mask', quote(m));
  (spec.custom ?? []).forEach((c, i) => {
    if (c !== undefined) out.push(`-${i + 1}`, quote(c));
  });
  if (spec.increment) out.push('--increment');
  for (const p of spec.pins ?? []) out.push('--pins', String(p));
  return out;
}
