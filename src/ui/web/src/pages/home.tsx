/**
 * Start: what happened? Each answer leads to its part of the wizard (the lockout guide asks the
 * triage questions). Running jobs and open backups are listed
 * so nothing is lost after a reload.
 */
import { getJson } from '../api.js';
import { PageTitle, useLoad } from '../components.js';
import { deviceLabel } from '../format.js';
import { href } from '../router.js';
import type { Job, SessionItem } from '../types.js';

const CHOICES: Array<{ to: string; title: string; text: string }> = [
  { to: 'backups', title: 'Get my files out of a backup', text: 'Open an iTunes or Finder backup on this computer, browse it and copy files out.' },
  { to: 'recover', title: 'I forgot my backup password', text: 'Try to recover the password of an encrypted backup from your hints.' },
  { to: 'guide', title: 'My iPhone is locked, disabled or “unavailable”', text: 'Apple’s official way back in for your model and situation.' },
  { to: 'export', title: 'Save my messages, contacts or photos', text: 'Readable exports from a backup.' },
  { to: 'devices', title: 'My iPhone is plugged in', text: 'See it, check its details, put it in or out of Recovery mode.' },
];

export function HomePage() {
  const jobs = useLoad(() => getJson<{ jobs: Job[] }>('/api/jobs'), []);
  const sessions = useLoad(() => getJson<{ sessions: SessionItem[] }>('/api/sessions'), []);
  const running = jobs.data?.jobs.filter((j) => j.state === 'running') ?? [];
  return (
    <section>
      <PageTitle>What do you need to do?</PageTitle>
      <p>irescue helps you back into your own iPhone, iPad or encrypted backup. Choose what fits best:</p>
      <ul class="choices">
        {CHOICES.map((c) => (
          <li key={c.to}>
            <a class="choice" href={href(c.to)}>
              <span class="choice-title">{c.title}</span>
              <span class="choice-text">{c.text}</span>
            </a>
          </li>
        ))}
      </ul>
      {running.length > 0 && (
        <>
          <h2>Running now</h2>
          <ul>
            {running.map((j) => (
              <li key={j.id}>
                <a href={href('jobs', j.id)}>{j.title}</a>
              </li>
            ))}
          </ul>
        </>
      )}
      {(sessions.data?.sessions.length ?? 0) > 0 && (
        <>
          <h2>Open backups</h2>
          <ul>
            {sessions.data!.sessions.map((s) => (
              <li key={s.id}>
                <a href={href('open', s.id)}>{deviceLabel(s.info)}</a>
              </li>
            ))}
          </ul>
        </>
      )}
      <p class="note">Never built here: Activation Lock bypass, Apple Account removal, MDM bypass, carrier unlock or lock-screen exploits. For those, the guide explains Apple’s official routes.</p>
    </section>
  );
}
