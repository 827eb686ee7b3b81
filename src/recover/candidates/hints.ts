/**
 * Candidates from what the user remembers (--hint) and typos of their own guesses (--try).
 *
 * Ordered by likelihood ACROSS generators, not generator by generator: each mutation has a cost
 * (roughly -log2 of how often people do it) and a candidate's cost is the sum of the costs of the
 * mutations that made it. Every candidate under the budget is generated, sorted by cost (ties keep
 * generation order), and deduplicated, so "Fluffy1" (capitalised + "1") comes before
 * "fluffy_rex2019" (pair + separator + year) whichever generator made them.
 */
import { FingerprintSet, slotsFor } from '../fingerprint-set.js';
import type { UniqueList } from './list.js';
import { affixesFor } from './affix-model.js';
import { capitalize, insertions, typos } from './typos.js';

const HINT_LIMIT = 1_000_000;
const MAX_COST = 10;
/** a guess with more around it than typed, before the affix's own cost */
const GUESS_WITH_AFFIX = 2;
/** a typo of a guess or hint, before its suffix (a character left out of the guess: one more) */
const TYPO_COST = 4;

interface Variant {
  text: string;
  cost: number;
}

const LEET: Record<string, string> = { a: '4', e: '3', i: '1', o: '0', s: '5', t: '7', l: '1', b: '8', g: '9' };
const LEET_LIGHT: Record<string, string> = { a: '@', e: '3', i: '1', o: '0', s: '$' };

function leet(w: string, table: Record<string, string>): string {
  let out = '';
  for (const c of w) out += table[c.toLowerCase()] ?? c;
  return out;
}

function reverse(w: string): string {
  return [...w].reverse().join('');
}

/** Case and character-substitution variants of one word, with their costs. */
function wordVariants(w: string): Variant[] {
  const lower = w.toLowerCase();
  return [
    { text: w, cost: 0 },
    { text: lower, cost: 0.3 },
    { text: capitalize(w), cost: 1.5 },
    { text: w.toUpperCase(), cost: 2 },
    { text: leet(lower, LEET_LIGHT), cost: 3.2 },
    { text: capitalize(leet(lower, LEET_LIGHT)), cost: 3.6 },
    { text: leet(lower, LEET), cost: 3.8 },
  ];
}

const SEPARATORS: Variant[] = [
  { text: '', cost: 0 },
  { text: '_', cost: 1 },
  { text: '.', cost: 1 },
  { text: '-', cost: 1 },
  { text: ' ', cost: 1.2 },
  { text: '&', cost: 2 },
  { text: '@', cost: 2.5 },
  { text: '+', cost: 2.5 },
];

/** A base: one hint, or 2-3 hints joined with one separator, before affixes. */
function bases(hints: string[]): Variant[] {
  const out: Variant[] = [];
  const variants = hints.map(wordVariants);
  for (const vs of variants) out.push(...vs);
  if (hints.length >= 2) {
    for (let a = 0; a < hints.length; a++) {
      for (let b = 0; b < hints.length; b++) {
        if (a === b) continue;
        // the same case style on every part: "RexFluffy", "rex_fluffy", "REXFLUFFY"
        for (let v = 0; v < variants[a].length; v++) {
          for (const sep of SEPARATORS) {
            const cost = 2 + sep.cost + variants[a][v].cost;
            if (cost > MAX_COST) continue;
            out.push({ text: variants[a][v].text + sep.text + variants[b][v].text, cost });
          }
        }
      }
    }
  }
  if (hints.length >= 3 && hints.length <= 8) {
    for (let a = 0; a < hints.length; a++) for (let b = 0; b < hints.length; b++) for (let c = 0; c < hints.length; c++) {
      if (a === b || b === c || a === c) continue;
      for (let v = 0; v < 3; v++) {
        for (const sep of SEPARATORS.slice(0, 5)) {
          const cost = 3.5 + 1.5 * sep.cost + variants[a][v].cost;
          out.push({ text: variants[a][v].text + sep.text + variants[b][v].text + sep.text + variants[c][v].text, cost });
        }
      }
    }
  }
  return out;
}

/**
 * A hint made of digits or symbols (a year, a house number, "!!") is what people put around the
 * word: it joins the affixes, at the cost of the likeliest learned one, with or without a separator.
 */
const isNumberHint = (w: string) => /^[^a-zA-Z]+$/.test(w);

/** `sorted` (ordered) with the number hints' affixes merged in, still ordered: a handful of entries into a long list, linearly. */
function withNumberHints(sorted: Variant[], words: readonly string[], side: 'prefix' | 'suffix'): Variant[] {
  const cost = new Map<string, number>();
  const put = (text: string, c: number) => cost.set(text, Math.min(cost.get(text) ?? Infinity, c));
  for (const w of words) {
    if (!isNumberHint(w)) continue;
    const base = side === 'suffix' ? 0.5 : 1;
    put(w, base);
    for (const sep of SEPARATORS.slice(1)) put(side === 'suffix' ? sep.text + w : w + sep.text, base + sep.cost);
    if (side === 'suffix') put(w + '!', base + 1.2);
  }
  for (const v of sorted) if (cost.has(v.text)) put(v.text, v.cost);
  const added = [...cost].map(([text, c]) => ({ text, cost: c })).sort((x, y) => x.cost - y.cost);
  const out: Variant[] = [];
  let k = 0;
  for (const v of sorted) {
    if (cost.has(v.text)) continue;
    while (k < added.length && v.text !== '' && added[k].cost < v.cost) out.push(added[k++]);
    out.push(v);
  }
  while (k < added.length) out.push(added[k++]);
  return out;
}

/** The parts every candidate is joined from: a candidate is prefixes[p] + cores[c] + suffixes[s]. */
interface Parts {
  prefixes: string[];
  cores: string[];
  suffixes: string[];
}

/** One word length's affixes, cheapest first (index 0 is the empty one). */
interface Group {
  pText: string[];
  /** each affix's cost bucket (bucketOf): the counting and the enumeration add the same integers */
  pB: Int32Array;
  sText: string[];
  sB: Int32Array;
  /** the bucket added when a candidate has both a prefix and a suffix */
  bothB: number;
  both: number;
  /** how many (prefix, suffix) pairs fall in each cost bucket: the counting pass without enumerating */
  pairs: Float64Array;
}

/** Costs are sums of multiples of 0.05: an integer bucket keeps ties exact and sorting linear. */
const bucketOf = (cost: number) => Math.round(cost * 20);
const BUCKETS = bucketOf(MAX_COST) + 1;

/** Pairs per bucket: (empty prefix, any suffix) + (prefix, empty suffix) + (prefix, suffix, + both). */
function pairHistogram(pB: Int32Array, sB: Int32Array, adj: number): Float64Array {
  const hp = new Float64Array(BUCKETS);
  const hs = new Float64Array(BUCKETS);
  for (let i = 1; i < pB.length; i++) hp[pB[i]]++;
  for (let i = 1; i < sB.length; i++) hs[sB[i]]++;
  const out = new Float64Array(BUCKETS);
  out[0] += 1;
  for (let b = 0; b < BUCKETS; b++) {
    out[b] += hs[b] + hp[b];
    if (!hp[b]) continue;
    for (let d = 0; b + d + adj < BUCKETS; d++) if (hs[d]) out[b + d + adj] += hp[b] * hs[d];
  }
  return out;
}

/** The empty affix first (cost 0; every other costs more), then cheapest first. */
const ordered = (vs: Variant[]) => vs.filter((v) => v.cost <= MAX_COST).sort((x, y) => (x.text === '' ? -1 : y.text === '' ? 1 : x.cost - y.cost));

function group(pv: Variant[], sv: Variant[], both: number): Group {
  const pB = Int32Array.from(pv, (v) => bucketOf(v.cost));
  const sB = Int32Array.from(sv, (v) => bucketOf(v.cost));
  const bothB = bucketOf(both);
  return { pText: pv.map((v) => v.text), pB, sText: sv.map((v) => v.text), sB, bothB, both, pairs: pairHistogram(pB, sB, bothB) };
}

/** Groups without number hints depend on the word length only: made once per process. */
const plainGroups = new Map<number, { group: Group; pv: Variant[]; sv: Variant[] }>();

function groupFor(letters: number, words: readonly string[]): Group {
  const key = Math.min(8, Math.max(1, letters));
  let plain = plainGroups.get(key);
  if (!plain) {
    const a = affixesFor(key);
    const pv = ordered(a.prefixes);
    const sv = ordered(a.suffixes);
    plain = { group: group(pv, sv, a.both), pv, sv };
    plainGroups.set(key, plain);
  }
  if (!words.some(isNumberHint)) return plain.group;
  const p = withNumberHints(plain.pv, words, 'prefix');
  const s = withNumberHints(plain.sv, words, 'suffix');
  return group(p, s, plain.group.both);
}

/** The parts, the count of candidates per cost bucket, and an enumeration of those up to a bucket. */
function plan(words: string[], guesses: readonly string[]) {
  const groups = new Map<number, Group>();
  const groupOf = (letters: number) => {
    const k = Math.min(8, Math.max(1, letters));
    let g = groups.get(k);
    if (!g) groups.set(k, (g = groupFor(k, words)));
    return g;
  };
  const letters = (t: string) => t.replace(/[^a-zA-Z]/g, '').length || t.length;
  // "rex" as typed and in lower case are one base: keep each text once, at its lowest cost, so
  // affixes are not expanded twice over the same core
  const coreCost = new Map<string, number>();
  for (const base of bases(words)) {
    for (const form of [base, { text: reverse(base.text), cost: base.cost + 4 }]) {
      const had = coreCost.get(form.text);
      if (had === undefined || form.cost < had) coreCost.set(form.text, form.cost);
    }
  }
  // a guess with its number or symbol left off ("monkey" for "monkey12"): the guess takes affixes too
  const guessOnly = new Set<string>();
  for (const g of guesses) if (!coreCost.has(g)) coreCost.set(g, GUESS_WITH_AFFIX), guessOnly.add(g);
  const cores = [...coreCost.keys()];
  const costs = [...coreCost.values()];
  const coreGroup = cores.map((c) => groupOf(letters(c)));
  // typos of the user's own words: a guess typed slightly wrong when the password was set; they
  // take no prefix and only the commonest suffixes
  const typoStart = cores.length;
  const typoCost: number[] = [];
  for (const g of new Set([...guesses, ...words])) {
    for (const t of typos(g)) typoCost.push(TYPO_COST), cores.push(t);
    for (const t of insertions(g)) typoCost.push(TYPO_COST + 1), cores.push(t);
  }
  const typoGroup = groupOf(6);
  for (let c = typoStart; c < cores.length; c++) coreGroup.push(typoGroup);
  const typoSuffixes = typoGroup.sText.map((t, i) => ({ t, i })).filter(({ t }) => ['', '1', '!', '123'].includes(t)).map(({ i }) => i);
  const counts = new Float64Array(BUCKETS);
  for (let c = 0; c < typoStart; c++) {
    const base = bucketOf(costs[c]);
    const h = coreGroup[c].pairs;
    for (let b = 0; b + base < BUCKETS; b++) counts[b + base] += h[b];
  }
  for (const cost of typoCost) {
    for (const i of typoSuffixes) {
      const b = bucketOf(cost) + typoGroup.sB[i];
      if (b < BUCKETS) counts[b]++;
    }
  }
  /**
   * Records every candidate in buckets 0..last as (prefix, core, suffix) indices (the affix indices
   * are the core's group's) at fill[bucket]++ in triples: one tight loop, no callback per candidate.
   */
  const enumerate = (last: number, fill: Uint32Array, triples: Uint32Array) => {
    for (let c = 0; c < typoStart; c++) {
      const { pB, sB, bothB } = coreGroup[c];
      const base = bucketOf(costs[c]);
      for (let p = 0; p < pB.length; p++) {
        const b0 = base + pB[p];
        if (b0 > last) break;
        const adj = p === 0 ? 0 : bothB;
        for (let s = 0; s < sB.length; s++) {
          const b = b0 + sB[s] + (s === 0 ? 0 : adj);
          if (b > last) break;
          const k = 3 * fill[b]++;
          triples[k] = p;
          triples[k + 1] = c;
          triples[k + 2] = s;
        }
      }
    }
    for (let c = typoStart; c < cores.length; c++) {
      for (const i of typoSuffixes) {
        const b = bucketOf(typoCost[c - typoStart]) + typoGroup.sB[i];
        if (b > last) continue;
        const k = 3 * fill[b]++;
        triples[k] = 0;
        triples[k + 1] = c;
        triples[k + 2] = i;
      }
    }
  };
  // the guess alone is the --try source's own candidate: never repeated here
  const bare = (c: number) => guessOnly.has(cores[c]);
  return { cores, coreGroup, counts, enumerate, bare };
}

/**
 * The ordered, deduplicated candidates for these hints (and typos of these guesses), at most
 * `limit` of them (the likeliest), with the set that remembers them (ListSource's `has`).
 * The count per cost bucket comes from the affix histograms (no enumeration); then only the part
 * indices of the buckets that can make the cut are recorded, bucket by bucket; strings are made
 * once, for the candidates kept, after deduplicating by the fingerprint of their parts. Many hints
 * cost time, not gigabytes (the guesses benchmark measures the rate).
 */
export function hintList(hints: readonly string[], guesses: readonly string[] = [], limit = HINT_LIMIT): UniqueList {
  const words = [...new Set(hints.map((h) => h.trim()).filter(Boolean))];
  const { cores, coreGroup, counts, enumerate, bare } = plan(words, guesses);
  // keep buckets until well past the limit: duplicates removed below shrink the count
  let last = 0;
  let kept = 0;
  for (let b = 0; b < counts.length; b++) {
    kept += counts[b];
    last = b;
    if (kept >= limit * 1.5) break;
  }
  // bucket b's candidates are packed (prefix, core, suffix) triples at start[b]..; filled in order
  const start = new Uint32Array(last + 2);
  for (let b = 0; b <= last; b++) start[b + 1] = start[b] + counts[b];
  const fill = start.slice(0, last + 1);
  const triples = new Uint32Array(3 * start[last + 1]);
  enumerate(last, fill, triples);
  const set = new FingerprintSet(slotsFor(Math.min(limit, start[last + 1])));
  const items: string[] = [];
  for (let k = 0; k < triples.length && items.length < limit; k += 3) {
    const g = coreGroup[triples[k + 1]];
    const p = g.pText[triples[k]];
    const c = cores[triples[k + 1]];
    const s = g.sText[triples[k + 2]];
    if (p.length + c.length + s.length === 0 || (p.length + s.length === 0 && bare(triples[k + 1])) || !set.addJoined(p, c, s)) continue;
    items.push(p + c + s);
  }
  return { items, set };
}

/** The ordered, deduplicated candidates for these hints: at most `limit`, the likeliest. */
export function hintCandidates(hints: readonly string[], guesses: readonly string[] = [], limit = HINT_LIMIT): string[] {
  return hintList(hints, guesses, limit).items;
}

/**
 * Rules for --wordlist --rules: the hint mutations applied to each word, a fixed list ordered by
 * cost so that word i, rule r is position i * RULES.length + r. Rule 0 is the word itself.
 */
export const RULES: ReadonlyArray<(w: string) => string> = (() => {
  const cases: Array<{ f: (w: string) => string; cost: number }> = [
    { f: (w) => w, cost: 0 },
    { f: (w) => w.toLowerCase(), cost: 0.3 },
    { f: capitalize, cost: 0.3 },
    { f: (w) => w.toUpperCase(), cost: 2 }, // as in wordVariants
    { f: (w) => leet(w.toLowerCase(), LEET_LIGHT), cost: 2.5 },
    { f: reverse, cost: 3 },
  ];
  // the affixes of the commonest learned word length (six letters)
  const sfx = affixesFor(6).suffixes.filter((s) => s.cost <= 2.5).sort((a, b) => a.cost - b.cost);
  const rules: Array<{ f: (w: string) => string; cost: number; n: number }> = [];
  let n = 0;
  for (const c of cases) for (const s of sfx) {
    const cost = c.cost + s.cost;
    if (cost <= 3.5) rules.push({ f: s.text ? (w) => c.f(w) + s.text : c.f, cost, n: n++ });
  }
  rules.sort((a, b) => a.cost - b.cost || a.n - b.n);
  return rules.map((r) => r.f);
})();
