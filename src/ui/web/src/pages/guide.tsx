/**
 * The lockout guide: three questions (what happened, which model, which iOS), then Apple's routes
 * for that model and iOS, best first, with whether each keeps the data, what it needs, its steps
 * and Apple's own page. Recovery/DFU instructions follow the model, and the next step appears by
 * itself when the device shows up in Recovery or DFU mode (the live device stream).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { getJson } from '../api.js';
import { ErrorBox, Field, Loading, PageTitle, Rich, useLoad } from '../components.js';
import { deviceTitle, MODE_NAMES, useDeviceStream } from '../device-stream.js';
import { go, href } from '../router.js';
import { DeviceNotes } from './devices.js';
import type { Route } from '../../../../guide/route-types.js';

interface Situation {
  id: string;
  title: string;
  question: string;
}
interface Model {
  productType: string;
  name: string;
  kind: string;
  lastIos?: string;
  provisional?: boolean;
}
interface Modes {
  family: string;
  covers: string;
  turnOff: string;
  recovery: { holdWhileConnecting: string[]; sequenceWhileConnected: string[]; screen: string };
  dfu: { steps: string[]; screen: string; documentedByApple: boolean };
  source: string;
}
interface Answer {
  situation: { id: string; title: string; summary: string };
  model?: { productType: string; name: string };
  ios?: string;
  routes: Route[];
  excluded: Array<{ id: string; title: string; reason: string }>;
  never: Array<{ id: string; what: string; why: string; instead: string[]; source: string }>;
  traps: Array<{ id: string; title: string; text: string; source: string }>;
  delays?: { table: Array<{ attempt: number; through?: number; delayMinutes: number | null; note?: string }>; notes: string[]; source: string };
  modes?: Modes;
  allModes?: Modes[];
}

const NONE = '-';

function Questions({ initial }: { initial: string[] }) {
  const { data, error } = useLoad(() => getJson<{ situations: Situation[]; models: Model[] }>('/api/guide/questions'), []);
  const [situation, setSituation] = useState(initial[0] ?? '');
  const [model, setModel] = useState(initial[1] && initial[1] !== NONE ? initial[1] : '');
  const [modelText, setModelText] = useState('');
  const [ios, setIos] = useState(initial[2] && initial[2] !== NONE ? initial[2] : '');
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  // One entry per name, newest first (the table lists oldest first, with a line per variant).
  const byName = new Map<string, Model>();
  // Variants ("(GSM)", "(Global)", "(Wi-Fi)") share their buttons and routes: one name each.
  for (const m of [...data.models].reverse()) {
    const name = m.name.replace(/\s*\([^)]*\)$/, '');
    if (!byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), { ...m, name });
  }
  const picked = (text: string) => byName.get(text.trim().toLowerCase()) ?? data.models.find((m) => m.productType.toLowerCase() === text.trim().toLowerCase());
  const shown = modelText || (model ? data.models.find((m) => m.productType === model)?.name ?? model : '');
  const submit = (e: Event) => {
    e.preventDefault();
    const m = modelText ? picked(modelText)?.productType ?? '' : model;
    if (situation) go('guide', situation, m || NONE, ios.trim() || NONE);
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="questions-title">
      <h2 id="questions-title">Three questions</h2>
      <fieldset>
        <legend>1. What happened?</legend>
        {data.situations.map((s) => (
          <div class="check" key={s.id}>
            <input id={`sit-${s.id}`} type="radio" name="situation" value={s.id} checked={situation === s.id} onChange={() => setSituation(s.id)} required />
            <label for={`sit-${s.id}`}>{s.question}</label>
          </div>
        ))}
      </fieldset>
      <Field id="guide-model" label="2. Which model?" hint="Type to search, for example iPhone 12. Locked out? The model is printed on the box, or find it from the model number on the back or in the SIM tray with Apple’s Identify your iPhone model page. Unsure? Leave it empty: the answer then covers every model.">
        <input id="guide-model" type="text" list="guide-model-list" value={shown} onInput={(e) => (setModelText(e.currentTarget.value), setModel(''))} autocomplete="off" spellcheck={false} aria-describedby="guide-model-hint" />
        <datalist id="guide-model-list">
          {[...byName.values()].map((m) => (
            <option key={m.productType} value={m.name} label={m.provisional ? `${m.name}: provisional, not confirmed by Apple yet` : undefined} />
          ))}
        </datalist>
        {modelText && !picked(modelText) && <p class="hint">No model by that name: pick one from the list, or leave it empty.</p>}
        <p class="hint">
          <a href="https://support.apple.com/en-us/108044" {...external}>
            Identify your iPhone model (Apple)
          </a>
        </p>
      </Field>
      <Field id="guide-ios" label="3. Which iOS version? (optional)" hint="For example 17.5, or just 17 if you are not sure of the rest. The last backup shows it (irescue lists it with each backup).">
        <input id="guide-ios" type="text" inputMode="decimal" value={ios} onInput={(e) => setIos(e.currentTarget.value)} autocomplete="off" spellcheck={false} aria-describedby="guide-ios-hint" />
      </Field>
      <button type="submit" disabled={!situation}>
        Show my options
      </button>
    </form>
  );
}

function Steps({ items }: { items: string[] }) {
  return (
    <ol>
      {items.map((s) => (
        <li key={s}>
          <Rich text={s} />
        </li>
      ))}
    </ol>
  );
}

const external = { target: '_blank', rel: 'noreferrer noopener' } as const;

function RouteCard({ r, n, laterNote }: { r: Route; n: number; laterNote?: string }) {
  return (
    <li class="card route" data-route={r.id}>
      <h3>
        {n}. {r.title}
        <span class={`tag ${r.keepsData ? 'keeps' : 'erases'}`}>{r.keepsData ? 'Keeps your data' : 'Erases the device'}</span>
      </h3>
      {laterNote && <p class="warn">{laterNote}</p>}
      {r.applies === 'check' && <p class="warn">Whether this applies depends on {r.conditions.join('; ') || 'details you did not give'}.</p>}
      {r.applies === 'yes' && r.conditions.length > 0 && <p class="hint">Applies: {r.conditions.join('; ')}.</p>}
      {r.requires.length > 0 && (
        <>
          <h4>You need</h4>
          <ul>
            {r.requires.map((x) => (
              <li key={x}>
                <Rich text={x} />
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>Steps</h4>
      <Steps items={r.steps} />
      {r.notes?.map((x) => (
        <p class="note" key={x}>
          <Rich text={x} />
        </p>
      ))}
      <p>
        Apple’s page: <a href={r.source} {...external}>{r.source}</a>
      </p>
    </li>
  );
}

function ModeHelp({ modes, model }: { modes: Modes; model?: string }) {
  const { devices, warnings } = useDeviceStream();
  const found = devices.find((d) => d.mode === 'recovery' || d.mode === 'dfu');
  return (
    <section class="card" aria-labelledby="modes-title" data-family={modes.family}>
      <h2 id="modes-title">Recovery mode{model ? ` on the ${model}` : ''}</h2>
      <p class="hint">Covers: {modes.covers}.</p>
      <h3>Either: with the device switched off</h3>
      <p>{modes.turnOff}</p>
      <Steps items={modes.recovery.holdWhileConnecting} />
      <h3>Or: with the device connected</h3>
      <Steps items={modes.recovery.sequenceWhileConnected} />
      <p>The screen then shows {modes.recovery.screen}.</p>
      <p class="warn">If the download takes more than 15 minutes, the device leaves Recovery mode by itself. Nothing is lost: enter Recovery mode again with the same buttons and retry.</p>
      <details>
        <summary>DFU mode (only if Recovery mode does not work)</summary>
        <Steps items={modes.dfu.steps} />
        <p>The screen shows {modes.dfu.screen}.</p>
        {!modes.dfu.documentedByApple && <p class="hint">Apple does not document these steps for consumers; they are the sequence repair shops use.</p>}
      </details>
      <p>
        Apple’s page: <a href={modes.source} {...external}>{modes.source}</a>
      </p>
      <div class="next-step" aria-live="polite" data-testid="mode-next">
        {found ? (
          <>
            <p class="state" role="status">
              Your device is in {MODE_NAMES[found.mode]}: {deviceTitle(found)}.
            </p>
            <p>
              Next step: <a href={href('devices', 'restore', found.mode, found.ecid ?? '')}>restore it from this computer</a> (or use Finder, iTunes or Apple Devices). To cancel, <a href={href('devices')}>leave Recovery mode</a> from the devices page.
            </p>
          </>
        ) : (
          <p class="hint" role="status">
            Waiting for the device… The next step shows here when the device appears in Recovery or DFU mode.
          </p>
        )}
        <DeviceNotes warnings={warnings} />
      </div>
    </section>
  );
}

/** The answer for a major-only iOS ("15"): the x.0 answer, plus the routes a later 15.x opens, marked. */
function useAnswer(situation: string, model: string | undefined, ios: string | undefined) {
  const majorOnly = ios !== undefined && /^\d+$/.test(ios.trim());
  const query = (v: string | undefined) => {
    const q = new URLSearchParams({ situation });
    if (model) q.set('model', model);
    if (v) q.set('ios', v);
    return getJson<{ answer: Answer }>(`/api/guide/routes?${q}`);
  };
  return useLoad(async () => {
    const low = await query(majorOnly ? `${ios!.trim()}.0` : ios);
    if (!majorOnly) return { answer: low.answer, later: [] as Array<{ route: Route; reason: string }> };
    const high = await query(`${ios!.trim()}.99`).catch(() => undefined);
    const have = new Set(low.answer.routes.map((r) => r.id));
    const later = (high?.answer.routes ?? []).filter((r) => !have.has(r.id)).map((r) => ({ route: r, reason: (low.answer.excluded.find((x) => x.id === r.id)?.reason ?? '').replace(/\s*\(you have [^)]*\)/, '') }));
    return { answer: { ...low.answer, ios: ios!.trim(), excluded: low.answer.excluded.filter((x) => !later.some((l) => l.route.id === x.id)).map((x) => ({ ...x, reason: x.reason.replace(`(you have ${ios!.trim()}.0)`, `(you have iOS ${ios!.trim()})`) })) }, later };
  }, [situation, model ?? '', ios ?? '']);
}

function DoThisFirst() {
  return (
    <div class="card do-first" role="note" aria-labelledby="do-first-title">
      <h2 id="do-first-title">Do this first</h2>
      <ul>
        <li>Keep the device charging.</li>
        <li>Do not restart it or turn it off while it shows Security Lockout or iPhone Unavailable, unless a step below tells you to.</li>
        <li>Have your Apple Account email and password ready: after any erase the device asks for them (Activation Lock).</li>
      </ul>
    </div>
  );
}

function AnswerView({ route }: { route: string[] }) {
  const [situation, model, ios] = route;
  const { data, error } = useAnswer(situation, model && model !== NONE ? model : undefined, ios && ios !== NONE ? ios : undefined);
  const heading = useRef<HTMLHeadingElement>(null);
  // The answer takes focus and comes into view: after "Show my options" the screen must visibly change.
  useEffect(() => {
    if (!data || !heading.current) return;
    heading.current.focus();
    heading.current.scrollIntoView({ block: 'start' });
  }, [data]);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  const a = data.answer;
  const major = a.ios && /^\d+$/.test(a.ios) ? a.ios : undefined;
  return (
    <section aria-labelledby="answer-title" data-testid="guide-answer">
      <h2 id="answer-title" ref={heading} tabIndex={-1}>
        {a.situation.title}
        {a.model ? ` · ${a.model.name}` : ''}
        {a.ios ? ` · iOS ${a.ios}` : ''}
      </h2>
      <p>{a.situation.summary}</p>
      <DoThisFirst />
      {a.traps.length > 0 && (
        <section aria-labelledby="traps-title">
          <h2 id="traps-title">Watch out</h2>
          {a.traps.map((t) => (
            <div class="warn" key={t.id}>
              <p>
                <strong>{t.title}</strong> <Rich text={t.text} /> <a href={t.source} {...external}>Apple’s page</a>
                {t.id === 'backup-overwrite' && (
                  <>
                    {' '}
                    <a href={href('keep')}>Keep a copy of a backup now</a>
                  </>
                )}
                {t.id === 'put-data-back' && (
                  <>
                    {' '}
                    <a href={href('put-back')}>Put my data back now</a>
                  </>
                )}
              </p>
            </div>
          ))}
        </section>
      )}
      {a.routes.length + data.later.length > 0 && (
        <>
          <h2>Your options, best first</h2>
          <ol class="routes">
            {a.routes.map((r, i) => (
              <RouteCard key={r.id} r={r} n={i + 1} />
            ))}
            {data.later.map((l, i) => (
              <RouteCard key={l.route.id} r={l.route} n={a.routes.length + i + 1} laterNote={`Only if your device has a later iOS ${major ?? ''} release${l.reason ? ` (${l.reason})` : ''}. Most devices on iOS ${major ?? ''} have a later ${major ?? ''}.x; try this route, the device shows whether it is offered.`} />
            ))}
          </ol>
        </>
      )}
      {a.excluded.length > 0 && (
        <details class="issues">
          <summary>Not possible for you ({a.excluded.length})</summary>
          <ul>
            {a.excluded.map((x) => (
              <li key={x.id}>
                {x.title}: <Rich text={x.reason} />
              </li>
            ))}
          </ul>
        </details>
      )}
      {a.delays && (
        <details class="issues">
          <summary>How long the lock screen waits after wrong passcodes</summary>
          <table class="files">
            <caption class="sr-only">Waiting time after failed passcode attempts</caption>
            <thead>
              <tr>
                <th scope="col">Failed attempts</th>
                <th scope="col">Wait</th>
              </tr>
            </thead>
            <tbody>
              {a.delays.table.map((d) => (
                <tr key={d.attempt}>
                  <td>{d.through ? `${d.attempt}–${d.through}` : d.attempt}</td>
                  <td>{d.delayMinutes === null ? d.note ?? 'none' : `${d.delayMinutes} min${d.note ? ` (${d.note})` : ''}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {a.delays.notes.map((x) => (
            <p class="hint" key={x}>
              {x}
            </p>
          ))}
        </details>
      )}
      {a.never.length > 0 && (
        <section aria-labelledby="never-title">
          <h2 id="never-title">What irescue will not do, and Apple’s way instead</h2>
          {a.never.map((n) => (
            <div class="card" key={n.id}>
              <p>
                <strong>{n.what}</strong>: {n.why}
              </p>
              <ul>
                {n.instead.map((x) => (
                  <li key={x}>
                    <Rich text={x} />
                  </li>
                ))}
              </ul>
              <p>
                <a href={n.source} {...external}>Apple’s page</a>
              </p>
            </div>
          ))}
        </section>
      )}
      {a.modes && <ModeHelp modes={a.modes} model={a.model?.name} />}
      {a.allModes && (
        <details class="issues">
          <summary>Recovery mode: the buttons for each kind of device</summary>
          {a.allModes.map((m) => (
            <div key={m.family}>
              <h3>{m.covers}</h3>
              <Steps items={m.recovery.holdWhileConnecting} />
            </div>
          ))}
          <p>Choose your model above to get exactly your buttons and live detection.</p>
        </details>
      )}
    </section>
  );
}

export function GuidePage({ route }: { route: string[] }) {
  return (
    <section>
      <PageTitle>Locked out of your iPhone or iPad</PageTitle>
      <p>Apple’s official ways back in, for your model and iOS version. irescue never bypasses Activation Lock, an Apple Account or a lock screen.</p>
      <Questions key={route.join('/')} initial={route} />
      {route[0] && <AnswerView route={route} />}
    </section>
  );
}
