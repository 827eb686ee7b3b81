/**
 * Benchmark: a generated iOS 16 sms.db of 1,000,000 messages exported to CSV with the streaming
 * exporter. Targets (issue #6): at least 50,000 messages/s, peak memory under 300 MB.
 * Run alone: `node --import tsx bench/export.ts [messages] [csv,json,html]`; bench/run.ts calls
 * benchExport() (CSV only, the figure).
 */
import Database from 'better-sqlite3';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { FileKind, type BackupFileRecord, type BackupReader } from '../src/backup/types.js';
import { exportMessages, type MessageFormat } from '../src/export/messages.js';
import { OutputDir } from '../src/export/output.js';
import { createSmsSchema, appleDate } from '../test/export/fixtures/sms-db.js';
import { buildAttributedBody } from '../test/export/fixtures/typedstream-writer.js';

export interface ExportBenchResult {
  name: string;
  messages: number;
  seconds: number;
  /** CPU time of this process while exporting: on a shared machine, wall time alone misleads */
  cpuSeconds: number;
  messagesPerSecond: number;
  /** highest resident set size seen while exporting, MiB */
  peakRssMiB: number;
  csvBytes: number;
  targets: { messagesPerSecond: number; peakRssMiB: number };
  pass: boolean;
}

const WORDS = 'ok see you soon tomorrow dinner at seven, "quoted" thanks! love it where are you? running late call me when free 😀 the meeting moved to Friday'.split(' ');

function generate(path: string, n: number): void {
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  createSmsSchema(db, 'ios16');
  const handles = 50;
  const chats = 60;
  db.transaction(() => {
    const h = db.prepare('INSERT INTO handle (id, country, service) VALUES (?, ?, ?)');
    for (let i = 0; i < handles; i++) h.run(`+1555${String(1000000 + i).slice(1)}`, 'us', 'iMessage');
    const c = db.prepare('INSERT INTO chat (guid, style, chat_identifier, service_name, display_name) VALUES (?, ?, ?, ?, ?)');
    const ch = db.prepare('INSERT INTO chat_handle_join VALUES (?, ?)');
    for (let i = 1; i <= chats; i++) {
      c.run(`iMessage;-;chat${i}`, i % 6 === 0 ? 43 : 45, `chat${i}`, 'iMessage', i % 6 === 0 ? `Group ${i}` : '');
      ch.run(i, ((i - 1) % handles) + 1);
      if (i % 6 === 0) ch.run(i, (i % handles) + 1);
    }
  })();
  const ins = db.prepare('INSERT INTO message (guid, text, attributedBody, handle_id, service, date, is_from_me) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const join = db.prepare('INSERT INTO chat_message_join (chat_id, message_id, message_date) VALUES (?, ?, ?)');
  const start = Date.UTC(2019, 0, 1);
  const batch = 100_000;
  let seed = 12345;
  const rnd = (m: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % m);
  for (let b = 0; b < n; b += batch) {
    db.transaction(() => {
      for (let i = b; i < Math.min(n, b + batch); i++) {
        const words = 3 + rnd(14);
        let text = '';
        for (let w = 0; w < words; w++) text += (w ? ' ' : '') + WORDS[rnd(WORDS.length)];
        if (i % 50 === 0) text += '\nsecond line';
        const date = appleDate(new Date(start + i * 60_000), 'ios16');
        // iOS 16+: a third of messages keep their text only in attributedBody.
        const body = i % 3 === 0 ? buildAttributedBody(text) : null;
        const chat = (i % chats) + 1;
        const id = Number(ins.run(`GUID-${i}`, body ? null : text, body, ((chat - 1) % handles) + 1, 'iMessage', date, i % 2).lastInsertRowid);
        join.run(chat, id, date);
      }
    })();
  }
  db.close();
}

/** A one-file BackupReader over a database on disk (the bench must not hold the database in memory). */
function diskReader(path: string, size: number, tempDir: string): BackupReader {
  const record: BackupFileRecord = {
    fileID: createHash('sha1').update('HomeDomain-Library/SMS/sms.db').digest('hex'), domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', kind: FileKind.File, size,
  };
  return {
    info: { path: tempDir, encrypted: false, state: 'complete', manifestFormat: 'db' },
    files: () => [record],
    domains: () => [{ domain: record.domain, files: 1 }],
    findFile: (d, p) => (d === record.domain && p === record.relativePath ? record : undefined),
    readFile: async () => { throw new Error('not used'); },
    openFile: async () => createReadStream(path),
    copyToTemp: async () => {
      const p = join(tempDir, 'copy.db');
      await copyFile(path, p);
      return p;
    },
    close: async () => {},
  };
}

export async function benchExport(opts: { messages?: number; formats?: MessageFormat[]; log?: (s: string) => void } = {}): Promise<ExportBenchResult> {
  const n = opts.messages ?? 1_000_000;
  const formats = opts.formats ?? ['csv'];
  const log = opts.log ?? ((s: string) => process.stderr.write(s + '\n'));
  const dir = await mkdtemp(join(tmpdir(), 'irescue-bench-export-'));
  try {
    const dbPath = join(dir, 'sms.db');
    const g0 = performance.now();
    generate(dbPath, n);
    log(`export bench: generated ${n.toLocaleString('en-US')} messages in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
    const reader = diskReader(dbPath, (await stat(dbPath)).size, dir);
    const out = await OutputDir.open(join(dir, 'out'));
    global.gc?.();
    let peak = process.memoryUsage().rss;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await exportMessages({
      reader, out,
      options: { out: out.root, timeZone: 'UTC', onProgress: () => { peak = Math.max(peak, process.memoryUsage().rss); } },
    }, { formats });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    peak = Math.max(peak, process.memoryUsage().rss);
    const csvBytes = formats.includes('csv') ? (await stat(join(out.root, 'messages', 'messages.csv'))).size : 0;
    if (result.count !== n) throw new Error(`exported ${result.count} of ${n} messages`);
    const r: ExportBenchResult = {
      name: `export messages to ${formats.join('+').toUpperCase()}`,
      messages: n,
      seconds: Math.round(seconds * 100) / 100,
      cpuSeconds: Math.round(cpuSeconds * 100) / 100,
      messagesPerSecond: Math.round(n / seconds),
      peakRssMiB: Math.round(peak / 1048576),
      csvBytes,
      targets: { messagesPerSecond: 50_000, peakRssMiB: 300 },
      pass: false,
    };
    r.pass = r.messagesPerSecond >= r.targets.messagesPerSecond && r.peakRssMiB < r.targets.peakRssMiB;
    log(`export bench: ${r.messagesPerSecond.toLocaleString('en-US')} messages/s, CPU ${r.cpuSeconds} s for ${r.seconds} s wall, peak RSS ${r.peakRssMiB} MiB, CSV ${(csvBytes / 1048576).toFixed(0)} MiB (${r.pass ? 'meets' : 'misses'} targets)`);
    return r;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] !== undefined && /[\\/]bench[\\/]export\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly) {
  const formats = process.argv[3] ? (process.argv[3].split(',') as MessageFormat[]) : undefined;
  benchExport({ messages: process.argv[2] ? Number(process.argv[2]) : undefined, formats }).then((r) => process.stdout.write(JSON.stringify(r, null, 2) + '\n'));
}
