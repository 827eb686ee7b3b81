/**
 * The lockout guide: the triage questions (situations, models) and the ordered routes for one
 * model and iOS version, straight from routesFor (the same answer as `irescue guide --json`).
 */
import { allModels, displayName } from '../../models/models.js';
import { listSituations, routesFor } from '../../guide/routes.js';
import type { RouteModule } from '../context.js';

export const guideRoutes: RouteModule = {
  register(router) {
    router.get('/api/guide/questions', () => ({
      situations: listSituations(),
      models: allModels().map((m) => ({ productType: m.productType, name: displayName(m), kind: m.kind, lastIos: m.lastIos, ...(m.provisional ? { provisional: true } : {}) })),
    }));

    router.get('/api/guide/routes', ({ query }) => {
      const model = query.get('model') || undefined;
      const ios = query.get('ios')?.trim() || undefined;
      return { answer: routesFor({ situation: query.get('situation') ?? '', model, ios }) };
    });
  },
};
