/**
 * Restore a device in Recovery/DFU mode: the server's pre-flight checks and warnings first, then a
 * typed confirmation ("ERASE iPhone 13", the same rule as the CLI) before anything runs. The run is
 * a job: step, percent and, on failure, the decoded advice.
 */
import { useState } from 'preact/hooks';
import { postJson, type ApiErrorBody } from '../api.js';
import { ErrorBox, Field, Loading, PageTitle, toErrorBody } from '../components.js';
import { deviceTitle, MODE_NAMES, useDeviceStream } from '../device-stream.js';
import { go, href } from '../router.js';
import type { Job } from '../types.js';

interface Check {
  id: string;
  status: 'ok' | 'warn' | 'fail';
  message: string;
  hints?: string[];
}

interface Plan {
  id: string;
  kind: 'erase' | 'update';
  model?: { productType: string; name: string };
  checks: Check[];
  warnings: string[];
  command?: string;
  phrase: string;
  blocked?: string;
}

const squash = (s: string) => s.trim().replace(/\s+/g, ' ');

/** As the CLI: the first word exactly (capitals), the device name without regard to case. */
function matchesPhrase(typed: string, expected: string): boolean {
  const [tw, ...t] = squash(typed).split(' ');
  const [ew, ...e] = squash(expected).split(' ');
  return tw === ew && t.join(' ').toLowerCase() === e.join(' ').toLowerCase();
}

const MARK: Record<Check['status'], string> = { ok: 'OK', warn: 'Warning', fail: 'Problem' };

function Confirm({ plan }: { plan: Plan }) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody>();
  const ok = matchesPhrase(typed, plan.phrase);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!ok) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await postJson<{ job: Job }>('/api/restore/run', { plan: plan.id, confirmation: typed });
      go('jobs', r.job.id);
    } catch (err) {
      setError(toErrorBody(err));
      setBusy(false);
    }
  };
  return (
    <form class="card danger-zone" onSubmit={submit} aria-labelledby="confirm-title">
      <h2 id="confirm-title">{plan.kind === 'erase' ? 'Confirm the erase' : 'Confirm the update'}</h2>
      <p>
        {plan.kind === 'erase' ? 'This ERASES everything on the device.' : 'This reinstalls iOS and keeps your data (if it fails, only an erase is left).'} To go on, type{' '}
        <strong class="phrase">{plan.phrase}</strong> below.
      </p>
      <Field id="confirm-text" label={`Type “${plan.phrase}” to confirm`} hint="Capital letters for the first word; nothing happens until it matches.">
        <input id="confirm-text" type="text" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} autocomplete="off" spellcheck={false} aria-describedby="confirm-text-hint" />
      </Field>
      <button type="submit" class="danger" disabled={!ok || busy}>
        {plan.kind === 'erase' ? 'Erase and restore' : 'Update iOS'}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

export function RestorePage({ mode, id }: { mode?: string; id?: string }) {
  const { devices, connected } = useDeviceStream();
  const device = devices.find((d) => d.mode === mode && (d.ecid === id || d.udid === id));
  const [kind, setKind] = useState<'erase' | 'update'>('erase');
  const [ipsw, setIpsw] = useState('');
  const [network, setNetwork] = useState(true);
  const [plan, setPlan] = useState<Plan>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody>();
  const check = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setPlan(undefined);
    try {
      // ECIDs go back exactly as the device list printed them; the server reads every spelling.
      const target = device
        ? { ecid: device.ecid, udid: device.ecid ? undefined : device.udid, model: device.productType, cpid: device.cpid, bdid: device.bdid, mode: device.mode }
        : { ecid: mode !== 'normal' ? id : undefined, udid: mode === 'normal' ? id : undefined, mode };
      const r = await postJson<{ plan: Plan }>('/api/restore/plan', { ...target, kind, ipsw: ipsw || undefined, networkCheck: network });
      setPlan(r.plan);
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <PageTitle>Restore a device</PageTitle>
      <p>
        <a href={href('devices')}>← Connected devices</a>
      </p>
      {!connected && <Loading label="Looking for the device…" />}
      {connected && (
        <p data-testid="restore-device">
          {device ? `${deviceTitle(device)}, in ${MODE_NAMES[device.mode]}${device.ecid ? ` (ECID ${device.ecid})` : ''}.` : `The device (${id ?? 'unknown'}) is not connected in ${mode ?? 'Recovery'} mode right now: connect it and put it into Recovery mode (see the guide).`}
        </p>
      )}
      <form class="card" onSubmit={check} aria-labelledby="plan-title">
        <h2 id="plan-title">1. Check before restoring</h2>
        <fieldset>
          <legend>What to do</legend>
          <div class="check">
            <input id="kind-erase" type="radio" name="kind" checked={kind === 'erase'} onChange={() => (setKind('erase'), setPlan(undefined))} />
            <label for="kind-erase">Erase and install the newest iOS (for a forgotten passcode)</label>
          </div>
          <div class="check">
            <input id="kind-update" type="radio" name="kind" checked={kind === 'update'} onChange={() => (setKind('update'), setPlan(undefined))} />
            <label for="kind-update">Reinstall iOS and keep the data (a device stuck after an update)</label>
          </div>
        </fieldset>
        <Field id="ipsw" label="Firmware file (optional)" hint="Leave empty to download the newest firmware Apple signs.">
          <input id="ipsw" type="text" value={ipsw} onInput={(e) => (setIpsw(e.currentTarget.value), setPlan(undefined))} spellcheck={false} autocomplete="off" aria-describedby="ipsw-hint" />
        </Field>
        <div class="check">
          <input id="network" type="checkbox" checked={network} onChange={(e) => (setNetwork(e.currentTarget.checked), setPlan(undefined))} />
          <label for="network">Check that Apple’s servers answer (every restore needs them)</label>
        </div>
        <button type="submit" disabled={busy}>
          Check
        </button>
        <ErrorBox error={error} />
      </form>
      {plan && (
        <section class="card" aria-labelledby="checks-title" data-testid="restore-plan">
          <h2 id="checks-title">2. Checks{plan.model ? ` for the ${plan.model.name}` : ''}</h2>
          <ul class="checks">
            {plan.checks.map((c) => (
              <li key={c.id} data-status={c.status}>
                <strong>{MARK[c.status]}:</strong> {c.message}
                {c.status !== 'ok' && c.hints?.length ? (
                  <ul>
                    {c.hints.map((h) => (
                      <li key={h}>{h}</li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
          <h3>Before you go on</h3>
          <ul>
            {plan.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
          {plan.command && (
            <details>
              <summary>The command that will run</summary>
              <code class="out-path">{plan.command}</code>
            </details>
          )}
        </section>
      )}
      {plan && plan.blocked && <ErrorBox error={{ code: 'USAGE', message: `cannot restore yet: ${plan.blocked}`, next: 'Fix the problem above, then press Check again.' }} />}
      {plan && !plan.blocked && <Confirm plan={plan} />}
    </section>
  );
}
