/**
 * A set of 64-bit string fingerprints in one typed array (open addressing, linear probing): what
 * lets wordlists of millions of words be deduplicated against each other and against later masks in
 * bounded memory (8 bytes a slot, at most MAX_SLOTS slots). A 64-bit collision (odds about
 * n^2 / 2^65: 1 in 300,000 for 10 million words) would skip one word; past the cap, new words are
 * no longer remembered and duplicates among them may be tested twice. docs/recover.md says both.
 */
const MAX_SLOTS = 1 << 24; // 128 MiB, about 12 million words at the 3/4 load factor

// the last fingerprint computed: two 32-bit halves, kept in module variables so hashing allocates nothing
let fa = 0;
let fb = 0;

// FNV-1a and a murmur-style lane over the UTF-16 code units; hashing x + y + z part by part gives
// the fingerprint of the joined string without building it (hint lists dedup their parts this way)
function hash3(x: string, y: string, z: string): void {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = 0; i < x.length; i++) {
    const c = x.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  for (let i = 0; i < y.length; i++) {
    const c = y.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  for (let i = 0; i < z.length; i++) {
    const c = z.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  a ^= a >>> 16; a = Math.imul(a, 0x85ebca6b); a ^= a >>> 13; a = Math.imul(a, 0xc2b2ae35); a ^= a >>> 16;
  b ^= x.length + y.length + z.length; b ^= b >>> 16; b = Math.imul(b, 0x85ebca6b); b ^= b >>> 13;
  fa = a >>> 0;
  fb = (b | 1) >>> 0; // never 0: 0 marks an empty slot
}

function hash(s: string): void {
  hash3(s, '', '');
}

export function fingerprint(s: string): [number, number] {
  hash(s);
  return [fa, fb];
}

/** Slots for n words at most 3/4 full (a power of two), within the cap: no rehashing while filling. */
export function slotsFor(n: number): number {
  let slots = 1 << 16;
  while (slots < MAX_SLOTS && slots * 3 < n * 4) slots *= 2;
  return slots;
}

export class FingerprintSet {
  /** slot i is [2i] = high half, [2i+1] = low half (0 = empty) */
  private table: Uint32Array;
  private count = 0;
  /** true once the cap was reached and words stopped being remembered */
  full = false;

  constructor(private slots = 1 << 16, private readonly maxSlots = MAX_SLOTS) {
    this.table = new Uint32Array(slots * 2);
  }

  get size(): number {
    return this.count;
  }

  has(s: string): boolean {
    hash(s);
    return this.find() >= 0;
  }

  /** Adds a fingerprint from fingerprint() (a saved record); false when it was already there or the set is full. */
  addFingerprint(a: number, b: number): boolean {
    if (b === 0) return false;
    if (this.count * 4 >= this.slots * 3) {
      if (this.slots >= this.maxSlots) {
        this.full = true;
        return false;
      }
      this.grow();
    }
    fa = a >>> 0;
    fb = b >>> 0;
    const i = this.find();
    if (i >= 0) return false;
    this.table[2 * ~i] = fa;
    this.table[2 * ~i + 1] = fb;
    this.count++;
    return true;
  }

  /** Adds s; returns false when it was already there. */
  add(s: string): boolean {
    return this.addJoined(s, '', '');
  }

  /** Adds x + y + z without joining them (the same fingerprint as the joined string). */
  addJoined(x: string, y: string, z: string): boolean {
    if (this.count * 4 >= this.slots * 3) {
      if (this.slots >= this.maxSlots) {
        this.full = true;
        hash3(x, y, z);
        return this.find() < 0;
      }
      this.grow();
    }
    hash3(x, y, z);
    const i = this.find();
    if (i >= 0) return false;
    const slot = ~i;
    this.table[2 * slot] = fa;
    this.table[2 * slot + 1] = fb;
    this.count++;
    return true;
  }

  /** Slot of the current fingerprint, or ~(the empty slot where it would go). */
  private find(): number {
    const t = this.table;
    const mask = this.slots - 1;
    for (let i = fa & mask; ; i = (i + 1) & mask) {
      const lo = t[2 * i + 1];
      if (lo === 0) return ~i;
      if (lo === fb && t[2 * i] === fa) return i;
    }
  }

  private grow(): void {
    const old = this.table;
    this.slots *= 2;
    this.table = new Uint32Array(this.slots * 2);
    const mask = this.slots - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j + 1] === 0) continue;
      let i = old[j] & mask;
      while (this.table[2 * i + 1] !== 0) i = (i + 1) & mask;
      this.table[2 * i] = old[j];
      this.table[2 * i + 1] = old[j + 1];
    }
  }
}
