/**
 * `irescue bench` / `npm run bench`: guesses per second at the real 10,000,000 rounds (plus the
 * 10,000-round SHA-1 step) for node crypto and the native paths, on one core and on all cores,
 * with each figure's ratio to node crypto measured in the same run; hashcat's CPU figures when it
 * is installed. Measures whole batches, so the numbers include padding and thread start-up.
 */
import { execFile } from 'node:child_process';
import { childEnv } from '../child-env.js';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import { throwIfAborted } from '../errors.js';
import type { OnProgress } from '../progress.js';
import { deriveBackupKeys, type BackupKdfParams } from './backup-key.js';
import type { KdfEngine } from './engine.js';
import { detectHashcat, runHashcat } from './hashcat.js';
import { measureAllPaths, type PathRate } from './measure.js';
import { loadNativeAddon } from './native-addon.js';
import { NativeEngine } from './native.js';
import { NodeCryptoEngine } from './node-crypto.js';

export interface KdfBenchOptions {
  /** SHA-256 rounds per guess (default 10,000,000, the real iOS 10.2+ value) */
  rounds?: number;
  /** every native path instead of the best of each family */
  allPaths?: boolean;
  /** skip hashcat even when installed */
  noHashcat?: boolean;
  /** seconds of hashcat attack to sample its speed (default 25) */
  hashcatSeconds?: number;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

export interface KdfBenchRow {
  engine: string;
  description: string;
  lanes: number;
  /** guesses/s on one core (one thread), wall clock; undefined for external tools measured on all cores only */
  oneCore?: number;
  /**
   * guesses per CPU-second of that one-thread run: the per-core speed with the time other
   * processes took from us left out (differs from oneCore on a shared, busy machine)
   */
  oneCoreCpu?: number;
  /** oneCoreCpu / node crypto's oneCoreCpu */
  ratioOneCoreCpu?: number;
  allCores: number;
  /** oneCore / node crypto's oneCore */
  ratioOneCore?: number;
  /** allCores / node crypto's allCores */
  ratioAllCores: number;
  note?: string;
}

export interface KdfBenchResult {
  rounds: number;
  cores: number;
  cpu: ReturnType<NonNullable<ReturnType<typeof loadNativeAddon>['addon']>['cpuFeatures']> | null;
  native: string;
  /** the start-up choice selectEngine() would make, from its short measurement */
  selected?: string;
  rows: KdfBenchRow[];
  /**
   * x86 with SHA extensions: node crypto on one core with OpenSSL told the CPU lacks them
   * (OPENSSL_ia32cap), as it runs on CPUs without them, and the portable C path against that.
   * The portable path is plain C and cannot use SHA instructions, so this is the fair pairing for
   * its "1.5 x node crypto" goal (issue #5); against OpenSSL's SHA-NI code it is slower.
   */
  nodeWithoutSha?: { oneCore: number; portablePath?: string; portableRatio?: number };
}

const execFileP = promisify(execFile);

const FAMILY = (path: string) => path.replace(/-x\d+$/, '');

/** The paths worth a full-length run: node crypto plus each family's best by the quick measurement. */
function pickPaths(rates: PathRate[], all: boolean): PathRate[] {
  if (all) return rates;
  const seen = new Set<string>();
  return rates.filter((r) => {
    const f = FAMILY(r.path);
    if (seen.has(f)) return false;
    seen.add(f);
    return true;
  });
}

async function timeGuesses(engine: KdfEngine, count: number, params: BackupKdfParams, signal?: AbortSignal): Promise<{ wall: number; cpu: number }> {
  const passwords = Array.from({ length: count }, (_, i) => Buffer.from(`bench-${i}`));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await deriveBackupKeys(engine, passwords, params, signal);
  const c = process.cpuUsage(c0);
  return { wall: count / ((performance.now() - t0) / 1000), cpu: count / ((c.user + c.system) / 1e6) };
}

export async function runKdfBench(opts: KdfBenchOptions = {}): Promise<KdfBenchResult> {
  const rounds = opts.rounds ?? 10_000_000;
  const cores = availableParallelism();
  const params: BackupKdfParams = { salt: randomBytes(20), iterations: 10_000, dpsl: randomBytes(20), dpic: rounds };
  const load = loadNativeAddon();
  const rates = await measureAllPaths();
  const chosen = pickPaths(rates, opts.allPaths ?? false);
  const rows: KdfBenchRow[] = [];
  const total = chosen.length * 2;
  let done = 0;
  for (const r of chosen) {
    throwIfAborted(opts.signal);
    const detail = `${r.path}`;
    opts.onProgress?.({ phase: 'bench', done, total, unit: 'steps', detail: `${detail}, one core` });
    const one = r.path === 'node-crypto' ? new NodeCryptoEngine() : new NativeEngine({ path: r.path, threads: 1 });
    if (r.path === 'node-crypto') await one.pbkdf2([Buffer.from('warm-up')], { hash: 'sha256', salt: params.salt, iterations: 1, keyLength: 32 });
    const single = await timeGuesses(one, r.lanes, params, opts.signal);
    done++;
    opts.onProgress?.({ phase: 'bench', done, total, unit: 'steps', detail: `${detail}, ${cores} cores` });
    const all = r.path === 'node-crypto' ? new NodeCryptoEngine() : new NativeEngine({ path: r.path, threads: cores });
    const allCores = (await timeGuesses(all, r.lanes * cores, params, opts.signal)).wall;
    done++;
    rows.push({ engine: r.path, description: r.description, lanes: r.lanes, oneCore: single.wall, oneCoreCpu: single.cpu, allCores, ratioAllCores: 0 });
  }
  opts.onProgress?.({ phase: 'bench', done, total, unit: 'steps' });
  const node = rows.find((r) => r.engine === 'node-crypto');
  if (!opts.noHashcat) {
    const hc = await measureHashcat(rounds, opts.hashcatSeconds ?? 25, opts.signal).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
    if (hc && 'error' in hc) rows.push({ engine: 'hashcat', description: 'hashcat', lanes: 0, allCores: 0, ratioAllCores: 0, note: `hashcat failed: ${hc.error}` });
    else if (hc) rows.push(hc);
  }
  for (const row of rows) {
    if (node?.oneCore && row.oneCore !== undefined) row.ratioOneCore = row.oneCore / node.oneCore;
    if (node?.oneCoreCpu && row.oneCoreCpu !== undefined) row.ratioOneCoreCpu = row.oneCoreCpu / node.oneCoreCpu;
    row.ratioAllCores = node ? row.allCores / node.allCores : 0;
  }
  rows.sort((a, b) => b.allCores - a.allCores);
  const cpu = load.addon ? load.addon.cpuFeatures() : null;
  let nodeWithoutSha: KdfBenchResult['nodeWithoutSha'];
  if (cpu?.shaNi && !opts.signal?.aborted) {
    const oneCore = await nodeCryptoWithoutSha(rounds);
    const portable = rows.filter((r) => r.engine.startsWith('portable') && r.oneCore).sort((a, b) => b.oneCore! - a.oneCore!)[0];
    if (oneCore) nodeWithoutSha = { oneCore, portablePath: portable?.engine, portableRatio: portable ? portable.oneCore! / oneCore : undefined };
  }
  return {
    rounds,
    cores,
    cpu,
    native: load.addon ? `loaded from ${load.from}` : load.reason,
    selected: rates[0]?.path,
    rows,
    nodeWithoutSha,
  };
}

/**
 * One backup guess with node crypto in a child Node whose OpenSSL is told the CPU has no SHA
 * extensions (CPUID leaf 7 EBX bit 29 cleared through OPENSSL_ia32cap); guesses/s, or undefined.
 */
async function nodeCryptoWithoutSha(rounds: number): Promise<number | undefined> {
  const script = `const c=require('node:crypto');c.pbkdf2Sync('warm','up',1000,32,'sha256');const t=performance.now();const k=c.pbkdf2Sync('bench','salt-of-twenty-bytes',${rounds},32,'sha256');c.pbkdf2Sync(k,'salt-of-twenty-bytes',10000,32,'sha1');process.stdout.write(String(1000/(performance.now()-t)))`;
  try {
    const { stdout } = await execFileP(process.execPath, ['-e', script], { env: childEnv({ ...process.env, OPENSSL_ia32cap: '~0x0:~0x20000000' }), timeout: 600_000 });
    const v = Number(stdout);
    return Number.isFinite(v) && v > 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * hashcat's speed on this machine for mode 14800, from its own status lines during a real stdin
 * attack on a line with a tenth of the rounds (its integer H/s would be too coarse at 10M),
 * scaled to `rounds`. Uses every device hashcat picks (the CPU through pocl here).
 */
async function measureHashcat(rounds: number, seconds: number, signal?: AbortSignal): Promise<KdfBenchRow | undefined> {
  const hc = await detectHashcat();
  if (!hc) return undefined;
  const sampleRounds = Math.max(10_000, Math.round(rounds / 10));
  const line = `$itunes_backup$*10*${randomBytes(40).toString('hex')}*10000*${randomBytes(20).toString('hex')}*${sampleRounds}*${randomBytes(20).toString('hex')}`;
  const ac = new AbortController();
  const stop = () => ac.abort();
  signal?.addEventListener('abort', stop, { once: true });
  const speeds: number[] = [];
  let pid: number | undefined;
  let cpuAtStart: number | undefined;
  let cpuAtEnd: number | undefined;
  let started = 0;
  let ended = 0;
  let devices = '';
  const timer = setInterval(() => {
    if (started && performance.now() - started > seconds * 1000) ac.abort();
  }, 250);
  async function* endless(): AsyncIterable<string> {
    for (let i = 0; !ac.signal.aborted; i++) yield `bench-${i}`;
  }
  try {
    await runHashcat({
      hashLine: line,
      mode: 14800,
      candidates: endless(),
      signal: ac.signal,
      onSpawn: (p) => {
        pid = p;
      },
      onStatus: (st) => {
        if (!(st.speed > 0)) return;
        if (!started) {
          started = performance.now();
          cpuAtStart = processCpuSeconds(pid);
        }
        ended = performance.now();
        cpuAtEnd = processCpuSeconds(pid);
        speeds.push(st.speed);
        devices = st.devices.join(', ');
      },
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    if ((e as { code?: string }).code !== 'CANCELLED') throw e;
  } finally {
    clearInterval(timer);
    signal?.removeEventListener('abort', stop);
  }
  if (!speeds.length) return { engine: 'hashcat', description: `hashcat ${hc.version}`, lanes: 0, allCores: 0, ratioAllCores: 0, note: 'no speed reported in time' };
  // the steady state: the best of the later samples (the first ones include warm-up)
  const later = speeds.slice(Math.floor(speeds.length / 2));
  const best = Math.max(...later);
  const scale = (sampleRounds + 10_000) / (rounds + 10_000);
  // hashcat's speed is per wall-clock second over all its threads; per CPU-second, like our column
  const cpu = cpuAtStart !== undefined && cpuAtEnd !== undefined ? cpuAtEnd - cpuAtStart : 0;
  const wall = (ended - started) / 1000;
  const avg = speeds.reduce((a, b) => a + b, 0) / speeds.length;
  return {
    oneCoreCpu: cpu > 1 && wall > 1 ? (avg * scale * wall) / cpu : undefined,
    engine: 'hashcat',
    description: `hashcat ${hc.version} -m 14800 on ${devices}`,
    lanes: 0,
    allCores: best * scale,
    ratioAllCores: 0,
    note: `measured at ${sampleRounds.toLocaleString('en-US')} rounds and scaled; per CPU-s from its process CPU time`,
  };
}

/** user + system CPU seconds of a process so far (Linux /proc); undefined elsewhere. */
function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return undefined;
  }
}

/** A plain-text table for humans. */
export function formatKdfBench(r: KdfBenchResult): string {
  const lines = [
    `PBKDF2 for one iTunes backup guess: ${r.rounds.toLocaleString('en-US')} SHA-256 rounds + 10,000 SHA-1 rounds; ${r.cores} cores`,
    `native addon: ${r.native}${r.selected ? `; start-up choice: ${r.selected}` : ''}`,
    '',
    '1 core/s: guesses per second on one thread (wall clock); per CPU-s: the same per second of CPU time',
    '(they differ when other processes share the cores); all cores/s: every core, wall clock.',
    '',
    `${'engine'.padEnd(18)} ${'lanes'.padStart(5)} ${'1 core/s'.padStart(9)} ${'x node'.padStart(7)} ${'per CPU-s'.padStart(9)} ${'x node'.padStart(7)} ${'all cores/s'.padStart(11)} ${'x node'.padStart(7)}  about`,
  ];
  const f = (n: number | undefined, d = 2) => (n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(d));
  for (const row of r.rows) {
    lines.push(
      `${row.engine.padEnd(18)} ${String(row.lanes || '-').padStart(5)} ${f(row.oneCore).padStart(9)} ${f(row.ratioOneCore, 1).padStart(7)} ${f(row.oneCoreCpu).padStart(9)} ${f(row.ratioOneCoreCpu, 1).padStart(7)} ${f(row.allCores).padStart(11)} ${f(row.ratioAllCores, 1).padStart(7)}  ${row.description}${row.note ? ` (${row.note})` : ''}`,
    );
  }
  const ns = r.nodeWithoutSha;
  if (ns) {
    lines.push(
      '',
      `node crypto with OpenSSL's SHA extensions masked (as on CPUs without them): ${f(ns.oneCore)} guesses/s on one core` +
        (ns.portablePath && ns.portableRatio ? `; ${ns.portablePath} is ${f(ns.portableRatio, 1)} x that` : ''),
    );
  }
  return lines.join('\n');
}
