/** The browse page's categories come from each file's domain and path alone (src/ui/file-categories.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileCategory, isFileCategory, previewKind } from '../../src/ui/file-categories.js';

test('files sort into what people call them', () => {
  const cases: Array<[string, string, string]> = [
    ['CameraRollDomain', 'Media/DCIM/100APPLE/IMG_0001.JPG', 'photos'],
    ['CameraRollDomain', 'Media/DCIM/100APPLE/IMG_0003.MOV', 'photos'],
    ['CameraRollDomain', 'Media/PhotoData/CPLAssets/group1/A.HEIC', 'photos'],
    ['CameraRollDomain', 'Media/PhotoData/Photos.sqlite', 'other'],
    ['CameraRollDomain', 'Media/DCIM/100APPLE/IMG_0001.TXT', 'other'],
    ['HomeDomain', 'Library/SMS/sms.db', 'messages'],
    ['MediaDomain', 'Library/SMS/Attachments/4f/15/A/IMG_0042.JPG', 'messages'],
    ['HomeDomain', 'Library/SMSFake/x', 'other'],
    ['AppDomainGroup-group.com.apple.notes', 'NoteStore.sqlite', 'notes'],
    ['HomeDomain', 'Library/Notes/notes.sqlite', 'notes'],
    ['HomeDomain', 'Library/AddressBook/AddressBook.sqlitedb', 'contacts'],
    ['HomeDomain', 'Library/CallHistoryDB/CallHistory.storedata', 'calls'],
    ['WirelessDomain', 'Library/CallHistory/call_history.db', 'calls'],
    ['AppDomain-com.example.diary', 'Documents/2026-01-01.md', 'apps'],
    ['AppDomainGroup-group.net.whatsapp.WhatsApp.shared', 'ChatStorage.sqlite', 'apps'],
    ['AppDomainPlugin-com.example.widget', 'Library/x.plist', 'apps'],
    ['HomeDomain', 'Library/Preferences/com.apple.demo.plist', 'other'],
    ['MediaDomain', 'Media/Recordings/Voice memo.m4a', 'other'],
  ];
  for (const [domain, path, want] of cases) assert.equal(fileCategory(domain, path), want, `${domain}/${path}`);
});

test('previews: pictures a browser draws, HEIC (embedded preview only), nothing else', () => {
  assert.equal(previewKind('a/IMG.JPG'), 'image');
  assert.equal(previewKind('a/x.png'), 'image');
  assert.equal(previewKind('a/IMG.HEIC'), 'heic');
  assert.equal(previewKind('a/IMG.MOV'), 'none');
  assert.equal(previewKind('sms.db'), 'none');
  assert.ok(isFileCategory('photos'));
  assert.ok(!isFileCategory('domains'));
  assert.ok(!isFileCategory(null));
});
