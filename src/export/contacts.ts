/** Contacts export: one vCard 4.0 file with every person (photos included) plus contacts.csv. */
import { CancelledError, throwIfAborted } from '../errors.js';
import type { BackupReader } from '../backup/types.js';
import { displayName, readPeople, readPhotos, type AbPerson, type AbValue } from './addressbook-db.js';
import { type CategoryRun, finishResult, onCategoryDb, openCategoryDb } from './category.js';
import { buildContactIndex, type ContactIndex } from './contact-index.js';
import { csvRow } from './csv.js';
import { escapeHtml, page } from './html.js';
import { joinRel } from './output.js';
import { KnownFiles } from './paths.js';
import { asCorrupt, openBackupDatabase, type Db, type OpenedDb } from './sqlite.js';
import { skipFile } from './backup-files.js';
import { buildVCard, type VCardContact, type VCardTyped } from './vcard.js';
import type { CategoryResult, ExportContext } from './types.js';

const ROOT = 'contacts';

/** Apple's built-in labels are stored as "_$!<Mobile>!$_"; anything else is the user's own words. */
function labelText(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const m = /^_\$!<(.+)>!\$_$/.exec(raw);
  return m ? m[1] : raw;
}

const PHONE_TYPES: Record<string, string[]> = {
  mobile: ['cell'], iphone: ['cell'], home: ['home', 'voice'], work: ['work', 'voice'], main: ['voice'],
  homefax: ['home', 'fax'], workfax: ['work', 'fax'], otherfax: ['fax'], pager: ['pager'], other: [],
};
const EMAIL_TYPES: Record<string, string[]> = { home: ['home'], work: ['work'], other: [] };

function typed(v: AbValue, known: Record<string, string[]>): VCardTyped {
  const text = labelText(v.label);
  const key = (text ?? '').toLowerCase().replace(/\s+/g, '');
  const types = known[key];
  if (types) return { value: v.value, types, label: key === 'iphone' || key === 'main' ? text : undefined };
  return { value: v.value, types: [], label: text };
}

function toVCard(p: AbPerson): VCardContact {
  const c: VCardContact = {
    fn: displayName(p),
    n: { family: p.last, given: p.first, additional: p.middle, prefix: p.prefix, suffix: p.suffix },
    nickname: p.nickname,
    org: p.organization || p.department ? { name: p.organization, unit: p.department } : undefined,
    title: p.jobTitle,
    tel: p.phones.map((v) => typed(v, PHONE_TYPES)),
    email: p.emails.map((v) => typed(v, EMAIL_TYPES)),
    url: p.urls.map((v) => typed(v, { homepage: [], home: ['home'], work: ['work'] })),
    adr: p.addresses.map((a) => {
      const t = typed({ label: a.label, value: '' }, { home: ['home'], work: ['work'], other: [] });
      return { types: t.types, label: t.label, street: a.street, locality: a.city, region: a.state, code: a.zip, country: a.country };
    }),
    bday: p.birthday,
    note: p.note,
    uid: `urn:irescue:addressbook:${p.id}`,
  };
  if (p.photo) c.photo = { mime: sniffImageMime(p.photo), data: p.photo };
  return c;
}

function sniffImageMime(b: Buffer): string {
  if (b[0] === 0x89 && b[1] === 0x50) return 'image/png';
  if (b.subarray(4, 12).toString('latin1').startsWith('ftyphei')) return 'image/heic';
  return 'image/jpeg';
}

/** People with their photos; an images database the backup cannot give costs the photos, not the contacts. */
async function loadPeople(ctx: ExportContext, run: CategoryRun, db: Db, missing: string[]): Promise<AbPerson[]> {
  const people = readPeople(db, missing);
  const imgRecord = ctx.reader.findFile(KnownFiles.ADDRESS_BOOK_IMAGES.domain, KnownFiles.ADDRESS_BOOK_IMAGES.relativePath);
  if (!imgRecord) return people;
  let img: OpenedDb;
  try {
    img = await openBackupDatabase(ctx.reader, imgRecord);
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    skipFile(run, imgRecord, e);
    return people;
  }
  if (img.walSkipped) skipFile(run, img.walSkipped.record, img.walSkipped.error);
  try {
    const photos = readPhotos(img.db, missing);
    for (const p of people) p.photo = photos.get(p.id);
  } catch (e) {
    // SQLite finds damage while stepping: the photos are lost, the people are kept.
    if (e instanceof CancelledError) throw e;
    skipFile(run, imgRecord, asCorrupt(img.label, e));
  } finally {
    await img.close();
  }
  return people;
}

/** Number/e-mail → name, for messages and calls; undefined when the backup has no readable contacts. */
export async function loadContactIndex(reader: BackupReader): Promise<ContactIndex | undefined> {
  const record = reader.findFile(KnownFiles.ADDRESS_BOOK.domain, KnownFiles.ADDRESS_BOOK.relativePath);
  if (!record) return undefined;
  try {
    const opened = await openBackupDatabase(reader, record);
    try {
      const people = readPeople(opened.db, []);
      return buildContactIndex(people.map((p) => ({ name: displayName(p), handles: [...p.phones, ...p.emails].map((v) => v.value) })));
    } finally {
      await opened.close();
    }
  } catch {
    return undefined; // the contacts export itself reports a damaged database; names are a nicety here
  }
}

const CONTACT_CSV_HEADER = ['name', 'first', 'middle', 'last', 'nickname', 'organization', 'department', 'job_title', 'phones', 'emails', 'addresses', 'urls', 'birthday', 'note', 'has_photo'];

export async function exportContacts(ctx: ExportContext): Promise<CategoryResult> {
  const run: CategoryRun = { category: 'contacts', files: [], warnings: [], count: 0 };
  const opened = await openCategoryDb(ctx, run, [KnownFiles.ADDRESS_BOOK], 'no contacts in this backup');
  if (!opened) return finishResult(run);
  const missing: string[] = [];
  return onCategoryDb(opened, async () => {
    const people = await loadPeople(ctx, run, opened.db, missing);
    throwIfAborted(ctx.options.signal);
    if (!people.length) {
      run.status = 'empty';
      run.message = 'no contacts in this backup';
      run.missingColumns = missing;
      return finishResult(run);
    }
    const withLabel = (v: AbValue): string => (labelText(v.label) ? `${labelText(v.label)}: ${v.value}` : v.value);
    let vcf = '';
    let csv = csvRow(CONTACT_CSV_HEADER);
    const htmlRows: string[] = [];
    for (const p of people) {
      vcf += buildVCard(toVCard(p));
      const addresses = p.addresses.map((a) => [labelText(a.label) ? labelText(a.label) + ':' : '', a.street, a.city, a.state, a.zip, a.country].filter(Boolean).join(' ').replace(/\n/g, ', '));
      const bday = p.birthday ? `${p.birthday.year ?? '--'}-${String(p.birthday.month).padStart(2, '0')}-${String(p.birthday.day).padStart(2, '0')}` : '';
      csv += csvRow([displayName(p), p.first, p.middle, p.last, p.nickname, p.organization, p.department, p.jobTitle,
        p.phones.map(withLabel).join('; '), p.emails.map(withLabel).join('; '), addresses.join('; '), p.urls.map(withLabel).join('; '), bday, p.note, p.photo ? 1 : 0]);
      htmlRows.push(`<tr><td>${escapeHtml(displayName(p))}</td><td>${escapeHtml(p.organization)}</td><td>${p.phones.map((v) => escapeHtml(withLabel(v))).join('<br>')}</td><td>${p.emails.map((v) => escapeHtml(withLabel(v))).join('<br>')}</td></tr>`);
      run.count++;
      ctx.options.onProgress?.({ phase: 'contacts', done: run.count, total: people.length, unit: 'steps' });
    }
    await ctx.out.writeFile(joinRel(ROOT, 'contacts.vcf'), vcf);
    await ctx.out.writeFile(joinRel(ROOT, 'contacts.csv'), csv);
    const body = `<p>${run.count} contacts. Import <a href="contacts.vcf">contacts.vcf</a> into Google Contacts, macOS or iOS Contacts; also as <a href="contacts.csv">CSV</a>.</p>\n` +
      `<table><tr><th>Name</th><th>Organisation</th><th>Phones</th><th>E-mails</th></tr>\n${htmlRows.join('\n')}</table>`;
    await ctx.out.writeFile(joinRel(ROOT, 'index.html'), page({ title: 'Contacts', body, back: { href: '../index.html', label: 'Report' } }));
    run.files.push(joinRel(ROOT, 'contacts.vcf'), joinRel(ROOT, 'contacts.csv'), joinRel(ROOT, 'index.html'));
    run.page = joinRel(ROOT, 'index.html');
    run.missingColumns = missing;
    return finishResult(run);
  });
}
