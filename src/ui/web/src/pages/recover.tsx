/**
 * Recover a forgotten backup password: #/recover lists the encrypted backups; #/recover/ID asks for
 * guesses, hint words, common passwords, PINs and a mask, shows the plan (how many candidates, how
 * fast, how long) and starts the search; #/recover/ID/JOB follows it live with pause, resume and
 * cancel. A found password is fetched by POST and shown on screen only: never in the address,
 * browser storage or a log.
 */
import { useEffect, useState } from 'preact/hooks';
import { getJson, postJson, type ApiErrorBody } from '../api.js';
import { ErrorBox, Field, Loading, PageTitle, ProgressView, toErrorBody, useLoad } from '../components.js';
import { deviceLabel, formatDate, formatDuration, plural } from '../format.js';
import { go, href } from '../router.js';
import type { BackupItem, Job, SessionItem } from '../types.js';
import { useJob } from './job.js';

interface Plan {
  sources: Array<{ label: string; kind: string; size: number }>;
  total: number;
  from: number;
  resumeNote?: string;
  remembered: number;
  rate?: number;
  etaSeconds?: number;
  hopeless: boolean;
  engineDetail: string;
  workers: number;
  threadsPerWorker: number;
  hashcatCommand: string[];
}

interface Choices {
  tries: string;
  hints: string;
  common: boolean;
  pin4: boolean;
  pin6: boolean;
  mask: string;
  restart: boolean;
}

const EMPTY: Choices = { tries: '', hints: '', common: true, pin4: false, pin6: false, mask: '', restart: false };

// "Change the search" comes back with the hints and choices typed before (page memory only, never
// browser storage; the exact guesses are not kept: they leave the page once the server has them)
const lastChoices = new Map<string, Choices>();

function bodyOf(c: Choices) {
  const split = (s: string, commas: boolean) => s.split(commas ? /[\n,]/ : /\n/).map((x) => (commas ? x.trim() : x.replace(/\r$/, ''))).filter(Boolean);
  const pins: number[] = [];
  if (c.pin4) pins.push(4);
  if (c.pin6) pins.push(6);
  return { tries: split(c.tries, false), hints: split(c.hints, true), common: c.common, pins, mask: c.mask.trim() || undefined, restart: c.restart };
}

const rateText = (r: number) => (r >= 10 ? Math.round(r).toLocaleString() : r.toFixed(1));

function AddFolder({ onAdded }: { onAdded: (backups: BackupItem[]) => void }) {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody>();
  const add = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await postJson<{ backups: BackupItem[] }>('/api/backups/add', { path });
      onAdded(r.backups);
      setPath('');
    } catch (e) {
      setError(toErrorBody(e));
    }
    setBusy(false);
  };
  return (
    <form
      class="card"
      aria-labelledby="folder-title"
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
    >
      <h2 id="folder-title">Backup somewhere else?</h2>
      <Field id="folder" label="Folder of the backup (or the folder above it)" hint="For example a copy on an external disk: /Volumes/Disk/MobileSync/Backup">
        <input id="folder" type="text" value={path} onInput={(e) => setPath(e.currentTarget.value)} autocomplete="off" spellcheck={false} aria-describedby="folder-hint" />
      </Field>
      <div class="actions-row">
        <button type="submit" class="secondary" disabled={busy || !path.trim()} aria-busy={busy}>
          {busy ? 'Looking…' : 'Add this folder'}
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}

function BackupList() {
  const { data, error } = useLoad(() => getJson<{ backups: BackupItem[] }>('/api/backups'), []);
  const [added, setAdded] = useState<BackupItem[]>();
  const locked = (added ?? data?.backups)?.filter((b) => b.encrypted) ?? [];
  return (
    <>
      <p>irescue tries your guesses first, then variants of words that mean something to you (names, dates, pets, places), then common passwords and PINs. Everything runs on this computer.</p>
      <ErrorBox error={error} />
      {!data && !error && <Loading />}
      {data && locked.length === 0 && <p class="note">No encrypted backup found yet. If it is in another folder, give that folder below.</p>}
      {locked.length > 0 && (
        <>
          <h2>Which backup?</h2>
          <ul class="choices">
            {locked.map((b) => (
              <li key={b.id}>
                <a class="choice" href={href('recover', b.id)}>
                  <span class="choice-title">{deviceLabel(b)}</span>
                  <span class="choice-text">
                    {formatDate(b.lastBackupDate)} · <code>{b.path}</code>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {(data || error) && <AddFolder onAdded={setAdded} />}
    </>
  );
}

function PlanView({ plan }: { plan: Plan }) {
  return (
    <section class="card" aria-labelledby="plan-title" data-testid="plan">
      <h2 id="plan-title">The plan</h2>
      <ol>
        {plan.sources.map((s, i) => (
          <li key={i}>
            {s.label}: {s.size.toLocaleString()}
          </li>
        ))}
      </ol>
      <p>
        {plan.total.toLocaleString()} passwords in all (repeats of earlier ones are skipped).
        {plan.rate !== undefined && plan.etaSeconds !== undefined && (
          <>
            {' '}Measured speed: {rateText(plan.rate)} passwords/s on this computer, so everything is tried within <strong>{formatDuration(plan.etaSeconds)}</strong>. The password is usually found well before the end.
          </>
        )}
      </p>
      {plan.resumeNote && <p class="note">{plan.resumeNote[0].toUpperCase() + plan.resumeNote.slice(1)}.</p>}
      <details>
        <summary>Details</summary>
        <p>
          {plan.engineDetail}; {plural(plan.workers, 'worker')}, {plural(plan.threadsPerWorker, 'thread')} each.
        </p>
      </details>
      {plan.hopeless && (
        <div class="warn" role="alert">
          <p>
            <strong>This search would take more than a year on this computer.</strong> Narrow it (more hint words, a shorter mask), or run it on a graphics card with hashcat:
          </p>
          {plan.hashcatCommand.map((line, i) => (
            <p key={i}>
              {i > 0 && 'then '}
              <code>{line}</code>
            </p>
          ))}
          <p>
            (or hashcat’s own mask attack: <code>hashcat -m 14800 -a 3 hash.txt MASK</code>).
          </p>
        </div>
      )}
    </section>
  );
}

function SearchForm({ id }: { id: string }) {
  const backup = useLoad(() => getJson<{ backup: BackupItem }>(`/api/backups/${encodeURIComponent(id)}`), [id]);
  const [c, setC] = useState<Choices>(lastChoices.get(id) ?? EMPTY);
  const [plan, setPlan] = useState<Plan>();
  const [busy, setBusy] = useState<'' | 'plan' | 'start'>('');
  const [error, setError] = useState<ApiErrorBody>();
  const set = (patch: Partial<Choices>) => {
    setC({ ...c, ...patch });
    setPlan(undefined);
  };
  const call = async (what: 'plan' | 'start') => {
    setBusy(what);
    setError(undefined);
    try {
      if (what === 'plan') setPlan(await postJson<Plan>(`/api/recover/${encodeURIComponent(id)}/plan`, bodyOf(c)));
      else {
        const r = await postJson<{ job: Job }>(`/api/recover/${encodeURIComponent(id)}/start`, bodyOf(c));
        // the guesses leave the page once the server has them
        lastChoices.set(id, { ...c, tries: '', restart: false });
        setC(EMPTY);
        go('recover', id, r.job.id);
        return;
      }
    } catch (e) {
      setError(toErrorBody(e));
    }
    setBusy('');
  };
  if (backup.error) return <ErrorBox error={backup.error} />;
  if (!backup.data) return <Loading />;
  const b = backup.data.backup;
  return (
    <>
      <p>
        Backup of {deviceLabel(b)} ({formatDate(b.lastBackupDate)}). <a href={href('backups', id)}>Know the password? Unlock it.</a>
      </p>
      {!b.encrypted && <p class="note">This backup is not encrypted: it has no password. <a href={href('backups', id)}>Open it directly.</a></p>}
      <form
        class="card"
        aria-labelledby="what-title"
        onSubmit={(e) => {
          e.preventDefault();
          void call(plan ? 'start' : 'plan');
        }}
      >
        <h2 id="what-title">What might the password be?</h2>
        <Field id="tries" label="Exact guesses, one per line" hint="Passwords you may have used, tried exactly as typed (and with small typos).">
          <textarea id="tries" rows={3} value={c.tries} onInput={(e) => set({ tries: e.currentTarget.value })} autocomplete="off" spellcheck={false} aria-describedby="tries-hint" />
        </Field>
        <Field id="hints" label="Hint words (names, dates, pets, places…)" hint="One per line or separated by commas. irescue combines them with capitals, years, digits and symbols: “rex” and “1987” also give Rex1987.">
          <textarea id="hints" rows={3} value={c.hints} onInput={(e) => set({ hints: e.currentTarget.value })} autocomplete="off" spellcheck={false} aria-describedby="hints-hint" />
        </Field>
        <fieldset>
          <legend>Also try</legend>
          <div class="check">
            <input id="common" type="checkbox" checked={c.common} onChange={(e) => set({ common: e.currentTarget.checked })} />
            <label for="common">Common passwords (the most used ones worldwide)</label>
          </div>
          <div class="check">
            <input id="pin4" type="checkbox" checked={c.pin4} onChange={(e) => set({ pin4: e.currentTarget.checked })} />
            <label for="pin4">Every 4-digit PIN (10,000)</label>
          </div>
          <div class="check">
            <input id="pin6" type="checkbox" checked={c.pin6} onChange={(e) => set({ pin6: e.currentTarget.checked })} />
            <label for="pin6">Every 6-digit PIN (1,000,000: slow)</label>
          </div>
        </fieldset>
        <Field id="mask" label="Pattern (optional)" hint="If you remember its shape: ?u capital, ?l small letter, ?d digit, ?s symbol, other characters as they are. Example: Rex?d?d?d?d">
          <input id="mask" type="text" value={c.mask} onInput={(e) => set({ mask: e.currentTarget.value })} autocomplete="off" spellcheck={false} aria-describedby="mask-hint" />
        </Field>
        <div class="check">
          <input id="restart" type="checkbox" checked={c.restart} onChange={(e) => set({ restart: e.currentTarget.checked })} />
          <label for="restart">Start over (forget what earlier searches of this backup tried; otherwise new hints start a new search that skips every password already tried)</label>
        </div>
        <div class="actions-row">
          <button type="button" class={plan ? 'secondary' : undefined} disabled={busy !== ''} aria-busy={busy === 'plan'} onClick={() => void call('plan')}>
            {busy === 'plan' ? 'Measuring…' : 'Show the plan'}
          </button>
          {plan && (
            <button type="submit" disabled={busy !== ''} aria-busy={busy === 'start'}>
              {busy === 'start' ? 'Starting…' : 'Start searching'}
            </button>
          )}
        </div>
        {busy === 'plan' && (
          <p role="status" class="loading">
            Counting the candidates and measuring this computer’s speed (a few seconds)…
          </p>
        )}
        <ErrorBox error={error} />
      </form>
      {plan && <PlanView plan={plan} />}
    </>
  );
}

interface RecoverResult {
  kind: 'recover';
  found: boolean;
  tried: number;
  total: number;
  seconds: number;
  notes: string[];
  backup: string;
}

/**
 * "Tried X of Y · about 1 h left · 2 min so far": the time left as the server computes it (one
 * smoothed rate for the CLI and the wizard, src/progress.ts), not estimated again here.
 */
function SearchStatus({ job }: { job: Job }) {
  const p = job.progress;
  if (!p) return null;
  const left = p.etaSeconds;
  const elapsed = Math.max(0, (Date.now() - Date.parse(job.startedAt)) / 1000);
  const parts = [`Tried ${p.done.toLocaleString()}${p.total !== undefined ? ` of ${p.total.toLocaleString()}` : ''}`];
  if (left !== undefined && p.phase !== 'paused') parts.push(`about ${formatDuration(left)} left`);
  parts.push(`${formatDuration(elapsed)} so far`);
  return (
    <p class="search-status" data-testid="search-status">
      {parts.join(' · ')}
    </p>
  );
}

function Found({ jobId, backupId, result }: { jobId: string; backupId: string; result?: RecoverResult }) {
  const [copied, setCopied] = useState(false);
  const [password, setPassword] = useState<string>();
  const [error, setError] = useState<ApiErrorBody>();
  const [busy, setBusy] = useState(false);
  const backup = useLoad(() => getJson<{ backup: BackupItem }>(`/api/backups/${encodeURIComponent(backupId)}`), [backupId]);
  const where = backup.data?.backup.path ?? 'BACKUP';
  useEffect(() => {
    postJson<{ password: string }>(`/api/recover/found/${encodeURIComponent(jobId)}`).then((r) => setPassword(r.password), (e) => setError(toErrorBody(e)));
  }, [jobId]);
  const unlock = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await postJson<{ session: SessionItem }>(`/api/recover/found/${encodeURIComponent(jobId)}/unlock`);
      go('open', r.session.id);
    } catch (e) {
      setError(toErrorBody(e));
      setBusy(false);
    }
  };
  return (
    <section class="card summary" aria-labelledby="found-title" data-testid="found">
      <h2 id="found-title">Password found</h2>
      {password !== undefined && (
        <>
          {result && (
            <p data-testid="found-after">
              Found after {result.tried.toLocaleString()} {result.tried === 1 ? 'try' : 'tries'} in {formatDuration(result.seconds)}.
            </p>
          )}
          <p>The backup password is:</p>
          <p>
            <code class="demo-password" data-testid="found-password">
              {password}
            </code>{' '}
            <button
              type="button"
              class="secondary"
              onClick={() =>
                navigator.clipboard?.writeText(password).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </p>
          <p class="hint">Write it down somewhere safe now: this page does not keep it (a reload asks the wizard again; it forgets it when it stops).</p>
        </>
      )}
      <div class="actions-row">
        <button type="button" onClick={unlock} disabled={busy} aria-busy={busy}>
          {busy ? 'Unlocking…' : 'Unlock the backup with it'}
        </button>
      </div>
      <ErrorBox error={error} />
      <h3>Next steps</h3>
      <ul>
        <li>Unlock the backup here to browse, copy or export its files.</li>
        <li>
          In a terminal: <code>irescue extract {where} --out DIR --password-file FILE</code> (put the password on the first line of FILE; never on the command line).
        </li>
        <li>
          Back on the <a href={href('backups', backupId)}>backup’s page</a> you can also type it yourself.
        </li>
      </ul>
    </section>
  );
}

function SearchJob({ backupId, jobId }: { backupId: string; jobId: string }) {
  const { job, error } = useJob(jobId);
  const [actionError, setActionError] = useState<ApiErrorBody>();
  const post = (what: string) => postJson(`/api/jobs/${encodeURIComponent(jobId)}/${what}`).then(() => setActionError(undefined), (e) => setActionError(toErrorBody(e)));
  const paused = job?.progress?.phase === 'paused';
  const r = job?.result as RecoverResult | undefined;
  return (
    <>
      <p>
        <a href={href('recover', backupId)}>← Change the search</a>
      </p>
      <ErrorBox error={error} />
      {!job && !error && <Loading label="Connecting to the search…" />}
      {job && (
        <>
          <p class="state" role="status" data-state={paused ? 'paused' : job.state}>
            {job.state === 'running' ? (paused ? 'Paused: the progress is saved.' : 'Searching…') : job.state === 'done' ? (r?.found ? 'Found it.' : 'Not found.') : job.state === 'cancelled' ? 'Stopped.' : 'Failed.'}
          </p>
          {job.state === 'running' && (
            <>
              <SearchStatus job={job} />
              <ProgressView progress={job.progress && { ...job.progress, phase: paused ? 'paused' : 'tried' }} label="Passwords tried" />
              <div class="actions-row">
                {paused ? (
                  <button type="button" onClick={() => post('actions/resume')}>
                    Resume
                  </button>
                ) : (
                  <button type="button" class="secondary" onClick={() => post('actions/pause')}>
                    Pause
                  </button>
                )}
                <button type="button" class="danger" onClick={() => post('cancel')}>
                  Cancel
                </button>
              </div>
              <p class="hint">You can close or reload this page: the search keeps running in the wizard. Paused or stopped, it continues where it was.</p>
            </>
          )}
          <ErrorBox error={actionError} />
          {job.state === 'failed' && <ErrorBox error={job.error} />}
          {job.state === 'cancelled' && (
            <div class="actions-row">
              <button type="button" onClick={() => postJson<{ job: Job }>(`/api/recover/job/${encodeURIComponent(jobId)}/continue`).then((c) => go('recover', backupId, c.job.id), (e) => setActionError(toErrorBody(e)))}>
                Continue
              </button>
              <span class="hint">It goes on where it stopped; nothing tried is tried again.</span>
            </div>
          )}
          {job.state === 'done' && r?.found && <Found jobId={jobId} backupId={backupId} result={r} />}
          {job.state === 'done' && r && !r.found && (
            <section class="card summary" aria-labelledby="nf-title" data-testid="not-found">
              <h2 id="nf-title">Not among these {r.total.toLocaleString()} passwords</h2>
              <p>
                {r.tried.toLocaleString()} tried in {formatDuration(r.seconds)}. <a href={href('recover', backupId)}>Add more hint words, a pattern or PINs</a> and search again; what was tried is not tried again.
              </p>
              {r.notes.map((n) => (
                <p key={n} class="note">
                  {n}
                </p>
              ))}
            </section>
          )}
        </>
      )}
    </>
  );
}

export function RecoverPage({ route }: { route: string[] }) {
  const [id, jobId] = route;
  return (
    <section>
      <PageTitle>Recover a forgotten backup password</PageTitle>
      {!id && <BackupList />}
      {id && !jobId && <SearchForm id={id} />}
      {id && jobId && <SearchJob backupId={id} jobId={jobId} />}
    </section>
  );
}
