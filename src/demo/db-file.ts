/** Builds a SQLite database in a temp file with better-sqlite3 and returns its bytes. */
import type Database from 'better-sqlite3';
import { sqlite } from '../fs/sqlite-module.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function buildDb(fill: (db: Database.Database) => void, opts: { wal?: boolean } = {}): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'irescue-fixture-'));
  try {
    const path = join(dir, 'db.sqlite');
    const db = new (sqlite())(path);
    // iOS keeps its databases in WAL mode: the header then says so (bytes 18-19 = 2).
    if (opts.wal) db.pragma('journal_mode = WAL');
    db.transaction(() => fill(db))();
    db.close();
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
