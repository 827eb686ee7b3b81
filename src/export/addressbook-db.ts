/**
 * Reads people from AddressBook.sqlitedb (+ AddressBookImages.sqlitedb) into plain records
 * (docs/schemas/AddressBook.sqlitedb.md). Multi-values (phones, e-mails, addresses, URLs) share one
 * table, told apart by `property`; labels are ids into ABMultiValueLabel; address parts are rows of
 * ABMultiValueEntry keyed through ABMultiValueEntryKey.
 */
import { fromAppleTime } from './apple-time.js';
import { asInt, asText, ColumnPicker, each, hasTable, need, tableColumns, type Db } from './sqlite.js';

const AB_PROPERTY = { phone: 3, email: 4, address: 5, url: 22 } as const;

export interface AbValue {
  /** the raw label: "_$!<Mobile>!$_", "iPhone", or a user's own */
  label?: string;
  value: string;
}

export interface AbAddress {
  label?: string;
  street?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
}

export interface AbPerson {
  id: number;
  first?: string;
  last?: string;
  middle?: string;
  prefix?: string;
  suffix?: string;
  nickname?: string;
  organization?: string;
  department?: string;
  jobTitle?: string;
  note?: string;
  birthday?: { year?: number; month: number; day: number };
  phones: AbValue[];
  emails: AbValue[];
  urls: AbValue[];
  addresses: AbAddress[];
  photo?: Buffer;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** Apple stores a birthday as Apple-epoch seconds at noon-ish UTC; year 1604 means "no year". */
function birthdayFrom(v: unknown): AbPerson['birthday'] {
  const d = fromAppleTime(typeof v === 'string' ? Number(v) : v);
  if (!d) return undefined;
  // The value is the local midnight of the day where it was entered; noon shifting keeps the day.
  const shifted = new Date(d.getTime() + 12 * 3600_000);
  const year = shifted.getUTCFullYear();
  return { year: year === 1604 ? undefined : year, month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

export function readPeople(db: Db, missing: string[]): AbPerson[] {
  if (!hasTable(db, 'ABPerson')) {
    missing.push('ABPerson');
    return [];
  }
  const p = new ColumnPicker(db, 'ABPerson', 'p');
  const sql = `SELECT p.ROWID AS id, ${p.pick('First')}, ${p.pick('Last')}, ${p.pick('Middle')}, ${p.pick('Prefix')}, ${p.pick('Suffix')}, ` +
    `${p.pick('Nickname')}, ${p.pick('Organization')}, ${p.pick('Department')}, ${p.pick('JobTitle')}, ${p.pick('Note')}, ${p.pick('Birthday')} ` +
    `FROM ABPerson p ORDER BY p.ROWID`;
  const people = new Map<number, AbPerson>();
  for (const r of each(db, sql)) {
    const id = asInt(r.id);
    if (id === null) continue;
    people.set(id, {
      id,
      first: str(r.First), last: str(r.Last), middle: str(r.Middle), prefix: str(r.Prefix), suffix: str(r.Suffix),
      nickname: str(r.Nickname), organization: str(r.Organization), department: str(r.Department), jobTitle: str(r.JobTitle),
      note: str(r.Note), birthday: birthdayFrom(r.Birthday),
      phones: [], emails: [], urls: [], addresses: [],
    });
  }
  missing.push(...p.missing);
  if (!need(db, missing, 'ABMultiValue', 'UID', 'record_id', 'property', 'value')) return [...people.values()];
  const labels = new Map<number, string>();
  if (need(db, missing, 'ABMultiValueLabel', 'value')) {
    for (const r of each(db, 'SELECT ROWID AS id, value FROM ABMultiValueLabel')) {
      const id = asInt(r.id);
      const v = asText(r.value);
      if (id !== null && v !== null) labels.set(id, v);
    }
  }
  const entryKeys = new Map<number, string>();
  const entries = new Map<number, Map<string, string>>();
  if (need(db, missing, 'ABMultiValueEntryKey', 'value') && need(db, missing, 'ABMultiValueEntry', 'parent_id', 'key', 'value')) {
    for (const r of each(db, 'SELECT ROWID AS id, value FROM ABMultiValueEntryKey')) {
      const id = asInt(r.id);
      const v = asText(r.value);
      if (id !== null && v !== null) entryKeys.set(id, v);
    }
    for (const r of each(db, 'SELECT parent_id, key, value FROM ABMultiValueEntry')) {
      const parent = asInt(r.parent_id);
      const value = asText(r.value);
      if (parent === null || value === null) continue;
      const m = entries.get(parent) ?? new Map<string, string>();
      const key = asInt(r.key);
      m.set((key !== null ? entryKeys.get(key) : undefined) ?? String(asText(r.key) ?? ''), value);
      entries.set(parent, m);
    }
  }
  const hasLabel = tableColumns(db, 'ABMultiValue').has('label');
  for (const r of each(db, `SELECT UID AS uid, record_id, property, ${hasLabel ? 'label' : 'NULL AS label'}, value FROM ABMultiValue ORDER BY record_id, UID`)) {
    const person = people.get(asInt(r.record_id) ?? -1);
    if (!person) continue;
    const labelId = asInt(r.label);
    const label = labelId !== null ? labels.get(labelId) : undefined;
    const value = typeof r.value === 'string' ? r.value : '';
    const property = asInt(r.property);
    if (property === AB_PROPERTY.phone && value) person.phones.push({ label, value });
    else if (property === AB_PROPERTY.email && value) person.emails.push({ label, value });
    else if (property === AB_PROPERTY.url && value) person.urls.push({ label, value });
    else if (property === AB_PROPERTY.address) {
      const e = entries.get(asInt(r.uid) ?? -1) ?? new Map<string, string>();
      person.addresses.push({ label, street: e.get('Street'), city: e.get('City'), state: e.get('State'), zip: e.get('ZIP'), country: e.get('Country') });
    }
  }
  return [...people.values()];
}

/** Full-size photos first, else the largest thumbnail, keyed by person. */
export function readPhotos(db: Db, missing: string[] = []): Map<number, Buffer> {
  const photos = new Map<number, Buffer>();
  const add = (r: Record<string, unknown>): void => {
    const id = asInt(r.record_id);
    if (id !== null && Buffer.isBuffer(r.data) && r.data.length) photos.set(id, r.data);
  };
  const thumbs: string[] = [];
  if (need(db, thumbs, 'ABThumbnailImage', 'record_id', 'data')) {
    const order = tableColumns(db, 'ABThumbnailImage').has('format') ? 'ORDER BY format' : '';
    for (const r of each(db, `SELECT record_id, data FROM ABThumbnailImage ${order}`)) add(r);
  }
  const full: string[] = [];
  if (need(db, full, 'ABFullSizeImage', 'record_id', 'data')) {
    for (const r of each(db, 'SELECT record_id, data FROM ABFullSizeImage')) add(r);
  }
  // Either table alone is a normal layout; neither usable is worth saying.
  if (thumbs.length && full.length) missing.push(...thumbs, ...full);
  return photos;
}

export function displayName(p: AbPerson): string {
  const name = [p.prefix, p.first, p.middle, p.last, p.suffix].filter(Boolean).join(' ');
  return name || p.nickname || p.organization || p.phones[0]?.value || p.emails[0]?.value || `Contact ${p.id}`;
}
