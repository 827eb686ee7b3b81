/**
 * An unlocked backup: its files by domain, and the two ways out: extract files to a folder, or a
 * full decrypted copy for tools that read only unencrypted backups. Both run as jobs.
 */
import { useEffect, useState } from 'preact/hooks';
import { getJson, postJson, type ApiErrorBody } from '../api.js';
import { CategoryPicker, DownloadButton, fileKey, PhotoGrid, PickedBar } from './browse-parts.js';
import { ErrorBox, Field, Loading, PageTitle, toErrorBody, useLoad } from '../components.js';
import { deviceLabel, formatBytes, formatDate } from '../format.js';
import { go, href } from '../router.js';
import type { FileItem, Job, SessionItem } from '../types.js';

interface SessionReply {
  session: SessionItem;
  domains: Array<{ domain: string; files: number }>;
  suggested: { extract: string; decrypt: string };
}

const PAGE = 100;

interface ListProps {
  sid: string;
  domain: string;
  setDomain: (d: string) => void;
  domains: SessionReply['domains'];
  /** the chosen category; id '' for all files */
  category: { id: string; label: string };
  picked: Map<string, FileItem>;
  toggle: (f: FileItem, on: boolean) => void;
}

function FileList({ sid, domain, setDomain, domains, category, picked, toggle }: ListProps) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  useEffect(() => setOffset(0), [domain, query, category.id]);
  useEffect(() => {
    const t = setTimeout(() => setQuery(q), 250);
    return () => clearTimeout(t);
  }, [q]);
  const params = new URLSearchParams({ offset: String(offset), limit: String(PAGE) });
  if (domain) params.set('domain', domain);
  if (query) params.set('q', query);
  if (category.id) params.set('category', category.id);
  const { data, error } = useLoad(() => getJson<{ total: number; offset: number; files: FileItem[] }>(`/api/sessions/${encodeURIComponent(sid)}/files?${params}`), [sid, domain, query, offset, category.id]);
  const pickedKeys = new Set(picked.keys());
  return (
    <section aria-labelledby="files-title">
      <h2 id="files-title">Files</h2>
      <div class="filters">
        <Field id="domain" label="Domain">
          <select id="domain" value={domain} onChange={(e) => setDomain(e.currentTarget.value)}>
            <option value="">All domains</option>
            {domains.map((d) => (
              <option key={d.domain} value={d.domain}>
                {d.domain} ({d.files})
              </option>
            ))}
          </select>
        </Field>
        <Field id="q" label="Name contains">
          <input id="q" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} autocomplete="off" spellcheck={false} />
        </Field>
      </div>
      <ErrorBox error={error} />
      {!data && !error && <Loading label="Loading files…" />}
      {data && (
        <>
          <p role="status" class="count">
            {data.total === 0 ? 'No files match.' : `Showing ${data.offset + 1}–${data.offset + data.files.length} of ${data.total.toLocaleString()} files${category.id ? ` in ${category.label}` : ''}`}
          </p>
          {category.id === 'photos' ? (
            <PhotoGrid sid={sid} files={data.files} picked={pickedKeys} toggle={toggle} />
          ) : (
          <div class="table-wrap" tabIndex={0} role="region" aria-label="File list">
            <table class="files">
              <caption class="sr-only">Files in this backup</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span class="sr-only">Pick</span>
                  </th>
                  <th scope="col">Domain</th>
                  <th scope="col">Path</th>
                  <th scope="col">Size</th>
                  <th scope="col">Modified</th>
                  <th scope="col">
                    <span class="sr-only">Download</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.files.map((f, i) => (
                  <tr key={`${f.domain}/${f.relativePath}`}>
                    <td>{f.kind === 'file' && <input type="checkbox" id={`pick-${i}`} aria-label={`Pick ${f.relativePath.split('/').pop()}`} checked={pickedKeys.has(fileKey(f))} onChange={(e) => toggle(f, e.currentTarget.checked)} />}</td>
                    <td>{f.domain}</td>
                    <td class="path">
                      {f.relativePath}
                      {f.kind === 'link' ? ' (link)' : ''}
                    </td>
                    <td>{formatBytes(f.size)}</td>
                    <td>{f.mtime ? formatDate(f.mtime) : ''}</td>
                    <td>{f.kind === 'file' && <DownloadButton sid={sid} domain={f.domain} path={f.relativePath} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          )}
          {data.total > PAGE && (
          <div class="pager">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Previous {PAGE}
            </button>
            <button type="button" disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)}>
              Next {PAGE}
            </button>
          </div>
          )}
        </>
      )}
    </section>
  );
}

function JobForm(props: { sid: string; kind: 'extract' | 'decrypt'; suggested: string; domain: string }) {
  const [out, setOut] = useState(props.suggested);
  const [onlyDomain, setOnlyDomain] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody>();
  const id = `${props.kind}-out`;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = props.kind === 'extract' && onlyDomain && props.domain ? { out, domain: props.domain } : { out };
      const r = await postJson<{ job: Job }>(`/api/sessions/${encodeURIComponent(props.sid)}/${props.kind}`, body);
      go('jobs', r.job.id);
    } catch (err) {
      setError(toErrorBody(err));
      setBusy(false);
    }
  };
  const extract = props.kind === 'extract';
  return (
    <form class="card" method="post" onSubmit={submit} aria-labelledby={`${props.kind}-title`}>
      <h2 id={`${props.kind}-title`}>{extract ? 'Copy files to a folder' : 'Make a decrypted copy'}</h2>
      <p>{extract ? 'Files are written as DOMAIN/path inside the folder, decrypted, with their dates. The backup itself is never changed.' : 'A full copy of the backup without encryption, for other tools that only read unencrypted backups. The folder must be new or empty.'}</p>
      <Field id={id} label={extract ? 'Folder to copy the files into' : 'Folder for the decrypted copy'} hint="Created if needed. ~ means your home folder.">
        <input id={id} type="text" value={out} onInput={(e) => setOut(e.currentTarget.value)} required spellcheck={false} autocomplete="off" aria-describedby={`${id}-hint`} />
      </Field>
      {extract && (
        <div class="check">
          <input id="only-domain" type="checkbox" checked={onlyDomain && !!props.domain} disabled={!props.domain} onChange={(e) => setOnlyDomain(e.currentTarget.checked)} />
          <label for="only-domain">{props.domain ? `Only the files of ${props.domain}` : 'Only one domain (choose it in the Domain list above)'}</label>
        </div>
      )}
      <button type="submit" disabled={busy}>
        {extract ? 'Copy files' : 'Make the decrypted copy'}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

export function BrowsePage({ sid }: { sid: string }) {
  const { data, error } = useLoad(() => getJson<SessionReply>(`/api/sessions/${encodeURIComponent(sid)}`), [sid]);
  const [domain, setDomain] = useState('');
  const [category, setCategory] = useState({ id: '', label: 'All files' });
  const [picked, setPicked] = useState<Map<string, FileItem>>(new Map());
  const toggle = (f: FileItem, on: boolean) =>
    setPicked((old) => {
      const next = new Map(old);
      if (on) next.set(fileKey(f), f);
      else next.delete(fileKey(f));
      return next;
    });
  const [closeError, setCloseError] = useState<ApiErrorBody>();
  const close = async () => {
    try {
      await postJson(`/api/sessions/${encodeURIComponent(sid)}/close`);
      go('backups');
    } catch (e) {
      setCloseError(toErrorBody(e));
    }
  };
  return (
    <section>
      <PageTitle>{data ? deviceLabel(data.session.info) : 'Open backup'}</PageTitle>
      <p>
        <a href={href('backups')}>← All backups</a>
      </p>
      <ErrorBox error={error} />
      {!data && !error && <Loading />}
      {data && (
        <>
          <p>
            Backup of {formatDate(data.session.info.lastBackupDate)} · {(data.session.info.fileCount ?? 0).toLocaleString()} files · {data.session.info.encrypted ? 'unlocked' : 'not encrypted'}
          </p>
          <p>
            <a class="button" href={href('export', sid)}>
              Export messages, contacts, calls, photos and notes…
            </a>{' '}
            <a class="button secondary" href={href('secrets', sid)}>
              Passwords and Screen Time…
            </a>
          </p>
          <CategoryPicker sid={sid} value={category.id} onChange={setCategory} />
          <PickedBar sid={sid} picked={picked} clear={() => setPicked(new Map())} />
          <FileList sid={sid} domain={domain} setDomain={setDomain} domains={data.domains} category={category} picked={picked} toggle={toggle} />
          <div class="actions">
            <JobForm sid={sid} kind="extract" suggested={data.suggested.extract} domain={domain} />
            <JobForm sid={sid} kind="decrypt" suggested={data.suggested.decrypt} domain={domain} />
          </div>
          <p>
            <button type="button" class="secondary" onClick={close}>
              Close this backup
            </button>{' '}
            (forgets its keys; you will need the password again)
          </p>
          <ErrorBox error={closeError} />
        </>
      )}
    </section>
  );
}
