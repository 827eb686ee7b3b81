/**
 * `npm run bench -- guesses [--cases=N]`: how soon each generator reaches a real password from the
 * word a person would remember of it. Cases come from the ODD ranks of a public frequency-ranked
 * list of leaked passwords (scripts/password-parts.ts); irescue's learned tables come from the even
 * ranks only, so no case was learned from. Each case is a password with letters and, as the only
 * hint, its longest run of letters in lower case. In the same run, on the same hints: hashcat's
 * best64 and dive rules (`hashcat --stdout -r`) and John the Ripper's Single rules (John 1.9 takes
 * no rule-set name, so a private john.conf makes them its wordlist rules). A generator that is not
 * installed is reported as such. Also: irescue with two hints (the word and the number in it), a
 * typo model table (the password mistyped, given as --try), and the hint list's generation rate.
 * `--misses` prints irescue's cases not found within 1,000 and 10,000 (for analysis: derive model
 * changes from the learning half, never from these).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hintCandidates, hintList } from '../src/recover/candidates/hints.js';
import { shapeOf } from '../src/recover/candidates/affix-shape.js';
import { isLearnRank, rankedPasswords, splitPassword } from '../scripts/password-parts.js';

export const name = 'guesses';

const BUDGETS = [10, 100, 1000, 10000];
const SENTINEL = '\t'.repeat(16);
/** rules per hashcat run: small runs keep a sub-chunk from rejecting a word outright (that would shift the rounds) */
const RULE_CHUNK = 1000;

interface Case {
  password: string;
  hint: string;
  /** the longest digit run, for the two-hint column */
  number?: string;
}

function cases(n: number): Case[] {
  const all: Case[] = [];
  rankedPasswords().forEach((pw, rank) => {
    if (isLearnRank(rank)) return;
    const p = splitPassword(pw);
    if (!p) return;
    const digits = pw.match(/[0-9]+/g)?.sort((a, b) => b.length - a.length)[0];
    all.push({ password: pw, hint: p.word.toLowerCase(), number: digits });
  });
  // evenly over the ranks: every case weighs the same, frequent and rare passwords alike
  const step = Math.max(1, all.length / n);
  const out: Case[] = [];
  for (let i = 0; i < all.length && out.length < n; i += step) out.push(all[Math.floor(i)]);
  return out;
}

/** Position (1-based) of the password among the first distinct candidates, or Infinity. */
function rankIn(candidates: Iterable<string>, password: string, max = BUDGETS[BUDGETS.length - 1]): number {
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c)) continue;
    seen.add(c);
    if (c === password) return seen.size;
    if (seen.size >= max) break;
  }
  return Infinity;
}

/**
 * hashcat --stdout over every hint at once, a sentinel word between hints to cut its output. With
 * many rules hashcat works in rule chunks: for each chunk, every word in turn; so the k-th group of
 * lines between sentinels belongs to word k mod W, and a word's outputs are its groups in order.
 * Positions count every line hashcat prints (its duplicates are guesses it would test too).
 */
async function hashcatRanks(cs: Case[], rules: string, dir: string): Promise<number[] | string> {
  if (spawnSync('hashcat', ['--version']).status !== 0) return 'hashcat not installed';
  // outputs past the 10,000th never count: the rules after the first 10,000 are not needed; they
  // go in files of RULE_CHUNK, each run over every hint (a word's outputs are its runs in order)
  const all = readFileSync(rules, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).slice(0, 10_000);
  const count = new Array<number>(cs.length).fill(0);
  const ranks = new Array<number>(cs.length).fill(Infinity);
  const words = join(dir, 'words.txt');
  // a sentinel after every hint, the last too: a chunk's last word never runs into the next one's first
  writeFileSync(words, cs.map((c) => `${c.hint}\n${SENTINEL}\n`).join(''));
  for (let r = 0; r < all.length; r += RULE_CHUNK) {
    const ruleFile = join(dir, 'rules.rule');
    writeFileSync(ruleFile, all.slice(r, r + RULE_CHUNK).join('\n') + '\n');
    const child = spawn('hashcat', ['--stdout', '-r', ruleFile, words], { stdio: ['ignore', 'pipe', 'ignore'] });
    let group = 0;
    let inSentinel = false;
    for await (const line of createInterface({ input: child.stdout })) {
      if (line === '') continue; // a rule that deleted every character (of a hint or a sentinel)
      // a rule that empties the sentinel and then adds characters prints a line without a tab: after
      // a sentinel, a line starts the next word only if it shares two of its letters (one for a one-letter word)
      const next = cs[(group + 1) % cs.length].hint.toLowerCase();
      const sentinel: boolean = line.includes('\t') || (inSentinel && new Set([...line.toLowerCase()].filter((ch) => next.includes(ch))).size < Math.min(2, new Set(next).size));
      if (!sentinel && inSentinel) group++;
      inSentinel = sentinel;
      if (sentinel) continue;
      const k = group % cs.length;
      if (ranks[k] !== Infinity || count[k] >= 10_000) continue;
      count[k]++;
      if (line === cs[k].password) ranks[k] = count[k];
    }
    // hashcat works through a file in sub-chunks of rules, every word in each: whole rounds of words
    if ((group + 1) % cs.length !== 0) return `hashcat output did not line up (${group + 1} groups for ${cs.length} words)`;
  }
  return ranks;
}

/** John 1.9's Single rules, as the wordlist rules of a private john.conf, one hint at a time. */
function johnRanks(cs: Case[], dir: string): number[] | string {
  if (spawnSync('john', [], { encoding: 'utf8' }).stdout?.includes('John the Ripper') !== true) return 'john not installed';
  const home = join(dir, 'john-home');
  mkdirSync(join(home, '.john'), { recursive: true });
  const conf = readFileSync('/etc/john/john.conf', 'utf8');
  const single = /\[List\.Rules:Single\]\n([\s\S]*?)(?=\n\[)/.exec(conf)?.[1];
  if (!single) return 'no [List.Rules:Single] in /etc/john/john.conf';
  writeFileSync(join(home, '.john', 'john.conf'), `[List.Rules:Wordlist]\n${single}\n`);
  const word = join(dir, 'john-word.txt');
  return cs.map((c) => {
    writeFileSync(word, c.hint + '\n');
    const r = spawnSync('john', [`--wordlist=${word}`, '--rules', '--stdout'], { env: { ...process.env, HOME: home }, encoding: 'utf8', cwd: home });
    const lines = r.stdout.split('\n').filter(Boolean);
    const at = lines.indexOf(c.password);
    return at >= 0 ? at + 1 : Infinity; // every line John prints is a guess it tests
  });
}

function shares(ranks: number[]): number[] {
  return BUDGETS.map((b) => ranks.filter((r) => r <= b).length / ranks.length);
}

const BUCKETS_LABEL = BUDGETS.map((b) => b.toLocaleString('en-US'));

/**
 * A deterministic slip of the hand on case k (independent of the generator's own typo list): the
 * next key on the row, a dropped, doubled or swapped character, Caps Lock, the trailing digits
 * left off or a "1" added. The mistyped password is the --try guess; the real one is the target.
 */
const ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
function slip(pw: string, k: number): string {
  const i = (k * 7) % pw.length;
  const ch = pw[i];
  switch (k % 7) {
    case 0: {
      const row = ROWS.find((r) => r.includes(ch));
      const at = row?.indexOf(ch) ?? -1;
      const next = row ? row[at + 1 < row.length ? at + 1 : at - 1] : ch;
      return pw.slice(0, i) + next + pw.slice(i + 1);
    }
    case 1: return pw.length > 1 ? pw.slice(0, i) + pw.slice(i + 1) : pw + pw;
    case 2: return pw.slice(0, i) + ch + pw.slice(i);
    case 3: return i + 1 < pw.length ? pw.slice(0, i) + pw[i + 1] + ch + pw.slice(i + 2) : pw.slice(0, -1);
    case 4: return pw.toUpperCase() === pw ? pw + '1' : pw.toUpperCase();
    case 5: return /[0-9]+$/.test(pw) && /[^0-9]/.test(pw) ? pw.replace(/[0-9]+$/, '') : pw + '1';
    default: return pw[0] === pw[0].toUpperCase() ? pw.slice(0, 1).toLowerCase() + pw.slice(1) : pw[0].toUpperCase() + pw.slice(1);
  }
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

/**
 * The hint list's rate on whole lists (what `recover --hint` builds), in wall and CPU time (a
 * shared machine's wall clock says little), against copying the same strings into a Set<string>.
 */
function generationRate(): string[] {
  const lines: string[] = [];
  const u0 = process.cpuUsage();
  const first = hintList(['rex']);
  const setup = cpuMs(u0);
  for (const hints of [['fluffy'], ['rex', '2015'], ['rex', 'fluffy', '2015']]) {
    const t = performance.now();
    const u = process.cpuUsage();
    const list = hintList(hints);
    const cpu = cpuMs(u);
    const ms = performance.now() - t;
    const b = process.cpuUsage();
    const seen = new Set<string>();
    for (const w of list.items) seen.add(w.slice(0, 1) + w.slice(1)); // a fresh string each, as the generator makes
    const base = cpuMs(b);
    const n = list.items.length;
    lines.push(`hint list ${JSON.stringify(hints)}: ${n.toLocaleString('en-US')} candidates, ${(n / cpu / 1000).toFixed(2)} M/s of CPU time (${(n / ms / 1000).toFixed(2)} M/s wall), ${(cpu / base).toFixed(1)}x the CPU time of copying them into a Set<string>`);
  }
  lines.push(`first hint list of the process, learned tables made: ${first.items.length.toLocaleString('en-US')} candidates in ${setup.toFixed(0)} ms of CPU time (${(first.items.length / setup / 1000).toFixed(2)} M/s)`);
  return lines;
}

export async function run(args: string[]): Promise<unknown> {
  const n = Number(args.find((a) => a.startsWith('--cases='))?.slice(8) ?? 1000);
  const cs = cases(n);
  const dir = mkdtempSync(join(tmpdir(), 'irescue-bench-guesses-'));
  try {
    const columns: Array<{ name: string; ranks: number[] | string }> = [];
    const t0 = performance.now();
    columns.push({ name: 'irescue --hint', ranks: cs.map((c) => rankIn(hintCandidates([c.hint], [], 10_000), c.password)) });
    const perCase = (performance.now() - t0) / cs.length;
    const two = cs.filter((c) => c.number);
    columns.push({ name: 'best64.rule', ranks: await hashcatRanks(cs, '/usr/share/hashcat/rules/best64.rule', dir) });
    columns.push({ name: 'dive.rule', ranks: await hashcatRanks(cs, '/usr/share/hashcat/rules/dive.rule', dir) });
    columns.push({ name: 'John Single', ranks: johnRanks(cs, dir) });
    const lines = [`${cs.length} held-out cases (odd ranks of the list); share found within N candidates`, ''];
    lines.push(`| within | ${columns.map((c) => c.name).join(' | ')} |`, `|---|${columns.map(() => '---|').join('')}`);
    BUDGETS.forEach((b, k) => lines.push(`| ${b.toLocaleString('en-US')} | ${columns.map((c) => (typeof c.ranks === 'string' ? c.ranks : `${(100 * shares(c.ranks)[k]).toFixed(1)}%`)).join(' | ')} |`));
    // two hints: the word and the number in the password, in either order
    const twoRanks = two.map((c) => rankIn(hintCandidates([c.number!, c.hint], [], 10_000), c.password));
    const twoWordFirst = two.map((c) => rankIn(hintCandidates([c.hint, c.number!], [], 10_000), c.password));
    const oneOnThose = two.map((c) => rankIn(hintCandidates([c.hint], [], 10_000), c.password));
    lines.push('', `two hints, the ${two.length} cases with digits (irescue; the rule sets take one word):`, '', '| within | word alone | word + number | number + word |', '|---|---|---|---|');
    BUDGETS.forEach((b, k) => lines.push(`| ${BUCKETS_LABEL[k]} | ${[oneOnThose, twoWordFirst, twoRanks].map((r) => `${(100 * shares(r)[k]).toFixed(1)}%`).join(' | ')} |`));
    // --try: the password mistyped, the real one the target
    const tries = cs.map((c, k) => ({ password: c.password, hint: slip(c.password, k) })).filter((c) => c.hint !== c.password);
    const tryRanks = tries.map((c) => rankIn(hintCandidates([], [c.hint], 10_000), c.password));
    const tryBest64 = await hashcatRanks(tries, '/usr/share/hashcat/rules/best64.rule', dir);
    lines.push('', `--try, ${tries.length} cases (the password with one slip: a neighbouring key, a dropped, doubled or swapped character, Caps Lock, Shift, the trailing number left off or a 1 added):`, '', '| within | irescue --try | best64.rule |', '|---|---|---|');
    BUDGETS.forEach((b, k) => lines.push(`| ${BUCKETS_LABEL[k]} | ${(100 * shares(tryRanks)[k]).toFixed(1)}% | ${typeof tryBest64 === 'string' ? tryBest64 : `${(100 * shares(tryBest64)[k]).toFixed(1)}%`} |`));
    lines.push('', `irescue: ${perCase.toFixed(1)} ms per case to build its first 10,000 candidates`, ...generationRate());
    if (args.includes('--misses')) {
      const ranks = columns[0].ranks as number[];
      lines.push('', 'irescue misses (rank, password, hint, prefix shape | suffix shape):');
      cs.forEach((c, k) => {
        if (ranks[k] <= 1000) return;
        const at = c.password.indexOf(c.hint);
        lines.push(`${ranks[k] === Infinity ? '-' : ranks[k]}\t${c.password}\t${c.hint}\t${shapeOf(c.password.slice(0, at))}|${shapeOf(c.password.slice(at + c.hint.length))}`);
      });
    }
    process.stdout.write(lines.join('\n') + '\n');
    return { cases: cs.length, columns: columns.map((c) => ({ name: c.name, shares: typeof c.ranks === 'string' ? c.ranks : shares(c.ranks) })), twoHints: shares(twoRanks), tries: shares(tryRanks) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
