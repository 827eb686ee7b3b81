/**
 * vCard 4.0 (RFC 6350) writer: text escaping, structured values, CRLF line ends and folding at 75
 * octets without splitting a UTF-8 sequence. Pure: contact in, text out.
 */
export interface VCardTyped {
  value: string;
  /** RFC 6350 TYPE values: cell, home, work, fax, pager, voice, text, … */
  types: string[];
  /** a label vCard has no TYPE for (written as an Apple-style grouped X-ABLabel) */
  label?: string;
}

export interface VCardAddress {
  types: string[];
  label?: string;
  street?: string;
  locality?: string;
  region?: string;
  code?: string;
  country?: string;
}

export interface VCardContact {
  fn: string;
  n?: { family?: string; given?: string; additional?: string; prefix?: string; suffix?: string };
  nickname?: string;
  org?: { name?: string; unit?: string };
  title?: string;
  tel: VCardTyped[];
  email: VCardTyped[];
  adr: VCardAddress[];
  url: VCardTyped[];
  /** year absent: --MMDD */
  bday?: { year?: number; month: number; day: number };
  note?: string;
  photo?: { mime: string; data: Buffer };
  uid?: string;
}

/** TEXT values: backslash, comma and newlines escaped (RFC 6350 §3.4). */
export function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** One component of a structured value (N, ADR, ORG): semicolons separate components, so escape them too. */
export function escapeComponent(s: string): string {
  return escapeText(s).replace(/;/g, '\\;');
}

/**
 * Folds one content line to at most 75 octets per physical line (continuations start with a space,
 * which counts toward the 75), cutting only between UTF-8 characters.
 */
export function foldLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line + '\r\n';
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    // Step back off UTF-8 continuation bytes (10xxxxxx) so no character is split.
    while (end < bytes.length && end > start && (bytes[end] & 0xc0) === 0x80) end--;
    parts.push(bytes.toString('utf8', start, end));
    start = end;
    limit = 74;
  }
  return parts.join('\r\n ') + '\r\n';
}

function typeParam(types: string[]): string {
  const t = types.filter(Boolean);
  if (!t.length) return '';
  return t.length === 1 ? `;TYPE=${t[0]}` : `;TYPE="${t.join(',')}"`;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function buildVCard(c: VCardContact): string {
  const lines: string[] = ['BEGIN:VCARD', 'VERSION:4.0'];
  let group = 0;
  const typed = (prop: string, v: VCardTyped, valueParam = ''): void => {
    if (v.label) {
      const g = `item${++group}`;
      lines.push(`${g}.${prop}${typeParam(v.types)}${valueParam}:${escapeText(v.value)}`);
      lines.push(`${g}.X-ABLABEL:${escapeText(v.label)}`);
    } else {
      lines.push(`${prop}${typeParam(v.types)}${valueParam}:${escapeText(v.value)}`);
    }
  };
  lines.push(`FN:${escapeText(c.fn)}`);
  if (c.n) {
    const n = c.n;
    lines.push('N:' + [n.family, n.given, n.additional, n.prefix, n.suffix].map((x) => escapeComponent(x ?? '')).join(';'));
  }
  if (c.nickname) lines.push(`NICKNAME:${escapeText(c.nickname)}`);
  if (c.org && (c.org.name || c.org.unit)) lines.push('ORG:' + [c.org.name ?? '', ...(c.org.unit ? [c.org.unit] : [])].map(escapeComponent).join(';'));
  if (c.title) lines.push(`TITLE:${escapeText(c.title)}`);
  for (const t of c.tel) typed('TEL', t, ';VALUE=text');
  for (const e of c.email) typed('EMAIL', e);
  for (const a of c.adr) {
    const value = ['', '', a.street, a.locality, a.region, a.code, a.country].map((x) => escapeComponent(x ?? '')).join(';');
    if (a.label) {
      const g = `item${++group}`;
      lines.push(`${g}.ADR${typeParam(a.types)}:${value}`, `${g}.X-ABLABEL:${escapeText(a.label)}`);
    } else lines.push(`ADR${typeParam(a.types)}:${value}`);
  }
  for (const u of c.url) typed('URL', u);
  if (c.bday) lines.push(`BDAY:${c.bday.year !== undefined ? pad(c.bday.year, 4) : '--'}${pad(c.bday.month)}${pad(c.bday.day)}`);
  if (c.note) lines.push(`NOTE:${escapeText(c.note)}`);
  if (c.photo) lines.push(`PHOTO:data:${c.photo.mime};base64,${c.photo.data.toString('base64')}`);
  if (c.uid) lines.push(`UID:${escapeText(c.uid)}`);
  lines.push('END:VCARD');
  return lines.map(foldLine).join('');
}
