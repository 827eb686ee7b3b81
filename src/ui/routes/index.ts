/**
 * The wizard's route modules, one per area. Each area's RouteModule turns the page's matching
 * section from a "coming" page into the real one (the page reads /api/features).
 */
import type { RouteModule } from '../context.js';
import { backupRoutes } from './backups.js';
import { deviceRoutes } from './device-actions.js';
import { deviceStreamRoutes } from './devices.js';
import { exportRoutes } from './export.js';
import { guideRoutes } from './guide.js';
import { jobRoutes } from './jobs.js';
import { recoverRoutes } from './recover.js';
import { restoreRoutes } from './restore.js';
import { secretsRoutes } from './secrets.js';

export const areaRoutes: RouteModule[] = [backupRoutes, jobRoutes, deviceStreamRoutes, exportRoutes, deviceRoutes, restoreRoutes, guideRoutes, recoverRoutes, secretsRoutes];
