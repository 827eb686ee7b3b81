/**
 * One rule set for file names irescue creates from untrusted text: a backup manifest's path
 * components (extract) and free text such as a contact's name or an attachment's transfer name
 * (export). The rules are those of the strictest file system we write to, Windows:
 * - no `< > : " | ? * \ /` and no control characters (each becomes `_`);
 * - no trailing dot or space;
 * - not a reserved device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9, and COM¹²³/LPT¹²³, which
 *   Windows also reserves), with or without an extension: such a name gets a `_` in front.
 *
 * Length: NAME_MAX_BYTES = 255 UTF-8 bytes is the hard limit, the per-name maximum of ext4 and APFS
 * (NTFS allows 255 UTF-16 units, never fewer than 255 UTF-8 bytes). Names made from free text take a
 * tighter budget (exports use 120 bytes: they nest folders and add " (2)" suffixes, and Windows
 * paths break past 260 characters). A name over its budget keeps its extension, is cut at a
 * character boundary and gets `~` and 8 hex digits of its SHA-1, so two long names that share a
 * beginning stay two files.
 */
import { createHash } from 'node:crypto';

export const NAME_MAX_BYTES = 255;

const WINDOWS_ILLEGAL = /[<>:"|?*\\/\u0000-\u001f\u007f]/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const HASH_TAIL = 9; // '~' + 8 hex

/** Cuts `name` to at most `maxBytes` UTF-8 bytes as described above; shorter names pass unchanged. */
export function fitName(name: string, maxBytes = NAME_MAX_BYTES): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const tail = '~' + createHash('sha1').update(name).digest('hex').slice(0, HASH_TAIL - 1);
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  const budget = maxBytes - Buffer.byteLength(ext) - tail.length;
  const chars = Array.from(name.slice(0, name.length - ext.length));
  let stem = '';
  let bytes = 0;
  for (const c of chars) {
    const n = Buffer.byteLength(c);
    if (bytes + n > budget) break;
    stem += c;
    bytes += n;
  }
  return stem + tail + ext;
}

/**
 * The smallest change that makes one path component legal on Windows (illegal characters, trailing
 * dots and spaces, reserved names), keeping everything else, leading dots included: extraction
 * reproduces the device's own names (".DS_Store" stays). Length is fitName's job.
 */
export function windowsSafeName(component: string): string {
  let c = component.replace(WINDOWS_ILLEGAL, '_');
  c = c.replace(/[. ]+$/, (m) => '_'.repeat(m.length));
  if (WINDOWS_RESERVED.test(c)) c = `_${c}`;
  return c;
}

/**
 * One tidy, safe file or folder name from free text: Unicode NFC, leading dots and surrounding
 * white space dropped (no hidden files, no "..", no trailing dot), then the Windows rules and the
 * length budget. `fallback` when nothing is left.
 */
export function sanitizeName(raw: string | undefined | null, fallback = 'unnamed', maxBytes = NAME_MAX_BYTES): string {
  let s = (raw ?? '').normalize('NFC').replace(WINDOWS_ILLEGAL, '_');
  s = s.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  if (s === '') s = fallback;
  if (WINDOWS_RESERVED.test(s)) s = '_' + s;
  return fitName(s, maxBytes) || fallback;
}
