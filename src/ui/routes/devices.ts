/**
 * Devices: the attach/detach stream the page listens to. `irescue ui` passes the live DeviceWatch;
 * a server started without one (tests, library use) watches nothing and says so with an empty list.
 */
import type { DeviceWatch, RouteModule } from '../context.js';
import { openSse } from '../sse.js';

const NO_WATCH: DeviceWatch = { list: async () => [], watch: () => () => {} };

export const deviceStreamRoutes: RouteModule = {
  register(router, ctx) {
    router.get('/api/devices/events', async ({ req, res }) => {
      const stream = openSse(req, res);
      const watch = ctx.options.devices ?? NO_WATCH;
      const devices = await watch.list();
      stream.send('devices', { devices, warnings: watch.warnings?.() ?? [] });
      const stop = watch.watch((e) => stream.send(e.type, e));
      stream.onClose(stop);
    });
  },
};
