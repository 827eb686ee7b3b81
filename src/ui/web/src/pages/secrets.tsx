/**
 * "Passwords and Screen Time" for an unlocked backup: what it can hold (counts only) first, then the
 * Screen Time / Restrictions passcode on request, and the saved passwords written to a file only
 * after the owner ticks the consent box. Secrets are shown only in this page's memory, never in the
 * address, storage or job events.
 */
import { useState } from 'preact/hooks';
import { getJson, postJson, type ApiErrorBody } from '../api.js';
import { ErrorBox, Field, Loading, PageTitle, toErrorBody, useLoad } from '../components.js';
import { formatDate } from '../format.js';
import { href } from '../router.js';

interface KeychainSummary {
  websites: number;
  wifi: number;
  apps: number;
  certificates: number;
  keys: number;
  locked: { total: number; byKind: Record<string, number>; reason: string };
  damaged: number;
}

interface SecretsInfo {
  deviceName?: string;
  iosVersion?: string;
  backupDate?: string;
  passcode: { method: string; summary: string; searchable: boolean };
  keychain: { available: boolean; reason?: string; summary?: KeychainSummary };
  formats: string[];
  suggested: string;
}

interface PasscodeResult {
  found: boolean;
  passcode?: string;
  source?: 'keychain' | 'restrictions';
  candidates: Array<{ passcode: string; source: string }>;
  message: string;
  appleRoute?: string[];
}

const FORMAT_LABELS: Record<string, string> = { apple: 'Apple Passwords (Safari)', chrome: 'Google Chrome', bitwarden: 'Bitwarden', '1password': '1Password', firefox: 'Firefox', json: 'Only the full report (JSON)' };

function Passcode({ sid, info }: { sid: string; info: SecretsInfo }) {
  const [result, setResult] = useState<PasscodeResult>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody>();
  const look = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await postJson<PasscodeResult>(`/api/secrets/${encodeURIComponent(sid)}/passcode`, {}));
    } catch (e) {
      setError(toErrorBody(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="passcode-title">
      <h2 id="passcode-title">Screen Time or Restrictions passcode</h2>
      <p>{info.passcode.summary}</p>
      {info.passcode.searchable && !result && (
        <button type="button" onClick={look} disabled={busy}>
          {busy ? 'Looking…' : 'Show the passcode'}
        </button>
      )}
      {result?.found && (
        <p role="status">
          {result.source === 'keychain' ? 'Screen Time passcode' : 'Restrictions passcode'}: <strong class="secret">{result.passcode}</strong>
          <br />
          {result.message}
        </p>
      )}
      {(result && !result.found) || (!info.passcode.searchable && info.passcode.method === 'not-in-backup') ? (
        <>
          {result && <p role="status">{result.message}</p>}
          <p>What you can do:</p>
          <ul>
            {(result?.appleRoute ?? [
              'On the device: Settings > Screen Time > Change Screen Time Passcode > Forgot Passcode?, then the Apple Account used to set it (iOS 13.4 and later).',
              "On a child's device, the family organiser can change it from their own iPhone.",
            ]).map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
          <p>
            An older backup of the same iPhone, from iOS 12 or earlier, may still hold it: open it from <a href={href('backups')}>Backups</a>.
          </p>
        </>
      ) : null}
      <ErrorBox error={error} />
    </section>
  );
}

function Keychain({ sid, info }: { sid: string; info: SecretsInfo }) {
  const [format, setFormat] = useState('apple');
  const [out, setOut] = useState<string>();
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ files: string[]; formulaCells: number }>();
  const [error, setError] = useState<ApiErrorBody>();
  const k = info.keychain;
  if (!k.available || !k.summary)
    return (
      <section class="card" aria-labelledby="kc-title">
        <h2 id="kc-title">Saved passwords and Wi-Fi networks</h2>
        <p>{k.reason}</p>
      </section>
    );
  const s = k.summary;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!consent) {
      setError({ code: 'USAGE', message: 'please confirm first', next: 'Tick the box to confirm that this is your own backup.' });
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      setDone(await postJson<{ files: string[]; formulaCells: number }>(`/api/secrets/${encodeURIComponent(sid)}/keychain`, { consent: true, format, out: out ?? info.suggested }));
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="kc-title">
      <h2 id="kc-title">Saved passwords and Wi-Fi networks</h2>
      <p>
        This backup holds {s.websites} website password(s), {s.wifi} Wi-Fi network(s) and {s.apps} app password(s).
      </p>
      {s.locked.total > 0 && (
        <p class="note">
          {s.locked.total} more item(s) ({Object.entries(s.locked.byKind).map(([kind, n]) => `${n} ${kind}`).join(', ')}) cannot be read from any backup: {s.locked.reason}.
        </p>
      )}
      {done ? (
        <div role="status">
          <p>Written (readable by you only):</p>
          <ul>
            {done.files.map((f) => (
              <li key={f}>
                <code>{f}</code>
              </li>
            ))}
          </ul>
          <p class="warn">These files hold every password in clear text: import them into your password manager, then delete them.</p>
        </div>
      ) : (
        <form onSubmit={submit}>
          <Field id="kc-format" label="For which password manager">
            <select id="kc-format" value={format} onChange={(e) => setFormat(e.currentTarget.value)}>
              {info.formats.map((f) => (
                <option key={f} value={f}>
                  {FORMAT_LABELS[f] ?? f}
                </option>
              ))}
            </select>
          </Field>
          <Field id="kc-out" label="Folder for the file" hint="Created if needed. ~ means your home folder.">
            <input id="kc-out" type="text" value={out ?? info.suggested} onInput={(e) => setOut(e.currentTarget.value)} required spellcheck={false} autocomplete="off" aria-describedby="kc-out-hint" />
          </Field>
          <div class="check">
            <input id="kc-consent" type="checkbox" checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} />
            <label for="kc-consent">This is my own backup, and I understand the file will hold my passwords in clear text.</label>
          </div>
          <button type="submit" disabled={busy}>
            {busy ? 'Writing…' : 'Write the passwords file'}
          </button>
        </form>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

export function SecretsPage({ sid }: { sid?: string }) {
  const { data, error } = useLoad(() => (sid ? getJson<SecretsInfo>(`/api/secrets/${encodeURIComponent(sid)}`) : Promise.resolve(undefined)), [sid]);
  return (
    <section>
      <PageTitle>Passwords and Screen Time</PageTitle>
      {!sid ? (
        <p class="note">
          First unlock a backup: <a href={href('backups')}>go to your backups</a>, open one, then choose “Passwords and Screen Time”.
        </p>
      ) : (
        <>
          <p>
            <a href={href('open', sid)}>← Back to the backup</a>
          </p>
          <ErrorBox error={error} />
          {!data && !error && <Loading />}
          {data && (
            <>
              <p>
                Backup of {data.deviceName ?? 'the iPhone'}
                {data.iosVersion ? `, iOS ${data.iosVersion}` : ''}
                {data.backupDate ? `, made ${formatDate(data.backupDate)}` : ''}.
              </p>
              <Passcode sid={sid} info={data} />
              <Keychain sid={sid} info={data} />
            </>
          )}
        </>
      )}
    </section>
  );
}
