/**
 * Extract throughput against `openssl enc -d -aes-256-cbc` decrypting the same bytes to the same
 * disk, measured in the same run. Issue target: at least 70% of openssl's speed on a 1 GiB backup.
 * Size: IRESCUE_BENCH_EXTRACT_MB (default 1024).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBackup, type WriterFile } from '../src/backup/writer.js';
import { openBackup } from '../src/backup/open.js';
import { extractFiles } from '../src/backup/extract.js';

export interface ExtractBenchResult {
  bytes: number;
  opensslSeconds: number;
  irescueSeconds: number;
  ratio: number;
  target: number;
  pass: boolean;
}

export async function benchExtract(log: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<ExtractBenchResult | undefined> {
  if (spawnSync('openssl', ['version']).status !== 0) {
    log('extract: openssl not installed, skipped');
    return undefined;
  }
  const mb = Number(process.env.IRESCUE_BENCH_EXTRACT_MB ?? 1024);
  const fileMb = 64;
  const count = Math.max(1, Math.round(mb / fileMb));
  const root = mkdtempSync(join(tmpdir(), 'irescue-bench-'));
  try {
    const files: WriterFile[] = Array.from({ length: count }, (_, i) => ({ domain: 'CameraRollDomain', relativePath: `Media/DCIM/100APPLE/IMG_${String(i).padStart(4, '0')}.MOV`, content: { size: fileMb << 20 } }));
    log(`extract: generating a ${count * fileMb} MiB encrypted backup...`);
    const w = await writeBackup({ dir: join(root, 'backup'), files, seed: 'bench', encryption: { password: 'bench', dpic: 1, iterations: 1 } });
    const b = await openBackup(w.dir, { password: 'bench' });
    const recs = b.files({ domain: 'CameraRollDomain' }).filter((r) => r.kind === 1);
    const jobs = await Promise.all(recs.map(async (r) => ({ path: (await b.dataPath(r))!, key: b.fileKey(r)!.toString('hex'), id: r.fileID })));
    const bytes = recs.length * (fileMb << 20);
    let bestOpenssl = Infinity;
    let bestOurs = Infinity;
    for (let round = 0; round < 2; round++) {
      const o1 = join(root, `openssl-${round}`);
      spawnSync('mkdir', ['-p', o1]);
      let t = performance.now();
      for (const j of jobs) {
        const r = spawnSync('openssl', ['enc', '-d', '-aes-256-cbc', '-K', j.key, '-iv', '0'.repeat(32), '-in', j.path, '-out', join(o1, j.id)]);
        if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
      }
      bestOpenssl = Math.min(bestOpenssl, (performance.now() - t) / 1000);
      rmSync(o1, { recursive: true, force: true });
      const o2 = join(root, `irescue-${round}`);
      t = performance.now();
      const s = await extractFiles(b, { out: o2, domain: 'CameraRollDomain' });
      bestOurs = Math.min(bestOurs, (performance.now() - t) / 1000);
      if (s.written !== recs.length) throw new Error(`extract wrote ${s.written} of ${recs.length}`);
      rmSync(o2, { recursive: true, force: true });
    }
    await b.close();
    const ratio = bestOpenssl / bestOurs;
    const res = { bytes, opensslSeconds: bestOpenssl, irescueSeconds: bestOurs, ratio, target: 0.7, pass: ratio >= 0.7 };
    log(`extract: ${(bytes / 2 ** 20).toFixed(0)} MiB  openssl ${(bytes / 2 ** 20 / bestOpenssl).toFixed(0)} MiB/s  irescue ${(bytes / 2 ** 20 / bestOurs).toFixed(0)} MiB/s  ratio ${ratio.toFixed(2)} (target >= 0.70) ${res.pass ? 'PASS' : 'FAIL'}`);
    return res;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchExtract().then((r) => console.log(JSON.stringify(r)));
}
