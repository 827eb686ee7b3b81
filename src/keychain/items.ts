/**
 * What a decrypted keychain item is for a person: a website login, a Wi-Fi network, an app
 * password, a certificate or a key (KEYCHAIN.md §6), with the attributes turned into plain
 * fields. Pure.
 */
import type { DerDict, DerValue } from './der.js';

export type KeychainTable = 'genp' | 'inet' | 'cert' | 'keys';
export const KEYCHAIN_TABLES: readonly KeychainTable[] = ['genp', 'inet', 'cert', 'keys'];

export type ItemKind = 'website' | 'wifi' | 'app' | 'certificate' | 'key';

/** Data-protection class numbers of keychain items and what Apple calls them. */
const ACCESSIBILITY: Readonly<Record<number, string>> = {
  6: 'WhenUnlocked',
  7: 'AfterFirstUnlock',
  8: 'Always',
  9: 'WhenUnlockedThisDeviceOnly',
  10: 'AfterFirstUnlockThisDeviceOnly',
  11: 'AlwaysThisDeviceOnly',
  12: 'WhenPasscodeSetThisDeviceOnly',
};

export function accessibilityOf(protectionClass: number): string {
  return ACCESSIBILITY[protectionClass] ?? `class ${protectionClass}`;
}

/** Attribute values with the secret removed; Buffers stay Buffers (JSON prints them base64). */
export type ItemAttributes = Record<string, DerValue>;

export interface KeychainItem {
  table: KeychainTable;
  /** the row id from v_PersistentRef (big-endian int64) */
  rowid: number;
  protectionClass: number;
  accessibility: string;
  kind: ItemKind;
  /** website title / Wi-Fi SSID / app service / certificate label */
  title: string;
  url?: string;
  username?: string;
  /** the secret as text, when it is valid printable UTF-8 */
  password?: string;
  /** the secret's bytes, always (base64 in JSON) */
  secret: Buffer;
  accessGroup?: string;
  created?: Date;
  modified?: Date;
  /** synchronised with iCloud Keychain */
  synced?: boolean;
  attributes: ItemAttributes;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A string attribute may be a UTF8String or (apps store NSData) an OCTET STRING. */
export function attrString(v: DerValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) {
    try {
      return utf8.decode(v);
    } catch {
      return undefined;
    }
  }
  if (typeof v === 'bigint') return v.toString();
  return undefined;
}

function attrDate(v: DerValue | undefined): Date | undefined {
  return v instanceof Date ? v : undefined;
}

function attrInt(v: DerValue | undefined): number | undefined {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

/** The secret as text, only when it is valid UTF-8 with no control characters. Byte-exact: no trimming. */
function secretText(secret: Buffer): string | undefined {
  if (secret.length === 0) return undefined;
  let s: string;
  try {
    s = utf8.decode(secret);
  } catch {
    return undefined;
  }
  return /[\u0000-\u001f\u007f]/.test(s) ? undefined : s;
}

/** `ptcl` is a four-character code, as a string (`htps`) or the same 4 bytes as a big-endian integer. */
function protocolScheme(ptcl: DerValue | undefined): string {
  let code: string | undefined;
  if (typeof ptcl === 'string') code = ptcl;
  else if (Buffer.isBuffer(ptcl)) code = ptcl.toString('latin1');
  else if (typeof ptcl === 'bigint' && ptcl > 0n && ptcl < 1n << 32n) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(Number(ptcl));
    code = b.toString('latin1');
  }
  const c = (code ?? '').trim().toLowerCase();
  if (c === 'htps' || c === 'https') return 'https';
  if (c === 'http' || c === '') return c === '' ? 'https' : 'http';
  return /^[a-z][a-z0-9+.-]*$/.test(c) ? c : 'https';
}

const DEFAULT_PORT: Record<string, number> = { https: 443, http: 80 };

function websiteUrl(a: DerDict): string | undefined {
  const server = attrString(a.srvr);
  if (!server) return undefined;
  const scheme = protocolScheme(a.ptcl);
  const port = attrInt(a.port) ?? 0;
  let path = attrString(a.path) ?? '';
  if (path && !path.startsWith('/')) path = '/' + path;
  const host = server.includes(':') && !server.startsWith('[') ? `[${server}]` : server;
  const portPart = port > 0 && port !== DEFAULT_PORT[scheme] ? `:${port}` : '';
  return `${scheme}://${host}${portPart}${path}`;
}

/** Wi-Fi networks are generic passwords of the service "AirPort" (the SSID is the account). */
const WIFI_SERVICE = 'AirPort';

function classify(table: KeychainTable, a: DerDict): { kind: ItemKind; title: string; url?: string; username?: string } {
  const account = attrString(a.acct);
  const label = attrString(a.labl);
  switch (table) {
    case 'inet': {
      const url = websiteUrl(a);
      return { kind: 'website', title: attrString(a.srvr) ?? label ?? '', url, username: account };
    }
    case 'genp': {
      const service = attrString(a.svce);
      if (service === WIFI_SERVICE) return { kind: 'wifi', title: account ?? '' };
      return { kind: 'app', title: service ?? label ?? '', username: account };
    }
    case 'cert':
      return { kind: 'certificate', title: label ?? '' };
    case 'keys':
      return { kind: 'key', title: label ?? '' };
  }
}

export function buildItem(table: KeychainTable, rowid: number, protectionClass: number, attrs: DerDict): KeychainItem {
  const secretValue = attrs.v_Data;
  const secret = Buffer.isBuffer(secretValue) ? secretValue : typeof secretValue === 'string' ? Buffer.from(secretValue, 'utf8') : Buffer.alloc(0);
  const attributes: ItemAttributes = {};
  for (const [k, v] of Object.entries(attrs)) if (k !== 'v_Data') attributes[k] = v;
  const c = classify(table, attrs);
  const password = table === 'genp' || table === 'inet' ? secretText(secret) : undefined;
  return {
    table,
    rowid,
    protectionClass,
    accessibility: accessibilityOf(protectionClass),
    ...c,
    password,
    secret,
    accessGroup: attrString(attrs.agrp),
    created: attrDate(attrs.cdat),
    modified: attrDate(attrs.mdat),
    synced: attrs.sync === undefined ? undefined : attrInt(attrs.sync) === 1,
    attributes,
  };
}
