/**
 * `irescue candidates <source flags>`: the ordered, deduplicated candidate stream, one per line on
 * stdout, exactly what `recover` would test: the way our ordering reaches hashcat on a GPU
 * (`irescue candidates ... | hashcat -m 14800 hash.txt`) or a distributed wordlist.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { buildKeyspace, parsePins, type SearchSpec } from '../../recover/sources.js';

const collect = (v: string, all: string[]) => [...all, v];

/** The source flags `recover` and `candidates` share (DESIGN.md §2). */
export function addSourceOptions(cmd: Command): Command {
  return cmd
    .option('--try <word>', 'an exact guess (repeatable); tried first', collect, [])
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

/** Writes with backpressure; a closed pipe (hashcat or `head` exiting) ends the stream quietly. */
export async function writeCandidates(spec: SearchSpec, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const keyspace = await buildKeyspace(spec);
  let closed = false;
  const onError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') closed = true;
    else throw e;
  };
  out.on('error', onError);
  let n = 0;
  try {
    for await (const b of keyspace.batches(0, 8192)) {
      if (closed) break;
      if (!b.candidates.length) continue;
      for (const c of b.candidates) {
        if (c.includes('\n')) throw new UsageError('a candidate contains a line break and cannot be written one per line');
      }
      n += b.candidates.length;
      if (!out.write(b.candidates.join('\n') + '\n')) {
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

export function register(program: Command): void {
  const cmd = program
    .command('candidates')
    .description('print the ordered, deduplicated candidate stream of `recover`, one per line (pipe it to hashcat -m 14800)');
  addSourceOptions(cmd).action(async (o: SourceFlags) => {
    await writeCandidates(specFromFlags(o));
  });
}
