/**
 * Export from an unlocked backup: choose what (messages, contacts, calls, photos, notes, or all),
 * where to, then a job with live progress whose summary links the report.
 */
import { useState } from 'preact/hooks';
import { getJson, postJson, type ApiErrorBody } from '../api.js';
import { ErrorBox, Field, Loading, PageTitle, toErrorBody, useLoad } from '../components.js';
import { deviceLabel } from '../format.js';
import { go, href } from '../router.js';
import type { Job, SessionItem } from '../types.js';

const LABELS: Record<string, string> = { messages: 'Messages (SMS and iMessage, with attachments)', contacts: 'Contacts (vCard and CSV)', calls: 'Call history', photos: 'Photos and videos', notes: 'Notes', whatsapp: 'WhatsApp chats' };

function ExportForm({ sid }: { sid: string }) {
  const { data, error } = useLoad(() => getJson<{ categories: string[]; suggested: string }>(`/api/export/${encodeURIComponent(sid)}`), [sid]);
  const session = useLoad(() => getJson<{ session: SessionItem }>(`/api/sessions/${encodeURIComponent(sid)}`), [sid]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [out, setOut] = useState<string>();
  const [byDate, setByDate] = useState(false);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<ApiErrorBody>();
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  const all = data.categories.every((c) => chosen.has(c));
  const toggle = (c: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(c);
    else next.delete(c);
    setChosen(next);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (chosen.size === 0) {
      setFormError({ code: 'USAGE', message: 'nothing chosen to export', next: 'Tick at least one thing to export, or “Everything”.' });
      return;
    }
    setBusy(true);
    setFormError(undefined);
    try {
      const r = await postJson<{ job: Job }>(`/api/export/${encodeURIComponent(sid)}`, { categories: all ? 'all' : [...chosen], out: out ?? data.suggested, byDate });
      go('jobs', r.job.id);
    } catch (err) {
      setFormError(toErrorBody(err));
      setBusy(false);
    }
  };
  return (
    <>
      {session.data && <p>From the backup of {deviceLabel(session.data.session.info)}.</p>}
      <form class="card" onSubmit={submit} aria-labelledby="export-title">
        <h2 id="export-title">What to export</h2>
        <fieldset>
          <legend>Choose one or more</legend>
          <div class="check">
            <input id="cat-all" type="checkbox" checked={all} onChange={(e) => setChosen(e.currentTarget.checked ? new Set(data.categories) : new Set())} />
            <label for="cat-all">
              <strong>Everything</strong>
            </label>
          </div>
          {data.categories.map((c) => (
            <div class="check" key={c}>
              <input id={`cat-${c}`} type="checkbox" checked={chosen.has(c)} onChange={(e) => toggle(c, e.currentTarget.checked)} />
              <label for={`cat-${c}`}>{LABELS[c] ?? c}</label>
            </div>
          ))}
        </fieldset>
        <Field id="export-out" label="Folder for the export" hint="Created if needed. ~ means your home folder. An index.html report lands in it.">
          <input id="export-out" type="text" value={out ?? data.suggested} onInput={(e) => setOut(e.currentTarget.value)} required spellcheck={false} autocomplete="off" aria-describedby="export-out-hint" />
        </Field>
        <div class="check">
          <input id="by-date" type="checkbox" checked={byDate} onChange={(e) => setByDate(e.currentTarget.checked)} />
          <label for="by-date">Photos: sort into folders by the date taken (YYYY/YYYY-MM-DD)</label>
        </div>
        <button type="submit" disabled={busy}>
          Export
        </button>
        <ErrorBox error={formError} />
      </form>
    </>
  );
}

function ChooseBackup() {
  const { data, error } = useLoad(() => getJson<{ sessions: SessionItem[] }>('/api/sessions'), []);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  if (data.sessions.length === 0)
    return (
      <p class="note">
        First unlock a backup: <a href={href('backups')}>go to your backups</a>, open one with its password, then come back here (or use “Export” on its page).
      </p>
    );
  return (
    <>
      <p>Export from which backup?</p>
      <ul class="choices">
        {data.sessions.map((s) => (
          <li key={s.id}>
            <a class="choice" href={href('export', s.id)}>
              <span class="choice-title">{deviceLabel(s.info)}</span>
              <span class="choice-text">{s.info.path}</span>
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

export function ExportPage({ route }: { route: string[] }) {
  return (
    <section>
      <PageTitle>Export messages, contacts, calls, photos and notes</PageTitle>
      <p>Readable copies from a backup: web pages you can open in any browser, plus CSV and vCard files. The backup itself is never changed.</p>
      {route[0] ? <ExportForm sid={route[0]} /> : <ChooseBackup />}
    </section>
  );
}
