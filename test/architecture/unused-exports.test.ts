/**
 * Every value (function, class, constant) exported from src/ is imported somewhere (src, test,
 * bench or scripts), or the public entry (src/index.ts) re-exports it, or it is on the allow-list
 * below with a reason. Types are left out: an exported function's option and result types are
 * exported so callers can name them. An export nobody imports is surface to keep up for no one (isomorphic-git runs a
 * similar check for its error classes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importsOf, REPO, sourceFiles, type ImportEdge } from './source-graph.js';

const ENTRIES = new Set(['src/index.ts', 'src/ui/web/src/main.tsx']);

/**
 * Exports kept although nothing imports them yet. `file` or `file#name`.
 */
const ALLOWED: ReadonlyArray<{ what: string; why: string }> = [
  // Re-export shims at old paths while the parallel branches of issue 13 still import them; the lead deletes them at merge.
  { what: 'src/backup/plist.ts', why: 'shim: plist moved to src/plist/' },
  { what: 'src/backup/bplist-read.ts', why: 'shim: decoder moved to src/plist/' },
  { what: 'src/guide/models.ts', why: 'shim: model table moved to src/models/' },
  { what: 'src/guide/data/models.ts', why: 'shim: model rows moved to src/models/' },
  { what: 'src/device/plist-service.ts#PlistReal', why: 'shim: moved to src/plist/value.ts' },
  { what: 'src/cli/common.ts#isDebugRun', why: 'shim: the one detector is cli/exit.ts isDebug' },
  // Found by this test when it was written (issue 13); each room's owner was changing it in parallel, so these
  // are listed, not deleted. The list only shrinks: a name that goes must come off it (second test).
  // backup room, reshaped in parallel (issue 13 BackupFolder/extraction owners): decide at merge
  { what: 'src/backup/demo.ts#DEMO_UDID', why: 'backup room' },
  { what: 'src/backup/info.ts#folderSize', why: 'backup room' },
  { what: 'src/backup/keybag.ts#buildTlv', why: 'backup room' },
  { what: 'src/backup/keybag.ts#parseTlv', why: 'backup room' },
  { what: 'src/backup/keybag.ts#passcodeWrappedKeys', why: 'backup room' },
  { what: 'src/backup/locate.ts#looksLikeBackup', why: 'backup room' },
  { what: 'src/backup/writer.ts#removeBackup', why: 'backup room' },
  // device room (issue 13 device owner): protocol constants and codecs that tests and the coming watch/restore side may use; decide at merge
  { what: 'src/device/backup.ts#willEncrypt', why: 'device room' },
  { what: 'src/device/connection.ts#startClientTls', why: 'device room' },
  { what: 'src/device/device-link.ts#EMPTY_PARAMETER', why: 'device room' },
  { what: 'src/device/device-link.ts#parseDeviceLinkMessage', why: 'device room' },
  { what: 'src/device/devices.ts#modelFromChip', why: 'device room' },
  { what: 'src/device/lockdown/pairing.ts#certificateToPem', why: 'device room' },
  { what: 'src/device/lockdown/pairing.ts#createCertificate', why: 'device room' },
  { what: 'src/device/plist-service.ts#MAX_PLIST_MESSAGE', why: 'device room' },
  { what: 'src/device/plist-service.ts#decodePlistBody', why: 'device room' },
  { what: 'src/device/plist-service.ts#encodePlistBody', why: 'device room' },
  { what: 'src/device/plist-service.ts#encodePlistMessage', why: 'device room' },
  { what: 'src/device/usb/recovery.ts#COMMAND_SETUP', why: 'device room' },
  { what: 'src/device/usb/recovery.ts#chooseRecoveryDevice', why: 'device room' },
  { what: 'src/device/usb/recovery.ts#sendCommand', why: 'device room' },
  { what: 'src/device/usb/transport.ts#DFU_PRODUCT_ID', why: 'device room' },
  { what: 'src/device/usb/transport.ts#RECOVERY_PRODUCT_IDS', why: 'device room' },
  { what: 'src/device/usbmux/address.ts#DEFAULT_TCP_PORT', why: 'device room' },
  { what: 'src/device/usbmux/address.ts#DEFAULT_UNIX_SOCKET', why: 'device room' },
  { what: 'src/device/usbmux/address.ts#defaultAddress', why: 'device room' },
  // export room (issue 13 export owner): per-category readers and CSV headers are the seams exportData is being built on; decide at merge
  { what: 'src/export/addressbook-db.ts#AB_PROPERTY', why: 'export room' },
  { what: 'src/export/addressbook-db.ts#birthdayFrom', why: 'export room' },
  { what: 'src/export/calls.ts#CALL_CSV_HEADER', why: 'export room' },
  { what: 'src/export/calls.ts#callStatus', why: 'export room' },
  { what: 'src/export/calls.ts#formatDurationHms', why: 'export room' },
  { what: 'src/export/calls.ts#readCoreDataCalls', why: 'export room' },
  { what: 'src/export/calls.ts#readLegacyCalls', why: 'export room' },
  { what: 'src/export/category.ts#findFirst', why: 'export room' },
  { what: 'src/export/contact-index.ts#EMPTY_CONTACT_INDEX', why: 'export room' },
  { what: 'src/export/contacts.ts#CONTACT_CSV_HEADER', why: 'export room' },
  { what: 'src/export/contacts.ts#labelText', why: 'export room' },
  { what: 'src/export/contacts.ts#toVCard', why: 'export room' },
  { what: 'src/export/html.ts#table', why: 'export room' },
  { what: 'src/export/messages.ts#MESSAGE_CSV_HEADER', why: 'export room' },
  { what: 'src/export/note-body.ts#noteStoreType', why: 'export room' },
  { what: 'src/export/note-body.ts#paragraphs', why: 'export room' },
  { what: 'src/export/notes.ts#NOTE_CSV_HEADER', why: 'export room' },
  { what: 'src/export/notes.ts#readNoteMedia', why: 'export room' },
  { what: 'src/export/notes.ts#readNotes', why: 'export room' },
  { what: 'src/export/paths.ts#SMS_ATTACHMENT_DOMAIN', why: 'export room' },
  { what: 'src/export/photos.ts#PHOTO_CSV_HEADER', why: 'export room' },
  { what: 'src/export/photos.ts#collectPhotos', why: 'export room' },
  { what: 'src/export/whatsapp.ts#WHATSAPP_CSV_HEADER', why: 'export room' },
  // guide/restore (restore-to-device owner): barrel of the restore API; decide at merge
  { what: 'src/guide/recovery-steps.ts#deviceWord', why: 'guide room' },
  { what: 'src/guide/restore/index.ts#DOWNLOAD_SPACE', why: 'guide room' },
  { what: 'src/guide/restore/index.ts#FAILURE_CODES', why: 'guide room' },
  { what: 'src/guide/restore/index.ts#RESTORE_STEPS', why: 'guide room' },
  { what: 'src/guide/restore/index.ts#defaultCacheDir', why: 'guide room' },
  { what: 'src/guide/restore/index.ts#installHints', why: 'guide room' },
  { what: 'src/guide/restore/index.ts#locateIdevicerestore', why: 'guide room' },
  { what: 'src/guide/restore/index.ts#readToolVersion', why: 'guide room' },
  { what: 'src/guide/restore/index.ts#targetModel', why: 'guide room' },
  { what: 'src/guide/restore/output.ts#overallPercent', why: 'guide room' },
  { what: 'src/guide/routes.ts#isSituationId', why: 'guide room' },
  // kdf measurement API behind bench and select; hashcat.ts is moving beside recover (issue 13 recover owner)
  { what: 'src/kdf/bench.ts#measureHashcat', why: 'kdf room' },
  { what: 'src/kdf/hashcat.ts#defaultHashcatBinary', why: 'kdf room' },
  { what: 'src/kdf/measure.ts#BACKUP_ROUNDS', why: 'kdf room' },
  { what: 'src/kdf/measure.ts#measureNativePath', why: 'kdf room' },
  { what: 'src/kdf/measure.ts#measureNodeCrypto', why: 'kdf room' },
  // recover room, reshaped into plan/run in parallel (issue 13 recover owner): decide at merge
  { what: 'src/recover/candidates/common.ts#commonCandidates', why: 'recover room' },
  { what: 'src/recover/candidates/hints.ts#HINT_LIMIT', why: 'recover room' },
  { what: 'src/recover/candidates/hints.ts#suffixes', why: 'recover room' },
  { what: 'src/recover/candidates/keychain.ts#KEYCHAIN_SERVICES', why: 'recover room' },
  { what: 'src/recover/candidates/keychain.ts#WINDOWS_CREDENTIAL_MARKERS', why: 'recover room' },
  { what: 'src/recover/candidates/keychain.ts#parseCredentialLines', why: 'recover room' },
  { what: 'src/recover/candidates/keychain.ts#powershellArgs', why: 'recover room' },
  { what: 'src/recover/candidates/list.ts#uniqueInOrder', why: 'recover room' },
  { what: 'src/recover/candidates/mask.ts#BUILTIN_CHARSETS', why: 'recover room' },
  { what: 'src/recover/candidates/mask.ts#expandCharset', why: 'recover room' },
  { what: 'src/recover/candidates/source.ts#SOURCE_ORDER', why: 'recover room' },
  { what: 'src/recover/candidates/wordlist.ts#scanWordlist', why: 'recover room' },
  { what: 'src/recover/fingerprint-set.ts#fingerprint', why: 'recover room' },
  { what: 'src/recover/session.ts#SESSION_FILE', why: 'recover room' },
  { what: 'src/recover/session.ts#sourceRecords', why: 'recover room' },
  // wizard (issue 13 wizard owner, removing the "coming" scaffolding in parallel): decide at merge
  { what: 'src/ui/device-watch.ts#deviceKey', why: 'ui room' },
  { what: 'src/ui/routes/recover.ts#specFromBody', why: 'ui room' },
  { what: 'src/ui/security.ts#allowedOrigins', why: 'ui room' },
  { what: 'src/ui/web/src/app.tsx#AREA_PAGES', why: 'ui room' },
  { what: 'src/ui/web/src/components.tsx#progressText', why: 'ui room' },
  { what: 'src/ui/web/src/pages/restore.tsx#matchesPhrase', why: 'ui room' },
  { what: 'src/ui/web/src/router.ts#currentRoute', why: 'ui room' },
];

const DECL = /(?:^|\n)\s*export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|class|const|let|var|enum)\s+([A-Za-z_$][\w$]*)/g;
const LOCAL_LIST = /(?:^|\n)\s*export\s+\{([^}]*)\}\s*(from\s*['"][^'"]+['"])?/g;

function exportedNames(file: string): string[] {
  const src = readFileSync(join(REPO, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const names = new Set<string>();
  for (const m of src.matchAll(DECL)) names.add(m[1]);
  for (const m of src.matchAll(LOCAL_LIST)) {
    for (const part of m[1].split(',')) {
      const p = part.trim();
      if (!p || p.startsWith('type ')) continue;
      const as = p.split(/\s+as\s+/);
      names.add((as[1] ?? as[0]).trim());
    }
  }
  return [...names];
}

test('every export in src/ is imported somewhere, is public API, or is allowed with a reason', () => {
  const src = sourceFiles('src');
  const everyone = [...src, ...sourceFiles('test'), ...sourceFiles('bench'), ...sourceFiles('scripts')];
  const used = new Map<string, Set<string>>(); // file -> names imported from it ('*' = all)
  const use = (e: ImportEdge) => {
    let s = used.get(e.to);
    if (!s) used.set(e.to, (s = new Set()));
    for (const n of e.names) s.add(n);
  };
  const edges = everyone.flatMap(importsOf);
  for (const e of edges) use(e);
  const unused: string[] = [];
  for (const file of src) {
    if (ENTRIES.has(file)) continue;
    const u = used.get(file) ?? new Set<string>();
    if (u.has('*')) continue;
    for (const name of exportedNames(file)) {
      if (u.has(name)) continue;
      if (ALLOWED.some((a) => a.what === file || a.what === `${file}#${name}`)) continue;
      unused.push(`${file}: ${name}`);
    }
  }
  assert.deepEqual(unused, [], `exported but imported nowhere (delete, un-export, or allow with a reason):\n${unused.join('\n')}`);
});

test('the allow-list names only exports that exist', () => {
  for (const a of ALLOWED) {
    const [file, name] = a.what.split('#');
    if (name) assert.ok(exportedNames(file).includes(name), `${a.what} is not exported any more: take it off the list`);
    else assert.match(readFileSync(join(REPO, file), 'utf8'), /^export /m, `${file} exports nothing`);
  }
});
