/**
 * The CSV files password managers import (KEYCHAIN.md §6), headers exact. Passwords are written
 * byte for byte: RFC 4180 quoting only, no trimming, no normalisation, and no "'" prefix for cells
 * that start with = + - @ (that would change the password); such cells are counted so the CLI can
 * warn that a spreadsheet would evaluate them.
 *
 * Which items go in: Apple Passwords, Bitwarden and 1Password import logins without a web address,
 * so their CSV holds website logins, app passwords (titled by their service) and Wi-Fi networks
 * (titled "Wi-Fi: SSID"). Chrome and Firefox drop rows without a URL on import, so theirs hold website
 * logins only; every item is always in the JSON report.
 */
import { createHash } from 'node:crypto';
import type { KeychainItem } from './items.js';

export type CsvFormat = 'apple' | 'chrome' | 'bitwarden' | '1password' | 'firefox';
export const CSV_FORMATS: readonly CsvFormat[] = ['apple', 'chrome', 'bitwarden', '1password', 'firefox'];

export const CSV_HEADERS: Readonly<Record<CsvFormat, readonly string[]>> = {
  apple: ['Title', 'URL', 'Username', 'Password', 'Notes', 'OTPAuth'],
  chrome: ['name', 'url', 'username', 'password', 'note'],
  bitwarden: ['folder', 'favorite', 'type', 'name', 'notes', 'fields', 'reprompt', 'login_uri', 'login_username', 'login_password', 'login_totp'],
  '1password': ['title', 'website', 'username', 'password', 'notes'],
  firefox: ['url', 'username', 'password', 'httpRealm', 'formActionOrigin', 'guid', 'timeCreated', 'timeLastUsed', 'timePasswordChanged'],
};

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180: quote a field only when it holds a quote, comma or line break; double inner quotes. */
function quoteCsv(v: string): string {
  return NEEDS_QUOTES.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
}

function line(fields: readonly string[]): string {
  return fields.map(quoteCsv).join(',') + '\r\n';
}

/** Items that belong in a password manager's CSV: a readable password and a login-like kind. */
function csvItems(items: readonly KeychainItem[], format: CsvFormat): KeychainItem[] {
  const urlOnly = format === 'chrome' || format === 'firefox';
  return items.filter((i) => i.password !== undefined && (i.kind === 'website' ? true : !urlOnly && (i.kind === 'app' || i.kind === 'wifi')));
}

function title(i: KeychainItem): string {
  return i.kind === 'wifi' ? `Wi-Fi: ${i.title}` : i.title;
}

function notes(i: KeychainItem): string {
  if (i.kind === 'wifi') return 'Wi-Fi network password, from an iPhone backup';
  if (i.kind === 'app') return `App password (service ${i.title}), from an iPhone backup`;
  return '';
}

const ms = (d: Date | undefined) => (d ? String(d.getTime()) : '');

function origin(url: string | undefined): string {
  if (!url) return '';
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/** A stable Firefox-style {guid} per item, so two exports of one backup import as the same logins. */
function guid(i: KeychainItem): string {
  const h = createHash('sha256').update(`${i.table}:${i.rowid}:${i.url ?? ''}:${i.username ?? ''}`).digest('hex');
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}}`;
}

function row(i: KeychainItem, format: CsvFormat): string[] {
  const user = i.kind === 'wifi' ? i.title : (i.username ?? '');
  const pw = i.password ?? '';
  const url = i.url ?? '';
  switch (format) {
    case 'apple': return [title(i), url, user, pw, notes(i), ''];
    case 'chrome': return [title(i), url, user, pw, notes(i)];
    case 'bitwarden': return ['', '', 'login', title(i), notes(i), '', '0', url, user, pw, ''];
    case '1password': return [title(i), url, user, pw, notes(i)];
    case 'firefox': return [url, user, pw, '', origin(url), guid(i), ms(i.created), ms(i.modified ?? i.created), ms(i.modified ?? i.created)];
  }
}

/** Cells a spreadsheet would run as a formula (kept as they are; the CLI warns). */
function formulaLike(v: string): boolean {
  return v.length > 0 && '=+-@'.includes(v[0]!);
}

export interface CsvResult {
  text: string;
  rows: number;
  formulaCells: number;
}

export function buildCsv(items: readonly KeychainItem[], format: CsvFormat): CsvResult {
  let text = line(CSV_HEADERS[format]);
  let formulaCells = 0;
  const chosen = csvItems(items, format);
  for (const i of chosen) {
    const cells = row(i, format);
    formulaCells += cells.filter(formulaLike).length;
    text += line(cells);
  }
  return { text, rows: chosen.length, formulaCells };
}
