/**
 * A new pair record, as a host creates it before lockdownd's "Pair" request: a root CA key and
 * certificate, a host key and certificate, and the device's own public key certified by our root.
 * The layout (keys, PEM data) is the one usbmuxd and libimobiledevice store, so records we write
 * are usable by those tools and the other way round.
 */
import { createHash, createPublicKey, generateKeyPair, randomUUID, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { PlistDict } from '../../plist/plist.js';
import * as der from './der.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface PairRecord {
  DeviceCertificate: Buffer;
  HostCertificate: Buffer;
  HostPrivateKey: Buffer;
  RootCertificate: Buffer;
  RootPrivateKey: Buffer;
  HostID: string;
  SystemBUID: string;
  EscrowBag?: Buffer;
  WiFiMACAddress?: string;
  UDID?: string;
}

const SHA256_WITH_RSA = der.sequence(der.oid('1.2.840.113549.1.1.11'), der.nullValue());
const EMPTY_NAME = der.sequence();
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

function subjectKeyId(spki: Buffer): Buffer {
  // any stable 20 bytes identify the key; a hash of the whole SPKI is enough here
  return der.octetString(createHash('sha1').update(spki).digest());
}

/** DER X.509 v3 certificate for `subjectKey`, signed by `issuerKey` (both names empty, as libimobiledevice does). */
export function createCertificate(opts: { subjectKey: KeyObject; issuerKey: KeyObject; ca: boolean; serial?: number; now?: Date }): Buffer {
  const now = opts.now ?? new Date();
  const spki = opts.subjectKey.export({ type: 'spki', format: 'der' });
  const exts: Buffer[] = [extension('2.5.29.19', true, opts.ca ? der.sequence(der.boolean(true)) : der.sequence())];
  // keyUsage: CA signs certificates; leaf keys sign and encipher (TLS with RSA key exchange)
  exts.push(extension('2.5.29.15', true, opts.ca ? der.tlv(0x03, Buffer.from([0x01, 0x06])) : der.tlv(0x03, Buffer.from([0x05, 0xa0]))));
  exts.push(extension('2.5.29.14', false, subjectKeyId(spki)));
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)),
    der.smallInteger(opts.serial ?? 0),
    SHA256_WITH_RSA,
    EMPTY_NAME,
    der.sequence(der.time(now), der.time(new Date(now.getTime() + TEN_YEARS_MS))),
    EMPTY_NAME,
    spki,
    der.explicit(3, der.sequence(...exts)),
  );
  const signature = sign('sha256', tbs, opts.issuerKey);
  return der.sequence(tbs, SHA256_WITH_RSA, der.bitString(signature));
}

export function certificateToPem(derBytes: Buffer): Buffer {
  const b64 = derBytes.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return Buffer.from(`-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`);
}

function privateKeyPem(k: KeyObject): Buffer {
  // PKCS#1, what libimobiledevice's PEM_read_bio_RSAPrivateKey and usbmuxd's records use
  return Buffer.from(k.export({ type: 'pkcs1', format: 'pem' }) as string);
}

async function rsaKeyPair(): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 65537 });
}

/**
 * Creates the full record for a device whose lockdownd answered `DevicePublicKey` (PEM, PKCS#1
 * "RSA PUBLIC KEY" in practice; SPKI accepted too).
 */
export async function generatePairRecord(opts: { devicePublicKeyPem: Buffer | string; systemBuid: string; hostId?: string; now?: Date }): Promise<PairRecord> {
  const deviceKey = createPublicKey(typeof opts.devicePublicKeyPem === 'string' ? opts.devicePublicKeyPem : opts.devicePublicKeyPem.toString('utf8'));
  const [root, host] = await Promise.all([rsaKeyPair(), rsaKeyPair()]);
  const now = opts.now;
  const rootCert = createCertificate({ subjectKey: root.publicKey, issuerKey: root.privateKey, ca: true, now });
  const hostCert = createCertificate({ subjectKey: host.publicKey, issuerKey: root.privateKey, ca: false, now });
  const deviceCert = createCertificate({ subjectKey: deviceKey, issuerKey: root.privateKey, ca: false, now });
  return {
    DeviceCertificate: certificateToPem(deviceCert),
    HostCertificate: certificateToPem(hostCert),
    HostPrivateKey: privateKeyPem(host.privateKey),
    RootCertificate: certificateToPem(rootCert),
    RootPrivateKey: privateKeyPem(root.privateKey),
    HostID: opts.hostId ?? randomUUID().toUpperCase(),
    SystemBUID: opts.systemBuid,
  };
}

/** What the "Pair" request carries: the record without private keys. */
export function publicPairRecord(r: PairRecord): PlistDict {
  return {
    DeviceCertificate: r.DeviceCertificate,
    HostCertificate: r.HostCertificate,
    RootCertificate: r.RootCertificate,
    HostID: r.HostID,
    SystemBUID: r.SystemBUID,
  };
}

export function pairRecordToPlist(r: PairRecord): PlistDict {
  const out: PlistDict = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v as Buffer | string;
  return out;
}

/** Reads a stored record; undefined when a required field is missing or of the wrong type. */
export function pairRecordFromPlist(d: PlistDict): PairRecord | undefined {
  const data = (k: string): Buffer | undefined => (Buffer.isBuffer(d[k]) ? (d[k] as Buffer) : typeof d[k] === 'string' ? Buffer.from(d[k] as string) : undefined);
  const str = (k: string): string | undefined => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const rec = {
    DeviceCertificate: data('DeviceCertificate'),
    HostCertificate: data('HostCertificate'),
    HostPrivateKey: data('HostPrivateKey'),
    RootCertificate: data('RootCertificate'),
    RootPrivateKey: data('RootPrivateKey'),
    HostID: str('HostID'),
    SystemBUID: str('SystemBUID'),
  };
  if (Object.values(rec).some((v) => v === undefined)) return undefined;
  const out = rec as PairRecord;
  const escrow = data('EscrowBag');
  if (escrow) out.EscrowBag = escrow;
  const wifi = str('WiFiMACAddress');
  if (wifi) out.WiFiMACAddress = wifi;
  return out;
}

/** A new SystemBUID when neither usbmuxd nor a stored record gives one. */
export function newSystemBuid(): string {
  return randomUUID().toUpperCase();
}

