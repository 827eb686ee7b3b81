/**
 * The browse page's categories: every file of a backup sorted into what people call things
 * (Photos, Messages, Notes, Contacts, Calls, Apps, Other files) from its domain and path alone, so
 * the counts come from the manifest without decrypting anything. Pure functions.
 */
import { CAMERA_ROLL_DOMAIN } from '../export/paths.js';
import { isCameraRollMedia, WEB_IMAGE } from '../export/photos.js';

export const FILE_CATEGORIES = ['photos', 'messages', 'notes', 'contacts', 'calls', 'apps', 'other'] as const;
export type FileCategory = (typeof FILE_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<FileCategory, string> = {
  photos: 'Photos',
  messages: 'Messages',
  notes: 'Notes',
  contacts: 'Contacts',
  calls: 'Calls',
  apps: 'Apps',
  other: 'Other files',
};

const under = (path: string, folder: string): boolean => path === folder || path.startsWith(folder + '/');

export function fileCategory(domain: string, relativePath: string): FileCategory {
  if (domain === CAMERA_ROLL_DOMAIN && isCameraRollMedia(relativePath)) return 'photos';
  if ((domain === 'HomeDomain' || domain === 'MediaDomain') && under(relativePath, 'Library/SMS')) return 'messages';
  if (domain === 'AppDomainGroup-group.com.apple.notes' || (domain === 'HomeDomain' && under(relativePath, 'Library/Notes'))) return 'notes';
  if (domain === 'HomeDomain' && under(relativePath, 'Library/AddressBook')) return 'contacts';
  if (((domain === 'HomeDomain' || domain === 'WirelessDomain') && under(relativePath, 'Library/CallHistory')) || (domain === 'HomeDomain' && under(relativePath, 'Library/CallHistoryDB'))) return 'calls';
  if (/^AppDomain(Group|Plugin)?-/.test(domain)) return 'apps';
  return 'other';
}

/** How the browse page can show a file: a picture the browser draws, a HEIC (its embedded preview if any), or none. */
export type PreviewKind = 'image' | 'heic' | 'none';

export function previewKind(relativePath: string): PreviewKind {
  if (WEB_IMAGE.test(relativePath)) return 'image';
  if (/\.(heic|heif)$/i.test(relativePath)) return 'heic';
  return 'none';
}

export function isFileCategory(v: string | null | undefined): v is FileCategory {
  return !!v && (FILE_CATEGORIES as readonly string[]).includes(v);
}
