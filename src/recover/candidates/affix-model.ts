/**
 * What people put before and after the word they remember, with costs: a small probabilistic
 * grammar learned from real passwords (learned/affixes.ts, made by scripts/learn-candidates.ts).
 * An affix has a shape (runs of digits, letters and symbols: "D2S1") whose likelihood depends on
 * the word's length (one letter comes with long digit runs, eight mostly alone), and each run is
 * filled from the runs learned (years, dates, "123"), unseen short runs sharing what was left over.
 * A cost is COST_PER_BIT x -log2(how much rarer the affix is than none at all), on the 0.05 grid.
 */
import { shapeOf, wordBucket } from './affix-shape.js';
import { AFFIX_SHAPES, BUCKET_BOTH, BUCKET_CASES, PLACES, RUNS, RUN_TOTALS } from './learned/affixes.js';

/** hint costs per bit of improbability: puts learned affixes among the hand-set case and joining costs
 * (fitted on the learning half; that list is lower-cased, so the fit may favour affixes over case a little) */
const COST_PER_BIT = 0.38;
/** how many learned cases of every word length a bucket's own shape counts weigh against all lengths' */
const BACKOFF = 40;

export interface Affix {
  text: string;
  cost: number;
}

const grid = (cost: number) => Math.round(cost * 20) / 20;
const bits = (p: number) => -Math.log2(p);

const SYMBOLS = '!@#$%^&*()-_=+.,?/;:~*[]{}<>|\'"`\\';
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

/** Every string of n characters from these (only for the short runs that are smoothed). */
function allOf(chars: string, n: number): string[] {
  let out = [''];
  for (let i = 0; i < n; i++) out = out.flatMap((s) => [...chars].map((c) => s + c));
  return out;
}

/** The universe of a run shape whose unseen members share the left-over mass; undefined: seen only. */
function universe(shape: string): string[] | undefined {
  const n = Number(shape.slice(1));
  if (shape[0] === 'D' && n <= 4) return allOf(DIGITS, n);
  if (shape[0] === 'L' && n <= 2) return allOf(LETTERS, n);
  if (shape[0] === 'S' && n === 1) return [...new Set(SYMBOLS)];
  return undefined;
}

/**
 * Hand-set priors among the unseen short digit runs (too rare in the list to learn one by one):
 * a year, a day and month (DDMM, MMDD), a repeated digit pair or digit count ten times as often
 * as any other number.
 */
function prior(run: string): number {
  if (run.length !== 4) return 1;
  const [a, b] = [Number(run.slice(0, 2)), Number(run.slice(2))];
  const date = (d: number, m: number) => d >= 1 && d <= 31 && m >= 1 && m <= 12;
  if (/^(19[4-9]|20[0-3])[0-9]$/.test(run) || date(a, b) || date(b, a)) return 10;
  if (run[0] === run[1] && run[2] === run[3]) return 10; // 7788
  if (run.slice(0, 2) === run.slice(2)) return 10; // 4545
  if (run.endsWith('00')) return 5; // 5200
  return 1;
}

let runCache: Map<string, Affix[]> | undefined;

/** Per run shape ("D4"), its fillings with their bits, most likely first. */
function runLists(): Map<string, Affix[]> {
  if (runCache) return runCache;
  const totals = new Map(RUN_TOTALS.map(([k, n, once]) => [k, { n, once }]));
  const seen = new Map<string, Map<string, number>>();
  for (const [run, c] of RUNS) {
    const k = shapeOf(run);
    if (!seen.has(k)) seen.set(k, new Map());
    seen.get(k)!.set(run, c);
  }
  const out = new Map<string, Affix[]>();
  for (const [k, { n, once }] of totals) {
    const stored = seen.get(k) ?? new Map<string, number>();
    const list: Affix[] = [...stored].map(([text, c]) => ({ text, cost: bits(c / (n + 1)) }));
    const all = universe(k);
    if (all) {
      const rest = all.filter((t) => !stored.has(t));
      const weight = rest.reduce((s, t) => s + prior(t), 0);
      const mass = (Math.max(once, 1) + 1) / (n + 1);
      for (const t of rest) list.push({ text: t, cost: bits((mass * prior(t)) / weight) });
    }
    out.set(k, list.sort((a, b) => a.cost - b.cost));
  }
  return (runCache = out);
}

/** Bits of each affix shape on one side, for a word of this length: its own bucket backed off to all lengths. */
function shapeBits(side: 'p' | 's', bucket: number): Map<string, number> {
  const all = new Map<string, number>();
  const own = new Map<string, number>();
  for (const [s, b, shape, c] of AFFIX_SHAPES) {
    if (s !== side) continue;
    if (b < 0) all.set(shape, c); // every word length together
    else if (b === bucket) own.set(shape, c);
  }
  const total = BUCKET_CASES.reduce((a, b) => a + b, 0);
  const n = BUCKET_CASES[bucket];
  const out = new Map<string, number>();
  for (const [shape, c] of all) out.set(shape, bits(((own.get(shape) ?? 0) + (BACKOFF * c) / total) / (n + BACKOFF)));
  return out;
}

/** how many learned affixes of a shape weigh the runs of every place against those of that place */
const PLACE_BACKOFF = 4;
const placeCache = new Map<string, Affix[] | undefined>();

/**
 * The fillings of run i of an affix shape on one side, with their bits: what filled that place in
 * the learned affixes of that shape, backed off to the runs of its kind everywhere.
 */
function placeList(side: 'p' | 's', shape: string, i: number, run: string): Affix[] | undefined {
  const key = `${side}|${shape}|${i}`;
  if (placeCache.has(key)) return placeCache.get(key);
  const global = runLists().get(run);
  let out = global;
  const local = new Map<string, number>();
  for (const [s, sh, j, text, c] of PLACES) if (s === side && sh === shape && j === i) local.set(text, c);
  if (global && local.size) {
    let n = 0;
    for (const [s, , sh, c] of AFFIX_SHAPES) if (s === side && sh === shape) n = Math.max(n, c);
    const total = Math.max(n, [...local.values()].reduce((a, b) => a + b, 0));
    out = global.map((r) => ({ text: r.text, cost: bits(((local.get(r.text) ?? 0) + PLACE_BACKOFF * 2 ** -r.cost) / (total + PLACE_BACKOFF)) })).sort((a, b) => a.cost - b.cost);
  }
  placeCache.set(key, out);
  return out;
}

/** Every filling of a shape whose cost stays within max, cheapest first. */
function fill(side: 'p' | 's', shape: string, base: number, max: number): Affix[] {
  const parts = shape.match(/[DLS][0-9]+/g) ?? [];
  const lists = parts.map((p, i) => placeList(side, shape, i, p));
  if (lists.some((l) => !l)) return [];
  const out: Affix[] = [];
  const walk = (i: number, text: string, cost: number) => {
    if (i === lists.length) return void out.push({ text, cost: grid(cost) });
    for (const r of lists[i]!) {
      const c = cost + COST_PER_BIT * r.cost;
      if (c > max) break; // sorted: every later filling costs more
      walk(i + 1, text + r.text, c);
    }
  };
  walk(0, '', base);
  return out;
}

export interface AffixModel {
  prefixes: Affix[];
  suffixes: Affix[];
  /** added when both sides are non-empty: the sides are not independent (fewer do both than their product) */
  both: number;
}

/** The learned prefixes and suffixes of one word-length bucket, each cheapest first, within max. */
function affixModel(bucket: number, max: number): AffixModel {
  const side = (s: 'p' | 's') => {
    const shapes = shapeBits(s, bucket);
    const none = shapes.get('') ?? 0;
    const out: Affix[] = [];
    for (const [shape, b] of shapes) {
      if (shape === '') out.push({ text: '', cost: 0 });
      else for (const a of fill(s, shape, COST_PER_BIT * Math.max(0, b - none), max)) out.push(a); // no spread: lists run to 10^5
    }
    return out.sort((a, b) => a.cost - b.cost);
  };
  const n = BUCKET_CASES[bucket];
  const pNone = (s: 'p' | 's') => 2 ** -(shapeBits(s, bucket).get('') ?? 0);
  const expected = (1 - pNone('p')) * (1 - pNone('s'));
  const observed = (BUCKET_BOTH[bucket] + 1) / (n + 2);
  return { prefixes: side('p'), suffixes: side('s'), both: grid(COST_PER_BIT * Math.max(0, bits(observed / expected))) };
}

/** the learned affixes are materialised up to this cost (the cheaper half of a long tail) */
const MAX_AFFIX = 8;

/** by word-length bucket: built once per process */
const affixCache = new Map<number, AffixModel>();

/**
 * Affixes of a word of this length: the learned grammar's, and the hand-set habits the lower-cased,
 * symbol-poor source list cannot teach ("!", "1!") a step behind their hand cost.
 */
export function affixesFor(length: number): AffixModel {
  const bucket = wordBucket(length);
  const had = affixCache.get(bucket);
  if (had) return had;
  const m = affixModel(bucket, MAX_AFFIX);
  const merge = (learnedList: Affix[], hand: Affix[]) => {
    const out = new Map(learnedList.map((a) => [a.text, a.cost]));
    for (const v of hand) out.set(v.text, Math.min(out.get(v.text) ?? Infinity, v.cost + 1));
    return [...out].map(([text, cost]) => ({ text, cost }));
  };
  const out = { prefixes: merge(m.prefixes, HAND_PREFIXES), suffixes: merge(m.suffixes, handSuffixes()), both: m.both };
  affixCache.set(bucket, out);
  return out;
}

function handSuffixes(): Affix[] {
  const out: Affix[] = [
    { text: '', cost: 0 },
    { text: '1', cost: 1 },
    { text: '!', cost: 1.2 },
    { text: '123', cost: 1.3 },
    { text: '12', cost: 1.8 },
    { text: '1234', cost: 2 },
    { text: '1!', cost: 2.2 },
    { text: '123!', cost: 2.4 },
    { text: '!!', cost: 2.6 },
    { text: '?', cost: 3 },
    { text: '.', cost: 3 },
    { text: '#', cost: 3 },
    { text: '$', cost: 3 },
    { text: '*', cost: 3 },
    { text: '@', cost: 3.2 },
    { text: '12345', cost: 3 },
    { text: '123456', cost: 3 },
  ];
  for (let d = 0; d <= 9; d++) out.push({ text: String(d), cost: 2 });
  for (let d = 0; d <= 99; d++) out.push({ text: String(d).padStart(2, '0'), cost: 3 });
  for (let d = 0; d <= 99; d++) out.push({ text: String(d).padStart(2, '0') + '!', cost: 4 });
  for (let d = 0; d <= 999; d++) out.push({ text: String(d).padStart(3, '0'), cost: 3.2 });
  for (let y = 1950; y <= 2035; y++) {
    const recent = y >= 1970 && y <= 2025;
    out.push({ text: String(y), cost: recent ? 2.5 : 3.2 });
    out.push({ text: String(y) + '!', cost: recent ? 3.6 : 4.3 });
  }
  return out;
}

const HAND_PREFIXES: Affix[] = [
  ...Array.from({ length: 10 }, (_, d) => ({ text: String(d), cost: 2 })),
  ...Array.from({ length: 100 }, (_, d) => ({ text: String(d).padStart(2, '0'), cost: 3 })),
  { text: '', cost: 0 },
  { text: '1', cost: 3 },
  { text: '!', cost: 3.5 },
  { text: '123', cost: 3.5 },
  { text: '#', cost: 4 },
  { text: '@', cost: 4 },
];
