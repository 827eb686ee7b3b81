/**
 * Everything checked before a restore starts, and the idevicerestore command it would run:
 * first a device in Recovery or DFU mode, then the tool (present, and new enough for this model), the firmware file or the download space,
 * Apple's servers, plus the warnings a person must read before an erase. I/O is injectable so the
 * checks are testable without a device, a network or a full disk.
 */
import { mkdir, stat, statfs } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { basename } from 'node:path';
import type { DeviceModel } from '../../models/models.js';
import { APPLE } from '../sources.js';
import { installHints, libirecoveryKnows, locateIdevicerestore, probeLibirecovery, readToolVersion, requiredLibirecovery, type ToolVersion } from './tool.js';
import { targetModel, type RestoreTarget } from './target.js';
import type { RestoreKind } from './confirm.js';
import { TRAPS } from '../lockout.js';
import { fillDevice } from '../recovery-steps.js';
import { checkConnectedDevice, type ConnectedDevice } from './device-check.js';

export const GiB = 1024 ** 3;
/** Room for a downloaded IPSW (up to ~10 GB for current iPhones) plus its extracted system image. */
const DOWNLOAD_SPACE = 20 * GiB;

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  id: 'tool' | 'tool-version' | 'firmware' | 'disk' | 'network' | 'device';
  status: CheckStatus;
  message: string;
  hints?: string[];
}

export interface PreflightOptions {
  target: RestoreTarget;
  kind: RestoreKind;
  /** local firmware file; otherwise the latest signed firmware is downloaded */
  ipsw?: string;
  /** where idevicerestore caches and downloads firmware */
  cacheDir: string;
  networkCheck?: boolean;
  /** the devices the caller sees connected; undefined when it did not look */
  connected?: readonly ConnectedDevice[];
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** test seams */
  freeBytes?: (dir: string) => Promise<number>;
  resolveHost?: (host: string) => Promise<void>;
  readVersion?: (toolPath: string) => Promise<ToolVersion>;
  probeLibirecovery?: () => Promise<{ version: string; from: string } | undefined>;
}

export interface RestorePlan {
  kind: RestoreKind;
  toolPath?: string;
  version?: ToolVersion;
  model?: DeviceModel;
  target: RestoreTarget;
  cacheDir: string;
  ipsw?: string;
  checks: Check[];
  /** what to read before saying yes (Activation Lock, signed firmware, cable) */
  warnings: string[];
  /** idevicerestore's arguments, -y included: only ever run after our own confirmation */
  args: string[];
}

async function defaultFreeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return Number(s.bavail) * Number(s.bsize);
}

async function defaultResolve(host: string): Promise<void> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), 5000).unref());
  await Promise.race([lookup(host), timeout]);
}

export function buildArgs(kind: RestoreKind, target: RestoreTarget, cacheDir: string, ipsw?: string): string[] {
  const args = kind === 'erase' ? ['-e'] : [];
  args.push('-P', '-y', '-C', cacheDir);
  if (target.ecid) args.push('-i', target.ecid);
  else if (target.udid) args.push('-u', target.udid);
  args.push(...(ipsw ? [ipsw] : ['-l']));
  return args;
}

const fmtGiB = (n: number) => `${(n / GiB).toFixed(1)} GB`;

export async function planRestore(o: PreflightOptions): Promise<RestorePlan> {
  // First: is there a device in Recovery or DFU mode to restore at all? Everything else is moot without one.
  const device = checkConnectedDevice(o.target, o.connected);
  const target = device.target;
  const checks: Check[] = [{ id: 'device', status: device.status, message: device.message, ...(device.hints ? { hints: device.hints } : {}) }];
  const model = targetModel(target);
  const platform = o.platform ?? process.platform;

  const toolPath = await locateIdevicerestore(o.env ?? process.env);
  let version: ToolVersion | undefined;
  if (!toolPath) {
    checks.push({ id: 'tool', status: 'fail', message: 'idevicerestore was not found (PATH, or IRESCUE_IDEVICERESTORE)', hints: installHints(platform) });
  } else {
    version = await (o.readVersion ?? readToolVersion)(toolPath);
    if (!version.libirecovery) {
      const probed = await (o.probeLibirecovery ?? (() => probeLibirecovery(platform)))();
      if (probed) version = { ...version, libirecovery: probed.version, libirecoveryFrom: probed.from };
    }
    checks.push({ id: 'tool', status: 'ok', message: `${toolPath}: ${version.raw || 'version unknown'}` });
    if (!model) {
      checks.push({ id: 'tool-version', status: 'warn', message: 'model unknown (give --model): cannot check that this idevicerestore knows the device' });
    } else if (!version.libirecovery) {
      const old = model.minLibirecovery !== '1.0.0';
      checks.push({
        id: 'tool-version',
        status: 'warn',
        message: `cannot tell which libirecovery this idevicerestore uses (it does not say, and no package manager knows); the ${model.name} needs ${requiredLibirecovery(model)}${old ? ' (older builds, such as Debian 12\'s, stop at iPhone12,8)' : ''}`,
        hints: old ? installHints(platform) : undefined,
      });
    } else if (!libirecoveryKnows(version.libirecovery, model)) {
      checks.push({
        id: 'tool-version',
        status: 'fail',
        message: `libirecovery ${version.libirecovery}${version.libirecoveryFrom ? ` (${version.libirecoveryFrom})` : ''} is too old for the ${model.name} (${model.productType}): it needs ${requiredLibirecovery(model)}`,
        hints: installHints(platform),
      });
    } else {
      checks.push({ id: 'tool-version', status: 'ok', message: `libirecovery ${version.libirecovery} knows the ${model.name}` });
    }
  }

  let needBytes = DOWNLOAD_SPACE;
  if (o.ipsw) {
    try {
      const s = await stat(o.ipsw);
      if (!s.isFile()) throw new Error('not a file');
      needBytes = Math.ceil(s.size * 1.2) + GiB;
      const name = basename(o.ipsw);
      const listed = name.match(/(iPhone|iPad)\d+,\d+/g);
      if (!/\.ipsw$/i.test(name)) checks.push({ id: 'firmware', status: 'warn', message: `${o.ipsw}: does not end in .ipsw` });
      else if (model && listed && !listed.includes(model.productType)) checks.push({ id: 'firmware', status: 'fail', message: `${o.ipsw}: this firmware is for ${listed.join(', ')}, not the ${model.name} (${model.productType})` });
      else checks.push({ id: 'firmware', status: 'ok', message: `${o.ipsw}: ${fmtGiB(s.size)}` });
    } catch (e) {
      checks.push({ id: 'firmware', status: 'fail', message: `${o.ipsw}: cannot read the firmware file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
    }
  } else {
    checks.push({ id: 'firmware', status: 'ok', message: 'the newest firmware Apple signs for the device will be downloaded' });
  }

  try {
    await mkdir(o.cacheDir, { recursive: true });
    const free = await (o.freeBytes ?? defaultFreeBytes)(o.cacheDir);
    checks.push(free >= needBytes
      ? { id: 'disk', status: 'ok', message: `${fmtGiB(free)} free in ${o.cacheDir}` }
      : { id: 'disk', status: 'fail', message: `${o.cacheDir}: ${fmtGiB(free)} free, the restore needs about ${fmtGiB(needBytes)}`, hints: ['Free some space or choose another folder with --cache-dir.'] });
  } catch (e) {
    checks.push({ id: 'disk', status: 'fail', message: `${o.cacheDir}: cannot use this folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
  }

  if (o.networkCheck !== false) {
    const hosts = ['gs.apple.com', ...(o.ipsw ? [] : ['itunes.apple.com'])];
    const failed: string[] = [];
    for (const h of hosts) {
      try {
        await (o.resolveHost ?? defaultResolve)(h);
      } catch {
        failed.push(h);
      }
    }
    checks.push(failed.length
      ? { id: 'network', status: 'fail', message: `cannot reach ${failed.join(', ')}: every restore needs Apple's signing server, even with a local firmware file`, hints: ['Check the internet connection, VPN or proxy, then try again.'] }
      : { id: 'network', status: 'ok', message: 'Apple\'s signing and firmware servers are reachable' });
  }

  if (!model && target.cpid !== undefined) checks.push({ id: 'device', status: 'warn', message: `CPID 0x${target.cpid.toString(16)} / BDID 0x${(target.bdid ?? 0).toString(16)} is not in irescue's model table` });

  const warnings: string[] = [];
  if (o.kind === 'erase') {
    warnings.push(`Activation Lock: if Find My was on, the device will ask for the Apple Account that was signed in after the erase. Know its email and password (reset it first at iforgot.apple.com if needed), or keep the proof of purchase for Apple's Activation Lock support request (${APPLE.activationLock}).`);
    warnings.push(fillDevice(TRAPS.find((t) => t.id === 'no-backup-loses')!.text, model?.kind));
  }
  warnings.push('Only firmware Apple currently signs can be installed: the device may get a newer iOS than it had.');
  warnings.push('Connect the cable straight to the computer (no hub), keep both awake and plugged in, and do not touch the cable until it finishes.');

  return { kind: o.kind, toolPath, version, model, target, cacheDir: o.cacheDir, ipsw: o.ipsw, checks, warnings, args: buildArgs(o.kind, target, o.cacheDir, o.ipsw) };
}

/** The first failed check as an error, for callers that stop there. */
export function firstFailure(plan: RestorePlan): Check | undefined {
  return plan.checks.find((c) => c.status === 'fail');
}
