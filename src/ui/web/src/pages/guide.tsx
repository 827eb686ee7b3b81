/**
 * The lockout guide: three questions (what happened, which model, which iOS), then Apple's routes
 * for that model and iOS, best first, with whether each keeps the data, what it needs, its steps
 * and Apple's own page. Recovery/DFU instructions follow the model, and the next step appears by
 * itself when the device shows up in Recovery or DFU mode (the live device stream).
 */
import { useState } from 'preact/hooks';
import { getJson } from '../api.js';
import { ErrorBox, Field, Loading, PageTitle, useLoad } from '../components.js';
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
  const [ios, setIos] = useState(initial[2] && initial[2] !== NONE ? initial[2] : '');
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  const submit = (e: Event) => {
    e.preventDefault();
    if (situation) go('guide', situation, model || NONE, ios.trim() || NONE);
  };
  const group = (kind: string) => data.models.filter((m) => m.kind === kind);
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
      <Field id="guide-model" label="2. Which model?" hint="Settings › General › About shows it; or look it up by the number on the back (support.apple.com/HT201296). Unsure? Leave it: the answer then covers every model.">
        <select id="guide-model" value={model} onChange={(e) => setModel(e.currentTarget.value)} aria-describedby="guide-model-hint">
          <option value="">I don’t know</option>
          {['iPhone', 'iPad'].map((k) => (
            <optgroup key={k} label={k}>
              {group(k).map((m) => (
                <option key={m.productType} value={m.productType}>
                  {m.name} ({m.productType})
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </Field>
      <Field id="guide-ios" label="3. Which iOS version? (optional)" hint="For example 17.5. Settings › General › About, or the last backup shows it.">
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
        <li key={s}>{s}</li>
      ))}
    </ol>
  );
}

const external = { target: '_blank', rel: 'noreferrer noopener' } as const;

function RouteCard({ r, n }: { r: Route; n: number }) {
  return (
    <li class="card route" data-route={r.id}>
      <h3>
        {n}. {r.title}
        <span class={`tag ${r.keepsData ? 'keeps' : 'erases'}`}>{r.keepsData ? 'Keeps your data' : 'Erases the device'}</span>
      </h3>
      {r.applies === 'check' && <p class="warn">Whether this applies depends on {r.conditions.join('; ') || 'details you did not give'}.</p>}
      {r.applies === 'yes' && r.conditions.length > 0 && <p class="hint">Applies: {r.conditions.join('; ')}.</p>}
      {r.requires.length > 0 && (
        <>
          <h4>You need</h4>
          <ul>
            {r.requires.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        </>
      )}
      <h4>Steps</h4>
      <Steps items={r.steps} />
      {r.notes?.map((x) => (
        <p class="note" key={x}>
          {x}
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

function AnswerView({ route }: { route: string[] }) {
  const [situation, model, ios] = route;
  const q = new URLSearchParams({ situation });
  if (model && model !== NONE) q.set('model', model);
  if (ios && ios !== NONE) q.set('ios', ios);
  const { data, error } = useLoad(() => getJson<{ answer: Answer }>(`/api/guide/routes?${q}`), [route.join('/')]);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  const a = data.answer;
  return (
    <section aria-labelledby="answer-title" data-testid="guide-answer">
      <h2 id="answer-title">
        {a.situation.title}
        {a.model ? ` · ${a.model.name}` : ''}
        {a.ios ? ` · iOS ${a.ios}` : ''}
      </h2>
      <p>{a.situation.summary}</p>
      {a.routes.length > 0 && (
        <>
          <h2>Your options, best first</h2>
          <ol class="routes">
            {a.routes.map((r, i) => (
              <RouteCard key={r.id} r={r} n={i + 1} />
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
                {x.title}: {x.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {a.traps.length > 0 && (
        <section aria-labelledby="traps-title">
          <h2 id="traps-title">Watch out</h2>
          {a.traps.map((t) => (
            <div class="warn" key={t.id}>
              <p>
                <strong>{t.title}</strong> {t.text} <a href={t.source} {...external}>Apple’s page</a>
              </p>
            </div>
          ))}
        </section>
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
                  <li key={x}>{x}</li>
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
