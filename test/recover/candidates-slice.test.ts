/**
 * `irescue candidates --keyspace / --skip N --limit M` (the Hashtopolis preprocessor contract):
 * the keyspace is the stream's position count, and slices of it concatenate to the whole stream.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCandidates, type Slice } from '../../src/cli/commands/candidates.js';
import { buildKeyspace, type SearchSpec } from '../../src/recover/sources.js';

const dir = mkdtempSync(join(tmpdir(), 'irescue-slice-'));
const MAIN = join(import.meta.dirname, '../../src/cli/main.ts');

async function collect(spec: SearchSpec, slice?: Slice): Promise<string[]> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeCandidates(spec, out, slice);
  out.end();
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? text.slice(0, -1).split('\n') : [];
}

test('slices of every kind of source concatenate to the whole stream', async () => {
  const wl = join(dir, 'words.txt');
  writeFileSync(wl, 'rex2015\nfluffy\n\nrex2015\n1234\nsummer\n');
  const spec: SearchSpec = { tries: ['Rex2015', '1234'], hints: ['rex', '2015'], common: true, wordlists: [wl], masks: ['?d?d?d'], pins: [4] };
  const whole = await collect(spec);
  const total = (await buildKeyspace(spec)).total;
  assert.ok(whole.length > 10_000 && whole.length <= total, `${whole.length} of ${total}`);
  assert.equal(new Set(whole).size, whole.length, 'no repeats in the stream');
  const sliced = async (s: SearchSpec, n: number, size: number) => {
    const parts: string[] = [];
    for (let skip = 0; skip < n; skip += size) for (const c of await collect(s, { skip, limit: size })) parts.push(c);
    return parts;
  };
  // each slice builds its sources again (the hint list's set-up is the cost), so few, uneven slices;
  // the small stream below checks every boundary position by position
  for (const size of [Math.ceil(total / 3), Math.ceil(total / 2) + 1]) assert.deepEqual(await sliced(spec, total, size), whole, `slices of ${size}`);
  // position by position on a small stream (a repeat's position prints nothing)
  const small: SearchSpec = { tries: ['12', 'fluffy'], wordlists: [wl], masks: ['?d?d'] };
  const smallTotal = (await buildKeyspace(small)).total;
  const smallWhole = await collect(small);
  for (const size of [1, 7]) assert.deepEqual(await sliced(small, smallTotal, size), smallWhole, `small, slices of ${size}`);
  assert.deepEqual(await collect(spec, { skip: total }), [], 'past the end: nothing');
  assert.deepEqual(await collect(spec, { skip: 0, limit: 0 }), []);
});

test('--keyspace prints the count; --skip/--limit print exactly that slice', () => {
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'candidates', ...args], { encoding: 'utf8' });
  const k = run(['--mask', '?d?d?d', '--pins', '4', '--keyspace']);
  assert.equal(k.status, 0, k.stderr);
  assert.equal(k.stdout, '11000\n');
  const s = run(['--mask', '?d?d?d', '--skip', '998', '--limit', '4']);
  assert.equal(s.stdout, '998\n999\n');
  const bad = run(['--mask', '?d', '--skip', '-1']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--skip takes a whole number/);
});
