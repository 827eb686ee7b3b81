/**
 * The rate `recover` shows at start-up comes from the measurement `irescue bench` printed and
 * kept (the selection cache), not from a second, shorter one: per core as bench's one-core
 * column, in total as its all-cores column, scaled to the target's rounds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { KdfBenchResult } from '../../src/kdf/bench.js';
import { keepBenchSelection, selectEngine } from '../../src/kdf/select.js';
import { SELECTION_CACHE_FILE } from '../../src/kdf/selection-cache.js';
import { loadNativeAddon } from '../../src/kdf/native-addon.js';
import { planSearch } from '../../src/recover/plan.js';
import { describePlan } from '../../src/cli/commands/recover.js';
import type { PasswordTarget } from '../../src/backup/password-target.js';

const skip = loadNativeAddon().addon ? false : 'native addon not built (without it nothing is cached)';
const cache = mkdtempSync(join(tmpdir(), 'irescue-benchsel-'));
process.env.XDG_CACHE_HOME = cache;
delete process.env.IRESCUE_KDF_PATH;
const cores = availableParallelism();

/** what runKdfBench returns, with figures no machine measures by chance */
function benchResult(rounds = 10_000_000): KdfBenchResult {
  const row = (engine: string, lanes: number, oneCore: number, allCores: number) => ({ engine, description: `${engine} path`, lanes, oneCore, oneCoreCpu: oneCore * 1.1, allCores, ratioAllCores: 0 });
  return {
    rounds,
    cores,
    cpu: null,
    native: 'loaded',
    selected: 'portable',
    rows: [row('portable', 1, 0.731, 0.731 * cores * 0.9), row('node-crypto', 1, 0.561, 0.561 * cores * 0.95), { engine: 'hashcat', description: 'hashcat', lanes: 0, allCores: 99, ratioAllCores: 0 }],
  };
}

/** a 10,000,000-round target no search will ever run against */
const target: PasswordTarget = { id: 'bench-selection-test', kdf: { salt: randomBytes(20), iterations: 10_000, dpsl: randomBytes(20), dpic: 10_000_000 }, hashLine: '', check: () => false };

test("irescue bench's figures become the start-up choice, and the plan's rate is bench's all-cores figure", { skip }, async () => {
  const bench = benchResult();
  await keepBenchSelection(bench);
  const kept = JSON.parse(readFileSync(join(cache, 'irescue', SELECTION_CACHE_FILE), 'utf8'));
  assert.equal(kept.choice.path, 'portable', 'the fastest per core in bench is the choice');
  assert.equal(kept.choice.by, 'irescue bench');

  const engine = await selectEngine();
  assert.equal(engine.name, 'native-portable');
  assert.equal(engine.measured?.perCore, 0.731);
  assert.equal(engine.measured?.allCores, bench.rows[0].allCores);
  assert.match(engine.detail, /0\.73 guesses\/s per core, .* on all \d+ cores/);
  assert.match(engine.detail, /node crypto's 0\.56 per core/, "node crypto's figure is bench's one-core one");

  const plan = await planSearch({ target: { target, name: 'test' }, spec: { masks: ['?d?d?d?d'] }, session: false });
  assert.ok(Math.abs(plan.rate! - bench.rows[0].allCores) < 1e-9, `plan rate ${plan.rate} = bench's all cores ${bench.rows[0].allCores}`);
  assert.ok(Math.abs(plan.rateBasis!.perCore - 0.731) < 1e-9);
  assert.equal(plan.rateBasis!.cores, cores);
  assert.equal(plan.rateBasis!.by, 'irescue bench');
  assert.ok(Math.abs(plan.etaSeconds! - 10_000 / plan.rate!) < 1e-6);
  assert.match(describePlan(plan), new RegExp(`about ${plan.rate! < 10 ? plan.rate!.toFixed(2) : Math.round(plan.rate!)} passwords a second here \\(${cores} cores?, 0\\.73 a core; irescue bench\\)`));

  // one worker still splits its batches over every core; a target of a tenth of the rounds goes ten times as fast
  const one = await planSearch({ target: { target: { ...target, kdf: { ...target.kdf, dpic: 1_000_000 } }, name: 'test' }, spec: { masks: ['?d?d?d?d'] }, session: false, workers: 1 });
  const expected = bench.rows[0].allCores * (10_010_000 / 1_010_000);
  assert.ok(Math.abs(one.rate! - expected) < 1e-9, `${one.rate} vs ${expected}`);
});
