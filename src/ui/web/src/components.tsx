import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiErrorBody } from './api.js';
import { formatDuration } from './format.js';
import type { JobProgress } from './types.js';

/** Each page's heading takes focus when the page opens, so keyboard and screen-reader users land there. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** Text from the server with `commands` in backticks: shown as code, never as literal backticks. */
export function Rich({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/);
  return <>{parts.map((p, i) => (i % 2 === 1 ? <code key={i}>{p}</code> : p))}</>;
}

export function toErrorBody(e: unknown): ApiErrorBody {
  if (e instanceof ApiError) return e.body;
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), next: 'Try again.' };
}

/** A server error as the page shows it: what happened, then what to do next. */
export function ErrorBox({ error }: { error: ApiErrorBody | undefined }) {
  if (!error) return null;
  return (
    <div class="error" role="alert" data-code={error.code}>
      <p class="error-message">
        <strong>Problem:</strong> <Rich text={error.message} />
      </p>
      <p class="error-next">
        <strong>Next step:</strong> <Rich text={error.next} />
      </p>
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="loading" role="status">
      {label}
    </p>
  );
}

/** Loads once per `key`; gives the data, the error, and a reload function. */
export function useLoad<T>(load: () => Promise<T>, key: unknown[]): { data?: T; error?: ApiErrorBody; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: ApiErrorBody }>({});
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState({});
    load().then(
      (data) => live && setState({ data }),
      (e) => live && setState({ error: toErrorBody(e) }),
    );
    return () => {
      live = false;
    };
  }, [...key, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

const UNIT_NAMES: Record<string, string> = { files: 'files', bytes: 'bytes', candidates: 'passwords', messages: 'messages', steps: 'steps', percent: '%' };

function progressText(p: JobProgress): string {
  const unit = UNIT_NAMES[p.unit] ?? p.unit;
  const parts = [p.total !== undefined ? `${p.done.toLocaleString()} of ${p.total.toLocaleString()} ${unit}` : `${p.done.toLocaleString()} ${unit}`];
  if (p.rate && p.rate > 0) parts.push(`${p.rate >= 10 ? Math.round(p.rate).toLocaleString() : p.rate.toFixed(1)} ${unit}/s`);
  if (p.etaSeconds !== undefined && p.total !== undefined && p.done < p.total) parts.push(`about ${formatDuration(p.etaSeconds)} left`);
  return parts.join(' · ');
}

export function ProgressView({ progress, label }: { progress?: JobProgress; label: string }) {
  const p = progress;
  const max = p?.total && p.total > 0 ? p.total : undefined;
  return (
    <div class="progress">
      <progress aria-label={label} max={max ?? 1} value={max ? p!.done : undefined} />
      <p class="progress-text" data-testid="progress-text">
        {p ? `${p.phase}: ${progressText(p)}` : 'Starting…'}
      </p>
      {p?.detail && <p class="progress-detail">{p.detail}</p>}
    </div>
  );
}

export function Field(props: { id: string; label: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}
