/**
 * The well-known places, inside a backup, of the databases and media each exporter reads. One name
 * per file so exporters, tests and docs agree (docs/schemas/ lists the table layouts read from each).
 */
export interface BackupPath {
  domain: string;
  relativePath: string;
}

const home = (relativePath: string): BackupPath => ({ domain: 'HomeDomain', relativePath });

export const KnownFiles = {
  /** Messages (SMS, MMS, iMessage) */
  SMS_DB: home('Library/SMS/sms.db'),
  /** Contacts */
  ADDRESS_BOOK: home('Library/AddressBook/AddressBook.sqlitedb'),
  ADDRESS_BOOK_IMAGES: home('Library/AddressBook/AddressBookImages.sqlitedb'),
  /** Call history: Core Data store on iOS 8 and later */
  CALL_HISTORY: home('Library/CallHistoryDB/CallHistory.storedata'),
  /** Call history before iOS 8 */
  CALL_HISTORY_LEGACY: { domain: 'WirelessDomain', relativePath: 'Library/CallHistory/call_history.db' } as BackupPath,
  /** Older backups keep call_history.db in HomeDomain */
  CALL_HISTORY_LEGACY_HOME: home('Library/CallHistory/call_history.db'),
  /** Notes (iOS 9 and later) */
  NOTE_STORE: { domain: 'AppDomainGroup-group.com.apple.notes', relativePath: 'NoteStore.sqlite' } as BackupPath,
  /** WhatsApp; media paths in it are relative to Message/ in the same domain */
  WHATSAPP_CHATS: { domain: 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared', relativePath: 'ChatStorage.sqlite' } as BackupPath,
} as const;

export const WHATSAPP_MEDIA_PREFIX = 'Message/';

/** Message attachments live in MediaDomain under Library/SMS/Attachments. */
const SMS_ATTACHMENT_DOMAIN = 'MediaDomain';

export const CAMERA_ROLL_DOMAIN = 'CameraRollDomain';
/** Camera roll originals; PhotoData/CPLAssets holds originals of iCloud-synced libraries. */
export const CAMERA_ROLL_GLOBS = ['Media/DCIM/**', 'Media/PhotoData/CPLAssets/**'];

/**
 * Where an attachment path stored in sms.db (`~/Library/SMS/Attachments/…` or
 * `/var/mobile/Library/SMS/Attachments/…`) lives in the backup; undefined when it points elsewhere.
 */
export function smsAttachmentPath(stored: string): BackupPath | undefined {
  const m = /^(?:~|\/var\/mobile|\/private\/var\/mobile)\/(Library\/SMS\/.+)$/.exec(stored);
  if (!m) return undefined;
  return { domain: SMS_ATTACHMENT_DOMAIN, relativePath: m[1] };
}
