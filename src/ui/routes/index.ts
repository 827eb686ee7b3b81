/** The wizard's route modules, one per area, each registering its own /api routes. */
import type { RouteModule } from '../context.js';
import { backupRoutes } from './backups.js';
import { deviceRoutes } from './device-actions.js';
import { deviceStreamRoutes } from './devices.js';
import { exportRoutes } from './export.js';
import { fileRoutes } from './files.js';
import { guideRoutes } from './guide.js';
import { jobRoutes } from './jobs.js';
import { recoverRoutes } from './recover.js';
import { restoreRoutes } from './restore.js';
import { deviceRestoreRoutes } from './device-restore.js';
import { keepRoutes } from './keep.js';
import { secretsRoutes } from './secrets.js';

export const areaRoutes: RouteModule[] = [backupRoutes, fileRoutes, jobRoutes, deviceStreamRoutes, exportRoutes, deviceRoutes, restoreRoutes, guideRoutes, recoverRoutes, deviceRestoreRoutes, keepRoutes, secretsRoutes];
