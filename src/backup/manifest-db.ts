/**
 * Manifest.db (iOS 10+): SQLite with Files(fileID, domain, relativePath, flags, file) where `file`
 * is an MBFile archive. Always opened from our private copy, read-only.
 */
import Database from 'better-sqlite3';
import { CorruptInputError } from '../errors.js';
import { decodeMBFile, type MBFile } from './mbfile.js';

export interface ManifestRow {
  fileID: string;
  domain: string;
  relativePath: string;
  flags: number;
  mbfile?: MBFile;
}

// The header check and WAL flip live in fs/sqlite-file.ts; these names stay for open.ts.
export { isSqliteHeader as isSqlite, clearWalFlagSync as clearWalFlagOnCopy } from '../fs/sqlite-file.js';

export function readManifestDb(copyPath: string, displayName: string): ManifestRow[] {
  let db: Database.Database;
  try {
    db = new Database(copyPath, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new CorruptInputError(displayName, `cannot open as SQLite (${(e as Error).message})`, { cause: e });
  }
  try {
    let rows: Array<{ fileID: unknown; domain: unknown; relativePath: unknown; flags: unknown; file: unknown }>;
    try {
      rows = db.prepare('SELECT fileID, domain, relativePath, flags, file FROM Files').all() as typeof rows;
    } catch (e) {
      throw new CorruptInputError(displayName, `damaged file index (${(e as Error).message})`, { cause: e });
    }
    return rows.map((r, i) => {
      if (typeof r.fileID !== 'string' || !/^[0-9a-f]{40}$/i.test(r.fileID)) throw new CorruptInputError(displayName, `row ${i + 1} has an invalid fileID`);
      const row: ManifestRow = {
        fileID: r.fileID.toLowerCase(),
        domain: typeof r.domain === 'string' ? r.domain : '',
        relativePath: typeof r.relativePath === 'string' ? r.relativePath : '',
        flags: typeof r.flags === 'number' ? r.flags : Number(r.flags ?? 0),
      };
      if (Buffer.isBuffer(r.file) && r.file.length > 0) row.mbfile = decodeMBFile(r.file, `${displayName} (file ${row.domain}/${row.relativePath})`);
      return row;
    });
  } finally {
    db.close();
  }
}
