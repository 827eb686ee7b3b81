/** Shown instead of the wizard when this tab has no key: the address was used, too old, or missing. */
import type { ApiErrorBody } from '../api.js';
import { ErrorBox, PageTitle } from '../components.js';

export function NoAccessPage({ error }: { error: ApiErrorBody }) {
  return (
    <main id="main" tabIndex={-1}>
      <PageTitle>This wizard page cannot open</PageTitle>
      <ErrorBox error={error} />
      <p>
        For your safety each wizard address opens the wizard once, within a minute. The terminal where <code>irescue ui</code> runs gives you a new address when you press
        Enter there; if it is no longer running, start it again.
      </p>
    </main>
  );
}
