/**
 * The import graph of src/, read from the source text (no compiler): every static import, export-from
 * and literal dynamic import of a relative path, resolved to a file under src/. Shared by the
 * layer-rule test and the unused-export test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every .ts/.tsx file under `dir` (repo-relative, forward slashes), skipping node_modules and dist. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'dist') continue;
      const p = join(abs, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(relative(REPO, p).split(sep).join('/'));
    }
  };
  walk(join(REPO, dir));
  return out.sort();
}

// Comments would hide or fake imports; strip them first (strings that contain comment markers are
// rare in import position, and a false edge makes the test fail loudly rather than pass quietly).
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

export interface ImportEdge {
  from: string;
  /** repo-relative target file, or the bare specifier for packages */
  to: string;
  /** the names imported ('*' for a namespace or export-star, 'default', or nothing for a side-effect import) */
  names: string[];
  typeOnly: boolean;
}

const STATIC = /(?:^|[;\n}])\s*(import|export)\s+(type\s+)?([^'"`;]*?)\s*from\s*['"]([^'"]+)['"]/g;
const BARE = /(?:^|[;\n])\s*import\s+['"]([^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolve(from: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  const p = posix.normalize(posix.join(posix.dirname(from), spec));
  return p.replace(/\.js$/, '.ts').replace(/\.jsx$/, '.tsx');
}

function namesOf(clause: string, kind: string): string[] {
  const c = clause.trim();
  if (c === '*' || /^\*\s+as\s+/.test(c)) return ['*'];
  const names: string[] = [];
  const brace = c.match(/\{([\s\S]*)\}/);
  if (brace) {
    for (const part of brace[1].split(',')) {
      const n = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0].trim();
      if (n) names.push(n);
    }
  }
  const head = c.replace(/\{[\s\S]*\}/, '').replace(/,/g, ' ').trim();
  if (kind === 'import' && head && !head.startsWith('*')) names.push('default');
  if (/\*\s+as\s+/.test(head)) names.push('*');
  return names;
}

export function importsOf(file: string): ImportEdge[] {
  const src = stripComments(readFileSync(join(REPO, file), 'utf8'));
  const edges: ImportEdge[] = [];
  for (const m of src.matchAll(STATIC)) {
    edges.push({ from: file, to: resolve(file, m[4]), names: namesOf(m[3], m[1]), typeOnly: Boolean(m[2]) });
  }
  for (const m of src.matchAll(BARE)) edges.push({ from: file, to: resolve(file, m[1]), names: [], typeOnly: false });
  for (const m of src.matchAll(DYNAMIC)) edges.push({ from: file, to: resolve(file, m[1]), names: ['*'], typeOnly: false });
  return edges;
}
