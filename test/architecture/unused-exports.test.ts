/**
 * Every value (function, class, constant) exported from src/ is imported somewhere (src, test,
 * bench or scripts), or the public entry (src/index.ts) re-exports it, or it is on the allow-list
 * below with a reason. Types are left out: an exported function's option and result types are
 * exported so callers can name them. An export nobody imports is surface to keep up for no one (isomorphic-git runs a
 * similar check for its error classes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importsOf, REPO, sourceFiles, type ImportEdge } from './source-graph.js';

const ENTRIES = new Set(['src/index.ts', 'src/ui/web/src/main.tsx']);

/**
 * Exports kept although nothing imports them yet. `file` or `file#name`.
 */
const ALLOWED: ReadonlyArray<{ what: string; why: string }> = [
];

const DECL = /(?:^|\n)\s*export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|class|const|let|var|enum)\s+([A-Za-z_$][\w$]*)/g;
const LOCAL_LIST = /(?:^|\n)\s*export\s+\{([^}]*)\}\s*(from\s*['"][^'"]+['"])?/g;

function exportedNames(file: string): string[] {
  const src = readFileSync(join(REPO, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const names = new Set<string>();
  for (const m of src.matchAll(DECL)) names.add(m[1]);
  for (const m of src.matchAll(LOCAL_LIST)) {
    for (const part of m[1].split(',')) {
      const p = part.trim();
      if (!p || p.startsWith('type ')) continue;
      const as = p.split(/\s+as\s+/);
      names.add((as[1] ?? as[0]).trim());
    }
  }
  return [...names];
}

test('every export in src/ is imported somewhere, is public API, or is allowed with a reason', () => {
  const src = sourceFiles('src');
  const everyone = [...src, ...sourceFiles('test'), ...sourceFiles('bench'), ...sourceFiles('scripts')];
  const used = new Map<string, Set<string>>(); // file -> names imported from it ('*' = all)
  const use = (e: ImportEdge) => {
    let s = used.get(e.to);
    if (!s) used.set(e.to, (s = new Set()));
    for (const n of e.names) s.add(n);
  };
  const edges = everyone.flatMap(importsOf);
  for (const e of edges) use(e);
  const unused: string[] = [];
  for (const file of src) {
    if (ENTRIES.has(file)) continue;
    const u = used.get(file) ?? new Set<string>();
    if (u.has('*')) continue;
    for (const name of exportedNames(file)) {
      if (u.has(name)) continue;
      if (ALLOWED.some((a) => a.what === file || a.what === `${file}#${name}`)) continue;
      unused.push(`${file}: ${name}`);
    }
  }
  assert.deepEqual(unused, [], `exported but imported nowhere (delete, un-export, or allow with a reason):\n${unused.join('\n')}`);
});

test('the allow-list names only exports that exist', () => {
  for (const a of ALLOWED) {
    const [file, name] = a.what.split('#');
    if (name) assert.ok(exportedNames(file).includes(name), `${a.what} is not exported any more: take it off the list`);
    else assert.match(readFileSync(join(REPO, file), 'utf8'), /^export /m, `${file} exports nothing`);
  }
});
