/**
 * Jobs: list, state, cancel, extra actions, and the live event stream a page (re)attaches to.
 * The stream starts with the job's current state, so a reloaded page catches up at once.
 */
import { HttpError } from '../http.js';
import { isJobAction, isJobId } from '../jobs.js';
import type { RouteModule, UiContext } from '../context.js';
import { openSse } from '../sse.js';

const noJob = () => new HttpError(404, 'USAGE', 'no such job (the wizard was restarted since it ran)', 'Start the task again from its page.');

/** The job of a well-formed id, or a 404: ids outside the allow-list never reach the registry. */
function jobOf(ctx: UiContext, id: string) {
  const job = isJobId(id) ? ctx.jobs.get(id) : undefined;
  if (!job) throw noJob();
  return job;
}

export const jobRoutes: RouteModule = {
  register(router, ctx) {
    router.get('/api/jobs', () => ({ jobs: ctx.jobs.list() }));

    router.get('/api/jobs/:id', ({ params }) => ({ job: jobOf(ctx, params.id) }));

    router.get('/api/jobs/:id/events', ({ req, res, params }) => {
      const job = jobOf(ctx, params.id);
      const stream = openSse(req, res);
      stream.send('snapshot', job);
      if (job.state !== 'running') {
        stream.send('end', job);
        return;
      }
      const off = ctx.jobs.subscribe(job.id, (e) => {
        if (e.type === 'progress') stream.send('progress', e.progress);
        else if (e.type === 'update') stream.send('snapshot', e.job);
        else stream.send('end', e.job);
      });
      stream.onClose(off);
    });

    router.post('/api/jobs/:id/cancel', ({ params }) => {
      jobOf(ctx, params.id);
      return { cancelled: ctx.jobs.cancel(params.id) };
    });

    router.post('/api/jobs/:id/actions/:name', ({ params }) => {
      const job = jobOf(ctx, params.id);
      if (!isJobAction(params.name) || !job.actions.includes(params.name)) throw new HttpError(404, 'USAGE', 'this job has no such action', 'Use the buttons on the job page.');
      if (!ctx.jobs.action(params.id, params.name)) throw new HttpError(409, 'USAGE', `this job cannot ${params.name} now`);
      return { job: ctx.jobs.get(params.id) };
    });
  },
};
