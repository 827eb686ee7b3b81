import { PageTitle } from '../components.js';
import { href } from '../router.js';

export type AreaId = 'guide' | 'recover' | 'export' | 'devices';

export interface Area {
  id: AreaId;
  /** the server feature (RouteModule.feature) that turns this area on */
  feature: string;
  short: string;
  title: string;
  what: string;
}

export const AREAS: Area[] = [
  { id: 'guide', feature: 'guide', short: 'Locked out?', title: 'Locked out of your iPhone or iPad', what: 'A few questions about your device and situation, then Apple’s official way back in for your model and iOS version, step by step.' },
  { id: 'recover', feature: 'recover', short: 'Forgot password', title: 'Recover a forgotten backup password', what: 'Guesses built from your hints (names, dates, old passwords), with live speed, time left, pause and resume.' },
  { id: 'export', feature: 'export', short: 'Export', title: 'Export messages, contacts, calls, photos and notes', what: 'Readable copies of your messages, contacts, call history, photos and notes, with a report you can open in the browser.' },
  { id: 'devices', feature: 'devices', short: 'Devices', title: 'Connected devices', what: 'Your iPhone or iPad as soon as it is plugged in (normal, Recovery or DFU mode), its details, and entering or leaving Recovery mode.' },
];

export function ComingPage({ area }: { area: Area }) {
  return (
    <section class="coming" aria-labelledby="coming-title">
      <PageTitle>{area.title}</PageTitle>
      <p>{area.what}</p>
      <p class="note" id="coming-title">
        This part of the wizard is coming in a later version of irescue; it is not available yet.
      </p>
      <p>
        Meanwhile, everything you can do with a backup already works: <a href={href('backups')}>go to your backups</a>.
      </p>
    </section>
  );
}
