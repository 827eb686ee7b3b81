/**
 * A set of 64-bit string fingerprints in two typed arrays (open addressing): what lets wordlists of
 * millions of words be deduplicated against each other and against later masks in bounded memory
 * (8 bytes a word, at most MAX_SLOTS slots). A 64-bit collision (odds about n^2 / 2^65: 1 in 200,000
 * for 10 million words) would skip one word; past the cap, new words are no longer remembered and
 * duplicates among them may be tested twice. Both are said in docs/recover.md.
 */
const MAX_SLOTS = 1 << 24; // 128 MiB, about 12 million words at the 3/4 load factor

export function fingerprint(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  a ^= a >>> 16; a = Math.imul(a, 0x85ebca6b); a ^= a >>> 13; a = Math.imul(a, 0xc2b2ae35); a ^= a >>> 16;
  b ^= s.length; b ^= b >>> 16; b = Math.imul(b, 0x85ebca6b); b ^= b >>> 13;
  return [a >>> 0, (b | 1) >>> 0]; // b is never 0: 0 marks an empty slot
}

export class FingerprintSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private count = 0;
  /** true once the cap was reached and words stopped being remembered */
  full = false;

  constructor(private slots = 1 << 16, private readonly maxSlots = MAX_SLOTS) {
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
  }

  get size(): number {
    return this.count;
  }

  has(s: string): boolean {
    const [a, b] = fingerprint(s);
    const mask = this.slots - 1;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      if (this.lo[i] === 0) return false;
      if (this.lo[i] === b && this.hi[i] === a) return true;
    }
  }

  /** Adds s; returns false when it was already there. */
  add(s: string): boolean {
    if (this.count * 4 >= this.slots * 3) {
      if (this.slots >= this.maxSlots) {
        this.full = true;
        return !this.has(s);
      }
      this.grow();
    }
    const [a, b] = fingerprint(s);
    const mask = this.slots - 1;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      if (this.lo[i] === 0) {
        this.hi[i] = a;
        this.lo[i] = b;
        this.count++;
        return true;
      }
      if (this.lo[i] === b && this.hi[i] === a) return false;
    }
  }

  private grow(): void {
    const { hi, lo } = this;
    this.slots *= 2;
    this.hi = new Uint32Array(this.slots);
    this.lo = new Uint32Array(this.slots);
    const mask = this.slots - 1;
    for (let j = 0; j < hi.length; j++) {
      if (lo[j] === 0) continue;
      let i = hi[j] & mask;
      while (this.lo[i] !== 0) i = (i + 1) & mask;
      this.hi[i] = hi[j];
      this.lo[i] = lo[j];
    }
  }
}
