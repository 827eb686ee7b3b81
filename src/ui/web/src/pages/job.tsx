/**
 * A running or finished job. The page attaches to the job's event stream by id, so a reload (or a
 * second tab) picks up where the job is; cancel and the job's own actions (pause, resume) are POSTs.
 */
import { useEffect, useState } from 'preact/hooks';
import { getJson, postJson, type ApiErrorBody } from '../api.js';
import { openEventStream } from '../event-stream.js';
import { ErrorBox, Loading, PageTitle, ProgressView, toErrorBody } from '../components.js';
import { formatBytes, formatDuration, plural } from '../format.js';
import { href } from '../router.js';
import type { IssueList, Job, JobProgress } from '../types.js';

export function useJob(id: string): { job?: Job; error?: ApiErrorBody } {
  const [job, setJob] = useState<Job>();
  const [error, setError] = useState<ApiErrorBody>();
  useEffect(() => {
    let close = () => {};
    close = openEventStream(`/api/jobs/${encodeURIComponent(id)}/events`, {
      event(name, data) {
        if (name === 'snapshot') setJob(data as Job);
        else if (name === 'progress') setJob((j) => (j ? { ...j, progress: data as JobProgress } : j));
        else if (name === 'end') {
          setJob(data as Job);
          close();
        }
      },
      refused(err) {
        setError(err);
      },
      // The stream dropped: ask once why (job ended meanwhile, wizard stopped); else it reconnects.
      dropped() {
        getJson<{ job: Job }>(`/api/jobs/${encodeURIComponent(id)}`).then(
          (r) => {
            if (r.job.state !== 'running') {
              setJob(r.job);
              close();
            }
          },
          (err) => {
            setError(toErrorBody(err));
            close();
          },
        );
      },
    });
    return () => close();
  }, [id]);
  return { job, error };
}

function Issues({ title, list }: { title: string; list: IssueList | undefined }) {
  if (!list || list.count === 0) return null;
  return (
    <details class="issues">
      <summary>
        {title}: {list.count}
      </summary>
      <ul>
        {list.first.map((i) => (
          <li key={`${i.domain}/${i.relativePath}`}>
            <code>
              {i.domain}/{i.relativePath}
            </code>
            : {i.reason}
            {i.writtenAs ? ` (written as ${i.writtenAs})` : ''}
          </li>
        ))}
        {list.count > list.first.length && <li>… and {list.count - list.first.length} more (the command line with --json lists them all)</li>}
      </ul>
    </details>
  );
}

interface FolderResult {
  out: string;
  bytes: number;
  written?: number;
  files?: number;
  directories?: number;
  symlinks?: number;
  missing?: IssueList;
  refused?: IssueList;
  sanitized?: IssueList;
  skipped?: IssueList;
  failed?: IssueList;
}

function Reveal({ path }: { path: string }) {
  const [error, setError] = useState<ApiErrorBody>();
  const open = () => postJson('/api/reveal', { path }).then(() => setError(undefined), (e) => setError(toErrorBody(e)));
  return (
    <>
      <button type="button" class="secondary" onClick={open}>
        Open the folder
      </button>
      <ErrorBox error={error} />
    </>
  );
}

interface ExportResult {
  kind: 'export';
  out: string;
  report: string;
  categories: Array<{ category: string; status: string; count: number; message?: string; page?: string; warnings: string[]; warningCount: number; missingColumns?: string[] }>;
}

const STATUS_TEXT: Record<string, string> = { exported: 'exported', empty: 'nothing in it', missing: 'not in this backup', failed: 'FAILED' };
const CATEGORY_NAMES: Record<string, string> = { messages: 'Messages', contacts: 'Contacts', calls: 'Calls', photos: 'Photos', notes: 'Notes', whatsapp: 'WhatsApp' };

function ExportSummary({ r }: { r: ExportResult }) {
  const [error, setError] = useState<ApiErrorBody>();
  const [view, setView] = useState<string>();
  // The wizard shows the report itself (no desktop opener needed): ask for its address once.
  useEffect(() => {
    postJson<{ url: string }>('/api/view', { path: r.report }).then((v) => setView(v.url), () => setView(undefined));
  }, [r.report]);
  const open = (path: string) => postJson('/api/reveal', { path }).then(() => setError(undefined), (e) => setError(toErrorBody(e)));
  const nothing = r.categories.every((c) => c.status !== 'exported' || c.count === 0);
  return (
    <section class="card summary" aria-labelledby="summary-title" data-testid="summary">
      <h2 id="summary-title">{nothing ? 'Nothing to export' : 'Done'}</h2>
      {nothing && <p>This backup has none of the chosen things in it (or they could not be read). The table says what was looked for.</p>}
      <div class="table-wrap" tabIndex={0} role="region" aria-label="What was exported">
        <table class="files">
          <caption class="sr-only">Exported categories</caption>
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Result</th>
              <th scope="col">Count</th>
            </tr>
          </thead>
          <tbody>
            {r.categories.map((c) => (
              <tr key={c.category} data-status={c.status}>
                <td>{CATEGORY_NAMES[c.category] ?? c.category}</td>
                <td>
                  {c.status === 'failed' ? `FAILED: ${c.message ?? ''}` : c.status !== 'exported' && c.message ? c.message : (STATUS_TEXT[c.status] ?? c.status)}
                  {c.warningCount ? ` (${plural(c.warningCount, 'warning')})` : ''}
                </td>
                <td>{c.count.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>Written to</p>
      <p>
        <code class="out-path">{r.out}</code>
      </p>
      <p>
        The report: <code class="out-path" data-testid="report-path">{r.report}</code>
      </p>
      <div class="actions-row">
        {view && (
          <a class="button" href={view} target="_blank" rel="noopener noreferrer" data-testid="view-report">
            View the report
          </a>
        )}
        <button type="button" class="secondary" onClick={() => open(r.out)}>
          Open the folder
        </button>
      </div>
      <p class="hint">The report opens in a new tab of this browser; the folder opens in your file manager, when this computer has one.</p>
      <ErrorBox error={error} />
    </section>
  );
}

function RestoreSummary({ r }: { r: { kind: string; logPath: string; seconds: number } }) {
  return (
    <section class="card summary" aria-labelledby="summary-title" data-testid="summary">
      <h2 id="summary-title">Restore finished</h2>
      <p>
        Set the device up. {r.kind === 'erase' ? 'If it asks for an Apple Account (Activation Lock), use the one that was signed in on it. Then restore your backup.' : ''}
      </p>
      {r.kind === 'erase' && (
        <p>
          Next: <a href={href('put-back')}>put my data back</a> from a backup on this computer.
        </p>
      )}
      <p>
        Full log: <code class="out-path">{r.logPath}</code>
      </p>
    </section>
  );
}

function Summary({ job }: { job: Job }) {
  if ((job.result as ExportResult | undefined)?.kind === 'export') return <ExportSummary r={job.result as ExportResult} />;
  if ((job.result as { restored?: boolean } | undefined)?.restored) return <RestoreSummary r={job.result as { kind: string; logPath: string; seconds: number }} />;
  const r = job.result as FolderResult | undefined;
  if (!r || typeof r !== 'object' || !('out' in r)) return <pre class="result">{JSON.stringify(job.result, null, 2)}</pre>;
  const count = r.written ?? r.files ?? 0;
  return (
    <section class="card summary" aria-labelledby="summary-title" data-testid="summary">
      <h2 id="summary-title">Done</h2>
      <p>
        {plural(count, 'file')} ({formatBytes(r.bytes)})
        {r.directories !== undefined ? `, ${plural(r.directories, 'folder')}, ${plural(r.symlinks ?? 0, 'link')}` : ''} written to
      </p>
      <p>
        <code class="out-path">{r.out}</code>
      </p>
      <Reveal path={r.out} />
      <Issues title="Listed in the backup but missing from its folder (skipped)" list={r.missing} />
      <Issues title="Refused (the name would land outside the folder)" list={r.refused} />
      <Issues title="Renamed (the name could not be stored here)" list={r.sanitized} />
      <Issues title="Skipped" list={r.skipped} />
      <Issues title="Damaged, not written" list={r.failed} />
    </section>
  );
}

export function JobPage({ id }: { id: string }) {
  const { job, error } = useJob(id);
  const [actionError, setActionError] = useState<ApiErrorBody>();
  const post = (what: string) => postJson(`/api/jobs/${encodeURIComponent(id)}/${what}`).then(() => setActionError(undefined), (e) => setActionError(toErrorBody(e)));
  const elapsed = job?.endedAt ? (new Date(job.endedAt).getTime() - new Date(job.startedAt).getTime()) / 1000 : undefined;
  return (
    <section>
      <PageTitle>{job?.title ?? 'Task'}</PageTitle>
      {job?.links?.session && (
        <p>
          <a href={href('open', job.links.session)}>← Back to the backup</a>
        </p>
      )}
      {job?.kind === 'recover' && job.links?.backup && (
        <p>
          <a href={href('recover', job.links.backup, job.id)}>Follow this search on the recovery page</a> (pause, resume, and the password once found).
        </p>
      )}
      <ErrorBox error={error} />
      {!job && !error && <Loading label="Connecting to the task…" />}
      {job && (
        <>
          <p class="state" role="status" data-state={job.state}>
            {job.state === 'running' ? 'Working…' : job.state === 'done' ? `Finished${elapsed !== undefined ? ` in ${formatDuration(elapsed)}` : ''}.` : job.state === 'cancelled' ? 'Stopped.' : 'Failed.'}
          </p>
          {job.state === 'running' && (
            <>
              <ProgressView progress={job.progress} label={job.title} />
              <div class="actions-row">
                {job.actions.map((a) => (
                  <button key={a} type="button" class="secondary" onClick={() => post(`actions/${a}`)}>
                    {a[0].toUpperCase() + a.slice(1)}
                  </button>
                ))}
                <button type="button" class="danger" onClick={() => post('cancel')}>
                  Cancel
                </button>
              </div>
              <p class="hint">You can close or reload this page: the task keeps running, and this page picks it up again.</p>
            </>
          )}
          <ErrorBox error={actionError} />
          {job.state === 'failed' && <ErrorBox error={job.error} />}
          {job.state === 'cancelled' && job.error && <p>{job.error.next}</p>}
          {job.state === 'done' && <Summary job={job} />}
        </>
      )}
    </section>
  );
}
