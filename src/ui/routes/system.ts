/**
 * The wizard itself: opening a folder the wizard wrote in the desktop's file manager, and the
 * address at which the wizard itself shows a report it wrote (no opener needed).
 */
import { basename, dirname } from 'node:path';
import type { RouteModule } from '../context.js';
import { HttpError, readJsonBody, stringField } from '../http.js';
import { openExternal } from '../open-external.js';

export const systemRoutes: RouteModule = {
  register(router, ctx) {
    router.post('/api/reveal', async ({ req }) => {
      const path = stringField(await readJsonBody(req), 'path', { required: true })!;
      // Only folders this wizard wrote: the page cannot make us open arbitrary files.
      if (!ctx.outputs.has(path)) throw new HttpError(403, 'USAGE', 'only folders written by this wizard can be opened from here');
      const opened = await openExternal(path);
      if (!opened) throw new HttpError(501, 'USAGE', `no file manager could be started; the folder is ${path}`, 'Open the folder yourself with your file manager.');
      return { opened };
    });

    router.post('/api/view', async ({ req }) => {
      const path = stringField(await readJsonBody(req), 'path', { required: true })!;
      if (!ctx.outputs.has(path)) throw new HttpError(403, 'USAGE', 'only reports written by this wizard can be shown here');
      const isPage = path.endsWith('.html');
      const folder = isPage ? dirname(path) : path;
      return { url: `/out/${ctx.views.capability(folder)}/${isPage ? encodeURIComponent(basename(path)) : 'index.html'}` };
    });
  },
};
