/**
 * Finding idevicerestore and checking it is new enough for the device. Distribution packages are
 * often years old: a libirecovery that does not know a model cannot restore it (Debian 12's 1.0.0
 * stops at iPhone12,8; only 1.3.0 and later know the iPhone 17 family).
 */
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { execFile } from 'node:child_process';
import { childEnv } from '../../child-env.js';
import type { DeviceModel } from '../../models/models.js';

export interface ToolVersion {
  /** the first line idevicerestore -v printed */
  raw: string;
  idevicerestore?: string;
  /** absent on builds that do not print it (before September 2024) */
  libirecovery?: string;
  /** where libirecovery's version came from when idevicerestore did not say ("the Debian package") */
  libirecoveryFrom?: string;
}

/** env IRESCUE_IDEVICERESTORE (tests, custom builds), else the first idevicerestore on PATH. */
export async function locateIdevicerestore(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (env.IRESCUE_IDEVICERESTORE) {
    return (await isExecutable(env.IRESCUE_IDEVICERESTORE)) ? env.IRESCUE_IDEVICERESTORE : undefined;
  }
  const names = process.platform === 'win32' ? ['idevicerestore.exe', 'idevicerestore'] : ['idevicerestore'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const n of names) {
      const p = join(dir, n);
      if (await isExecutable(p)) return p;
    }
  }
  return undefined;
}

async function isExecutable(p: string): Promise<boolean> {
  try {
    await access(p, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Parses `idevicerestore -v`: "idevicerestore 1.0.0-190-g405fcd1 (libirecovery 1.3.1, libtatsu 1.0.5)". */
export function parseToolVersion(output: string): ToolVersion {
  const raw = output.split('\n').find((l) => /idevicerestore/i.test(l))?.trim() ?? output.trim().split('\n')[0] ?? '';
  const v: ToolVersion = { raw };
  const tool = /idevicerestore\s+v?(\d+(?:\.\d+)*(?:-[\w.-]+)?)/i.exec(raw);
  if (tool) v.idevicerestore = tool[1];
  const irecv = /libirecovery\s+v?(\d+(?:\.\d+)*(?:-[\w.-]+)?)/i.exec(raw);
  if (irecv) v.libirecovery = irecv[1];
  return v;
}

export function readToolVersion(path: string, timeoutMs = 10_000): Promise<ToolVersion> {
  return new Promise((resolve) => {
    execFile(path, ['-v'], { timeout: timeoutMs, env: childEnv() }, (err, stdout, stderr) => {
      resolve(parseToolVersion(`${stdout}\n${stderr}`));
      void err; // some builds exit non-zero after printing the version
    });
  });
}

function run(cmd: string, args: string[], timeoutMs = 5000): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, env: childEnv() }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}

/**
 * The installed libirecovery, asked of the package manager, for idevicerestore builds that do not
 * print it (before September 2024). idevicerestore links libirecovery dynamically, so the
 * installed library is the one whose device table counts.
 */
export async function probeLibirecovery(platform: NodeJS.Platform = process.platform): Promise<{ version: string; from: string } | undefined> {
  const first = (out: string | undefined, re: RegExp) => (out ? re.exec(out)?.[1] : undefined);
  if (platform === 'darwin') {
    const v = first(await run('brew', ['list', '--versions', 'libirecovery']), /libirecovery\s+(\d[\w.-]*)/);
    return v ? { version: v, from: 'Homebrew' } : undefined;
  }
  if (platform === 'win32') return undefined;
  const probes: Array<[string, string[], RegExp, string]> = [
    ['pkg-config', ['--modversion', 'libirecovery-1.0'], /^(\d[\w.-]*)/m, 'pkg-config'],
    ['dpkg-query', ['-W', '-f', '${Package} ${Version}\n', 'libirecovery-1.0-*'], /^libirecovery-1\.0-\d+\s+(\d+(?:\.\d+)*)/m, 'the Debian package'],
    ['rpm', ['-q', '--qf', '%{VERSION}\n', 'libirecovery'], /^(\d+(?:\.\d+)*)$/m, 'the RPM package'],
    ['pacman', ['-Q', 'libirecovery'], /libirecovery\s+(\d+(?:\.\d+)*)/, 'the Arch package'],
  ];
  for (const [cmd, args, re, from] of probes) {
    const v = first(await run(cmd, args), re);
    if (v) return { version: v, from };
  }
  return undefined;
}

/** [major, minor, patch, commits after the tag] from "1.3.1" or "1.3.1-12-gabcdef". */
function versionParts(v: string): number[] {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-(\d+)-g[0-9a-f]+)?/i.exec(v);
  if (!m) return [0, 0, 0, 0];
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0), Number(m[4] ?? 0)];
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** The last libirecovery release before the devices marked "git" in the model table. */
const LAST_RELEASE_BEFORE_GIT = '1.3.1';

/**
 * Whether this libirecovery knows the model. "git" models need something newer than the last
 * release: a later release or a git build past it ("1.3.1-5-g…").
 */
export function libirecoveryKnows(libirecovery: string, model: DeviceModel): boolean {
  if (!model.minLibirecovery) return false;
  const have = versionParts(libirecovery);
  if (model.minLibirecovery === 'git') return cmp(have, versionParts(LAST_RELEASE_BEFORE_GIT)) > 0;
  return cmp(have, versionParts(model.minLibirecovery)) >= 0;
}

export function requiredLibirecovery(model: DeviceModel): string {
  if (!model.minLibirecovery) return 'a libirecovery newer than any release this table knows (May 2026)';
  if (model.minLibirecovery === 'git') return `libirecovery built from git after ${LAST_RELEASE_BEFORE_GIT}`;
  return `libirecovery ${model.minLibirecovery} or later`;
}

/** How to get a current idevicerestore on this system. */
export function installHints(platform: NodeJS.Platform = process.platform): string[] {
  switch (platform) {
    case 'darwin':
      return ['macOS: `brew install idevicerestore` (Homebrew keeps libirecovery current), or restore from Finder instead.'];
    case 'win32':
      return ['Windows: there is no maintained idevicerestore build; restore with the Apple Devices app or iTunes instead (choose Restore in Recovery Mode).'];
    default:
      return [
        'Debian/Ubuntu: `sudo apt install idevicerestore usbmuxd` — but distribution packages are often too old for recent models (Debian 12\'s libirecovery stops at iPhone12,8).',
        'Fedora: `sudo dnf install idevicerestore`; Arch: `sudo pacman -S idevicerestore`.',
        'For recent models build libirecovery and idevicerestore from source (https://libimobiledevice.org), or restore from a Mac or Windows PC.',
      ];
  }
}
