import { PageTitle } from '../components.js';
import { href } from '../router.js';

export function NotFoundPage() {
  return (
    <section>
      <PageTitle>Page not found</PageTitle>
      <p>
        This address is not part of the wizard. <a href={href()}>Go to the start page</a>.
      </p>
    </section>
  );
}
