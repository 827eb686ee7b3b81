import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, generateKeyPairSync, createPublicKey } from 'node:crypto';
import { generatePairRecord, pairRecordFromPlist, pairRecordToPlist, publicPairRecord } from '../../../src/device/lockdown/pairing.js';
import { parsePairRecord } from '../../../src/device/lockdown/pair-records.js';
import { buildBinaryPlist, buildXmlPlist } from '../../../src/plist/plist.js';
import { lockdownError, KNOWN_LOCKDOWN_ERRORS } from '../../../src/device/lockdown/errors.js';
import * as der from '../../../src/device/lockdown/der.js';

const device = generateKeyPairSync('rsa', { modulusLength: 2048 });
const devicePem = device.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string;

test('a generated pair record chains host and device certificates to its root', async () => {
  const r = await generatePairRecord({ devicePublicKeyPem: devicePem, systemBuid: 'BUID-1' });
  const root = new X509Certificate(r.RootCertificate);
  const host = new X509Certificate(r.HostCertificate);
  const dev = new X509Certificate(r.DeviceCertificate);
  assert.ok(root.ca);
  assert.ok(!host.ca && !dev.ca);
  assert.ok(root.verify(root.publicKey) && host.verify(root.publicKey) && dev.verify(root.publicKey));
  assert.ok(dev.publicKey.export({ type: 'spki', format: 'der' }).equals(device.publicKey.export({ type: 'spki', format: 'der' })));
  // private keys are PKCS#1 PEM and belong to their certificates
  assert.match(r.HostPrivateKey.toString(), /^-----BEGIN RSA PRIVATE KEY-----/);
  const hostPub = createPublicKey(createPrivateKey(r.HostPrivateKey)).export({ type: 'spki', format: 'der' });
  assert.ok(hostPub.equals(host.publicKey.export({ type: 'spki', format: 'der' })));
  assert.match(r.HostID, /^[0-9A-F]{8}-[0-9A-F]{4}-/);
  assert.ok(new Date(dev.validTo).getTime() > Date.now() + 5 * 365 * 86400e3);
});

test('the Pair request carries no private key', async () => {
  const r = await generatePairRecord({ devicePublicKeyPem: devicePem, systemBuid: 'B' });
  const pub = publicPairRecord(r);
  assert.deepEqual(Object.keys(pub).sort(), ['DeviceCertificate', 'HostCertificate', 'HostID', 'RootCertificate', 'SystemBUID']);
});

test('stored records round trip through binary and XML plists; incomplete ones are ignored', async () => {
  const r = await generatePairRecord({ devicePublicKeyPem: devicePem, systemBuid: 'B' });
  r.EscrowBag = Buffer.from('bag');
  for (const bytes of [buildBinaryPlist(pairRecordToPlist(r)), Buffer.from(buildXmlPlist(pairRecordToPlist(r)))]) {
    assert.deepEqual(parsePairRecord(bytes, 'x'), r);
  }
  const partial = pairRecordToPlist(r);
  delete partial.HostPrivateKey;
  assert.equal(pairRecordFromPlist(partial), undefined);
  assert.equal(parsePairRecord(Buffer.from('garbage'), 'x'), undefined);
});

test('DER helpers: lengths, integers, OIDs, times', () => {
  assert.deepEqual(der.tlv(4, Buffer.alloc(200)).subarray(0, 3), Buffer.from([4, 0x81, 200]));
  assert.deepEqual(der.smallInteger(128), Buffer.from([2, 2, 0, 128]));
  assert.deepEqual(der.oid('1.2.840.113549'), Buffer.from([6, 6, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]));
  assert.equal(der.time(new Date('2030-01-02T03:04:05Z')).toString('latin1', 2), '300102030405Z');
  assert.equal(der.time(new Date('2051-01-02T03:04:05Z'))[0], 0x18);
});

test('lockdown error table: known strings get actionable messages, unknown ones keep the device word', () => {
  const e = lockdownError('PasswordProtected', 'Pair', 'UDID1');
  assert.equal(e.exitCode, 6);
  assert.match(e.message, /UDID1.*Pair.*passcode/);
  assert.match(lockdownError('PairingDialogResponsePending', 'Pair').message, /Trust/);
  assert.match(lockdownError('UserDeniedPairing', 'Pair').message, /denied/);
  assert.match(lockdownError('SomethingNew', 'GetValue').message, /"SomethingNew"/);
  assert.ok(KNOWN_LOCKDOWN_ERRORS.length > 20);
});
