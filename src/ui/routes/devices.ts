/**
 * Devices: the attach/detach stream the page listens to. Until the device area supplies a
 * DeviceWatch (UiOptions.devices), it says so once and keeps the stream open, so the page shows a
 * "coming" note instead of a broken connection.
 */
import type { RouteModule } from '../context.js';
import { openSse } from '../sse.js';

export const deviceStreamRoutes: RouteModule = {
  feature: 'device-events',
  register(router, ctx) {
    router.get('/api/devices/events', async ({ req, res }) => {
      const stream = openSse(req, res);
      const watch = ctx.options.devices;
      if (!watch) {
        stream.send('unavailable', { message: 'device support is not part of this build yet' });
        return;
      }
      const devices = await watch.list();
      stream.send('devices', { devices, warnings: watch.warnings?.() ?? [] });
      const stop = watch.watch((e) => stream.send(e.type, e));
      stream.onClose(stop);
    });
  },
};
