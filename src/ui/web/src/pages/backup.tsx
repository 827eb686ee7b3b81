/**
 * One backup: what it is, and the password form that opens it. The password goes in a POST body
 * only and is dropped from the page as soon as the backup opens (or fails to).
 */
import { useState } from 'preact/hooks';
import { getJson, postJson, type ApiErrorBody } from '../api.js';
import { ErrorBox, Field, Loading, PageTitle, toErrorBody, useLoad } from '../components.js';
import { deviceLabel, formatBytes, formatDate } from '../format.js';
import { go, href } from '../router.js';
import type { BackupItem, SessionItem } from '../types.js';

function Info({ b }: { b: BackupItem }) {
  const rows: Array<[string, string | undefined]> = [
    ['Device', b.deviceName],
    ['Model', b.modelName ?? b.productType],
    ['iOS', b.productVersion],
    ['Backup date', formatDate(b.lastBackupDate)],
    ['Encrypted', b.encrypted === undefined ? 'unknown (see the problems below)' : b.encrypted ? 'yes (a password is needed)' : 'no'],
    ['State', b.state],
    ['Size on disk', formatBytes(b.sizeOnDisk)],
    ['Files', b.fileCount !== undefined ? b.fileCount.toLocaleString() : b.encrypted ? 'known once unlocked' : undefined],
    ['Folder', b.path],
  ];
  return (
    <dl class="info">
      {rows
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  );
}

function Unlock({ b }: { b: BackupItem }) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await postJson<{ session: SessionItem }>(`/api/backups/${encodeURIComponent(b.id)}/unlock`, b.encrypted ? { password } : {});
      setPassword('');
      go('open', r.session.id);
    } catch (err) {
      setPassword('');
      setError(toErrorBody(err));
      setBusy(false);
    }
  };
  return (
    <form class="card" method="post" onSubmit={submit} aria-labelledby="unlock-title">
      <h2 id="unlock-title">{b.encrypted ? 'Unlock with the backup password' : 'Open this backup'}</h2>
      {b.encrypted && (
        <>
          <p>This is the password chosen when “Encrypt local backup” was turned on in iTunes or Finder, not the iPhone’s passcode.</p>
          {b.demo && b.demoPassword && (
            <p class="note">
              Demo backup: its password is <code class="demo-password">{b.demoPassword}</code>.{' '}
              <button type="button" class="link" onClick={() => setPassword(b.demoPassword!)}>
                Fill it in
              </button>
            </p>
          )}
          <Field id="password" label="Backup password">
            <input id="password" name="password" type="password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} autocomplete="off" required disabled={busy} />
          </Field>
        </>
      )}
      <button type="submit" disabled={busy} aria-busy={busy}>
        {busy ? (b.encrypted ? 'Checking the password…' : 'Opening…') : b.encrypted ? 'Unlock' : 'Open'}
      </button>
      {busy && b.encrypted && (
        <p role="status" class="loading">
          Checking the password and reading the file list (a few seconds: the encryption is made to be slow)…
        </p>
      )}
      <ErrorBox error={error} />
      {b.encrypted && (
        <p>
          Forgot it? <a href={href('recover', b.id)}>Recover a forgotten password</a>.
        </p>
      )}
    </form>
  );
}

export function BackupPage({ id }: { id: string }) {
  const { data, error } = useLoad(() => getJson<{ backup: BackupItem }>(`/api/backups/${encodeURIComponent(id)}`), [id]);
  return (
    <section>
      <PageTitle>{data ? deviceLabel(data.backup) : 'Backup'}</PageTitle>
      <p>
        <a href={href('backups')}>← All backups</a>
      </p>
      <ErrorBox error={error} />
      {!data && !error && <Loading />}
      {data && (
        <>
          <Info b={data.backup} />
          {data.backup.problems.length > 0 && <p class="warn">Problems: {data.backup.problems.join('; ')}</p>}
          <Unlock b={data.backup} />
        </>
      )}
    </section>
  );
}
