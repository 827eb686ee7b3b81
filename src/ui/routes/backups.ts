/**
 * Backups: list (with the demo offered when none is found), info, unlock with the password (POST
 * body only), browse files by domain, extract and decrypted copy as jobs with live progress.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_PASSWORD, ensureDemoBackup } from '../../demo/demo-backup.js';
import { extractFiles, type ExtractIssue, type ExtractSummary } from '../../backup/extract.js';
import { writeDecryptedCopy, type DecryptedCopySummary } from '../../backup/decrypted-copy.js';
import { inspectBackup, listBackups, type BackupSummary } from '../../backup/info.js';
import { defaultBackupRoots, findBackupFolders } from '../../backup/locate.js';
import { findBackup } from '../../backup/folder.js';
import { FileKind } from '../../backup/types.js';
import { userCacheDir } from '../../cache-dir.js';
import { UsageError } from '../../errors.js';
import type { RouteModule, UiContext } from '../context.js';
import { readJsonBody, stringField } from '../http.js';
import type { OpenSession } from '../sessions.js';
import { isInside } from '../../fs/inside.js';

export function backupId(path: string): string {
  return createHash('sha1').update(resolve(path)).digest('hex').slice(0, 16);
}

function demoRoot(ctx: UiContext): string {
  return ctx.options.demoRoot ?? join(userCacheDir(), 'demo');
}

/** A folder typed by the user: `~` is their home, relative names are taken from their home too. */
export function userPath(input: string): string {
  const t = input.trim();
  if (t === '~') return homedir();
  if (t.startsWith('~/') || t.startsWith('~\\')) return resolve(homedir(), t.slice(2));
  return resolve(homedir(), t);
}

const LIST_LIMIT = 20;
const trimIssues = (list: ExtractIssue[]) => ({ count: list.length, first: list.slice(0, LIST_LIMIT) });

function extractResult(s: ExtractSummary) {
  return {
    out: s.out,
    written: s.written,
    bytes: s.bytes,
    directories: s.directories,
    symlinks: s.symlinks,
    missing: trimIssues(s.missing),
    refused: trimIssues(s.refused),
    sanitized: trimIssues(s.sanitized),
    skipped: trimIssues(s.skipped),
    failed: trimIssues(s.failed),
    notWritten: trimIssues(s.notWritten),
    replaced: s.replaced,
    stopped: s.stopped,
  };
}

function decryptResult(s: DecryptedCopySummary) {
  return { out: s.out, files: s.files, bytes: s.bytes, missing: trimIssues(s.missing), failed: trimIssues(s.failed), notWritten: trimIssues(s.notWritten), stopped: s.stopped, complete: s.complete };
}

function safeName(s: string): string {
  return s.replace(/[^\p{L}\p{N} ._-]+/gu, '').trim().replace(/\s+/g, '-') || 'backup';
}

/** Thin wrapper kept for callers not yet moved to `ctx.backups.pathOf` (recover). */
export function backupPathOf(ctx: UiContext, id: string): Promise<string> {
  return ctx.backups.pathOf(id);
}

export const backupRoutes: RouteModule = {
  register(router, ctx) {
    const extraRoots = [...ctx.options.roots];

    const searchedRoots = () => [...(ctx.options.includeDefaultRoots ? defaultBackupRoots() : []), ...extraRoots];

    const describe = (s: BackupSummary) => {
      const id = backupId(s.path);
      ctx.backups.remember(id, s.path);
      const demo = isInside(demoRoot(ctx), s.path);
      return { id, ...s, demo, demoPassword: demo ? DEMO_PASSWORD : undefined };
    };

    const list = async () => {
      const roots = [...extraRoots];
      if (existsSync(demoRoot(ctx))) roots.push(demoRoot(ctx));
      const found = await listBackups(roots, { includeDefaults: ctx.options.includeDefaultRoots });
      return found.map(describe);
    };

    ctx.backups.setLister(list);
    const pathOf = (id: string) => ctx.backups.pathOf(id);

    const sessionOf = (sid: string) => ctx.sessions.require(sid);

    const sessionJson = (s: OpenSession) => ({ id: s.id, backupId: s.backupId, info: s.backup.info, demo: isInside(demoRoot(ctx), s.backup.dir) });

    router.get('/api/backups', async () => {
      const backups = await list();
      return {
        backups,
        roots: searchedRoots(),
        demo: { password: DEMO_PASSWORD, exists: existsSync(demoRoot(ctx)), offered: backups.length === 0 },
      };
    });

    router.post('/api/backups/add', async ({ req }) => {
      const body = await readJsonBody(req);
      const dir = userPath(stringField(body, 'path', { required: true })!);
      const folders = await findBackupFolders([dir]);
      if (!folders.length) throw new UsageError(`${dir}: no backup found there (a backup folder holds Manifest.plist); choose the folder itself or the folder above it`);
      if (!extraRoots.includes(dir)) extraRoots.push(dir);
      return { backups: await list(), added: folders.map((f) => backupId(f.path)) };
    });

    router.post('/api/demo', async () => {
      const dir = await ensureDemoBackup(demoRoot(ctx));
      const summary = describe(await inspectBackup(dir));
      return { backup: summary };
    });

    router.get('/api/backups/:id', async ({ params }) => {
      const path = await pathOf(params.id);
      return { backup: describe(await inspectBackup(path)) };
    });

    router.post('/api/backups/:id/unlock', async ({ req, params }) => {
      const path = await pathOf(params.id);
      const body = await readJsonBody(req);
      const password = body.password;
      if (password !== undefined && typeof password !== 'string') throw new UsageError('password must be text');
      // One read of the root plists, no walk of the folder: the size and file count are not needed here.
      const folder = await findBackup(path);
      const encrypted = folder.encryptedForOpening();
      if (encrypted && !password) throw new UsageError('this backup is encrypted: type its password', { next: 'Type the password chosen when backup encryption was turned on in iTunes or Finder.' });
      const backup = await folder.unlock(encrypted ? password : undefined);
      return { session: sessionJson(ctx.sessions.add(params.id, backup)) };
    });

    router.get('/api/sessions', () => ({ sessions: ctx.sessions.list().map(sessionJson) }));

    router.get('/api/sessions/:sid', ({ params }) => {
      const s = sessionOf(params.sid);
      const domains = s.backup.domains();
      const base = safeName(`${s.backup.info.deviceName ?? 'iPhone'} ${(s.backup.info.lastBackupDate ?? new Date()).toISOString().slice(0, 10)}`);
      return {
        session: sessionJson(s),
        domains,
        suggested: { extract: join(homedir(), 'irescue', `${base}-files`), decrypt: join(homedir(), 'irescue', `${base}-decrypted`) },
      };
    });

    const outputFolder = (s: OpenSession, body: Record<string, unknown>) => {
      const out = userPath(stringField(body, 'out', { required: true })!);
      if (isInside(s.backup.dir, out) || isInside(out, s.backup.dir)) throw new UsageError(`${out}: choose a folder outside the backup folder (the backup is never written to)`);
      return out;
    };

    router.post('/api/sessions/:sid/extract', async ({ req, params }) => {
      const s = sessionOf(params.sid);
      const body = await readJsonBody(req);
      const out = outputFolder(s, body);
      const domain = stringField(body, 'domain');
      const path = stringField(body, 'path');
      const name = s.backup.info.deviceName ?? 'the backup';
      const job = ctx.jobs.start({ kind: 'extract', title: `Extract files from ${name}${domain ? ` (${domain})` : ''}`, links: { session: s.id } }, async (onProgress, signal) => {
        const summary = await extractFiles(s.backup, { out, domain, path, onProgress, signal });
        ctx.outputs.add(summary.out);
        return extractResult(summary);
      });
      return { job };
    });

    router.post('/api/sessions/:sid/decrypt', async ({ req, params }) => {
      const s = sessionOf(params.sid);
      const out = outputFolder(s, await readJsonBody(req));
      const name = s.backup.info.deviceName ?? 'the backup';
      const job = ctx.jobs.start({ kind: 'decrypt', title: `Decrypted copy of ${name}`, links: { session: s.id } }, async (onProgress, signal) => {
        const summary = await writeDecryptedCopy(s.backup, { out, onProgress, signal });
        ctx.outputs.add(summary.out);
        return decryptResult(summary);
      });
      return { job };
    });

    router.post('/api/sessions/:sid/close', async ({ params }) => ({ closed: await ctx.sessions.close(params.sid) }));
  },
};
