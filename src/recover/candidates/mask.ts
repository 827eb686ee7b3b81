/**
 * hashcat mask syntax: ?l ?u ?d ?s ?a ?h ?H, ?1..?4 for custom charsets (-1..-4, which may use the
 * built-in ones), ?? for a literal '?', anything else literal. A mask is a mixed-radix number: the
 * candidate at index i is computed directly, the last position turning fastest (0000, 0001, ...),
 * so a session resumes by index. --increment tries lengths 1..n of the mask's prefixes, shortest
 * first, as hashcat does.
 */
import { UsageError } from '../../errors.js';
import { sha256Hex, type CandidateSource, type Cursor } from './source.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const SPECIAL = ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const BUILTIN_CHARSETS: Record<string, string> = {
  l: LOWER,
  u: UPPER,
  d: DIGITS,
  s: SPECIAL,
  a: LOWER + UPPER + DIGITS + SPECIAL,
  h: '0123456789abcdef',
  H: '0123456789ABCDEF',
};

export type CustomCharsets = Array<string | undefined>; // index 0..3 = -1..-4

function uniqueChars(s: string): string {
  return [...new Set([...s])].join('');
}

/** Expand a charset definition (-1 '?l?d_'): built-ins may be used, custom ones may not. */
function expandCharset(def: string, name: string): string {
  let out = '';
  for (let i = 0; i < def.length; i++) {
    const c = def[i];
    if (c !== '?') { out += c; continue; }
    const k = def[++i];
    if (k === undefined) throw new UsageError(`${name} ${JSON.stringify(def)}: ends with a lone '?'`);
    if (k === '?') { out += '?'; continue; }
    const cs = BUILTIN_CHARSETS[k];
    if (!cs) throw new UsageError(`${name} ${JSON.stringify(def)}: unknown charset ?${k} (built-ins: ?l ?u ?d ?s ?a ?h ?H)`);
    out += cs;
  }
  const u = uniqueChars(out);
  if (!u) throw new UsageError(`${name} is empty`);
  return u;
}

/** One charset per position. */
export function parseMask(mask: string, custom: CustomCharsets = []): string[] {
  if (!mask) throw new UsageError('--mask is empty');
  const positions: string[] = [];
  for (let i = 0; i < mask.length; i++) {
    const c = mask[i];
    if (c !== '?') { positions.push(c); continue; }
    const k = mask[++i];
    if (k === undefined) throw new UsageError(`--mask ${JSON.stringify(mask)}: ends with a lone '?' (write ?? for a literal '?')`);
    if (k === '?') { positions.push('?'); continue; }
    if (k >= '1' && k <= '4') {
      const def = custom[Number(k) - 1];
      if (def === undefined) throw new UsageError(`--mask ${JSON.stringify(mask)} uses ?${k} but no -${k} charset was given`);
      positions.push(expandCharset(def, `-${k}`));
      continue;
    }
    const cs = BUILTIN_CHARSETS[k];
    if (!cs) throw new UsageError(`--mask ${JSON.stringify(mask)}: unknown charset ?${k} (use ?l ?u ?d ?s ?a ?h ?H ?1-?4, or ?? for '?')`);
    positions.push(cs);
  }
  return positions;
}

/** One fixed-length part of a mask keyspace. */
class MaskPart {
  readonly size: number;
  private readonly member: Array<Set<string>>;
  constructor(readonly charsets: string[]) {
    this.size = charsets.reduce((n, cs) => n * cs.length, 1);
    this.member = charsets.map((cs) => new Set(cs));
  }
  at(index: number): string {
    const n = this.charsets.length;
    const chars = new Array<string>(n);
    let rest = index;
    for (let p = n - 1; p >= 0; p--) {
      const cs = this.charsets[p];
      const r = rest % cs.length;
      chars[p] = cs[r];
      rest = (rest - r) / cs.length;
    }
    return chars.join('');
  }
  has(c: string): boolean {
    if (c.length !== this.charsets.length) return false;
    for (let p = 0; p < c.length; p++) if (!this.member[p].has(c[p])) return false;
    return true;
  }
  /** Fills `out` with [from, from+count) by odometer: no division per candidate. */
  fill(from: number, count: number, out: string[]): void {
    const n = this.charsets.length;
    const digits = new Array<number>(n);
    let rest = from;
    for (let p = n - 1; p >= 0; p--) {
      const len = this.charsets[p].length;
      digits[p] = rest % len;
      rest = (rest - digits[p]) / len;
    }
    const chars = digits.map((d, p) => this.charsets[p][d]);
    for (let k = 0; k < count; k++) {
      out.push(chars.join(''));
      for (let p = n - 1; p >= 0; p--) {
        const cs = this.charsets[p];
        if (++digits[p] < cs.length) { chars[p] = cs[digits[p]]; break; }
        digits[p] = 0;
        chars[p] = cs[0];
      }
    }
  }
}

export interface MaskOptions {
  custom?: CustomCharsets;
  increment?: boolean;
}

export class MaskSource implements CandidateSource {
  readonly kind = 'mask' as const;
  readonly secret = false;
  readonly label: string;
  readonly size: number;
  readonly fingerprint: string;
  private readonly parts: MaskPart[];
  private readonly offsets: number[];

  constructor(readonly mask: string, opts: MaskOptions = {}) {
    const charsets = parseMask(mask, opts.custom ?? []);
    const lengths = opts.increment ? charsets.map((_, i) => i + 1) : [charsets.length];
    this.parts = lengths.map((len) => new MaskPart(charsets.slice(0, len)));
    this.offsets = [];
    let total = 0;
    for (const p of this.parts) {
      this.offsets.push(total);
      total += p.size;
    }
    if (!Number.isSafeInteger(total)) {
      throw new UsageError(`--mask ${JSON.stringify(mask)} has about ${total.toExponential(1)} candidates, too many to count exactly: narrow it, or use \`irescue hash\` and hashcat's own mask attack on a GPU`);
    }
    this.size = total;
    this.label = `mask ${mask}${opts.increment ? ' (increment)' : ''}`;
    this.fingerprint = sha256Hex('mask', mask, ...(opts.custom ?? []).map((c) => c ?? ''), opts.increment ? 'inc' : '');
  }

  at(index: number): string {
    let k = this.parts.length - 1;
    while (this.offsets[k] > index) k--;
    return this.parts[k].at(index - this.offsets[k]);
  }

  has(c: string): boolean {
    for (const p of this.parts) if (p.has(c)) return true;
    return false;
  }

  open(from: number): Cursor {
    let i = Math.max(0, from);
    return {
      read: async (max) => {
        const out: string[] = [];
        while (out.length < max && i < this.size) {
          let k = this.parts.length - 1;
          while (this.offsets[k] > i) k--;
          const local = i - this.offsets[k];
          const n = Math.min(max - out.length, this.parts[k].size - local);
          this.parts[k].fill(local, n, out);
          i += n;
        }
        return out;
      },
      close() {},
    };
  }
}
