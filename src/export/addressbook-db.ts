/**
 * Reads people from AddressBook.sqlitedb (+ AddressBookImages.sqlitedb) into plain records
 * (docs/schemas/AddressBook.sqlitedb.md). Multi-values (phones, e-mails, addresses, URLs) share one
 * table, told apart by `property`; labels are ids into ABMultiValueLabel; address parts are rows of
 * ABMultiValueEntry keyed through ABMultiValueEntryKey.
 */
import { fromAppleTime } from './apple-time.js';
import { ColumnPicker, hasTable, type Db } from './sqlite.js';

export const AB_PROPERTY = { phone: 3, email: 4, address: 5, url: 22 } as const;

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
export function birthdayFrom(v: unknown): AbPerson['birthday'] {
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
  for (const r of db.prepare(sql).all() as Array<Record<string, unknown>>) {
    people.set(r.id as number, {
      id: r.id as number,
      first: str(r.First), last: str(r.Last), middle: str(r.Middle), prefix: str(r.Prefix), suffix: str(r.Suffix),
      nickname: str(r.Nickname), organization: str(r.Organization), department: str(r.Department), jobTitle: str(r.JobTitle),
      note: str(r.Note), birthday: birthdayFrom(r.Birthday),
      phones: [], emails: [], urls: [], addresses: [],
    });
  }
  missing.push(...p.missing);
  if (!hasTable(db, 'ABMultiValue')) {
    missing.push('ABMultiValue');
    return [...people.values()];
  }
  const labels = new Map<number, string>();
  if (hasTable(db, 'ABMultiValueLabel')) {
    for (const r of db.prepare('SELECT ROWID AS id, value FROM ABMultiValueLabel').all() as Array<{ id: number; value: string }>) labels.set(r.id, r.value);
  }
  const entryKeys = new Map<number, string>();
  const entries = new Map<number, Map<string, string>>();
  if (hasTable(db, 'ABMultiValueEntry') && hasTable(db, 'ABMultiValueEntryKey')) {
    for (const r of db.prepare('SELECT ROWID AS id, value FROM ABMultiValueEntryKey').all() as Array<{ id: number; value: string }>) entryKeys.set(r.id, r.value);
    for (const r of db.prepare('SELECT parent_id, key, value FROM ABMultiValueEntry').all() as Array<{ parent_id: number; key: number; value: string }>) {
      const m = entries.get(r.parent_id) ?? new Map<string, string>();
      m.set(entryKeys.get(r.key) ?? String(r.key), r.value);
      entries.set(r.parent_id, m);
    }
  }
  const mv = db.prepare('SELECT UID AS uid, record_id, property, label, value FROM ABMultiValue ORDER BY record_id, UID').all() as Array<{ uid: number; record_id: number; property: number; label: number | null; value: unknown }>;
  for (const r of mv) {
    const person = people.get(r.record_id);
    if (!person) continue;
    const label = r.label !== null ? labels.get(r.label) : undefined;
    const value = typeof r.value === 'string' ? r.value : '';
    if (r.property === AB_PROPERTY.phone && value) person.phones.push({ label, value });
    else if (r.property === AB_PROPERTY.email && value) person.emails.push({ label, value });
    else if (r.property === AB_PROPERTY.url && value) person.urls.push({ label, value });
    else if (r.property === AB_PROPERTY.address) {
      const e = entries.get(r.uid) ?? new Map<string, string>();
      person.addresses.push({ label, street: e.get('Street'), city: e.get('City'), state: e.get('State'), zip: e.get('ZIP'), country: e.get('Country') });
    }
  }
  return [...people.values()];
}

/** Full-size photos first, else the largest thumbnail, keyed by person. */
export function readPhotos(db: Db): Map<number, Buffer> {
  const photos = new Map<number, Buffer>();
  if (hasTable(db, 'ABThumbnailImage')) {
    const order = new ColumnPicker(db, 'ABThumbnailImage').has('format') ? 'ORDER BY format' : '';
    for (const r of db.prepare(`SELECT record_id, data FROM ABThumbnailImage ${order}`).all() as Array<{ record_id: number; data: Buffer | null }>) {
      if (r.data?.length) photos.set(r.record_id, r.data);
    }
  }
  if (hasTable(db, 'ABFullSizeImage')) {
    for (const r of db.prepare('SELECT record_id, data FROM ABFullSizeImage').all() as Array<{ record_id: number; data: Buffer | null }>) {
      if (r.data?.length) photos.set(r.record_id, r.data);
    }
  }
  return photos;
}

export function displayName(p: AbPerson): string {
  const name = [p.prefix, p.first, p.middle, p.last, p.suffix].filter(Boolean).join(' ');
  return name || p.nickname || p.organization || p.phones[0]?.value || p.emails[0]?.value || `Contact ${p.id}`;
}
