/**
 * "Put my data back": a backup from the list goes onto the connected iPhone or iPad. First the
 * checks (a plan the page shows as sentences with next steps), then the restore as a job with
 * live progress. The password travels in the request body only: never in the job, its events
 * or the plan. The backup folder is only read.
 */
import { planDeviceRestore, runDeviceRestore, type DeviceRestorePlan } from '../../tasks/restore-backup-to-device.js';
import type { RestoreOptions } from '../../device/services/mobilebackup2-restore.js';
import type { RouteModule, UiContext } from '../context.js';
import { HttpError, readJsonBody, stringField } from '../http.js';
import { backupPathOf } from './backups.js';

function optionsOf(v: unknown): Partial<RestoreOptions> {
  if (typeof v !== 'object' || v === null) return {};
  const o = v as Record<string, unknown>;
  const out: Partial<RestoreOptions> = {};
  for (const k of ['systemFiles', 'reboot', 'preserveSettings', 'removeItemsNotRestored'] as const) if (typeof o[k] === 'boolean') out[k] = o[k];
  return out;
}

async function plan(ctx: UiContext, body: Record<string, unknown>): Promise<{ plan: DeviceRestorePlan; password?: string }> {
  const dir = await backupPathOf(ctx, stringField(body, 'backup', { required: true })!);
  const password = stringField(body, 'password');
  const p = await planDeviceRestore(dir, { ...(ctx.options.deviceSources ?? {}), udid: stringField(body, 'udid'), pair: true, password, options: optionsOf(body.options) });
  return { plan: p, password };
}

export const deviceRestoreRoutes: RouteModule = {
  register(router, ctx) {
    router.post('/api/device-restore/plan', async ({ req }) => ({ plan: (await plan(ctx, await readJsonBody(req))).plan }));

    router.post('/api/device-restore/start', async ({ req }) => {
      const body = await readJsonBody(req);
      if (body.confirm !== true) throw new HttpError(400, 'USAGE', 'a restore replaces the data on the device: confirm it first', 'Tick the box that says the device\'s current data is replaced, then start again.');
      const { plan: p, password } = await plan(ctx, body);
      if (!p.canRestore) {
        const stop = p.checks.filter((c) => c.ok === false);
        throw new HttpError(409, stop.some((c) => c.id === 'password') ? 'WRONG_PASSWORD' : 'DEVICE', stop.map((c) => c.sentence).join(' '), stop.map((c) => c.next).filter(Boolean).join(' '));
      }
      const title = `Put the backup of ${p.backup.deviceName ?? 'a device'} onto ${p.device.deviceName ?? 'the connected device'}`;
      const job = ctx.jobs.start({ kind: 'device-restore', title }, async (onProgress, signal) => {
        const r = await runDeviceRestore(p, { ...(ctx.options.deviceSources ?? {}), password, onProgress, signal });
        return { kind: 'device-restore', udid: r.udid, filesSent: r.filesSent, bytesSent: r.bytesSent, missing: r.missing.length, reboots: p.options.reboot };
      });
      return { job, plan: p };
    });
  },
};
