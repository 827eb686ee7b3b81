/**
 * The browse page's pieces for people: the categories with their counts, the photo grid (each
 * preview fetched with the page key only when scrolled into view), picking files, and downloads.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { getJson, keyedFetch } from '../api.js';
import { ErrorBox, useLoad } from '../components.js';
import { formatBytes, formatDate, plural } from '../format.js';
import type { FileItem } from '../types.js';

export interface CategoryCount {
  id: string;
  label: string;
  files: number;
  bytes: number;
}

const sessionPath = (sid: string, what: string, params?: Record<string, string>) => `/api/sessions/${encodeURIComponent(sid)}/${what}${params ? `?${new URLSearchParams(params)}` : ''}`;

export const fileKey = (f: { domain: string; relativePath: string }) => `${f.domain}\u0000${f.relativePath}`;
const baseName = (p: string) => p.split('/').pop() || 'file';

/** One file, decrypted, handed to the browser's downloads as a blob (the page key is a header, never a URL). */
async function downloadFile(sid: string, domain: string, path: string): Promise<void> {
  const res = await keyedFetch(sessionPath(sid, 'download', { domain, path }));
  if (!res.ok) throw new Error(String(res.status));
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = baseName(path);
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function DownloadButton({ sid, domain, path }: { sid: string; domain: string; path: string }) {
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const name = baseName(path);
  const download = () => {
    setState('busy');
    downloadFile(sid, domain, path).then(() => setState('idle'), () => setState('failed'));
  };
  return (
    <button type="button" class="secondary small" onClick={download} disabled={state === 'busy'} aria-label={`Download ${name}`}>
      {state === 'failed' ? 'Retry' : 'Download'}
    </button>
  );
}

function countText(c: CategoryCount): string {
  if (c.files === 0) return 'none';
  if (c.id === 'photos') return c.files === 1 ? '1 photo or video' : `${c.files.toLocaleString()} photos and videos`;
  return plural(c.files, 'file');
}

/** "What is in this backup": one button per category with its count; pressing one shows its files. */
export function CategoryPicker({ sid, value, onChange }: { sid: string; value: string; onChange: (c: { id: string; label: string }) => void }) {
  const { data, error } = useLoad(() => getJson<{ categories: CategoryCount[] }>(sessionPath(sid, 'categories')), [sid]);
  if (error) return <ErrorBox error={error} />;
  if (!data) return null;
  const total = data.categories.reduce((n, c) => n + c.files, 0);
  const all: CategoryCount = { id: '', label: 'All files', files: total, bytes: data.categories.reduce((n, c) => n + c.bytes, 0) };
  return (
    <section aria-labelledby="categories-title">
      <h2 id="categories-title">What is in this backup</h2>
      <ul class="categories" data-testid="categories">
        {[...data.categories, all].map((c) => (
          <li key={c.id || 'all'}>
            <button type="button" class="category" aria-pressed={value === c.id} data-category={c.id || 'all'} onClick={() => onChange({ id: c.id, label: c.label })}>
              <span class="category-name">{c.label}</span>
              <span class="category-count">
                {countText(c)}
                {c.files > 0 ? ` · ${formatBytes(c.bytes)}` : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <p class="hint">Messages, Notes, Contacts and Calls are databases here: use Export to read them as conversations, cards and lists.</p>
    </section>
  );
}

/** A preview loaded when the tile scrolls into view; "No preview" when the server has none (most HEIC). */
function Thumb({ sid, f }: { sid: string; f: FileItem }) {
  const ref = useRef<HTMLDivElement>(null);
  const [src, setSrc] = useState<string>();
  const [none, setNone] = useState(f.preview === 'none');
  useEffect(() => {
    if (none || !ref.current) return;
    let url: string | undefined;
    let live = true;
    const load = () =>
      keyedFetch(sessionPath(sid, 'preview', { domain: f.domain, path: f.relativePath }))
        .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(String(r.status)))))
        .then((b) => {
          if (!live) return;
          url = URL.createObjectURL(b);
          setSrc(url);
        })
        .catch(() => live && setNone(true));
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        seen.disconnect();
        void load();
      }
    });
    seen.observe(ref.current);
    return () => {
      live = false;
      seen.disconnect();
      if (url) URL.revokeObjectURL(url);
    };
  }, [sid, f.domain, f.relativePath, none]);
  const ext = (f.relativePath.split('.').pop() ?? '').toUpperCase();
  return (
    <div class="thumb" ref={ref}>
      {src && !none ? <img src={src} alt={`Preview of ${baseName(f.relativePath)}`} width={160} height={160} loading="lazy" onError={() => setNone(true)} /> : <span class="no-preview">{none ? `No preview (${ext})` : 'Loading…'}</span>}
    </div>
  );
}

/** The photos as a grid of tiles: preview, a box to pick it, its date and size, and Download. */
export function PhotoGrid({ sid, files, picked, toggle }: { sid: string; files: FileItem[]; picked: Set<string>; toggle: (f: FileItem, on: boolean) => void }) {
  return (
    <ul class="photo-grid" data-testid="photo-grid">
      {files.map((f, i) => {
        const id = `pick-photo-${i}`;
        return (
          <li key={fileKey(f)} class="photo">
            <Thumb sid={sid} f={f} />
            <div class="check">
              <input id={id} type="checkbox" checked={picked.has(fileKey(f))} onChange={(e) => toggle(f, e.currentTarget.checked)} />
              <label for={id}>{baseName(f.relativePath)}</label>
            </div>
            <p class="hint">
              {f.mtime ? formatDate(f.mtime) : 'date unknown'} · {formatBytes(f.size)}
            </p>
            <DownloadButton sid={sid} domain={f.domain} path={f.relativePath} />
          </li>
        );
      })}
    </ul>
  );
}

/** What is picked, across pages and categories: download each, or clear. */
export function PickedBar({ sid, picked, clear }: { sid: string; picked: Map<string, FileItem>; clear: () => void }) {
  const [state, setState] = useState<{ busy: boolean; failed: string[] }>({ busy: false, failed: [] });
  if (picked.size === 0) return null;
  const downloadAll = async () => {
    setState({ busy: true, failed: [] });
    const failed: string[] = [];
    // One at a time: each is a plain download the browser lists on its own.
    for (const f of picked.values()) await downloadFile(sid, f.domain, f.relativePath).catch(() => failed.push(baseName(f.relativePath)));
    setState({ busy: false, failed });
  };
  return (
    <div class="picked card" role="region" aria-label="Picked files" data-testid="picked">
      <p role="status">{plural(picked.size, 'file')} picked</p>
      <div class="actions-row">
        <button type="button" onClick={downloadAll} disabled={state.busy}>
          {state.busy ? 'Downloading…' : picked.size === 1 ? 'Download the picked file' : `Download the ${picked.size.toLocaleString()} picked files`}
        </button>
        <button type="button" class="secondary" onClick={clear}>
          Clear the picks
        </button>
      </div>
      {state.failed.length > 0 && (
        <ErrorBox error={{ code: 'IO', message: `could not download ${state.failed.join(', ')}`, next: 'Try again; if it keeps failing, use Copy files below.' }} />
      )}
    </div>
  );
}
