/**
 * The wizard's credentials, kept away from anything the browser sends on its own. Cookies ignore
 * ports, so a cookie for 127.0.0.1 reaches every other local server; instead the address carries a
 * token that works once and only for a short while, and the page trades it (by POST) for a key it
 * keeps in this tab's sessionStorage and sends in a header on every request. A page on another
 * origin can neither read that storage nor set the header without a preflight, which we refuse.
 */
import { newToken, sameSecret } from './security.js';

/** The header the page sends its key in (a custom header: never sent by the browser on its own). */
export const KEY_HEADER = 'x-irescue-key';

/** How long an address token stays good when nobody trades it (a browser opens in seconds). */
const TOKEN_TTL_MS = 60_000;

/** Keys live as long as the server; this many trades are plenty for one person's tabs. */
const MAX_KEYS = 64;

export type TradeRefusal = 'unknown' | 'used' | 'expired';

export class PageAccess {
  private token: { value: string; expires: number; used: boolean };
  private readonly keys: string[] = [];

  constructor(
    private readonly ttlMs = TOKEN_TTL_MS,
    first?: string,
    private readonly now: () => number = Date.now,
  ) {
    this.token = { value: first ?? newToken(), expires: this.now() + ttlMs, used: false };
  }

  /** The current address token. */
  get current(): string {
    return this.token.value;
  }

  /** A fresh address token (the old one stops working), e.g. when the person asks for a new address. */
  issue(): string {
    this.token = { value: newToken(), expires: this.now() + this.ttlMs, used: false };
    return this.token.value;
  }

  /** Trades the address token once for a new page key; why not, when it cannot. */
  trade(given: string | undefined): { key: string } | { refused: TradeRefusal } {
    if (!sameSecret(given, this.token.value)) return { refused: 'unknown' };
    if (this.token.used) return { refused: 'used' };
    if (this.now() > this.token.expires) return { refused: 'expired' };
    this.token.used = true;
    const key = newToken();
    this.keys.push(key);
    if (this.keys.length > MAX_KEYS) this.keys.shift();
    return { key };
  }

  allows(key: string | string[] | undefined): boolean {
    if (typeof key !== 'string') return false;
    let ok = false;
    // Compare against every key (no early exit), so timing says nothing about which one matched.
    for (const k of this.keys) ok = sameSecret(key, k) || ok;
    return ok;
  }
}
