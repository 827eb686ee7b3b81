/**
 * "Put my data back": the last step of the forgotten-passcode journey (guide, then the erase on
 * the restore page, then this). Pick a backup, unlock it, check the connected device, restore.
 * The step and the chosen backup live in the hash (#/put-back/<backup id>/job/<job id>), so a
 * reload or the link from the erase keeps the place; the password stays in this page's memory.
 */
import { useState } from 'preact/hooks';
import { getJson, postJson, type ApiErrorBody } from '../api.js';
import { ErrorBox, Field, Loading, PageTitle, ProgressView, toErrorBody, useLoad } from '../components.js';
import { formatBytes } from '../format.js';
import { go, href } from '../router.js';
import type { BackupItem } from '../types.js';
import { useJob } from './job.js';

interface Check {
  id: string;
  ok: boolean | 'unknown';
  sentence: string;
  next?: string;
}
interface Plan {
  backup: { udid: string; deviceName?: string; productVersion?: string; encrypted: boolean; bytes: number };
  device: { udid: string; deviceName?: string; productVersion?: string };
  checks: Check[];
  canRestore: boolean;
}

function Steps({ at }: { at: number }) {
  const names = ['Find your way (guide)', 'Erase the device (restore)', 'Put my data back'];
  return (
    <ol class="journey" aria-label="Forgot-passcode journey">
      {names.map((n, i) => (
        <li key={n} aria-current={i === at ? 'step' : undefined}>
          {i === 0 ? <a href={href('guide')}>{n}</a> : i === 1 ? <a href={href('devices')}>{n}</a> : n}
        </li>
      ))}
    </ol>
  );
}

function Checks({ plan }: { plan: Plan }) {
  return (
    <ul class="checks" data-testid="checks">
      {plan.checks.map((c) => (
        <li key={c.id} data-ok={String(c.ok)}>
          {c.ok === true ? '✓ ' : c.ok === false ? '✗ ' : '? '}
          {c.sentence} {c.ok !== true && c.next ? <strong>{c.next}</strong> : null}
        </li>
      ))}
    </ul>
  );
}

function RunningRestore({ id }: { id: string }) {
  const { job, error } = useJob(id);
  if (error) return <ErrorBox error={error} />;
  if (!job) return <Loading />;
  if (job.state === 'running') return <ProgressView progress={job.progress} label="Restoring" />;
  if (job.state === 'done') {
    const r = job.result as { filesSent: number; reboots: boolean };
    return (
      <section class="card summary" data-testid="summary">
        <h2>Your data is back on the device</h2>
        <p>
          {r.filesSent} files sent. {r.reboots ? 'The device restarts now; finish its setup, and apps download again by themselves.' : 'Restart the device to see your data.'}
        </p>
      </section>
    );
  }
  return <ErrorBox error={job.error ? { code: job.error.code, message: job.error.message, next: job.error.next } : { code: 'INTERNAL', message: `the restore ${job.state}`, next: '' }} />;
}

export function PutBackPage({ route }: { route: string[] }) {
  const [backupId, , jobId] = route;
  const { data, error: listError } = useLoad(() => getJson<{ backups: BackupItem[] }>('/api/backups'), []);
  const [password, setPassword] = useState('');
  const [plan, setPlan] = useState<Plan>();
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody>();
  const chosen = data?.backups.find((b) => b.id === backupId);
  const call = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(toErrorBody(e));
    } finally {
      setBusy(false);
    }
  };
  const body = () => ({ backup: backupId, password: chosen?.encrypted ? password : undefined });
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Put my data back</PageTitle>
      <Steps at={2} />
      <p>After the erase, set the device up until it asks about apps and data, connect it to this computer, unlock it and tap Trust. Then choose the backup to put back.</p>
      {jobId ? (
        <RunningRestore id={jobId} />
      ) : !data ? (
        listError ? <ErrorBox error={listError} /> : <Loading />
      ) : (
        <>
          <Field id="put-back-backup" label="Backup">
            <select id="put-back-backup" value={backupId ?? ''} onChange={(e) => (setPlan(undefined), go('put-back', (e.target as HTMLSelectElement).value))}>
              <option value="">Choose a backup…</option>
              {data.backups.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.deviceName ?? 'Backup'} · iOS {b.productVersion ?? '?'} · {b.lastBackupDate?.slice(0, 10) ?? ''} · {formatBytes(b.sizeOnDisk ?? 0)}
                  {b.encrypted ? ' · encrypted' : ''}
                </option>
              ))}
            </select>
          </Field>
          {chosen?.encrypted && (
            <Field id="put-back-password" label="Backup password" hint="Checked against the backup before anything is sent to the device. Forgotten? Use “Forgot password”.">
              <input id="put-back-password" type="password" autocomplete="off" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
            </Field>
          )}
          {chosen && (
            <p>
              <button type="button" disabled={busy} onClick={() => call(async () => setPlan((await postJson<{ plan: Plan }>('/api/device-restore/plan', body())).plan))}>
                Check the device
              </button>
            </p>
          )}
          {plan && <Checks plan={plan} />}
          {plan?.canRestore && (
            <>
              <label>
                <input type="checkbox" checked={confirm} onChange={(e) => setConfirm((e.target as HTMLInputElement).checked)} /> Replace the data on {plan.device.deviceName ?? 'the device'} with this backup
              </label>
              <p>
                <button
                  type="button"
                  disabled={busy || !confirm}
                  onClick={() =>
                    call(async () => {
                      const r = await postJson<{ job: { id: string } }>('/api/device-restore/start', { ...body(), confirm: true });
                      setPassword('');
                      go('put-back', backupId!, 'job', r.job.id);
                    })
                  }
                >
                  Put my data back
                </button>
              </p>
            </>
          )}
          <ErrorBox error={error} />
        </>
      )}
    </section>
  );
}
