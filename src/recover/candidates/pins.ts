/**
 * Every 4- or 6-digit PIN, most likely first. People reuse their device passcode as the backup
 * password. The order is built by rules from what published PIN studies report as most chosen:
 * a short head of the most frequent PINs, then repeated digits, sequences, keypad patterns, pairs,
 * years and dates, then every remaining PIN in numeric order. It is a permutation, so position i
 * maps to one PIN and back in O(1).
 */
import { sha256Hex, indexCursor, type CandidateSource, type Cursor } from './source.js';

// The head of the frequency tables reported by PIN studies (4 digits: 1234, 1111, 0000, 1212, ...).
const HEAD4 = ['1234', '1111', '0000', '1212', '7777', '1004', '2000', '4444', '2222', '6969', '9999', '3333', '5555', '6666', '1122', '1313', '8888', '4321', '2001', '1010'];
const HEAD6 = ['123456', '111111', '000000', '121212', '123123', '654321', '666666', '112233', '123321', '696969', '999999', '555555', '777777', '888888', '222222', '333333', '444444', '159753', '147258', '101010', '789456', '131313', '520520', '147852', '987654'];

function pad(n: number, len: number): string {
  return String(n).padStart(len, '0');
}

function* patterns(len: 4 | 6): Generator<string> {
  yield* len === 4 ? HEAD4 : HEAD6;
  const d = '0123456789';
  for (const c of d) yield c.repeat(len);
  const asc = '01234567890123';
  const desc = '98765432109876';
  for (let i = 0; i < 10; i++) yield asc.slice(i, i + len);
  for (let i = 0; i < 10; i++) yield desc.slice(i, i + len);
  // keypad columns and diagonals, the common ones
  for (const p of len === 4 ? ['2580', '0852', '1470', '3690', '1379', '7913', '1397', '1590', '7539', '1357', '2468', '0987', '7410', '9630'] : ['147258', '258369', '369258', '852456', '159357', '147369', '963852', '135790', '246800', '741852'])
    yield p;
  // repeated pairs (abab / ababab) and doubled digits (aabb / aabbcc)
  for (let a = 0; a < 10; a++) for (let b = 0; b < 10; b++) yield (`${a}${b}`).repeat(len / 2);
  if (len === 4) for (let a = 0; a < 10; a++) for (let b = 0; b < 10; b++) yield `${a}${a}${b}${b}`;
  else for (let a = 0; a < 10; a++) for (let b = 0; b < 10; b++) yield `${a}${b}${a}${b}${a}${b}`;
  if (len === 4) {
    for (let y = 2035; y >= 1950; y--) yield String(y);
    for (let m = 1; m <= 12; m++) for (let day = 1; day <= 31; day++) yield pad(m, 2) + pad(day, 2); // MMDD
    for (let day = 1; day <= 31; day++) for (let m = 1; m <= 12; m++) yield pad(day, 2) + pad(m, 2); // DDMM
  } else {
    for (let a = 0; a < 1000; a++) yield pad(a, 3).repeat(2); // abcabc
    const years = [...Array(100).keys()].map((i) => (i + 50) % 100); // 50..99, 00..49
    for (const y of years) for (let m = 1; m <= 12; m++) for (let day = 1; day <= 31; day++) yield pad(day, 2) + pad(m, 2) + pad(y, 2); // DDMMYY
    for (const y of years) for (let m = 1; m <= 12; m++) for (let day = 1; day <= 31; day++) yield pad(m, 2) + pad(day, 2) + pad(y, 2); // MMDDYY
    for (let y = 1950; y <= 2035; y++) for (let m = 1; m <= 12; m++) yield String(y) + pad(m, 2); // YYYYMM
  }
}

const orders = new Map<number, Int32Array>();

/** The permutation of 0..10^len-1 in likelihood order (built once, 4 MiB for 6 digits). */
export function pinOrder(len: 4 | 6): Int32Array {
  const cached = orders.get(len);
  if (cached) return cached;
  const n = 10 ** len;
  const order = new Int32Array(n);
  const used = new Uint8Array(n);
  let k = 0;
  for (const p of patterns(len)) {
    const v = Number(p);
    if (p.length !== len || used[v]) continue;
    used[v] = 1;
    order[k++] = v;
  }
  for (let v = 0; v < n; v++) if (!used[v]) order[k++] = v;
  orders.set(len, order);
  return order;
}

/** The `count` likeliest PINs of this length (the head of pinOrder, without building all 10^len). */
export function topPins(len: 4 | 6, count: number): string[] {
  const cached = orders.get(len);
  return cached ? Array.from(cached.subarray(0, count), (v) => pad(v, len)) : patternHead(len, count);
}

/** The first `count` distinct PINs of the rules (exported for the test that it is pinOrder's head). */
export function patternHead(len: 4 | 6, count: number): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const p of patterns(len)) {
    if (out.length >= count) return out;
    if (p.length !== len || seen.has(p)) continue;
    seen.add(p);
    out.push(p);
  }
  return Array.from(pinOrder(len).subarray(0, count), (v) => pad(v, len));
}

export class PinSource implements CandidateSource {
  readonly kind = 'pins' as const;
  readonly secret = false;
  readonly label: string;
  readonly size: number;
  readonly fingerprint: string;
  private readonly order: Int32Array;
  private readonly re: RegExp;

  constructor(readonly length: 4 | 6) {
    this.order = pinOrder(length);
    this.size = this.order.length;
    this.label = `${length}-digit PINs`;
    this.fingerprint = sha256Hex('pins', length);
    this.re = length === 4 ? /^[0-9]{4}$/ : /^[0-9]{6}$/;
  }

  at(i: number): string {
    return pad(this.order[i], this.length);
  }

  has(c: string): boolean {
    return this.re.test(c);
  }

  open(from: number): Cursor {
    return indexCursor(this.size, from, (i) => pad(this.order[i], this.length));
  }
}
