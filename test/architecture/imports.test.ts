/**
 * The layer rules of docs/architecture.md, checked on every import in src/. A new arrow that runs up
 * a floor (the library reaching into the CLI, the device layer into backup, anything below the front
 * ends into the guide) fails here with the file and the line's target, so the layering stays written
 * down in one place and true in the code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importsOf, sourceFiles, type ImportEdge } from './source-graph.js';

/** The first folder under src/, or the file's own name for files at src/'s root ("errors"). */
export function areaOf(file: string): string {
  const parts = file.replace(/^src\//, '').split('/');
  return parts.length === 1 ? parts[0].replace(/\.tsx?$/, '') : parts[0];
}

/**
 * Floors, lowest first. An import may go down or stay on its own area; never up. Areas that share a
 * floor are peers and do not import each other (recover, export, device and guide each stand on
 * backup and the foundations, not on one another).
 */
const FLOOR: Record<string, number> = {
  errors: 0, format: 0,
  progress: 1, 'cache-dir': 1, 'child-env': 1, plist: 1, models: 1, fs: 1,
  kdf: 2,
  backup: 3,
  recover: 4, export: 4, device: 4, guide: 4,
  // tasks that span two domains (a device backup checked against the backup's keybag, a backup
  // restored to a device), the secrets a backup holds, and the demo backup built from every exporter's data
  tasks: 5, keychain: 5, demo: 5,
  index: 6,
  ui: 7,
  cli: 8,
};

/** Rules the floors do not express by themselves; each returns why the edge is forbidden. */
const RULES: Array<(from: string, to: string) => string | undefined> = [
  (f, t) => (f !== 'cli' && f !== 'ui' && (t === 'cli' || t === 'ui') ? 'the library never imports the CLI or the wizard' : undefined),
  (f, t) => (f === 'device' && t === 'backup' ? 'the device layer does not import the backup layer' : undefined),
  (f, t) => (f === 'backup' && t === 'guide' ? 'the backup layer does not import the guide' : undefined),
  (f, t) => (t === 'guide' && !['cli', 'ui', 'guide', 'index'].includes(f) ? 'only the front ends (and the public entry) import the guide' : undefined),
  (f, t) => {
    const a = FLOOR[f];
    const b = FLOOR[t];
    if (a === undefined) return `src/${f} has no floor in the import-rule test (add it, and to docs/architecture.md)`;
    if (b === undefined) return `src/${t} has no floor in the import-rule test (add it, and to docs/architecture.md)`;
    if (b > a) return `${f} (floor ${a}) imports ${t} (floor ${b}): imports only go down`;
    if (b === a && f !== t) return `${f} and ${t} are peers on floor ${a} and do not import each other`;
    return undefined;
  },
];

/**
 * Edges that break a rule today and are on someone's list. Each names the file pair exactly, so a
 * second file making the same mistake still fails.
 */
const KNOWN_EXCEPTIONS: ReadonlyArray<{ from: string; to: string; why: string }> = [];

export function violations(edges: ImportEdge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    if (!e.to.startsWith('src/')) continue;
    const f = areaOf(e.from);
    const t = areaOf(e.to);
    if (f === t) continue;
    for (const rule of RULES) {
      const why = rule(f, t);
      if (!why) continue;
      if (KNOWN_EXCEPTIONS.some((k) => k.from === e.from && k.to === e.to)) continue;
      out.push(`${e.from} -> ${e.to}: ${why}`);
      break;
    }
  }
  return out;
}

const edges = sourceFiles('src').flatMap(importsOf);

test('no import in src/ crosses a layer the wrong way', () => {
  assert.ok(edges.length > 300, `only ${edges.length} imports found: the import reader is broken`);
  assert.deepEqual(violations(edges), []);
});

test('every known exception still exists (a fixed one comes off the list)', () => {
  for (const k of KNOWN_EXCEPTIONS) {
    assert.ok(edges.some((e) => e.from === k.from && e.to === k.to), `${k.from} -> ${k.to} no longer exists: remove it from KNOWN_EXCEPTIONS`);
  }
});

test('the rules catch each forbidden kind of edge', () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, to, names: ['x'], typeOnly: false });
  const caught = (from: string, to: string) => violations([edge(from, to)]).length === 1;
  assert.ok(caught('src/backup/open.ts', 'src/cli/common.ts'), 'library -> cli');
  assert.ok(caught('src/recover/pool.ts', 'src/ui/http.ts'), 'library -> ui');
  assert.ok(caught('src/device/devices.ts', 'src/backup/plist.ts'), 'device -> backup');
  assert.ok(caught('src/backup/manifest-plist.ts', 'src/guide/models.ts'), 'backup -> guide');
  assert.ok(caught('src/export/index.ts', 'src/guide/routes.ts'), 'export -> guide');
  assert.ok(caught('src/plist/plist.ts', 'src/backup/types.ts'), 'foundation -> domain');
  assert.ok(caught('src/recover/pool.ts', 'src/export/index.ts'), 'peer -> peer');
  assert.ok(caught('src/newarea/x.ts', 'src/errors.ts'), 'an area without a floor');
  assert.ok(!caught('src/cli/commands/guide.ts', 'src/guide/routes.ts'), 'cli -> guide is allowed');
  assert.ok(!caught('src/device/devices.ts', 'src/plist/plist.ts'), 'device -> plist is allowed');
  assert.ok(!caught('src/backup/manifest-plist.ts', 'src/models/models.ts'), 'backup -> models is allowed');
});

test('the import reader sees static, type-only, export-from and dynamic imports', async () => {
  const { writeFile, mkdtemp, rm } = await import('node:fs/promises');
  const { join, relative } = await import('node:path');
  const { REPO } = await import('./source-graph.js');
  const dir = await mkdtemp(join(REPO, 'test/architecture/.tmp-'));
  try {
    const file = join(dir, 'sample.ts');
    await writeFile(file, [
      "import { a, type B } from '../x/a.js';",
      "import type { C } from './c.js';",
      "export { d } from './d.js';",
      "export * from './e.js';",
      "import f from 'pkg';",
      '// import { fake } from "./commented.js";',
      "const g = await import('./g.js');",
    ].join('\n'));
    const got = importsOf(relative(REPO, file).split('\\').join('/'));
    const base = relative(REPO, dir).split('\\').join('/');
    assert.deepEqual(got.map((e) => e.to).sort(), [`${base}/c.ts`, `${base}/d.ts`, `${base}/e.ts`, `${base}/g.ts`, `${base.replace(/\/[^/]+$/, '')}/x/a.ts`, 'pkg'].sort());
    assert.deepEqual(got.find((e) => e.to.endsWith('/x/a.ts'))!.names, ['a', 'B']);
    assert.equal(got.find((e) => e.to.endsWith('/c.ts'))!.typeOnly, true);
    assert.deepEqual(got.find((e) => e.to.endsWith('/e.ts'))!.names, ['*']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
