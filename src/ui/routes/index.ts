/**
 * The wizard's route modules, one per area. Recovery, export, devices and the lockout guide plug in
 * here as they land: add their RouteModule to `areaRoutes`, and the page's matching section turns
 * from a "coming" page into the real one (it reads /api/features).
 */
import type { RouteModule } from '../context.js';
import { backupRoutes } from './backups.js';
import { deviceStreamRoutes } from './devices.js';
import { jobRoutes } from './jobs.js';

export const areaRoutes: RouteModule[] = [backupRoutes, jobRoutes, deviceStreamRoutes];
