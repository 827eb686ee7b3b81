/**
 * `irescue candidates <source flags>`: the ordered, deduplicated candidate stream, one per line on
 * stdout, exactly what `recover` would test: the way our ordering reaches hashcat on a GPU
 * (`irescue candidates ... | hashcat -m 14800 hash.txt`) or a distributed wordlist.
 */
import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import { CorruptInputError, UsageError } from '../../errors.js';
import { describeFsError } from '../../errors.js';
import { buildKeyspace, parsePins, type SearchSpec } from '../../recover/sources.js';

const collect = (v: string, all: string[]) => [...all, v];

/** The source flags `recover` and `candidates` share (DESIGN.md §2). */
export function addSourceOptions(cmd: Command): Command {
  return cmd
    .option('--try <word>', 'an exact guess (repeatable); tried first. Visible to other users of this computer (ps): prefer --try-file', collect, [])
    .option('--try-file <file>', 'exact guesses, one a line, tried first; - reads them from standard input')
    .option('--hint <word>', 'a word you remember: name, pet, place, date, old password (repeatable); its likely variants are tried', collect, [])
    .option('--common', 'the most common passwords and 4/6-digit PINs (bundled list)')
    .option('--wordlist <file>', 'a wordlist, one word a line, .gz accepted (repeatable)', collect, [])
    .option('--rules', 'apply the hint mutations (case, suffixes, leetspeak, reversal) to each wordlist word')
    .option('--mask <mask>', 'hashcat mask: ?l ?u ?d ?s ?a ?h ?H ?1-?4, e.g. "?u?l?l?l?d?d" (repeatable)', collect, [])
    .option('-1, --custom-charset1 <chars>', 'charset for ?1 in masks (may use ?l ?u ?d ...)')
    .option('-2, --custom-charset2 <chars>', 'charset for ?2')
    .option('-3, --custom-charset3 <chars>', 'charset for ?3')
    .option('-4, --custom-charset4 <chars>', 'charset for ?4')
    .option('--increment', 'also try the shorter prefixes of each mask, shortest first')
    .option('--pins <4|6>', 'every 4- or 6-digit PIN, most common first (repeatable)', collect, []);
}

export interface SourceFlags {
  try: string[];
  tryFile?: string;
  hint: string[];
  common?: boolean;
  wordlist: string[];
  rules?: boolean;
  mask: string[];
  customCharset1?: string;
  customCharset2?: string;
  customCharset3?: string;
  customCharset4?: string;
  increment?: boolean;
  pins: string[];
}

export function specFromFlags(o: SourceFlags, keychain: string[] = []): SearchSpec {
  return {
    tries: o.try,
    keychain,
    hints: o.hint,
    common: o.common === true,
    wordlists: o.wordlist,
    rules: o.rules === true,
    masks: o.mask,
    custom: [o.customCharset1, o.customCharset2, o.customCharset3, o.customCharset4],
    increment: o.increment === true,
    pins: o.pins.map(parsePins),
  };
}

const MAX_TRY_BYTES = 16 * 1024 * 1024;
const MAX_TRIES = 1_000_000;

/** Guesses from a file or standard input: one a line, bounded, never echoed in an error. */
export async function readTryFile(file: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string[]> {
  let text: string;
  const where = file === '-' ? 'standard input' : file;
  if (file === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of stdin) {
      const b = Buffer.isBuffer(c) ? c : Buffer.from(String(c));
      size += b.length;
      if (size > MAX_TRY_BYTES) throw new UsageError(`--try-file -: standard input holds more than ${MAX_TRY_BYTES / 1024 / 1024} MiB of guesses; use --wordlist for long lists`);
      chunks.push(b);
    }
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (e) {
      throw new UsageError(`--try-file ${file}: ${describeFsError(e)}`);
    }
    if (size > MAX_TRY_BYTES) throw new UsageError(`--try-file ${file}: larger than ${MAX_TRY_BYTES / 1024 / 1024} MiB; use --wordlist for long lists`);
    text = await readFile(file, 'utf8').catch((e: unknown) => {
      throw new UsageError(`--try-file ${file}: ${describeFsError(e)}`);
    });
  }
  if (text.includes('\0')) throw new CorruptInputError(where, 'is not a text file of guesses (it holds NUL bytes)');
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '');
  if (lines.length > MAX_TRIES) throw new UsageError(`--try-file ${where}: more than ${MAX_TRIES.toLocaleString('en-US')} guesses; use --wordlist for long lists`);
  return lines;
}

/** The source flags with --try-file read in. Guesses given on the command line get a warning. */
export async function specFromFlagsAndFiles(o: SourceFlags, keychain: string[] = [], warn: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<SearchSpec> {
  if (o.try.length) warn('note: --try guesses are visible to other users of this computer (process list, shell history); put them in a file and use --try-file FILE, or --try-file - to read them from standard input');
  const fromFile = o.tryFile ? await readTryFile(o.tryFile) : [];
  return { ...specFromFlags(o, keychain), tries: [...o.try, ...fromFile] };
}

export interface Slice {
  /** first keyspace position to print (Hashtopolis' skip) */
  skip?: number;
  /** positions to cover from there (Hashtopolis' limit) */
  limit?: number;
}

/**
 * Writes with backpressure; a closed pipe (hashcat or `head` exiting) ends the stream quietly. A
 * slice covers keyspace positions [skip, skip + limit): the candidates there that are not repeats
 * of earlier ones. Lists, masks and PINs seek to `skip` at once; a wordlist is read from its start
 * (its words are remembered for later sources), so slices concatenate to the whole stream.
 */
export async function writeCandidates(spec: SearchSpec, out: NodeJS.WritableStream = process.stdout, slice: Slice = {}): Promise<number> {
  const keyspace = await buildKeyspace(spec);
  const from = Math.min(slice.skip ?? 0, keyspace.total);
  const end = slice.limit === undefined ? keyspace.total : Math.min(keyspace.total, from + slice.limit);
  let closed = false;
  const onError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') closed = true;
    else throw e;
  };
  out.on('error', onError);
  let n = 0;
  try {
    if (from >= end) return 0;
    for await (const b of keyspace.batches(from, 8192)) {
      if (closed || b.start >= end) break;
      let candidates = b.candidates;
      if (b.end > end) candidates = candidates.filter((_, i) => b.positions[i] < end);
      if (!candidates.length) continue;
      for (const c of candidates) {
        if (c.includes('\n')) throw new UsageError('a candidate contains a line break and cannot be written one per line');
      }
      n += candidates.length;
      if (!out.write(candidates.join('\n') + '\n')) {
        await new Promise<void>((resolve) => {
          const onClose = () => { closed = true; done(); };
          const done = () => { out.off('drain', done); out.off('close', onClose); resolve(); };
          out.on('drain', done);
          out.on('close', onClose);
        });
      }
    }
  } finally {
    out.off('error', onError);
  }
  return n;
}

function count(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,16}$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`${name} takes a whole number, got ${JSON.stringify(v.slice(0, 20))}`);
  return Number(v);
}

interface CandidateFlags extends SourceFlags {
  keyspace?: boolean;
  skip?: string;
  limit?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('candidates')
    .description('print the ordered, deduplicated candidate stream of `recover`, one per line (pipe it to hashcat -m 14800; a Hashtopolis preprocessor)')
    .option('--keyspace', 'print the size of the stream (positions, for --skip/--limit) and stop')
    .option('--skip <n>', 'start at this position of the stream')
    .option('--limit <n>', 'print the candidates of this many positions');
  addSourceOptions(cmd).action(async (o: CandidateFlags) => {
    const slice = { skip: count('--skip', o.skip), limit: count('--limit', o.limit) };
    const spec = await specFromFlagsAndFiles(o);
    if (o.keyspace) {
      process.stdout.write(`${(await buildKeyspace(spec)).total}\n`);
      return;
    }
    await writeCandidates(spec, process.stdout, slice);
  });
}
