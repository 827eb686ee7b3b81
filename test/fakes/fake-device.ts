/**
 * A protocol-level fake iPhone behind the fake usbmuxd: lockdownd on port 62078 (TLS after
 * StartSession, with the certificate the host issued it when pairing) and the services irescue
 * uses. It answers only what a real device answers in each state: unpaired hosts get the public
 * subset of values, a locked device refuses to pair, a denied or pending Trust prompt says so,
 * EnterRecovery needs a paired session (iOS 14.5+).
 */
import { X509Certificate, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { getDict, getString, isDict, type PlistDict, type PlistValue } from '../../src/plist/plist.js';
import { SocketConnection } from '../../src/device/connection.js';
import { receivePlist, sendPlist } from '../../src/device/plist-service.js';
import { serveMobilebackup2, type BackupState } from './fake-mobilebackup2.js';

export type TrustAnswer = 'trust' | 'pending' | 'deny';

export interface FakeDeviceOptions {
  udid?: string;
  productType?: string;
  productVersion?: string;
  buildVersion?: string;
  deviceName?: string;
  /** passcode set and screen locked: Pair answers PasswordProtected */
  locked?: boolean;
  /** what the user does with the "Trust This Computer?" prompt */
  trust?: TrustAnswer;
  /** with trust 'pending': the user taps Trust after this many Pair requests saw the prompt */
  trustAfterAttempts?: number;
  /** drop every connection (like pulling the cable) when this lockdown or service request arrives */
  unplugOn?: string;
  /** backup encryption already on, with this password */
  backupPassword?: string;
  passcodeDelayMs?: number;
  unplugAfterFiles?: number;
  /** backups' keybag is made with this password instead of the one set (a mismatch to detect) */
  keybagPassword?: string;
}

/** Keys lockdownd gives to a host without a paired session (the rest need pairing). */
const PUBLIC_KEYS = new Set([
  'BuildVersion', 'DeviceClass', 'DeviceColor', 'DeviceName', 'DevicePublicKey', 'HardwareModel', 'ProductName',
  'ProductType', 'ProductVersion', 'UniqueDeviceID', 'WiFiAddress', 'CPUArchitecture', 'HumanReadableProductVersionString',
  'TimeZone', 'UniqueChipID', 'ActivationState',
]);

// One RSA key for every fake device: generating 2048-bit keys per test costs more than it proves.
let sharedKey: { publicKey: KeyObject; privateKey: KeyObject } | undefined;
function deviceKey(): { publicKey: KeyObject; privateKey: KeyObject } {
  sharedKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
  return sharedKey;
}

interface HostTrust {
  hostCertificate: Buffer;
  deviceCertificate: Buffer;
}

export interface LoggedRequest {
  port: number;
  request: string;
  session: boolean;
}

export class FakeDevice {
  deviceId = 0;
  readonly udid: string;
  readonly values: PlistDict;
  readonly key = deviceKey();
  readonly trusted = new Map<string, HostTrust>();
  readonly log: LoggedRequest[] = [];
  readonly backup: BackupState;
  readonly domains: Record<string, PlistDict>;
  options: FakeDeviceOptions;
  /** set by the usbmuxd fake: removes this device from usbmuxd, as an unplug or reboot does */
  onGone: (() => void) | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly services = new Map<number, { name: string; host: HostTrust }>();
  private nextPort = 49152;
  private pairAttempts = 0;
  gone = false;

  constructor(options: FakeDeviceOptions = {}) {
    this.options = { trust: 'trust', ...options };
    this.udid = options.udid ?? '00008110-001A2B3C4D5E801E';
    this.backup = { willEncrypt: options.backupPassword !== undefined, password: options.backupPassword, passcodeDelayMs: options.passcodeDelayMs ?? 0, unplugAfterFiles: options.unplugAfterFiles, keybagPassword: options.keybagPassword };
    const backup = this.backup;
    this.domains = {
      'com.apple.mobile.battery': { BatteryCurrentCapacity: 87, BatteryIsCharging: true },
      'com.apple.disk_usage': { TotalDiskCapacity: 128_000_000_000, AmountDataAvailable: 40_000_000_000 },
      // a live view: ChangePassword changes what lockdownd reports, as on a device
      get 'com.apple.mobile.backup'(): PlistDict {
        return { WillEncrypt: backup.willEncrypt };
      },
    };
    this.values = {
      ActivationState: 'Activated',
      BuildVersion: options.buildVersion ?? '22A3354',
      CPUArchitecture: 'arm64e',
      DeviceClass: 'iPhone',
      DeviceColor: '1',
      DeviceName: options.deviceName ?? 'Test iPhone',
      DevicePublicKey: Buffer.from(this.key.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string),
      HardwareModel: 'D63AP',
      ProductName: 'iPhone OS',
      ProductType: options.productType ?? 'iPhone14,5',
      ProductVersion: options.productVersion ?? '18.0',
      UniqueChipID: 0x1a2b3c4d5e801e,
      UniqueDeviceID: this.udid,
      WiFiAddress: 'a4:c3:f0:00:11:22',
      TimeZone: 'Europe/Paris',
      // from here on: only for paired hosts
      SerialNumber: 'F2LXK0XXXXXX',
      PhoneNumber: '+33 6 00 00 00 00',
      InternationalMobileEquipmentIdentity: '350000000000000',
      PasswordProtected: options.locked ?? false,
    };
  }

  get usbSerial(): string {
    return this.udid.replace('-', '');
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
  }

  /** Pull the cable: every open connection drops and usbmuxd reports Detached. */
  unplug(): void {
    if (this.gone) return;
    this.gone = true;
    for (const s of this.sockets) s.destroy();
    this.onGone?.();
  }

  hasPort(port: number): boolean {
    return port === 62078 || this.services.has(port);
  }

  /** usbmuxd hands over a socket connected to `port`. */
  accept(socket: Socket, port: number): void {
    this.track(socket);
    const conn = new SocketConnection(socket, 'host');
    const run = port === 62078 ? this.serveLockdown(conn) : this.serveService(conn, port);
    run.catch(() => socket.destroy());
  }

  private startServerTls(conn: SocketConnection, host: HostTrust): SocketConnection {
    const raw = conn.detach();
    const tls = new TLSSocket(raw, {
      isServer: true,
      cert: host.deviceCertificate,
      key: this.key.privateKey.export({ type: 'pkcs1', format: 'pem' }),
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    this.track(tls);
    raw.resume();
    return new SocketConnection(tls, 'host');
  }

  private async serveLockdown(first: SocketConnection): Promise<void> {
    let conn = first;
    let host: HostTrust | undefined;
    for (;;) {
      const req = await receivePlist(conn, 'lockdown request');
      const name = getString(req, 'Request') ?? '';
      this.log.push({ port: 62078, request: name, session: host !== undefined });
      if (this.options.unplugOn === name) return this.unplug();
      const reply = (fields: PlistDict): Promise<void> => sendPlist(conn, { Request: name, ...fields });
      const error = (code: string): Promise<void> => reply({ Error: code });
      switch (name) {
        case 'QueryType':
          await reply({ Type: 'com.apple.mobile.lockdown' });
          break;
        case 'GetValue': {
          const key = getString(req, 'Key');
          const domain = getString(req, 'Domain');
          const v = this.getValue(domain, key, host !== undefined);
          if (typeof v === 'string' && v.startsWith('!')) await error(v.slice(1));
          else await reply({ ...(domain ? { Domain: domain } : {}), ...(key ? { Key: key } : {}), Value: v as PlistValue });
          break;
        }
        case 'Pair': {
          const code = this.pair(req);
          if (code) await error(code);
          else await reply({ EscrowBag: randomBytes(32) });
          break;
        }
        case 'ValidatePair': {
          const hostId = getString(getDict(req, 'PairRecord') ?? {}, 'HostID');
          await (hostId && this.trusted.has(hostId) ? reply({}) : error('InvalidHostID'));
          break;
        }
        case 'Unpair': {
          const hostId = getString(getDict(req, 'PairRecord') ?? {}, 'HostID');
          if (hostId) this.trusted.delete(hostId);
          await reply({});
          break;
        }
        case 'StartSession': {
          const hostId = getString(req, 'HostID');
          const t = hostId ? this.trusted.get(hostId) : undefined;
          if (!hostId) await error('MissingHostID');
          else if (!t) await error('InvalidHostID');
          else if (host) await error('SessionActive');
          else {
            await reply({ SessionID: randomUUID().toUpperCase(), EnableSessionSSL: true });
            host = t;
            conn = this.startServerTls(conn, t);
          }
          break;
        }
        case 'StopSession':
          if (!host) await error('SessionInactive');
          else {
            await reply({});
            // the host tears TLS down and normally closes; nothing more is read in clear text here
            return;
          }
          break;
        case 'StartService': {
          const service = getString(req, 'Service') ?? '';
          if (!host) await error('InvalidService');
          else if (!SERVICES.has(service)) await error('InvalidService');
          else {
            const port = this.nextPort++;
            this.services.set(port, { name: service, host });
            await reply({ Service: service, Port: port, EnableServiceSSL: !PLAIN_SERVICES.has(service) });
          }
          break;
        }
        case 'EnterRecovery':
          if (!host && versionAtLeast(String(this.values.ProductVersion), 14, 5)) await error('SessionInactive');
          else {
            await reply({});
            setTimeout(() => this.unplug(), 20);
          }
          break;
        case 'Goodbye':
          await reply({ Result: 'Success' });
          conn.close();
          return;
        default:
          await error('InvalidRequest');
      }
    }
  }

  private getValue(domain: string | undefined, key: string | undefined, paired: boolean): PlistValue {
    if (domain) {
      if (!paired) return '!GetProhibited';
      const d = this.domains[domain];
      if (!d) return '!MissingValue';
      if (!key) return d;
      return d[key] ?? '!MissingValue';
    }
    if (!key) {
      if (paired) return this.values;
      const subset: PlistDict = {};
      for (const [k, v] of Object.entries(this.values)) if (PUBLIC_KEYS.has(k)) subset[k] = v;
      return subset;
    }
    if (!(key in this.values)) return '!MissingValue';
    if (!paired && !PUBLIC_KEYS.has(key)) return '!GetProhibited';
    return this.values[key];
  }

  /** The answer of the Trust prompt; '' when the host is now trusted. */
  private pair(req: PlistDict): string {
    const rec = getDict(req, 'PairRecord');
    if (!rec) return 'MissingPairRecord';
    const hostId = getString(rec, 'HostID');
    const certs = ['DeviceCertificate', 'HostCertificate', 'RootCertificate'].map((k) => rec[k]);
    if (!hostId || !getString(rec, 'SystemBUID') || certs.some((c) => !Buffer.isBuffer(c))) return 'InvalidPairRecord';
    if (this.options.locked) return 'PasswordProtected';
    if (this.options.trust === 'pending') {
      this.pairAttempts++;
      if (this.options.trustAfterAttempts === undefined || this.pairAttempts <= this.options.trustAfterAttempts) return 'PairingDialogResponsePending';
    }
    if (this.options.trust === 'deny') return 'UserDeniedPairing';
    const [deviceCert, hostCert, rootCert] = certs as Buffer[];
    try {
      const dc = new X509Certificate(deviceCert);
      const root = new X509Certificate(rootCert);
      new X509Certificate(hostCert);
      // the device checks that the host certified *its* key, with the root it was given
      const mine = createPublicKey(this.values.DevicePublicKey as Buffer).export({ type: 'spki', format: 'der' });
      if (!dc.publicKey.export({ type: 'spki', format: 'der' }).equals(mine)) return 'InvalidPairRecord';
      if (!dc.verify(root.publicKey)) return 'InvalidPairRecord';
    } catch {
      return 'InvalidPairRecord';
    }
    this.trusted.set(hostId, { hostCertificate: hostCert, deviceCertificate: deviceCert });
    return '';
  }

  private async serveService(raw: SocketConnection, port: number): Promise<void> {
    const svc = this.services.get(port);
    if (!svc) return raw.close();
    this.services.delete(port);
    const conn = PLAIN_SERVICES.has(svc.name) ? raw : this.startServerTls(raw, svc.host);
    const handler = SERVICES.get(svc.name);
    await handler?.(this, conn);
  }

  /** notification_proxy: observes and posts are accepted; Shutdown is answered with ProxyDeath. */
  async serveNotificationProxy(conn: SocketConnection): Promise<void> {
    for (;;) {
      const req = await receivePlist(conn, 'notification_proxy request');
      const cmd = getString(req, 'Command') ?? '';
      this.log.push({ port: -1, request: `np:${cmd}:${getString(req, 'Name') ?? ''}`, session: true });
      if (cmd === 'Shutdown') {
        await sendPlist(conn, { Command: 'ProxyDeath' });
        conn.close();
        return;
      }
    }
  }

  async serveDiagnostics(conn: SocketConnection): Promise<void> {
    for (;;) {
      const req = await receivePlist(conn, 'diagnostics_relay request');
      const name = getString(req, 'Request') ?? '';
      this.log.push({ port: -1, request: `diagnostics:${name}`, session: true });
      if (this.options.unplugOn === `diagnostics:${name}`) return this.unplug();
      if (name === 'Restart' || name === 'Shutdown' || name === 'Sleep') {
        await sendPlist(conn, { Status: 'Success' });
        if (name !== 'Sleep') setTimeout(() => this.unplug(), 20);
      } else if (name === 'Goodbye') {
        await sendPlist(conn, { Status: 'Success' });
        conn.close();
        return;
      } else {
        await sendPlist(conn, { Status: 'UnknownRequest' });
      }
    }
  }
}

type ServiceHandler = (device: FakeDevice, conn: SocketConnection) => Promise<void>;
/** services a real device offers without TLS */
const PLAIN_SERVICES = new Set(['com.apple.mobile.notification_proxy']);
const SERVICES = new Map<string, ServiceHandler>([
  ['com.apple.mobile.diagnostics_relay', (d, c) => d.serveDiagnostics(c)],
  ['com.apple.mobile.notification_proxy', (d, c) => d.serveNotificationProxy(c)],
  ['com.apple.mobilebackup2', (d, c) => serveMobilebackup2(c, { values: d.values, backup: d.backup, unplug: () => d.unplug(), log: (r) => d.log.push({ port: -1, request: r, session: true }) })],
]);

function versionAtLeast(v: string, major: number, minor: number): boolean {
  const [a, b] = v.split('.').map(Number);
  return a > major || (a === major && (b || 0) >= minor);
}

export function isPlistDict(v: unknown): v is PlistDict {
  return isDict(v);
}
