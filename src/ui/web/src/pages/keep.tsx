/**
 * Keep a copy of a backup before the next backup overwrites it. Reached from the guide's warning
 * before "Reset All Settings, then back up again"; each backup gets a "Keep a copy" button.
 */
import { useState } from 'preact/hooks';
import { getJson, postJson, type ApiErrorBody } from '../api.js';
import { ErrorBox, Loading, PageTitle, toErrorBody, useLoad } from '../components.js';
import { formatBytes } from '../format.js';
import type { BackupItem } from '../types.js';

export function KeepPage() {
  const { data, error, reload } = useLoad(() => getJson<{ backups: BackupItem[] }>('/api/backups'), []);
  const [kept, setKept] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string>();
  const [failed, setFailed] = useState<ApiErrorBody>();
  const keep = async (id: string) => {
    setBusy(id);
    setFailed(undefined);
    try {
      const r = await postJson<{ kept: { to: string } }>(`/api/backups/${encodeURIComponent(id)}/keep`);
      setKept((k) => ({ ...k, [id]: r.kept.to }));
      reload();
    } catch (e) {
      setFailed(toErrorBody(e));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Keep a copy of a backup</PageTitle>
      <p>Finder, iTunes and Apple Devices keep one backup per device, and the next backup replaces it. Before you back up again (for example after Reset All Settings), keep a copy of the backup you may still want to open. The copy goes beside it, named after the device and the date; the backup itself is not changed.</p>
      {!data ? (
        error ? <ErrorBox error={error} /> : <Loading />
      ) : (
        <ul class="backups" data-testid="keep-list">
          {data.backups.map((b) => (
            <li key={b.id}>
              {b.deviceName ?? 'Backup'} · iOS {b.productVersion ?? '?'} · {b.lastBackupDate?.slice(0, 10) ?? ''} · {formatBytes(b.sizeOnDisk ?? 0)} {b.encrypted ? '· encrypted ' : ''}
              {kept[b.id] ? (
                <span data-testid="kept">
                  Kept as <code class="out-path">{kept[b.id]}</code>
                </span>
              ) : (
                <button type="button" disabled={busy !== undefined} onClick={() => keep(b.id)} aria-label={`Keep a copy of the backup of ${b.deviceName ?? 'this device'} from ${b.lastBackupDate?.slice(0, 10) ?? 'an unknown date'}`}>
                  Keep a copy
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorBox error={failed} />
    </section>
  );
}
