/**
 * `npm run bench -- guesses [--cases=N]`: how soon each generator reaches a real password from the
 * word a person would remember of it. Cases come from the ODD ranks of a public frequency-ranked
 * list of leaked passwords (scripts/password-parts.ts); irescue's learned tables come from the even
 * ranks only, so no case was learned from. Each case is a password with letters and, as the only
 * hint, its longest run of letters in lower case. In the same run, on the same hints: hashcat's
 * best64 and dive rules (`hashcat --stdout -r`) and John the Ripper's Single rules (John 1.9 takes
 * no rule-set name, so a private john.conf makes them its wordlist rules). A generator that is not
 * installed is reported as such. Also: irescue with two hints (the word and the number in it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hintCandidates } from '../src/recover/candidates/hints.js';
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
      const next = cs[(group + 1) % cs.length].hint;
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
    const twoRanks = two.map((c) => rankIn(hintCandidates([c.number!, c.hint], [], 10_000), c.password));
    const lines = [`${cs.length} held-out cases (odd ranks of the list); share found within N candidates`, ''];
    lines.push(`| within | ${columns.map((c) => c.name).join(' | ')} |`, `|---|${columns.map(() => '---|').join('')}`);
    BUDGETS.forEach((b, k) => lines.push(`| ${b.toLocaleString('en-US')} | ${columns.map((c) => (typeof c.ranks === 'string' ? c.ranks : `${(100 * shares(c.ranks)[k]).toFixed(1)}%`)).join(' | ')} |`));
    lines.push('', `two hints (the word and the number in it, given number first), ${two.length} cases with digits: ${shares(twoRanks).map((s, k) => `${(100 * s).toFixed(1)}% @${BUDGETS[k]}`).join(', ')}`);
    const oneOnThose = two.map((c) => rankIn(hintCandidates([c.hint], [], 10_000), c.password));
    lines.push(`the same cases with the word alone: ${shares(oneOnThose).map((s, k) => `${(100 * s).toFixed(1)}% @${BUDGETS[k]}`).join(', ')}`);
    lines.push(`irescue: ${perCase.toFixed(1)} ms per case to build its first 10,000 candidates`);
    process.stdout.write(lines.join('\n') + '\n');
    return { cases: cs.length, columns: columns.map((c) => ({ name: c.name, shares: typeof c.ranks === 'string' ? c.ranks : shares(c.ranks) })), twoHints: shares(twoRanks) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
