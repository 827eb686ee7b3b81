/**
 * "Is this path inside that folder", the one check behind every refusal to write outside the output
 * folder or into the backup. Built on path.relative so it is right for Windows paths too (drive
 * letters, backslashes, case-insensitive names), where a `startsWith(dir + '/')` test is not.
 */
import path from 'node:path';

type PathApi = Pick<typeof path, 'relative' | 'isAbsolute' | 'sep' | 'resolve'>;

/**
 * True when `p` is `root` itself or lies below it. Both are resolved first, so `a/../b` and trailing
 * separators do not matter; a name that merely starts with dots ("..notes") is inside. It compares
 * paths as written: resolve symlinks (realpath) before calling when a link could lead out.
 * `api` is for tests (path.win32 on a POSIX machine); callers leave it out.
 */
export function isInside(root: string, p: string, api: PathApi = path): boolean {
  const rel = api.relative(api.resolve(root), api.resolve(p));
  if (rel === '') return true;
  if (api.isAbsolute(rel)) return false; // another drive on Windows
  return rel !== '..' && !rel.startsWith('..' + api.sep);
}
