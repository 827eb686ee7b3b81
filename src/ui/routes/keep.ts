/**
 * Keep a copy of a backup beside it (<UDID>-<date>) before anything makes a new backup of the
 * device: Finder, iTunes and Apple Devices overwrite the one backup they keep per device. The
 * guide offers it before "Reset All Settings, then back up again". The original is not touched.
 */
import { keepBackup } from '../../backup/keep.js';
import type { RouteModule } from '../context.js';
import { backupPathOf } from './backups.js';

export const keepRoutes: RouteModule = {
  register(router, ctx) {
    router.post('/api/backups/:id/keep', async ({ params }) => {
      const kept = await keepBackup(await backupPathOf(ctx, params.id), { method: 'copy' });
      return { kept: { from: kept.from, to: kept.to } };
    });
  },
};
