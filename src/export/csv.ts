/** RFC 4180 CSV fields: quoted only when needed; CRLF line ends so spreadsheet apps agree. */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return String(v); // most columns are ids, flags and counts: no quoting needed
  let s = typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : String(v);
  // A leading = + - @ makes spreadsheets evaluate the cell: prefix with ' (OWASP CSV injection advice),
  // except for plain numbers and phone numbers such as +44 20 7946 0000.
  if (s.length > 0 && (s[0] === '=' || s[0] === '+' || s[0] === '-' || s[0] === '@') && !/^[+-]?[\d\s().-]+$/.test(s)) s = "'" + s;
  return NEEDS_QUOTES.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function csvRow(values: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i) line += ',';
    line += csvField(values[i]);
  }
  return line + '\r\n';
}

/** Parses CSV text back into rows (tests and tools); handles quotes, doubled quotes and CRLF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}
