/**
 * The wizard's shell: header navigation, one page per route, and the area registry. Areas whose
 * pages are not built yet (recover, export, devices, guide) show a "coming" page, never a broken link.
 */
import type { ComponentType } from 'preact';
import { getJson } from './api.js';
import { useLoad } from './components.js';
import { href, useRoute } from './router.js';
import { HomePage } from './pages/home.js';
import { BackupsPage } from './pages/backups.js';
import { BackupPage } from './pages/backup.js';
import { BrowsePage } from './pages/browse.js';
import { JobPage } from './pages/job.js';
import { ComingPage, AREAS, type AreaId } from './pages/coming.js';
import { NotFoundPage } from './pages/not-found.js';
import { DevicesPage } from './pages/devices.js';
import { ExportPage } from './pages/export.js';
import { GuidePage } from './pages/guide.js';
import { RecoverPage } from './pages/recover.js';
import { SecretsPage } from './pages/secrets.js';

/** The page of each later area; an area without one here (or without its server feature) shows "coming". */
export const AREA_PAGES: Partial<Record<AreaId, ComponentType<{ route: string[] }>>> = { export: ExportPage, devices: DevicesPage, guide: GuidePage, recover: RecoverPage };

function Page({ route, features }: { route: string[]; features: string[] }) {
  const [first, ...rest] = route;
  switch (first) {
    case undefined:
      return <HomePage />;
    case 'backups':
      return rest[0] ? <BackupPage id={rest[0]} /> : <BackupsPage />;
    case 'open':
      return <BrowsePage sid={rest[0]} />;
    case 'jobs':
      return <JobPage id={rest[0]} />;
    case 'secrets':
      return <SecretsPage sid={rest[0]} />;
    default: {
      const area = AREAS.find((a) => a.id === first);
      if (!area) return <NotFoundPage />;
      const Real = AREA_PAGES[area.id];
      return Real && features.includes(area.feature) ? <Real route={rest} /> : <ComingPage area={area} />;
    }
  }
}

export function App() {
  const route = useRoute();
  const { data } = useLoad(() => getJson<{ features: string[] }>('/api/features'), []);
  const here = route[0] ?? '';
  const nav: Array<[string, string]> = [
    ['', 'Start'],
    ['backups', 'Backups'],
    ...AREAS.map((a) => [a.id, a.short] as [string, string]),
  ];
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header>
        <p class="brand">
          <a href={href()}>irescue</a>
        </p>
        <nav aria-label="Wizard sections">
          <ul>
            {nav.map(([id, label]) => (
              <li key={id}>
                <a href={href(...(id ? [id] : []))} aria-current={here === id || (here === 'open' && id === 'backups') ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Page key={route.join('/')} route={route} features={data?.features ?? []} />
      </main>
      <footer>
        <p>Runs only on this computer (127.0.0.1). Nothing is sent anywhere. Passwords are never stored.</p>
      </footer>
    </>
  );
}
