/**
 * Exports from an unlocked backup (kept open in sessions.ts): the chosen categories, or all of
 * them, into one folder with an index.html report, run as a job with live progress.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { exportData, EXPORT_CATEGORIES, type CategoryResult, type ExportCategory } from '../../export/index.js';
import type { RouteModule } from '../context.js';
import { readJsonBody, stringField } from '../http.js';
import { userPath } from './backups.js';
import { isInside } from '../../fs/inside.js';

function categoriesOf(v: unknown): ExportCategory[] | 'all' {
  if (v === 'all') return 'all';
  if (!Array.isArray(v) || v.length === 0) throw new UsageError('choose at least one thing to export');
  for (const c of v) if (typeof c !== 'string' || !(EXPORT_CATEGORIES as readonly string[]).includes(c)) throw new UsageError(`unknown export category ${JSON.stringify(c)}: use ${EXPORT_CATEGORIES.join(', ')}`);
  const chosen = EXPORT_CATEGORIES.filter((c) => v.includes(c));
  return chosen.length === EXPORT_CATEGORIES.length ? 'all' : chosen;
}

function resultJson(r: CategoryResult) {
  return { category: r.category, status: r.status, count: r.count, message: r.message, errorCode: r.errorCode, missingColumns: r.missingColumns, page: r.page, warnings: r.warnings.slice(0, 20), warningCount: r.warnings.length };
}

export const exportRoutes: RouteModule = {
  register(router, ctx) {
    const session = (sid: string) => ctx.sessions.require(sid, 'Go to Backups, unlock the backup again, then come back to Export.');

    router.get('/api/export/:sid', ({ params }) => {
      const s = session(params.sid);
      const name = (s.backup.info.deviceName ?? 'iPhone').replace(/[^\p{L}\p{N} ._-]+/gu, '').trim().replace(/\s+/g, '-') || 'iPhone';
      const date = (s.backup.info.lastBackupDate ?? new Date()).toISOString().slice(0, 10);
      return { categories: EXPORT_CATEGORIES, suggested: join(homedir(), 'irescue', `${name}-${date}-export`) };
    });

    router.post('/api/export/:sid', async ({ req, params }) => {
      const s = session(params.sid);
      const body = await readJsonBody(req);
      const out = userPath(stringField(body, 'out', { required: true })!);
      if (isInside(s.backup.dir, out) || isInside(out, s.backup.dir)) throw new UsageError(`${out}: choose a folder outside the backup folder (the backup is never written to)`);
      const chosen = categoriesOf(body.categories);
      const byDate = body.byDate === true;
      const name = s.backup.info.deviceName ?? 'the backup';
      const what = chosen === 'all' ? 'everything' : chosen.join(', ');
      const job = ctx.jobs.start({ kind: 'export', title: `Export ${what} from ${name}`, links: { session: s.id } }, async (onProgress, signal) => {
        const options = { out, byDate, onProgress, signal };
        const summary = await exportData(s.backup, chosen, options);
        const report = join(summary.out, summary.report ?? 'index.html');
        ctx.outputs.add(summary.out);
        ctx.outputs.add(report);
        return { kind: 'export', out: summary.out, report, complete: summary.complete, skipped: summary.skipped.slice(0, 50), skippedCount: summary.skipped.length, categories: summary.categories.map(resultJson) };
      });
      return { job };
    });
  },
};
