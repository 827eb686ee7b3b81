/**
 * Devices: the live list in every mode (the page updates as devices come and go), one device's
 * details, entering and leaving Recovery mode, and the way to a restore for a device in
 * Recovery/DFU mode.
 */
import { Fragment, type ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { getJson, postJson, type ApiErrorBody } from '../api.js';
import { ErrorBox, Loading, PageTitle, Rich, toErrorBody, useLoad } from '../components.js';
import { deviceKey, deviceTitle, MODE_NAMES, useDeviceStream, type DeviceSummary } from '../device-stream.js';
import { href } from '../router.js';
import { RestorePage } from './restore.js';

/** The next step in this computer's own system (the wizard runs on it, so the browser's is the same). */
function systemAdvice(): ComponentChildren {
  const ua = navigator.userAgent;
  if (/Windows/.test(ua)) return <>This computer cannot see iPhones in normal mode yet: install Apple Devices (Microsoft Store) or iTunes, then reload this page.</>;
  if (/Mac OS X|Macintosh/.test(ua)) return <>This Mac cannot see iPhones in normal mode right now: unplug the cable and plug it in again, then reload this page.</>;
  return (
    <>
      This Linux computer cannot see iPhones in normal mode yet: install and start usbmuxd (<code>sudo apt install usbmuxd</code> on Debian or Ubuntu, your distribution’s usbmuxd package elsewhere), then reload this page.
    </>
  );
}

export function DeviceNotes({ warnings }: { warnings: string[] }) {
  if (!warnings.length) return null;
  return (
    <div class="note" data-testid="device-note">
      {warnings.some((w) => /usbmux/i.test(w)) && <p>{systemAdvice()} Devices in Recovery or DFU mode still show here.</p>}
      {warnings.some((w) => /USB access/i.test(w)) && <p>Devices in Recovery or DFU mode cannot be seen: this computer does not let irescue read its USB devices. Finder, iTunes or Apple Devices can still restore them.</p>}
      {!warnings.some((w) => /usbmux|USB access/i.test(w)) && <p>Some devices may not show up here.</p>}
      <details>
        <summary>Details</summary>
        <ul>
          {warnings.map((w) => (
            <li key={w}>
              <Rich text={w} />
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

function Info({ udid }: { udid: string }) {
  const { data, error } = useLoad(() => getJson<{ summary: DeviceSummary; paired: boolean; values: Record<string, unknown> }>(`/api/devices/info?udid=${encodeURIComponent(udid)}`), [udid]);
  return (
    <section class="card" aria-labelledby="info-title">
      <h2 id="info-title">Details</h2>
      <ErrorBox error={error} />
      {!data && !error && <Loading label="Asking the device…" />}
      {data && (
        <>
          <p>{data.paired ? 'This computer is trusted by the device: all details are shown.' : 'This computer is not trusted by the device (no pairing): only the public details are shown.'}</p>
          <dl class="info">
            {Object.entries(data.values).map(([k, v]) => (
              <Fragment key={k}>
                <dt>{k}</dt>
                <dd>{String(v)}</dd>
              </Fragment>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}

function DeviceCard({ d }: { d: DeviceSummary }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<ApiErrorBody>();
  const [showInfo, setShowInfo] = useState(false);
  const act = async (path: string, body: unknown, what: string) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      await postJson(path, body);
      setDone(what);
    } catch (e) {
      setError(toErrorBody(e));
    } finally {
      setBusy(false);
    }
  };
  const id = deviceKey(d).replace(/[^a-zA-Z0-9]/g, '-');
  return (
    <li class="card device" data-mode={d.mode} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} class="backup-name">
        {deviceTitle(d)} <span class="tag">{MODE_NAMES[d.mode]}</span>
      </h2>
      <p>
        {d.iosVersion ? `iOS ${d.iosVersion}${d.buildVersion ? ` (${d.buildVersion})` : ''} · ` : ''}
        {d.connection}
        {d.udid ? ` · UDID ${d.udid}` : ''}
        {d.ecid ? ` · ECID ${d.ecid}` : ''}
        {d.mode === 'normal' ? (d.paired ? ' · trusted' : ' · not paired') : ''}
      </p>
      {d.mode === 'recovery' && <p>The device waits for a computer. You can restart it normally (leave Recovery mode) or restore it.</p>}
      {d.mode === 'dfu' && <p>DFU mode: the screen stays black. Only a restore (or a forced restart) leaves it.</p>}
      <div class="actions-row">
        {d.mode === 'normal' && d.udid && (
          <>
            <button type="button" class="secondary" aria-expanded={showInfo} onClick={() => setShowInfo(!showInfo)}>
              {showInfo ? 'Hide details' : 'Show details'}
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={() => act('/api/devices/recovery/enter', { udid: d.udid }, 'The device is restarting into Recovery mode; it appears here again in a moment.')}>
              Enter Recovery mode
            </button>
          </>
        )}
        {d.mode === 'recovery' && (
          <button type="button" class="secondary" disabled={busy} onClick={() => act('/api/devices/recovery/leave', { ecid: d.ecid }, 'The device is restarting normally.')}>
            Leave Recovery mode
          </button>
        )}
        {d.mode !== 'normal' && d.ecid && (
          <a class="button" href={href('devices', 'restore', d.mode, d.ecid)}>
            Restore this device…
          </a>
        )}
      </div>
      {done && <p role="status">{done}</p>}
      <ErrorBox error={error} />
      {showInfo && d.udid && <Info udid={d.udid} />}
    </li>
  );
}

function DeviceList() {
  const { devices, warnings, connected } = useDeviceStream();
  return (
    <section>
      <PageTitle>Connected devices</PageTitle>
      <p>Plug your iPhone or iPad in with a cable. It shows here by itself, in normal, Recovery or DFU mode.</p>
      <DeviceNotes warnings={warnings} />
      {!connected && <Loading label="Looking for devices…" />}
      <div aria-live="polite" data-testid="device-list">
        {connected && devices.length === 0 && <p>No device connected. Check the cable and try another USB port. A locked iPhone shows here too once it is in Recovery or DFU mode.</p>}
        {devices.length > 0 && (
          <ul class="backup-list">
            {devices.map((d) => (
              <DeviceCard key={deviceKey(d)} d={d} />
            ))}
          </ul>
        )}
      </div>
      <p>
        Locked out? <a href={href('guide')}>The guide</a> shows Apple’s way back in for your model, with the buttons for Recovery mode.
      </p>
    </section>
  );
}

export function DevicesPage({ route }: { route: string[] }) {
  if (route[0] === 'restore') return <RestorePage mode={route[1]} id={route[2]} />;
  return <DeviceList />;
}
