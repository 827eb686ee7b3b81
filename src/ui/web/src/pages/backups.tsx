/**
 * The backups on this computer. With none found, the demo backup is offered (generated here, its
 * public password shown), so a new user can try every backup flow at once.
 */
import { useState } from 'preact/hooks';
import { getJson, postJson, type ApiErrorBody } from '../api.js';
import { ErrorBox, Field, Loading, PageTitle, toErrorBody, useLoad } from '../components.js';
import { deviceLabel, formatBytes, formatDate } from '../format.js';
import { go, href } from '../router.js';
import type { BackupItem } from '../types.js';

interface ListReply {
  backups: BackupItem[];
  roots: string[];
  demo: { password: string; exists: boolean; offered: boolean };
}

function DemoOffer({ password, onMade }: { password: string; onMade: (b: BackupItem) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody>();
  const make = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await postJson<{ backup: BackupItem }>('/api/demo');
      onMade(r.backup);
    } catch (e) {
      setError(toErrorBody(e));
      setBusy(false);
    }
  };
  return (
    <section class="card demo" aria-labelledby="demo-title">
      <h2 id="demo-title">Try the demo backup</h2>
      <p>
        No backup was found on this computer. You can try every step on a demo backup instead: an encrypted backup of a made-up iPhone, created on this computer in a few seconds (nothing is downloaded).
      </p>
      <p>
        Its password is <code class="demo-password">{password}</code>.
      </p>
      <button type="button" onClick={make} disabled={busy} aria-busy={busy}>
        {busy ? 'Creating the demo backup…' : 'Create the demo backup'}
      </button>
      {busy && (
        <p role="status" class="loading">
          Creating the demo backup (it uses real encryption, so this takes a few seconds)…
        </p>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

function AddFolder({ onAdded }: { onAdded: () => void }) {
  const [path, setPath] = useState('');
  const [error, setError] = useState<ApiErrorBody>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await postJson('/api/backups/add', { path });
      setPath('');
      onAdded();
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" method="post" onSubmit={submit} aria-labelledby="add-title">
      <h2 id="add-title">Backup somewhere else?</h2>
      <Field id="add-path" label="Folder holding the backup" hint="The backup folder itself (it contains Manifest.plist), or the folder above it. ~ means your home folder.">
        <input id="add-path" type="text" value={path} onInput={(e) => setPath(e.currentTarget.value)} required aria-describedby="add-path-hint" spellcheck={false} autocomplete="off" />
      </Field>
      <button type="submit" disabled={busy}>
        Look in this folder
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

export function BackupsPage() {
  const { data, error, reload } = useLoad(() => getJson<ListReply>('/api/backups'), []);
  return (
    <section>
      <PageTitle>Backups on this computer</PageTitle>
      <ErrorBox error={error} />
      {!data && !error && <Loading label="Looking for backups…" />}
      {data && data.demo.offered && <DemoOffer password={data.demo.password} onMade={(b) => go('backups', b.id)} />}
      {data && data.backups.length > 0 && (
        <ul class="backup-list" aria-label="Backups">
          {data.backups.map((b) => (
            <li key={b.id} class="card">
              <h2 class="backup-name">
                <a href={href('backups', b.id)}>{deviceLabel(b)}</a>
                {b.demo && <span class="tag">demo</span>}
              </h2>
              <p>
                {formatDate(b.lastBackupDate)} · {b.encrypted === undefined ? 'encryption unknown' : b.encrypted ? 'encrypted' : 'not encrypted'} · {formatBytes(b.sizeOnDisk)}
                {b.state !== 'complete' && b.state !== 'unknown' ? ` · backup ${b.state}` : ''}
              </p>
              {b.demo && b.demoPassword && (
                <p>
                  Demo password: <code class="demo-password">{b.demoPassword}</code>
                </p>
              )}
              {b.problems.length > 0 && <p class="warn">Problems: {b.problems.join('; ')}</p>}
            </li>
          ))}
        </ul>
      )}
      {data && data.backups.length === 0 && !data.demo.offered && <p>No backups found.</p>}
      {data && (
        <details class="roots">
          <summary>Where irescue looked</summary>
          <ul>
            {data.roots.map((r) => (
              <li key={r}>
                <code>{r}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
      <AddFolder onAdded={reload} />
    </section>
  );
}
