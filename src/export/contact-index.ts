/**
 * Phone number / e-mail → contact name, so messages and calls can show "Anna Smith" beside a number.
 * Numbers are compared on their last 9 digits, which survives the "+44 20…" versus "020…" forms.
 */
export interface ContactIndex {
  lookup(handle: string | null | undefined): string | undefined;
  readonly size: number;
}

export function handleKey(handle: string): string | undefined {
  const h = handle.trim();
  if (h.includes('@')) return h.toLowerCase();
  const digits = h.replace(/\D/g, '');
  if (digits.length < 3) return undefined;
  return digits.length > 9 ? digits.slice(-9) : digits;
}

export function buildContactIndex(entries: Iterable<{ name: string; handles: string[] }>): ContactIndex {
  const map = new Map<string, string>();
  for (const e of entries) {
    if (!e.name) continue;
    for (const h of e.handles) {
      const k = handleKey(h);
      if (k && !map.has(k)) map.set(k, e.name);
    }
  }
  return {
    lookup(handle) {
      if (!handle) return undefined;
      const k = handleKey(handle);
      return k ? map.get(k) : undefined;
    },
    get size() {
      return map.size;
    },
  };
}

const EMPTY_CONTACT_INDEX: ContactIndex = buildContactIndex([]);
