/**
 * One measured run of the extraction bench, in its own process so that its peak memory
 * (peak RSS, see peakRssMiB) is ours alone. bench/extract.ts bundles this file with esbuild and runs it with plain
 * node: under tsx the loader thread alone adds about 45 MB.
 * argv: mode (extract | decrypt), backup folder, output folder, [domain]. Password on stdin.
 * Prints one JSON line: cpuSeconds, openSeconds, writeSeconds, maxRssMiB, rssAfterOpenMiB, files, bytes.
 */
import { readFileSync } from 'node:fs';
import { openBackup } from '../src/backup/open.js';
import { extractFiles } from '../src/backup/extract.js';
import { writeDecryptedCopy } from '../src/backup/decrypted-copy.js';
import { NodeCryptoEngine } from '../src/kdf/node-crypto.js';

const [mode, dir, out, domain] = process.argv.slice(2);

/**
 * Peak resident memory of this process. On Linux, VmHWM: getrusage's maxRSS keeps the high-water
 * mark of the process image it was forked from (the bench's own, much larger, process), so a
 * spawned child would report the parent's size whatever it does itself.
 */
function peakRssMiB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS / 1024;
}
const password = readFileSync(0, 'utf8').trim();
const t0 = performance.now();
// The bench backup has one-round KDFs; the engine choice (measured once per machine) is not what
// this bench is about, so node crypto is given directly.
const b = await openBackup(dir, { password, engine: new NodeCryptoEngine() });
const t1 = performance.now();
// what opening alone costs (node, modules, sqlite, manifest): the write phase's share is the rest
const rssAfterOpenMiB = peakRssMiB();
let files: number;
let bytes: number;
if (mode === 'decrypt') {
  const s = await writeDecryptedCopy(b, { out });
  if (!s.complete) throw new Error(`decrypt incomplete: ${JSON.stringify(s.failed.concat(s.notWritten).slice(0, 3))}`);
  files = s.files;
  bytes = s.bytes;
} else {
  const s = await extractFiles(b, { out, domain: domain || undefined });
  if (s.failed.length || s.notWritten.length) throw new Error(`extract failed: ${JSON.stringify(s.failed.concat(s.notWritten).slice(0, 3))}`);
  files = s.written;
  bytes = s.bytes;
}
const t2 = performance.now();
await b.close();
const ru = process.resourceUsage();
process.stdout.write(JSON.stringify({ cpuSeconds: (ru.userCPUTime + ru.systemCPUTime) / 1e6, openSeconds: (t1 - t0) / 1000, writeSeconds: (t2 - t1) / 1000, maxRssMiB: peakRssMiB(), rssAfterOpenMiB, files, bytes }) + '\n');
