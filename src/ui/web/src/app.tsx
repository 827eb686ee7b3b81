/** The wizard's shell: header navigation and one page per route. */
import { href, useRoute } from './router.js';
import { HomePage } from './pages/home.js';
import { BackupsPage } from './pages/backups.js';
import { BackupPage } from './pages/backup.js';
import { BrowsePage } from './pages/browse.js';
import { JobPage } from './pages/job.js';
import { NotFoundPage } from './pages/not-found.js';
import { DevicesPage } from './pages/devices.js';
import { ExportPage } from './pages/export.js';
import { GuidePage } from './pages/guide.js';
import { RecoverPage } from './pages/recover.js';
import { PutBackPage } from './pages/put-back.js';
import { KeepPage } from './pages/keep.js';
import { SecretsPage } from './pages/secrets.js';

/** The header's sections, in the order a worried owner looks for them. */
const NAV: Array<[string, string]> = [
  ['', 'Start'],
  ['backups', 'Backups'],
  ['guide', 'Locked out?'],
  ['recover', 'Forgot password'],
  ['export', 'Export'],
  ['devices', 'Devices'],
];

function Page({ route }: { route: string[] }) {
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
    case 'put-back':
      return <PutBackPage route={rest} />;
    case 'keep':
      return <KeepPage />;
    case 'guide':
      return <GuidePage route={rest} />;
    case 'recover':
      return <RecoverPage route={rest} />;
    case 'export':
      return <ExportPage route={rest} />;
    case 'devices':
      return <DevicesPage route={rest} />;
    default:
      return <NotFoundPage />;
  }
}

export function App() {
  const route = useRoute();
  const here = route[0] ?? '';
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
            {NAV.map(([id, label]) => (
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
        <Page key={route.join('/')} route={route} />
      </main>
      <footer>
        <p>Runs only on this computer (127.0.0.1). Nothing is sent anywhere. Passwords are never stored.</p>
      </footer>
    </>
  );
}
