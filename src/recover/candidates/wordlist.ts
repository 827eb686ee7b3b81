/**
 * --wordlist F: one word a line, streamed (never loaded whole), gzip accepted (by its magic bytes,
 * whatever the name). Position = line number, or line * RULES.length + rule with --rules. Opening
 * counts the lines once (so the keyspace has a size) and refuses binary files.
 */
import { createReadStream } from 'node:fs';
import { open as openFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { CorruptInputError } from '../../errors.js';
import { describeFsError } from '../../errors.js';
import { RULES } from './hints.js';
import { sha256Hex, type CandidateSource, type Cursor } from './source.js';

async function isGzip(path: string): Promise<boolean> {
  const fh = await openFile(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** Raw chunks of the (decompressed) file. */
async function* byteChunks(path: string, gz: boolean): AsyncGenerator<Buffer> {
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = gz ? raw.pipe(createGunzip()) : raw;
  if (gz) raw.on('error', (e) => stream.destroy(e));
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('Z_')) throw new CorruptInputError(path, `damaged gzip data: ${(e as Error).message}`);
    throw new CorruptInputError(path, `cannot read wordlist: ${describeFsError(e)}`);
  } finally {
    raw.destroy();
    stream.destroy();
  }
}

/** Lines, in arrays of whatever a chunk holds. A trailing CR (Windows files) is not part of a word. */
async function* lineChunks(path: string, gz: boolean): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  for await (const chunk of byteChunks(path, gz)) {
    const parts = (partial + decoder.write(chunk)).split('\n');
    partial = parts.pop() ?? '';
    for (let i = 0; i < parts.length; i++) if (parts[i].endsWith('\r')) parts[i] = parts[i].slice(0, -1);
    yield parts;
  }
  partial += decoder.end();
  if (partial.endsWith('\r')) partial = partial.slice(0, -1);
  if (partial !== '') yield [partial];
}

export interface WordlistInfo {
  path: string;
  gz: boolean;
  lines: number;
  words: number;
  bytes: number;
  mtimeMs: number;
}

/** One pass: count lines and non-empty ones, refuse binary content (a NUL byte). */
async function scanWordlist(path: string): Promise<WordlistInfo> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new CorruptInputError(path, `cannot read wordlist: ${describeFsError(e)}`);
  }
  if (st.isDirectory()) throw new CorruptInputError(path, 'is a folder, not a wordlist file');
  let gz: boolean;
  try {
    gz = await isGzip(path);
  } catch (e) {
    throw new CorruptInputError(path, `cannot read wordlist: ${describeFsError(e)}`);
  }
  let lines = 0;
  let words = 0;
  let offset = 0;
  let lineStart = true;
  for await (const chunk of byteChunks(path, gz)) {
    const nul = chunk.indexOf(0);
    if (nul >= 0) throw new CorruptInputError(path, `looks binary (a NUL byte at offset ${offset + nul}): a wordlist is text, one word a line${gz ? '' : ' (gzip is accepted)'}`);
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === 0x0a) {
        lines++;
        lineStart = true;
      } else if (lineStart && c !== 0x0d) {
        words++;
        lineStart = false;
      }
    }
    offset += chunk.length;
  }
  if (!lineStart) lines++; // last line without a newline
  if (words === 0) throw new CorruptInputError(path, 'wordlist holds no words (empty file or only blank lines)');
  return { path, gz, lines, words, bytes: st.size, mtimeMs: st.mtimeMs };
}

export class WordlistSource implements CandidateSource {
  readonly kind = 'wordlist' as const;
  readonly secret = false;
  readonly label: string;
  readonly size: number;
  readonly fingerprint: string;
  private readonly perWord: number;

  constructor(readonly info: WordlistInfo, readonly rules = false) {
    this.perWord = rules ? RULES.length : 1;
    this.size = info.lines * this.perWord;
    this.label = `wordlist ${info.path}${rules ? ' with rules' : ''}`;
    // a changed file (size or date) is a changed search: its positions no longer mean the same words
    this.fingerprint = sha256Hex('wordlist', resolve(info.path), info.bytes, Math.round(info.mtimeMs), rules ? 'rules' : '');
  }

  static async open(path: string, rules = false): Promise<WordlistSource> {
    return new WordlistSource(await scanWordlist(path), rules);
  }

  get plainWords(): number {
    return this.info.lines;
  }

  isPlainWord(position: number): boolean {
    return position % this.perWord === 0;
  }

  open(from: number): Cursor {
    const it = lineChunks(this.info.path, this.info.gz);
    const R = this.perWord;
    let buf: string[] = [];
    let bi = 0;
    let pos = 0;
    let expanded: string[] = []; // the current word's rule outputs ('' for repeats)
    let finished = false;
    const nextWord = async (): Promise<string | undefined> => {
      while (bi >= buf.length) {
        if (finished) return undefined;
        const r = await it.next();
        if (r.done) { finished = true; return undefined; }
        buf = r.value;
        bi = 0;
      }
      return buf[bi++];
    };
    const expand = (w: string): string[] => {
      const out = new Array<string>(R);
      const seen = new Set<string>();
      for (let r = 0; r < R; r++) {
        const v = w === '' ? '' : RULES[r](w);
        out[r] = seen.has(v) ? '' : v;
        seen.add(v);
      }
      return out;
    };
    const read = async (max: number, keep: boolean): Promise<string[]> => {
      const out: string[] = [];
      while (out.length < max && pos < this.size) {
        if (R === 1) {
          // copy straight from the current chunk: one await per chunk, not per word
          if (bi >= buf.length) {
            const w = await nextWord();
            if (w === undefined) break;
            bi--;
          }
          const n = Math.min(max - out.length, buf.length - bi, this.size - pos);
          if (keep) for (let k = 0; k < n; k++) out.push(buf[bi + k]);
          else out.length += n;
          bi += n;
          pos += n;
          continue;
        }
        const r = pos % R;
        if (r === 0) {
          const w = await nextWord();
          if (w === undefined) break;
          expanded = expand(w);
        }
        out.push(expanded[r]);
        pos++;
      }
      return out;
    };
    let skipped = false;
    return {
      read: async (max) => {
        if (!skipped) {
          skipped = true;
          let left = Math.max(0, from);
          while (left > 0) {
            const got = await read(Math.min(left, 65536), false);
            if (got.length === 0) break;
            left -= got.length;
          }
        }
        return read(max, true);
      },
      close: () => {
        void it.return(undefined);
      },
    };
  }
}
