/**
 * A generated encrypted iOS 12 backup whose keychain holds an item of every kind and class the spec
 * names (KEYCHAIN.md §10: no public real keychain with a known password exists).
 */
import { join } from 'node:path';
import { pbkdf2Sync, createHash } from 'node:crypto';
import { buildBinaryPlist } from '../../src/plist/plist.js';
import { writeBackup, type WriterFile, type WrittenBackup } from '../../src/backup/writer.js';
import type { DerDict } from '../../src/keychain/der.js';
import { buildKeychainPlist, type KeychainFixtureItem } from '../../src/keychain/writer.js';
import { scratchDir } from '../fixtures/backups.js';

export const KC_PASSWORD = 'owner-pässword';
export const SCREEN_TIME_CODE = '4821';
const d = (s: string) => new Date(s);

export const SAFARI: DerDict = { v_Data: Buffer.from('pa,ss"word 1'), acct: 'alice@example.com', srvr: 'example.com', ptcl: 'htps', port: 0n, path: '', agrp: 'com.apple.cfnetwork', pdmn: 'ak', cdat: d('2020-11-24T14:06:34.692Z'), mdat: d('2021-01-02T03:04:05Z'), sync: 1n };
export const HTTP_PORT: DerDict = { v_Data: Buffer.from('tökén'), acct: 'zoë@例え.jp', srvr: 'intranet.local', ptcl: BigInt(Buffer.from('http').readUInt32BE()), port: 8080n, path: '/login', agrp: 'com.apple.cfnetwork', pdmn: 'ck' };
export const FORMULA: DerDict = { v_Data: Buffer.from('=1+2'), acct: 'bob', srvr: 'formula.example', ptcl: 'htps', port: 443n, agrp: 'com.apple.cfnetwork', pdmn: 'dk' };
export const WIFI: DerDict = { v_Data: Buffer.from('wifi,pass"word'), acct: 'Home "Wi-Fi", 5G', svce: 'AirPort', agrp: 'apple', pdmn: 'ck' };
export const APP: DerDict = { v_Data: Buffer.from('app-secret'), acct: Buffer.from('data-typed-account'), svce: 'com.example.app', agrp: 'ABCDE12345.com.example.app', pdmn: 'ak' };
export const BINARY: DerDict = { v_Data: createHash('sha256').update('binary').digest(), acct: 'SafariHistory', svce: 'Safari History Key', agrp: 'com.apple.Safari', pdmn: 'ak' };
export const SCREEN_TIME: DerDict = { v_Data: Buffer.from(SCREEN_TIME_CODE), acct: 'ParentalControls', svce: 'ParentalControls', agrp: 'com.apple.ScreenTimeAgent', pdmn: 'ak', mdat: d('2019-05-06T07:08:09Z') };
export const CERT: DerDict = { v_Data: Buffer.from('3082010a0282010100', 'hex'), labl: 'My Certificate', agrp: 'com.apple.certificates', pdmn: 'dk' };
export const KEY: DerDict = { v_Data: Buffer.from('private key bytes'), labl: 'My Key', agrp: 'com.apple.keys', pdmn: 'dk' };

export function keychainItems(): KeychainFixtureItem[] {
  return [
    { table: 'inet', rowid: 1, protectionClass: 6, attributes: SAFARI },
    { table: 'inet', rowid: 2, protectionClass: 7, attributes: HTTP_PORT },
    { table: 'inet', rowid: 3, protectionClass: 8, attributes: FORMULA },
    { table: 'genp', rowid: 10, protectionClass: 7, attributes: WIFI },
    { table: 'genp', rowid: 11, protectionClass: 6, attributes: APP },
    { table: 'genp', rowid: 12, protectionClass: 6, attributes: BINARY },
    { table: 'genp', rowid: 13, protectionClass: 6, attributes: SCREEN_TIME },
    { table: 'cert', rowid: 20, protectionClass: 8, attributes: CERT },
    { table: 'keys', rowid: 30, protectionClass: 8, attributes: KEY },
    // ThisDeviceOnly: present in the backup, never decryptable
    { table: 'inet', rowid: 4, protectionClass: 9, attributes: { ...SAFARI, srvr: 'locked.example', pdmn: 'aku' } },
    { table: 'genp', rowid: 14, protectionClass: 10, attributes: { ...WIFI, acct: 'Locked Wi-Fi', pdmn: 'cku' } },
    { table: 'genp', rowid: 15, protectionClass: 11, attributes: { ...APP, pdmn: 'dku' } },
  ];
}

export function restrictionsPlist(code: string, salt = Buffer.from('0badf00d', 'hex')): Buffer {
  return buildBinaryPlist({ RestrictionsPasswordKey: pbkdf2Sync(code, salt, 1000, 20, 'sha1'), RestrictionsPasswordSalt: salt });
}

export async function makeKeychainBackup(o: { productVersion?: string; encrypted?: boolean; restrictions?: string; keychain?: boolean; udid?: string; dir?: string; extra?: WriterFile[] } = {}): Promise<WrittenBackup> {
  const files: WriterFile[] = [{ domain: 'HomeDomain', relativePath: 'Documents/hello.txt', content: Buffer.from('hello') }];
  if (o.keychain !== false) files.push({ domain: 'KeychainDomain', relativePath: 'keychain-backup.plist', protectionClass: 1, content: ({ classKeys }) => (classKeys ? buildKeychainPlist(keychainItems(), classKeys, { keybagUuid: 'ABCD' }) : buildBinaryPlist({ genp: [] })) });
  if (o.restrictions) files.push({ domain: 'HomeDomain', relativePath: 'Library/Preferences/com.apple.restrictionspassword.plist', content: restrictionsPlist(o.restrictions) });
  files.push(...(o.extra ?? []));
  return writeBackup({
    dir: o.dir ?? join(scratchDir('irescue-kc-'), o.udid ?? 'backup'),
    files,
    udid: o.udid,
    productVersion: o.productVersion ?? '12.5.7',
    buildVersion: '16H81',
    deviceName: 'Owner iPhone',
    encryption: o.encrypted === false ? undefined : { password: KC_PASSWORD, dpic: 100, iterations: 100, deviceBoundClasses: [5, 9, 10, 11] },
  });
}
