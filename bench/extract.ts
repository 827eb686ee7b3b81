/**
 * Extraction bench (issue 15 items 6-8), side by side in one run:
 * - whole-backup `extract` and `decrypt` of a generated encrypted backup (500 small files and one
 *   200 MiB file) against iphone_backup_decrypt extracting the same files (target: 2x faster);
 * - the 200 MiB file alone against `openssl enc -d -aes-256-cbc` on the same bytes to the same disk
 *   (target: at least 90% of openssl's speed);
 * - peak memory (maxRSS of the irescue child process) under 64 MB for both; `--huge` makes the big
 *   file 4 GiB to show that memory stays flat.
 * iphone_backup_decrypt is not ours and is not in the repository: point IRESCUE_BENCH_IBD at a
 * checkout's `src` folder (the one holding `iphone_backup_decrypt/`); it needs pycryptodome
 * (Debian: python3-pycryptodome; IRESCUE_BENCH_PYTHON picks the interpreter). Without it that
 * comparison is skipped with the reason.
 * Sizes: IRESCUE_BENCH_EXTRACT_MB (big file, MiB), IRESCUE_BENCH_SMALL (small files), rounds:
 * IRESCUE_BENCH_ROUNDS (best of; default 3). Every figure is wall clock; CPU seconds are printed
 * beside them because a shared machine makes wall time noisy.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBackup, type WriterFile } from '../src/backup/writer.js';
import { openBackup } from '../src/backup/open.js';
import { NodeCryptoEngine } from '../src/kdf/node-crypto.js';
import { FileKind } from '../src/backup/types.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const PASSWORD = 'bench';
const TARGETS = { vsPython: 2, vsOpenssl: 0.9, peakRssMiB: 64 };

interface Timed {
  /** open + extract inside the process (interpreter start-up excluded, on both sides) */
  seconds: number;
  cpuSeconds: number;
  /** the whole process, start-up included */
  processSeconds?: number;
}
interface ChildRun extends Timed {
  openSeconds: number;
  writeSeconds: number;
  maxRssMiB: number;
  /** peak RSS when the backup was open, before writing */
  rssAfterOpenMiB: number;
  files: number;
}

export interface ExtractBenchResult {
  smallFiles: number;
  bigFileMiB: number;
  python?: Timed;
  pythonSkipped?: string;
  extract: ChildRun;
  decrypt: ChildRun;
  openssl?: Timed;
  single: ChildRun;
  ratios: { extractVsPython?: number; decryptVsPython?: number; extractVsPythonProcess?: number; decryptVsPythonProcess?: number; singleVsOpenssl?: number };
  targets: typeof TARGETS;
  pass: boolean;
}

/** Python driver: calls the library's public API, times open + extract itself (no interpreter start-up). */
const PY_DRIVER = `
import sys, time
try:
    import Crypto.Cipher.AES
except ImportError:
    # Debian's python3-pycryptodome installs the same library as "Cryptodome"
    import importlib, pkgutil, Cryptodome
    for m in ['Cryptodome', 'Cryptodome.Cipher', 'Cryptodome.Cipher.AES', 'Cryptodome.Hash', 'Cryptodome.Hash.SHA1', 'Cryptodome.Hash.SHA256', 'Cryptodome.Protocol', 'Cryptodome.Protocol.KDF']:
        sys.modules['Crypto' + m[len('Cryptodome'):]] = importlib.import_module(m)
sys.path.insert(0, sys.argv[1])
from iphone_backup_decrypt import EncryptedBackup
if sys.argv[2] == '--check':
    sys.exit(0)
password = sys.stdin.readline().strip()
t, c = time.perf_counter(), time.process_time()
b = EncryptedBackup(backup_directory=sys.argv[2], passphrase=password)
n = b.extract_files(relative_paths_like='%', domain_like='%', output_folder=sys.argv[3], preserve_folders=True, domain_subfolders=True)
print(n, time.perf_counter() - t, time.process_time() - c)
`;

async function bundleChild(): Promise<string> {
  // esbuild comes with tsx (a dev dependency); a bundle runs under plain node, so the child's
  // memory is irescue's, not the TypeScript loader's.
  const esbuild = await import('esbuild');
  const outfile = join(REPO, 'node_modules/.cache/irescue-bench/extract-child.mjs');
  mkdirSync(join(outfile, '..'), { recursive: true });
  await esbuild.build({ entryPoints: [join(REPO, 'bench/extract-child.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, packages: 'external', logLevel: 'error' });
  return outfile;
}

function runChild(child: string, args: string[]): ChildRun {
  const t = performance.now();
  const r = spawnSync(process.execPath, [child, ...args], { input: PASSWORD + '\n', encoding: 'utf8', maxBuffer: 1 << 20 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`irescue ${args[0]} failed: ${r.stderr}`);
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
  return { ...j, seconds: j.openSeconds + j.writeSeconds, processSeconds: seconds };
}

function fmt(n: number | undefined, d = 2): string {
  return n === undefined || Number.isNaN(n) ? '-' : n.toFixed(d);
}

export async function benchExtract(args: string[] = [], log: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<ExtractBenchResult | undefined> {
  const huge = args.includes('--huge');
  const bigMiB = huge ? 4096 : Number(process.env.IRESCUE_BENCH_EXTRACT_MB ?? 200);
  const smallFiles = Number(process.env.IRESCUE_BENCH_SMALL ?? 500);
  const rounds = Math.max(1, Number(process.env.IRESCUE_BENCH_ROUNDS ?? 3));
  const root = mkdtempSync(join(tmpdir(), 'irescue-bench-'));
  try {
    const child = await bundleChild();
    const files: WriterFile[] = [];
    for (let i = 0; i < smallFiles; i++) {
      // 1 KB to 64 KB, in a few apps' folders: the shape of a real backup's many small files
      files.push({ domain: i % 3 ? 'HomeDomain' : 'AppDomain-com.example.app', relativePath: `Library/d${i % 23}/file${i}.dat`, content: Buffer.alloc(1000 + ((i * 7919) % 64000), i & 255) });
    }
    files.push({ domain: 'CameraRollDomain', relativePath: 'Media/DCIM/100APPLE/IMG_0001.MOV', content: { size: bigMiB << 20 } });
    log(`extract: generating an encrypted backup: ${smallFiles} small files and one ${bigMiB} MiB file...`);
    const w = await writeBackup({ dir: join(root, 'backup'), files, seed: 'bench', encryption: { password: PASSWORD, dpic: 1, iterations: 1 } });

    // the big file's key and path, for openssl
    const b = await openBackup(w.dir, { password: PASSWORD, engine: new NodeCryptoEngine() });
    const big = b.files({ domain: 'CameraRollDomain', kinds: [FileKind.File] })[0];
    const bigKey = b.fileKey(big)!.toString('hex');
    const bigPath = (await b.dataPath(big))!;
    await b.close();

    const ibd = process.env.IRESCUE_BENCH_IBD;
    const python = process.env.IRESCUE_BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
    const driver = join(root, 'ibd-driver.py');
    writeFileSync(driver, PY_DRIVER);
    let pythonSkipped: string | undefined;
    if (!ibd) pythonSkipped = 'IRESCUE_BENCH_IBD is not set (path to an iphone_backup_decrypt checkout\'s src folder)';
    else {
      const c = spawnSync(python, [driver, ibd, '--check'], { encoding: 'utf8' });
      if (c.status !== 0) pythonSkipped = `iphone_backup_decrypt does not load with ${python}: ${(c.stderr || String(c.error)).trim().split('\n').pop()}`;
    }
    const opensslOk = spawnSync('openssl', ['version']).status === 0;

    const best = <T extends { seconds: number }>(a: T | undefined, x: T) => (!a || x.seconds < a.seconds ? x : a);
    let py: Timed | undefined;
    let ex: ChildRun | undefined;
    let dec: ChildRun | undefined;
    let ossl: Timed | undefined;
    let single: ChildRun | undefined;
    const out = (name: string) => {
      const p = join(root, name);
      rmSync(p, { recursive: true, force: true });
      return p;
    };
    for (let round = 0; round < rounds; round++) {
      if (!pythonSkipped) {
        const o = out('py');
        const t = performance.now();
        const r = spawnSync(python, [driver, ibd!, w.dir, o], { input: PASSWORD + '\n', encoding: 'utf8' });
        const processSeconds = (performance.now() - t) / 1000;
        if (r.status !== 0) throw new Error(`iphone_backup_decrypt failed: ${r.stderr}`);
        const [n, s, c] = r.stdout.trim().split(/\s+/).map(Number);
        if (n !== smallFiles + 1) throw new Error(`iphone_backup_decrypt extracted ${n} files, expected ${smallFiles + 1}`);
        py = best(py, { seconds: s, cpuSeconds: c, processSeconds });
        rmSync(o, { recursive: true, force: true });
      }
      ex = best(ex, runChild(child, ['extract', w.dir, out('ex')]));
      dec = best(dec, runChild(child, ['decrypt', w.dir, out('dec')]));
      rmSync(join(root, 'ex'), { recursive: true, force: true });
      rmSync(join(root, 'dec'), { recursive: true, force: true });
      if (opensslOk) {
        const o = out('ossl.bin');
        const t = performance.now();
        const r = spawnSync('openssl', ['enc', '-d', '-aes-256-cbc', '-K', bigKey, '-iv', '0'.repeat(32), '-in', bigPath, '-out', o]);
        if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
        ossl = best(ossl, { seconds: (performance.now() - t) / 1000, cpuSeconds: NaN });
        rmSync(o, { force: true });
      }
      // the same file alone: the write phase (open of the backup excluded: openssl has no manifest to read)
      const s = runChild(child, ['extract', w.dir, out('single'), 'CameraRollDomain']);
      single = best(single, { ...s, seconds: s.writeSeconds });
      rmSync(join(root, 'single'), { recursive: true, force: true });
    }
    const ratios = {
      extractVsPython: py ? py.seconds / ex!.seconds : undefined,
      decryptVsPython: py ? py.seconds / dec!.seconds : undefined,
      extractVsPythonProcess: py ? py.processSeconds! / ex!.processSeconds! : undefined,
      decryptVsPythonProcess: py ? py.processSeconds! / dec!.processSeconds! : undefined,
      singleVsOpenssl: ossl ? ossl.seconds / single!.seconds : undefined,
    };
    const pass =
      (ratios.extractVsPython === undefined || (ratios.extractVsPython >= TARGETS.vsPython && ratios.decryptVsPython! >= TARGETS.vsPython)) &&
      (ratios.singleVsOpenssl === undefined || ratios.singleVsOpenssl >= TARGETS.vsOpenssl) &&
      ex!.maxRssMiB < TARGETS.peakRssMiB && dec!.maxRssMiB < TARGETS.peakRssMiB && single!.maxRssMiB < TARGETS.peakRssMiB;
    log(`extract: best of ${rounds}, ${smallFiles} small files + ${bigMiB} MiB; wall seconds of open + extract in the process (whole process in brackets):`);
    if (py) log(`  iphone_backup_decrypt   ${fmt(py.seconds)} s [${fmt(py.processSeconds)}] (cpu ${fmt(py.cpuSeconds)})`);
    else log(`  iphone_backup_decrypt   skipped: ${pythonSkipped}`);
    log(`  irescue extract         ${fmt(ex!.seconds)} s [${fmt(ex!.processSeconds)}] (open ${fmt(ex!.openSeconds)}, write ${fmt(ex!.writeSeconds)})  peak ${fmt(ex!.maxRssMiB, 0)} MiB (+${fmt(ex!.maxRssMiB - ex!.rssAfterOpenMiB, 0)} writing)  x${fmt(ratios.extractVsPython)} vs python [x${fmt(ratios.extractVsPythonProcess)}] (target >= ${TARGETS.vsPython})`);
    log(`  irescue decrypt         ${fmt(dec!.seconds)} s [${fmt(dec!.processSeconds)}] (open ${fmt(dec!.openSeconds)}, write ${fmt(dec!.writeSeconds)})  peak ${fmt(dec!.maxRssMiB, 0)} MiB (+${fmt(dec!.maxRssMiB - dec!.rssAfterOpenMiB, 0)} writing)  x${fmt(ratios.decryptVsPython)} vs python [x${fmt(ratios.decryptVsPythonProcess)}]`);
    log(`  ${bigMiB} MiB alone: openssl ${ossl ? fmt(ossl.seconds) + ' s' : 'not installed'}, irescue ${fmt(single!.seconds)} s (peak ${fmt(single!.maxRssMiB, 0)} MiB, +${fmt(single!.maxRssMiB - single!.rssAfterOpenMiB, 0)} writing)  ratio ${fmt(ratios.singleVsOpenssl)} (target >= ${TARGETS.vsOpenssl})`);
    log(`  peak memory target < ${TARGETS.peakRssMiB} MiB; ${pass ? 'PASS' : 'FAIL'}`);
    return { smallFiles, bigFileMiB: bigMiB, python: py, pythonSkipped, extract: ex!, decrypt: dec!, openssl: ossl, single: single!, ratios, targets: TARGETS, pass };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchExtract(process.argv.slice(2)).then((r) => console.log(JSON.stringify(r)));
}
