/**
 * Turning a backup's (domain, relativePath) into a path under the output folder. Pure. The
 * manifest is untrusted input: a name may try to climb out (`..`), be absolute, carry a drive
 * letter or a NUL, or be illegal on Windows. Escapes are refused; Windows-illegal names are
 * sanitized where they would fail (on Windows, or when portable names are asked for), by the one
 * name rule set in fs/safe-name.ts.
 */
import { fitName, NAME_MAX_BYTES as MAX_NAME_BYTES, windowsSafeName as portable } from '../fs/safe-name.js';

export type SafePathResult =
  | { ok: true; parts: string[]; sanitized?: string }
  | { ok: false; reason: string };

export function safeOutputParts(domain: string, relativePath: string, opts: { portable?: boolean } = {}): SafePathResult {
  if (domain.includes('\0') || relativePath.includes('\0')) return { ok: false, reason: 'name contains a NUL byte' };
  if (!domain || domain === '.' || domain === '..' || /[/\\]/.test(domain)) return { ok: false, reason: `domain ${JSON.stringify(domain)} is not a plain folder name` };
  if (relativePath.startsWith('/') || relativePath.startsWith('\\')) return { ok: false, reason: 'absolute path' };
  if (/^[A-Za-z]:/.test(relativePath)) return { ok: false, reason: 'path starts with a drive letter' };
  const notes: string[] = [];
  const parts: string[] = [];
  const comps = relativePath.split('/');
  for (const raw of comps) {
    if (raw === '' || raw === '.') continue;
    if (raw === '..') return { ok: false, reason: 'path would climb out of the output folder (..)' };
    let c = raw;
    if (opts.portable) {
      const p = portable(c);
      if (p !== c) notes.push(`${JSON.stringify(c)} -> ${JSON.stringify(p)}`);
      c = p;
    } else if (c.includes('\\') && process.platform === 'win32') {
      return { ok: false, reason: 'backslash in a name' };
    }
    if (Buffer.byteLength(c) > MAX_NAME_BYTES) {
      const s = fitName(c, MAX_NAME_BYTES);
      notes.push(`name longer than ${MAX_NAME_BYTES} bytes shortened to ${JSON.stringify(s)}`);
      c = s;
    }
    parts.push(c);
  }
  let d = domain;
  if (opts.portable) d = portable(domain);
  return notes.length ? { ok: true, parts: [d, ...parts], sanitized: notes.join('; ') } : { ok: true, parts: [d, ...parts] };
}
