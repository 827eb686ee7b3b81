/**
 * Hash routes (#/backups/ID): a reload keeps the place, including a running job's id, so the page
 * reattaches to the job on the server. Nothing about the user's data goes in the hash but ids.
 */
import { useEffect, useState } from 'preact/hooks';

function currentRoute(): string[] {
  return location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const on = () => setRoute(currentRoute());
    addEventListener('hashchange', on);
    // The hash may have changed between the first render and this effect (effects run after paint).
    on();
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function go(...parts: string[]): void {
  location.hash = '#/' + parts.map(encodeURIComponent).join('/');
}

export function href(...parts: string[]): string {
  return '#/' + parts.map(encodeURIComponent).join('/');
}
