/**
 * SECURITY-REVIEW B1 and B6, and the overwrite policy: whatever the backup holds and whatever is
 * already in the output folder, extract writes nothing outside it. Fixtures are built with our own
 * writer; the property test mixes random file, folder and link records.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import { openBackup } from '../../src/backup/open.js';
import { extractFiles } from '../../src/backup/extract.js';
import { writeBackup, type WriterFile } from '../../src/backup/writer.js';
import { FileKind } from '../../src/backup/types.js';
import { scratchDir } from '../fixtures/backups.js';

const file = (relativePath: string, text: string, domain = 'HomeDomain'): WriterFile => ({ domain, relativePath, content: Buffer.from(text) });
const link = (relativePath: string, target: string, domain = 'HomeDomain'): WriterFile => ({ domain, relativePath, kind: FileKind.Symlink, target });
const folder = (relativePath: string, domain = 'HomeDomain'): WriterFile => ({ domain, relativePath, kind: FileKind.Directory });

async function backupOf(files: WriterFile[], root = scratchDir()): Promise<string> {
  return (await writeBackup({ dir: join(root, 'backup'), files, seed: 'escape' })).dir;
}

/** Every entry under `dir` except the `skip` subtree, with what it is (links are not followed). */
function outsideState(dir: string, skip: string): Map<string, string> {
  const m = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (p === skip) continue;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) m.set(relative(dir, p), `link ${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        m.set(relative(dir, p), 'dir');
        walk(p);
      } else m.set(relative(dir, p), `file ${createHash('sha1').update(readFileSync(p)).digest('hex')} ${st.mtimeMs}`);
    }
  };
  walk(dir);
  return m;
}

/** Every link under out that resolves at all resolves inside out (except those put there before). */
function assertLinksStayInside(out: string, before = new Set<string>()): void {
  const real = realpathSync(out);
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink() && !before.has(p)) {
        let to: string | undefined;
        try {
          to = realpathSync(p);
        } catch {
          /* dangling: points at nothing */
        }
        if (to !== undefined) assert.ok(to === real || to.startsWith(real + sep), `${relative(out, p)} -> ${readlinkSync(p)} resolves to ${to}, outside ${real}`);
      } else if (st.isDirectory()) walk(p);
    }
  };
  walk(out);
}

async function extractTwice(backupDir: string, out: string) {
  const b = await openBackup(backupDir);
  try {
    const first = await extractFiles(b, { out });
    const second = await extractFiles(b, { out }); // a second run must not write through what the first made
    return { first, second };
  } finally {
    await b.close();
  }
}

test('B1: a chain of link records cannot reach above OUT (the ~/.bashrc attack)', async () => {
  const sb = scratchDir();
  mkdirSync(join(sb, 'a/b'), { recursive: true });
  writeFileSync(join(sb, 'a/.bashrc'), 'the user\'s own\n');
  const dir = await backupOf([
    file('payload.sh', 'echo PWNED\n'),
    link('l2', '..'),
    link('l1', 'l2/..'),
    link('l0', 'l1/..'),
    link('l0/.bashrc', 'b/out/HomeDomain/payload.sh'),
    folder('l1/EVIL-DIR'),
  ], sb);
  const out = join(sb, 'a/b/out');
  const before = outsideState(sb, out);
  const { first, second } = await extractTwice(dir, out);
  assert.deepEqual(outsideState(sb, out), before);
  assert.equal(readFileSync(join(sb, 'a/.bashrc'), 'utf8'), 'the user\'s own\n');
  assert.ok(!lstatSync(join(sb, 'a/.bashrc')).isSymbolicLink());
  assert.ok(!existsSync(join(sb, 'a/b/EVIL-DIR')));
  assertLinksStayInside(out);
  // l2 -> .. stays inside (it is OUT itself); l1 -> l2/.. would be OUT's parent: refused and listed
  // l2 -> .. is OUT itself, allowed; l1 is a real folder (the folder record made it), so the link
  // is not made; l0 -> l1/.. is HomeDomain; l0/.bashrc cannot be made under a link
  assert.deepEqual(first.skipped.map((i) => i.relativePath).sort(), ['l0/.bashrc', 'l1'], JSON.stringify(first.skipped));
  assert.equal(readlinkSync(join(out, 'HomeDomain/l0')), 'l1/..');
  for (const s of [first, second]) assert.equal(s.stopped, undefined);
});

test('B1 variant: a link made later cannot turn an earlier one outward', async () => {
  const sb = scratchDir();
  mkdirSync(join(sb, 'a/b'), { recursive: true });
  const dir = await backupOf([
    folder('x'),
    link('first', 'hop/../..'), // refused: climbs out of a folder that does not exist yet
    link('dangling', 'hop/deeper'), // fine: dangling, only ever descends
    link('hop', 'x'),
    link('x/up', '../../..'),
  ], sb);
  const out = join(sb, 'a/b/out');
  const before = outsideState(sb, out);
  const { first } = await extractTwice(dir, out);
  assert.deepEqual(outsideState(sb, out), before);
  assertLinksStayInside(out);
  assert.deepEqual(first.skipped.map((i) => i.relativePath).sort(), ['first', 'x/up']);
  assert.equal(readlinkSync(join(out, 'HomeDomain/hop')), 'x');
});

test('B6: a link already in OUT is never followed out; the overwrite policy', async () => {
  const sb = scratchDir();
  const out = join(sb, 'o');
  mkdirSync(join(sb, 'elsewhere'), { recursive: true });
  mkdirSync(join(out, 'MediaDomain/Library'), { recursive: true });
  symlinkSync(join(sb, 'elsewhere'), join(out, 'HomeDomain')); // a whole domain folder is a link
  symlinkSync('../../../elsewhere', join(out, 'MediaDomain/Library/Sub')); // a folder inside is a link
  symlinkSync('../../../elsewhere/victim.txt', join(out, 'MediaDomain/Library/file-link.txt')); // a file's place holds a link
  writeFileSync(join(sb, 'elsewhere/victim.txt'), 'victim\n');
  writeFileSync(join(out, 'MediaDomain/Library/old.txt'), 'old\n'); // a regular file: replaced
  mkdirSync(join(out, 'MediaDomain/Library/a-folder.txt')); // a folder where a file goes: left alone
  const dir = await backupOf([
    file('Documents/a.txt', 'home'),
    file('Library/Sub/x.txt', 'through a folder link', 'MediaDomain'),
    file('Library/file-link.txt', 'through a file link', 'MediaDomain'),
    file('Library/old.txt', 'new', 'MediaDomain'),
    file('Library/a-folder.txt', 'onto a folder', 'MediaDomain'),
    file('Library/fine.txt', 'fine', 'MediaDomain'),
  ], sb);
  const before = outsideState(sb, out);
  const { first, second } = await extractTwice(dir, out);
  assert.deepEqual(outsideState(sb, out), before);
  assert.deepEqual(readdirSync(join(sb, 'elsewhere')), ['victim.txt']);
  assert.equal(readFileSync(join(sb, 'elsewhere/victim.txt'), 'utf8'), 'victim\n');
  assert.equal(readFileSync(join(out, 'MediaDomain/Library/old.txt'), 'utf8'), 'new');
  assert.equal(readFileSync(join(out, 'MediaDomain/Library/fine.txt'), 'utf8'), 'fine');
  assert.ok(lstatSync(join(out, 'HomeDomain')).isSymbolicLink(), 'the link is left as it was');
  assert.ok(lstatSync(join(out, 'MediaDomain/Library/file-link.txt')).isSymbolicLink());
  assert.ok(lstatSync(join(out, 'MediaDomain/Library/a-folder.txt')).isDirectory());
  assert.deepEqual(first.notWritten.map((i) => i.relativePath).sort(), ['Documents/a.txt', 'Library/Sub/x.txt', 'Library/a-folder.txt', 'Library/file-link.txt']);
  assert.match(first.notWritten.find((i) => i.relativePath === 'Documents/a.txt')!.reason, /HomeDomain in the output folder is a link/);
  assert.equal(first.written, 2);
  assert.equal(first.replaced, 1);
  assert.equal(second.replaced, 2, 'a second run replaces what the first wrote, and says so');
});

/** mulberry32: a small seeded PRNG, so a failing case can be replayed from its number. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['a', 'b', 'l0', 'l1', 'l2', '..', '.', 'c'];
const TARGET_PARTS = ['..', '..', '.', 'a', 'b', 'l0', 'l1', 'l2', 'missing', 'out', 'HomeDomain'];
const FIXED_TARGETS = ['..', '../..', '../../..', '/etc', '/tmp', 'C:/x', '', 'a/../../..', 'l0/..', 'l1/../..', '../out/HomeDomain/a', 'b/out/HomeDomain/a'];

test('property: random file, folder and link records never write outside a sandbox', async () => {
  const CASES = Number(process.env.IRESCUE_ESCAPE_CASES ?? 200);
  const deadline = Date.now() + 150_000;
  let ran = 0;
  for (let c = 0; c < CASES && Date.now() < deadline; c++) {
    const rnd = prng(0x1e5c + c);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const pathOf = (n: number) => Array.from({ length: n }, () => pick(NAMES)).join('/');
    const files: WriterFile[] = [];
    const seen = new Set<string>();
    const count = 3 + Math.floor(rnd() * 10);
    for (let i = 0; i < count; i++) {
      const domain = rnd() < 0.8 ? 'HomeDomain' : 'MediaDomain';
      const p = pathOf(1 + Math.floor(rnd() * 3));
      if (seen.has(`${domain}-${p}`)) continue;
      seen.add(`${domain}-${p}`);
      const k = rnd();
      if (k < 0.35) files.push(file(p, `case ${c} file ${i}`, domain));
      else if (k < 0.5) files.push(folder(p, domain));
      else {
        const target = rnd() < 0.3 ? pick(FIXED_TARGETS) : Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(TARGET_PARTS)).join('/');
        files.push(link(p, target, domain));
      }
    }
    const sb = scratchDir('irescue-prop-');
    const out = join(sb, 'a/b/out');
    mkdirSync(join(sb, 'a/b'), { recursive: true });
    mkdirSync(join(sb, 'elsewhere'));
    writeFileSync(join(sb, 'a/sentinel'), 'keep');
    if (rnd() < 0.3) {
      // something hostile already in OUT
      mkdirSync(out, { recursive: true });
      const where = pick(['HomeDomain', 'MediaDomain']);
      if (rnd() < 0.5) symlinkSync(join(sb, 'elsewhere'), join(out, where));
      else {
        mkdirSync(join(out, where));
        symlinkSync('../../..', join(out, where, pick(['a', 'b', 'l0'])));
      }
    }
    const dir = await backupOf(files, join(sb, 'src'));
    const before = outsideState(sb, out);
    const theirs = new Set(existsSync(out) ? [...outsideState(out, '')].filter(([, v]) => v.startsWith('link')).map(([k]) => join(out, k)) : []);
    const { first, second } = await extractTwice(dir, out);
    const after = outsideState(sb, out);
    assert.deepEqual(after, before, `case ${c}: something outside OUT changed: ${JSON.stringify(files.map((f) => [f.kind ?? 1, f.domain, f.relativePath, f.target]))}`);
    assertLinksStayInside(out, theirs);
    for (const s of [first, second]) assert.equal(s.failed.length, 0, `case ${c}: ${JSON.stringify(s.failed)}`);
    ran++;
  }
  assert.ok(ran >= Math.min(CASES, 40), `only ${ran} cases ran in the time budget`);
});
