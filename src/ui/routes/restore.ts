/**
 * Restore (erase or update) a device in Recovery/DFU mode: the pre-flight plan first, then the run
 * as a job, only after the exact typed confirmation ("ERASE <model name>", as the CLI asks). The
 * plan stays on the server; the page refers to it by id and cannot change what runs.
 */
import { randomBytes } from 'node:crypto';
import { userCacheDir } from '../../cache-dir.js';
import { IrescueError, UsageError } from '../../errors.js';
import {
  checkEcid,
  confirmationPhrase,
  firstFailure,
  matchesPhrase,
  planRestore,
  restoreCacheDir,
  restoreLogDir,
  runRestore,
  RestoreFailedError,
  targetName,
  type ConnectedDevice,
  type DecodedFailure,
  type RestoreKind,
  type RestorePlan,
} from '../../guide/restore/index.js';
import type { DeviceWatch, RouteModule } from '../context.js';
import { HttpError, readJsonBody, stringField } from '../http.js';
import { userPath } from './backups.js';

const MODES = ['normal', 'recovery', 'dfu'] as const;

function numberField(body: Record<string, unknown>, name: string): number | undefined {
  const v = body[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new UsageError(`${name} must be a whole number`);
  return v;
}

/**
 * What the live device list shows now, for the restore's first check; undefined when there is no
 * list, or it is empty while some source cannot be watched (then nothing can be said either way).
 */
async function connectedNow(watch: DeviceWatch | undefined): Promise<ConnectedDevice[] | undefined> {
  if (!watch) return undefined;
  const devices = (await watch.list()) as ConnectedDevice[];
  return devices.length === 0 && (watch.warnings?.() ?? []).length > 0 ? undefined : devices;
}

function planJson(id: string, plan: RestorePlan) {
  return {
    id,
    kind: plan.kind,
    model: plan.model ? { productType: plan.model.productType, name: plan.model.name } : undefined,
    target: plan.target,
    checks: plan.checks,
    warnings: plan.warnings,
    command: plan.toolPath ? [plan.toolPath, ...plan.args].join(' ') : undefined,
    phrase: confirmationPhrase(plan.kind, targetName(plan.model)),
    blocked: firstFailure(plan)?.message,
  };
}

export const restoreRoutes: RouteModule = {
  register(router, ctx) {
    const plans = new Map<string, RestorePlan>();
    const base = () => ctx.options.cacheDir ?? userCacheDir();

    router.post('/api/restore/plan', async ({ req }) => {
      const body = await readJsonBody(req);
      const kind: RestoreKind = body.kind === 'update' ? 'update' : 'erase';
      const ecid = stringField(body, 'ecid');
      const mode = stringField(body, 'mode');
      const ipsw = stringField(body, 'ipsw');
      if (mode !== undefined && !(MODES as readonly string[]).includes(mode)) throw new UsageError(`mode must be one of ${MODES.join(', ')}`);
      const plan = await planRestore({
        kind,
        target: {
          ecid: ecid ? checkEcid(ecid) : undefined,
          udid: ecid ? undefined : stringField(body, 'udid'),
          productType: stringField(body, 'model'),
          cpid: numberField(body, 'cpid'),
          bdid: numberField(body, 'bdid'),
          mode: mode as (typeof MODES)[number] | undefined,
        },
        ipsw: ipsw ? userPath(ipsw) : undefined,
        cacheDir: restoreCacheDir(base()),
        networkCheck: body.networkCheck !== false,
        connected: await connectedNow(ctx.options.devices),
      });
      const id = randomBytes(9).toString('base64url');
      plans.set(id, plan);
      return { plan: planJson(id, plan) };
    });

    router.post('/api/restore/run', async ({ req }) => {
      const body = await readJsonBody(req);
      const plan = plans.get(stringField(body, 'plan', { required: true })!);
      if (!plan) throw new HttpError(404, 'USAGE', 'this restore plan is no longer known (the wizard was restarted)', 'Check the device again on the restore page.');
      const expected = confirmationPhrase(plan.kind, targetName(plan.model));
      const typed = typeof body.confirmation === 'string' ? body.confirmation : '';
      // The same rule as the CLI: ERASE in capitals, then the device name; nothing runs otherwise.
      if (!matchesPhrase(typed, expected)) throw new UsageError(`the confirmation does not match: type exactly "${expected}"; nothing was changed`, { next: `Type ${expected} in the box, or leave the page to change nothing.` });
      const failed = firstFailure(plan);
      if (failed) throw new UsageError(`cannot restore yet: ${failed.message}`, { next: failed.hints?.join(' ') || 'Fix the failed check, then check again.' });
      const name = targetName(plan.model);
      const job = ctx.jobs.start({ kind: 'restore', title: `${plan.kind === 'erase' ? 'Erase and restore' : 'Update'} ${name}` }, async (onProgress, signal) => {
        try {
          const r = await runRestore(plan, { confirmation: 'typed', logDir: restoreLogDir(base()), onProgress, signal });
          return { restored: true, kind: plan.kind, model: plan.model?.productType, logPath: r.logPath, seconds: r.seconds };
        } catch (e) {
          // The decoded advice is the next step the page shows.
          if (e instanceof RestoreFailedError) {
            const f = e.details.failure as DecodedFailure | undefined;
            throw new IrescueError(e.code, e.message, { next: f ? `${f.title}. ${f.advice.join(' ')}` : 'Read the full log named above; put the device into Recovery mode again and retry.' });
          }
          throw e;
        }
      });
      plans.delete(String(body.plan));
      return { job };
    });
  },
};
