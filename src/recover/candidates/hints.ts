/**
 * Candidates from what the user remembers (--hint) and typos of their own guesses (--try).
 *
 * Ordered by likelihood ACROSS generators, not generator by generator: each mutation has a cost
 * (roughly -log2 of how often people do it) and a candidate's cost is the sum of the costs of the
 * mutations that made it. Every candidate under the budget is generated, sorted by cost (ties keep
 * generation order), and deduplicated, so "Fluffy1" (capitalised + "1") comes before
 * "fluffy_rex2019" (pair + separator + year) whichever generator made them.
 */
export const HINT_LIMIT = 1_000_000;
const MAX_COST = 9;

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

function capitalize(w: string): string {
  return w ? w[0].toUpperCase() + w.slice(1).toLowerCase() : w;
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
    { text: capitalize(w), cost: 0.3 },
    { text: w.toUpperCase(), cost: 1.5 },
    { text: leet(lower, LEET_LIGHT), cost: 2.5 },
    { text: capitalize(leet(lower, LEET_LIGHT)), cost: 2.8 },
    { text: leet(lower, LEET), cost: 3 },
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

/** Suffixes: the single most common mutation of a password. */
export function suffixes(): Variant[] {
  const out: Variant[] = [
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
  for (let y = 1950; y <= 2035; y++) {
    const recent = y >= 1970 && y <= 2025;
    out.push({ text: String(y), cost: recent ? 2.5 : 3.2 });
    out.push({ text: String(y) + '!', cost: recent ? 3.6 : 4.3 });
  }
  return out;
}

const PREFIXES: Variant[] = [
  { text: '', cost: 0 },
  { text: '1', cost: 3 },
  { text: '!', cost: 3.5 },
  { text: '123', cost: 3.5 },
  { text: '#', cost: 4 },
  { text: '@', cost: 4 },
];

const KEYBOARD_ROWS = ['1234567890-=', 'qwertyuiop[]', "asdfghjkl;'", 'zxcvbnm,./'];
const ADJACENT = new Map<string, string>();
for (let r = 0; r < KEYBOARD_ROWS.length; r++) {
  for (let c = 0; c < KEYBOARD_ROWS[r].length; c++) {
    const near: string[] = [];
    for (const [dr, dc] of [[0, -1], [0, 1], [-1, 0], [-1, 1], [1, 0], [1, -1]]) {
      const ch = KEYBOARD_ROWS[r + dr]?.[c + dc];
      if (ch) near.push(ch);
    }
    ADJACENT.set(KEYBOARD_ROWS[r][c], near.join(''));
  }
}

/** Typos of a guess: adjacent-key substitution, doubled letter, dropped letter, swapped neighbours. */
export function typos(w: string): string[] {
  const out: string[] = [];
  const chars = [...w];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const lower = ch.toLowerCase();
    const near = ADJACENT.get(lower) ?? '';
    for (const n of near) out.push([...chars.slice(0, i), ch === lower ? n : n.toUpperCase(), ...chars.slice(i + 1)].join(''));
    out.push([...chars.slice(0, i + 1), ch, ...chars.slice(i + 1)].join('')); // doubled
    if (chars.length > 1) out.push([...chars.slice(0, i), ...chars.slice(i + 1)].join('')); // dropped
    if (i + 1 < chars.length && chars[i] !== chars[i + 1]) out.push([...chars.slice(0, i), chars[i + 1], chars[i], ...chars.slice(i + 2)].join(''));
  }
  return out;
}

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
            const cost = 1.5 + sep.cost + variants[a][v].cost;
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

type Emit = (cost: number, prefix: string, core: string, suffix: string) => void;

/** Every candidate under the budget, as (cost, prefix, core, suffix): strings are joined only when kept. */
function enumerate(words: string[], guesses: readonly string[], emit: Emit): void {
  const sfx = suffixes().sort((a, b) => a.cost - b.cost);
  const pfx = [...PREFIXES].sort((a, b) => a.cost - b.cost);
  // "rex" as typed and in lower case are one base: keep each text once, at its lowest cost, so
  // affixes are not expanded twice over the same core
  const cores = new Map<string, number>();
  for (const base of bases(words)) {
    for (const form of [base, { text: reverse(base.text), cost: base.cost + 3 }]) {
      const had = cores.get(form.text);
      if (had === undefined || form.cost < had) cores.set(form.text, form.cost);
    }
  }
  for (const [core, coreCost] of cores) {
    for (const p of pfx) {
      const c0 = coreCost + p.cost;
      if (c0 > MAX_COST) break;
      for (const s of sfx) {
        const cost = c0 + s.cost;
        if (cost > MAX_COST) break;
        emit(cost, p.text, core, s.text);
      }
    }
  }
  // typos of the user's own words: a guess typed slightly wrong when the password was set
  const typoSuffixes = sfx.filter((s) => ['', '1', '!', '123'].includes(s.text));
  for (const g of new Set([...guesses, ...words])) {
    for (const t of typos(g)) for (const s of typoSuffixes) emit(3 + s.cost, '', t, s.text);
  }
}

/** Costs are sums of multiples of 0.05: an integer bucket keeps ties exact and sorting linear. */
const bucketOf = (cost: number) => Math.round(cost * 20);

/**
 * The ordered, deduplicated candidates for these hints (and typos of these guesses), at most
 * `limit` of them (the likeliest). Two passes: count per cost bucket, then build only the strings
 * of the buckets that can make the cut, so many hints cost time, not gigabytes.
 */
export function hintCandidates(hints: readonly string[], guesses: readonly string[] = [], limit = HINT_LIMIT): string[] {
  const words = [...new Set(hints.map((h) => h.trim()).filter(Boolean))];
  const counts = new Array<number>(bucketOf(MAX_COST) + 1).fill(0);
  enumerate(words, guesses, (cost) => counts[bucketOf(cost)]++);
  // keep buckets until well past the limit: duplicates removed below shrink the count
  let last = 0;
  for (let b = 0, sum = 0; b < counts.length; b++) {
    sum += counts[b];
    last = b;
    if (sum >= limit * 1.5) break;
  }
  const buckets: string[][] = Array.from({ length: last + 1 }, () => []);
  enumerate(words, guesses, (cost, p, core, s) => {
    const b = bucketOf(cost);
    if (b <= last) buckets[b].push(p + core + s);
  });
  const seen = new Set<string>();
  const out: string[] = [];
  for (const bucket of buckets) {
    for (const t of bucket) {
      if (t === '' || seen.has(t)) continue;
      seen.add(t);
      out.push(t);
      if (out.length >= limit) return out;
    }
  }
  return out;
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
    { f: (w) => w.toUpperCase(), cost: 1.5 },
    { f: (w) => leet(w.toLowerCase(), LEET_LIGHT), cost: 2.5 },
    { f: reverse, cost: 3 },
  ];
  const sfx = suffixes().filter((s) => s.cost <= 2.5);
  const rules: Array<{ f: (w: string) => string; cost: number; n: number }> = [];
  let n = 0;
  for (const c of cases) for (const s of sfx) {
    const cost = c.cost + s.cost;
    if (cost <= 3.5) rules.push({ f: s.text ? (w) => c.f(w) + s.text : c.f, cost, n: n++ });
  }
  rules.sort((a, b) => a.cost - b.cost || a.n - b.n);
  return rules.map((r) => r.f);
})();
