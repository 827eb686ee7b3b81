/**
 * The wizard's guards, as pure functions over request headers: random secrets compared in constant
 * time, a Host check against DNS rebinding, and an Origin check on every state-changing request.
 * The server applies them before any route runs; access.ts holds the token and the page keys.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Only the loopback names we serve under: a rebinding attacker's DNS name never matches. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

function allowedOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/**
 * State-changing requests must come from our own page: an Origin header naming us (browsers send
 * it on every POST), and no Sec-Fetch-Site saying another site made the request.
 */
export function originAllowed(headers: { origin?: string; 'sec-fetch-site'?: string }, port: number): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = headers.origin;
  return origin !== undefined && allowedOrigins(port).includes(origin.toLowerCase());
}

/** Headers on every response: no framing, no sniffing, no referrer (the first URL holds the token). */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
