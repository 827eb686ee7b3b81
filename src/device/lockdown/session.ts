/**
 * The handshake every paired operation starts with: connect to lockdownd through usbmuxd, check
 * its type, find (or, when allowed, create) this computer's pair record, start a TLS session.
 * Services are then opened through this session and handed their Connection.
 */
import { buildBinaryPlist } from '../../plist/plist.js';
import { CancelledError, CorruptInputError, LockdownError } from '../../errors.js';
import type { Connection } from '../connection.js';
import { UsbmuxClient } from '../usbmux/client.js';
import type { UsbmuxDevice } from '../usbmux/messages.js';
import { lockdownError } from './errors.js';
import { LOCKDOWN_PORT, LOCKDOWN_TYPE, LockdownClient } from './client.js';
import { generatePairRecord, newSystemBuid, pairRecordToPlist, type PairRecord } from './pairing.js';
import { readPairRecord } from './pair-records.js';

export interface OpenLockdownOptions {
  usbmux?: UsbmuxClient;
  udid?: string;
  /** start a paired TLS session (default true); false gives the unpaired view a locked device offers */
  session?: boolean;
  /** pair when no record exists (the device shows "Trust This Computer?") */
  pairIfNeeded?: boolean;
  /** where to look for pair records besides usbmuxd (tests) */
  pairRecordFolders?: string[];
  label?: string;
  /** how long to wait for the user to tap Trust (0: fail at once with the "tap Trust" message) */
  trust?: TrustWait;
}

export interface TrustWait {
  waitMs?: number;
  pollMs?: number;
  /** called once, when the device starts showing "Trust This Computer?" */
  onPrompt?: () => void;
  signal?: AbortSignal;
}

export interface LockdownSession {
  usbmux: UsbmuxClient;
  device: UsbmuxDevice;
  lockdown: LockdownClient;
  record?: PairRecord;
  /** A service Connection (TLS when the device asks for it). */
  startService(name: string, opts?: { escrowBag?: boolean }): Promise<Connection>;
  close(): Promise<void>;
}

export async function openLockdown(opts: OpenLockdownOptions = {}): Promise<LockdownSession> {
  const usbmux = opts.usbmux ?? new UsbmuxClient();
  const device = await usbmux.findDevice(opts.udid);
  const conn = await usbmux.connect(device, LOCKDOWN_PORT);
  const lockdown = new LockdownClient(conn, { label: opts.label, udid: device.udid });
  let record: PairRecord | undefined;
  try {
    const type = await lockdown.queryType();
    if (type !== LOCKDOWN_TYPE) throw new CorruptInputError(`device ${device.udid}`, `port ${LOCKDOWN_PORT} is "${type}", not lockdownd (is the device in a restore mode?)`);
    if (opts.session !== false) {
      record = await readPairRecord(device.udid, usbmux, opts.pairRecordFolders);
      if (!record && opts.pairIfNeeded) record = await pairDevice(usbmux, device, lockdown, opts.trust);
      if (!record) {
        // the device will refuse StartSession with InvalidHostID; say what to do instead
        throw lockdownError('InvalidHostID', 'StartSession', device.udid);
      }
      try {
        await lockdown.startSession(record);
      } catch (e) {
        // the device forgot us (erased, "Reset Location & Privacy"): a stale record is replaced by pairing again
        if (!(opts.pairIfNeeded && e instanceof LockdownError && e.lockdownCode === 'InvalidHostID')) throw e;
        record = await pairDevice(usbmux, device, lockdown, opts.trust);
        await lockdown.startSession(record);
      }
    }
  } catch (e) {
    lockdown.close();
    throw e;
  }
  return {
    usbmux,
    device,
    lockdown,
    record,
    async startService(name, sopts = {}) {
      const d = await lockdown.startService(name, { escrowBag: sopts.escrowBag ? record?.EscrowBag : undefined });
      const c = await usbmux.connect(device, d.port);
      if (!d.ssl) return c;
      if (!record) throw new Error(`service ${name} wants TLS but there is no pair record`);
      return c.startTls({ cert: record.HostCertificate, key: record.HostPrivateKey });
    },
    async close() {
      try {
        await lockdown.stopSession();
      } catch {
        // closing anyway; a device that went away needs no goodbye
      }
      lockdown.close();
    },
  };
}

/**
 * Creates a pair record, asks the device to trust it, and saves it through usbmuxd. While the
 * device shows "Trust This Computer?" it answers PairingDialogResponsePending; we ask again with
 * the same record until the user decides or `trust.waitMs` runs out.
 */
export async function pairDevice(usbmux: UsbmuxClient, device: UsbmuxDevice, lockdown: LockdownClient, trust: TrustWait = {}): Promise<PairRecord> {
  const devicePublicKeyPem = await lockdown.devicePublicKey();
  const systemBuid = await usbmux.readBuid().catch(() => newSystemBuid());
  const record = await generatePairRecord({ devicePublicKeyPem, systemBuid });
  const wifi = await lockdown.getValue('WiFiAddress').catch(() => undefined);
  const deadline = Date.now() + (trust.waitMs ?? 0);
  let prompted = false;
  let escrowBag: Buffer | undefined;
  for (;;) {
    try {
      ({ escrowBag } = await lockdown.pair(record));
      break;
    } catch (e) {
      const pending = e instanceof LockdownError && e.lockdownCode === 'PairingDialogResponsePending';
      if (!pending || Date.now() >= deadline) throw e;
      if (!prompted) trust.onPrompt?.();
      prompted = true;
      await sleep(trust.pollMs ?? 1000, trust.signal);
    }
  }
  if (escrowBag) record.EscrowBag = escrowBag;
  if (typeof wifi === 'string') record.WiFiMACAddress = wifi;
  await usbmux.savePairRecord(device.udid, buildBinaryPlist(pairRecordToPlist(record)), device.deviceId);
  return record;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError('stopped while waiting for "Trust" on the device'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new CancelledError('stopped while waiting for "Trust" on the device'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
