/**
 * `recover --engine hashcat` and the backup's tested record: what hashcat confirms tested is
 * recorded (fingerprints), so a later search on our own engine skips it and says so; an
 * interrupted hashcat run keeps what hashcat had confirmed; a found password closes the search.
 * With test/fakes/hashcat.mjs (hashcat's stdin and --status-json behaviour), then with Debian's
 * hashcat when it is installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { targetFromKeybag } from '../../src/backup/password-target.js';
import { NodeCryptoEngine } from '../../src/kdf/node-crypto.js';
import type { KdfEngine, Pbkdf2Params } from '../../src/kdf/engine.js';
import { planSearch, runSearch } from '../../src/recover/plan.js';
import { buildSources, type SearchSpec } from '../../src/recover/sources.js';
import { TESTED_FILE, TestedRecord } from '../../src/recover/tested-record.js';
import type { ProgressEvent } from '../../src/progress.js';
import { makeTarget } from './make-target.js';

const FAKE = fileURLToPath(new URL('../fakes/hashcat.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'irescue-hcrec-'));
let n = 0;
const fresh = () => join(root, `s${n++}`);
const realHashcat = spawnSync('hashcat', ['--version']).status === 0;

/** node crypto, keeping every password our own engine derives */
class SpyEngine implements KdfEngine {
  readonly name = 'spy';
  readonly detail = 'test spy';
  readonly batchSize = 1;
  readonly seen: string[] = [];
  private readonly inner = new NodeCryptoEngine();
  async pbkdf2(passwords: readonly Uint8Array[], params: Pbkdf2Params, signal?: AbortSignal): Promise<Buffer[]> {
    if (params.hash === 'sha256') for (const p of passwords) this.seen.push(Buffer.from(p).toString('utf8'));
    return this.inner.pbkdf2(passwords, params, signal);
  }
}

function withFake(env: Record<string, string | undefined>): void {
  process.env.IRESCUE_HASHCAT = FAKE;
  for (const k of ['FAKE_HASHCAT_CRACK', 'FAKE_HASHCAT_STOP_AFTER', 'FAKE_HASHCAT_SPEED']) delete process.env[k];
  Object.assign(process.env, env);
}

async function search(password: string, spec: SearchSpec, session: string, engine: 'hashcat' | 'auto', o: { kdf?: KdfEngine; onProgress?: (e: ProgressEvent) => void; signal?: AbortSignal } = {}) {
  const t = makeTarget(password, { dpic: 50, seed: 'hashcat-record' });
  const plan = await planSearch({ target: { target: targetFromKeybag(t.keybag), name: 'test' }, spec, engine, kdf: o.kdf ?? new NodeCryptoEngine(), workers: 1, session, measure: false, checkpointMs: 0 });
  return runSearch(plan, { onProgress: o.onProgress, signal: o.signal });
}

test('an exhausted hashcat run is recorded; a later search on our engine skips it and says how many', async () => {
  withFake({ FAKE_HASHCAT_SPEED: '321' });
  const dir = fresh();
  const events: ProgressEvent[] = [];
  const first = await search('not-a-pin', { masks: ['?d?d'] }, dir, 'hashcat', { onProgress: (e) => events.push(e) });
  assert.equal(first.found, false);
  assert.equal(first.tried, 100);
  assert.equal(TestedRecord.count(dir), 100, 'every candidate hashcat exhausted is recorded');
  assert.ok(events.some((e) => e.rate === 321), "hashcat's own speed reaches our progress");
  assert.equal(events.at(-1)?.done, 100);

  const spy = new SpyEngine();
  const second = await search('not-a-pin', { tries: ['other'], masks: ['?d?d'] }, dir, 'auto', { kdf: spy });
  assert.equal(second.found, false);
  assert.deepEqual(spy.seen, ['other'], 'nothing hashcat tested is derived again');
  assert.equal(second.skipped, 100);
  assert.ok(second.notes.some((x) => /100 candidates were skipped/.test(x)), second.notes.join('\n'));
});

test('an interrupted hashcat run keeps what hashcat confirmed, and no more', async () => {
  withFake({ FAKE_HASHCAT_STOP_AFTER: '7' }); // it reads all 100 written, reports 7 processed, then stalls
  const dir = fresh();
  const ac = new AbortController();
  const run = search('not-a-pin', { masks: ['?d?d'] }, dir, 'hashcat', { signal: ac.signal, onProgress: (e) => e.done >= 7 && setTimeout(() => ac.abort(), 200) });
  await assert.rejects(run, { code: 'CANCELLED' });
  assert.equal(TestedRecord.count(dir), 7, 'what hashcat read but did not report processed is not recorded');

  const spy = new SpyEngine();
  const again = await search('not-a-pin', { masks: ['?d?d'] }, dir, 'auto', { kdf: spy });
  assert.equal(again.skipped, 7);
  assert.equal(spy.seen.length, 93);
  const notAgain = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).filter((c) => !spy.seen.includes(c));
  assert.deepEqual(notAgain, ['00', '01', '02', '03', '04', '05', '06'], 'the first seven streamed are the ones skipped');
});

test('hashcat finding the password closes the search: verified, record gone; repeats are not sent', async () => {
  withFake({ FAKE_HASHCAT_CRACK: '42' });
  const dir = fresh();
  // a first search on our engine tests 00-09; hashcat is not sent them again
  const spy = new SpyEngine();
  await search('42', { masks: ['?d'] }, dir, 'auto', { kdf: spy });
  assert.equal(TestedRecord.count(dir), 10);
  const r = await search('42', { masks: ['0?d', '?d?d'] }, dir, 'hashcat');
  assert.equal(r.found, true);
  assert.equal(r.password, '42');
  assert.equal(r.verified, true);
  assert.equal(r.skipped, 0, "'0?d' gives 00-09, not the ?d candidates 0-9: nothing to skip");
  assert.equal(existsSync(join(dir, TESTED_FILE)), false, 'a found password deletes the record');
});

test('Debian hashcat: its exhausted run is recorded and skipped by our engine', { skip: !realHashcat && 'hashcat is not installed', timeout: 300_000 }, async () => {
  delete process.env.IRESCUE_HASHCAT;
  const dir = fresh();
  const first = await search('not-a-pin', { masks: ['?d?d'] }, dir, 'hashcat');
  assert.equal(first.found, false);
  assert.equal(TestedRecord.count(dir), 100);
  const spy = new SpyEngine();
  const second = await search('not-a-pin', { tries: ['other'], masks: ['?d?d'] }, dir, 'auto', { kdf: spy });
  assert.deepEqual(spy.seen, ['other']);
  assert.equal(second.skipped, 100);
});
