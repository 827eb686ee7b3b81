import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeCryptoEngine } from '../../src/kdf/node-crypto.js';
import type { KdfEngine, Pbkdf2Params } from '../../src/kdf/engine.js';
import { parseHashLine } from '../../src/backup/hash-line.js';
import { targetFromHashLine, targetFromKeybag } from '../../src/backup/password-target.js';
import { planSearch, runSearch, type PlanOptions, type SearchPlan } from '../../src/recover/plan.js';
import type { PasswordTarget } from '../../src/backup/password-target.js';
import type { CandidateSource } from '../../src/recover/candidates/source.js';
import type { CommitInfo } from '../../src/recover/pool.js';
import { threadsPerWorker } from '../../src/recover/pool.js';
import { buildSources, type SearchSpec } from '../../src/recover/sources.js';
import { hintCandidates } from '../../src/recover/candidates/hints.js';
import { loadCommonPasswords } from '../../src/recover/candidates/common.js';
import { CancelledError } from '../../src/errors.js';
import { makeTarget } from './make-target.js';

const dir = mkdtempSync(join(tmpdir(), 'irescue-rec-'));

/** node crypto, recording every password the pool asks for (first KDF step only). */
class SpyEngine implements KdfEngine {
  readonly name = 'spy';
  readonly detail = 'test spy over node crypto';
  readonly seen: string[] = [];
  constructor(readonly batchSize = 1, private readonly inner = new NodeCryptoEngine(), private readonly onCall?: () => void) {}
  async pbkdf2(passwords: readonly Uint8Array[], params: Pbkdf2Params, signal?: AbortSignal): Promise<Buffer[]> {
    if (params.hash === 'sha256') {
      for (const p of passwords) this.seen.push(Buffer.from(p).toString('utf8'));
      this.onCall?.();
    }
    return this.inner.pbkdf2(passwords, params, signal);
  }
}

/** plan, then run: what the CLI and the wizard do */
async function recover(o: { target: PasswordTarget; sources: CandidateSource[]; engine: KdfEngine; workers: number; sessionDir?: string; measure?: boolean; signal?: AbortSignal; checkpointMs?: number; onPlan?: (p: SearchPlan) => void; onCommit?: (c: CommitInfo) => void }) {
  const opts: PlanOptions = { target: { target: o.target, name: 'test' }, sources: o.sources, kdf: o.engine, workers: o.workers, session: o.sessionDir ?? false, measure: o.measure, checkpointMs: o.checkpointMs, signal: o.signal };
  const plan = await planSearch(opts);
  o.onPlan?.(plan);
  return runSearch(plan, { signal: o.signal, onCommit: o.onCommit });
}

async function find(password: string, spec: SearchSpec, workers = 2, engine: KdfEngine = new NodeCryptoEngine()) {
  const t = makeTarget(password, { dpic: 50 });
  return recover({ target: targetFromKeybag(t.keybag), sources: await buildSources(spec), engine, workers, measure: false });
}

test('known answers through hash lines: the DESIGN.md vectors give up "hashcat"', async () => {
  const v9 = '$itunes_backup$*9*ebd7f9b33293b2511f0a4139d5b213feff51476968863cef60ec38d720497b6ff39a0bb63fa9f84e*10000*2202015774208421818002001652122401871832**';
  const v10 = '$itunes_backup$*10*17a3b858e79bc273be43a9f113b71efe7ec8e7e401396b350180b4592ef45db67ffef7b2d64329a5*10000*2721336781705041205314422175267631184867*1000*99fafc983e732998adb9fadc162a2e382143f115';
  for (const line of [v9, v10]) {
    const r = await recover({
      target: targetFromHashLine(parseHashLine(line)),
      sources: await buildSources({ tries: ['password', 'letmein'], hints: ['Hashcat'] }),
      engine: new NodeCryptoEngine(),
      workers: 2,
      measure: false,
    });
    assert.equal(r.found, true);
    assert.equal(r.password, 'hashcat');
    assert.equal(r.position, 3); // 2 guesses, then "Hashcat" as typed, then its lower case
  }
});

test('passwords from each source are found at their place in the order', async (t) => {
  await t.test('--try', async () => {
    const r = await find('Fluffy!2', { tries: ['a', 'b', 'Fluffy!2'] });
    assert.equal(r.position, 2);
  });
  await t.test('a hint mutation (capitalised pair + year)', async () => {
    const expected = hintCandidates(['rex', 'fluffy', '2015']).indexOf('RexFluffy2015');
    assert.ok(expected > 0 && expected < 5000, `likely mutations come early (${expected})`);
    const r = await find('RexFluffy2015', { hints: ['rex', 'fluffy', '2015'] }, 2, new SpyEngine(4));
    assert.equal(r.position, expected);
  });
  await t.test('a typo of a guess', async () => {
    const r = await find('Wintr2019', { tries: ['Winter2019'], hints: ['snow'] });
    assert.equal(r.password, 'Wintr2019');
    assert.equal(r.position, 1 + hintCandidates(['snow'], ['Winter2019']).filter((c) => c !== 'Winter2019').indexOf('Wintr2019'));
  });
  await t.test('--common', async () => {
    const r = await find('dragon', { common: true });
    assert.equal(r.position, loadCommonPasswords().indexOf('dragon'));
    assert.equal(r.position, 9);
  });
  await t.test('a wordlist word (duplicates skipped, positions are lines)', async () => {
    const wl = join(dir, 'words.txt');
    writeFileSync(wl, 'one\ntwo\n\none\nhorse-battery\n');
    const r = await find('horse-battery', { wordlists: [wl] });
    assert.equal(r.position, 4);
    assert.equal(r.tried, 3); // "one", "two", the answer: the blank line and the repeat cost nothing
  });
  await t.test('a mask', async () => {
    const r = await find('ab042', { masks: ['ab?d?d?d'] });
    assert.equal(r.position, 42);
  });
  await t.test('a PIN, after the mask that already covered part of it', async () => {
    const r = await find('1212', { masks: ['?d?d'], pins: [4] });
    assert.equal(r.position, 100 + 3); // 100 mask positions, then 1234, 1111, 0000, 1212
  });
});

test('pool: every candidate tested once when absent; the search stops early when found', async () => {
  const spy = new SpyEngine(3);
  const absent = await find('not-there', { masks: ['?d?d?d'] }, 3, spy);
  assert.equal(absent.found, false);
  assert.equal(spy.seen.length, 1000);
  assert.equal(new Set(spy.seen).size, 1000);
  assert.equal(absent.tried, 1000);
  const spy2 = new SpyEngine(2);
  const found = await find('010', { masks: ['?d?d?d'] }, 3, spy2);
  assert.equal(found.found, true);
  assert.ok(spy2.seen.length <= 10 + 3 * 2 * 2, `stopped soon after (${spy2.seen.length} tested)`);
});

test('interrupt, then resume: the two runs together test the whole space once', async () => {
  const t = makeTarget('absent', { dpic: 200 });
  const target = targetFromKeybag(t.keybag);
  const session = join(dir, 'session');
  const ac = new AbortController();
  let calls = 0;
  const first = new SpyEngine(1, new NodeCryptoEngine(), () => { if (++calls === 150) ac.abort(); });
  const sources = await buildSources({ masks: ['?d?d?d'] });
  // tests trace by wrapping onCommit: the settled ranges, never candidates
  const settled: number[] = [];
  let at = 0;
  const onCommit = (c: CommitInfo) => {
    for (let p = at; p < c.position; p++) settled.push(p);
    at = c.position;
  };
  await assert.rejects(recover({ target, sources, engine: first, workers: 2, sessionDir: session, signal: ac.signal, measure: false, checkpointMs: 0, onCommit }), CancelledError);
  const saved = JSON.parse(readFileSync(join(session, 'session.json'), 'utf8')).searches[0];
  assert.ok(saved.position > 100 && saved.position < 1000, `checkpoint at ${saved.position}`);
  assert.ok(!readFileSync(join(session, 'session.json'), 'utf8').includes('"absent"'));
  const second = new SpyEngine(1);
  at = saved.position;
  const r = await recover({ target, sources, engine: second, workers: 2, sessionDir: session, measure: false, onCommit });
  assert.equal(r.found, false);
  assert.equal(r.tried, 1000);
  assert.equal(settled.length, 1000);
  assert.equal(new Set(settled).size, 1000);
  // the second run started where the checkpoint said and skipped what the first run tested beyond
  // it, so together they derived every candidate once (but the few the abort cut off mid-batch)
  const both = new Set([...first.seen, ...second.seen]);
  assert.equal(both.size, 1000);
  assert.ok(first.seen.length + second.seen.length <= 1000 + 2, `${first.seen.length} + ${second.seen.length}`);
  assert.equal(second.seen.length + r.skipped, 1000 - saved.position);
  assert.ok(existsSync(join(session, 'session.json')));
});

test('the plan: counts per source, a measured rate and ETA, and "hopeless" for a search of years', async () => {
  const t = makeTarget('x', { dpic: 50 });
  const ac = new AbortController();
  let plan: SearchPlan | undefined;
  await assert.rejects(
    recover({
      target: targetFromKeybag(t.keybag),
      sources: await buildSources({ tries: ['a', 'b'], masks: ['?a?a?a?a?a?a?a?a'] }),
      engine: new NodeCryptoEngine(),
      workers: 2,
      signal: ac.signal,
      onPlan: (p) => {
        plan = p;
        ac.abort();
      },
    }),
    CancelledError,
  );
  assert.ok(plan);
  assert.deepEqual(plan.sources.map((s) => s.size), [2, 95 ** 8]);
  assert.equal(plan.total, 2 + 95 ** 8);
  assert.ok(plan.rate! > 0 && plan.etaSeconds! > 365 * 86400);
  assert.equal(plan.hopeless, true);
});

test('engine threads per worker keep workers x threads at the core count', () => {
  assert.equal(threadsPerWorker(2, 2), 1);
  assert.equal(threadsPerWorker(1, 4), 4);
  assert.equal(threadsPerWorker(2, 8), 4);
  assert.equal(threadsPerWorker(3, 8), 2);
  assert.equal(threadsPerWorker(16, 2), 1);
  assert.equal(threadsPerWorker(0, 2), 2);
});
