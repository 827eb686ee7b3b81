/**
 * better-sqlite3, loaded when first needed. It is an optional dependency: where npm finds no
 * prebuilt binary for this Node and platform and no compiler, `npm install` still succeeds and
 * everything that reads no database works (listing backups, `info`, `verify`, password search,
 * devices, the guide). What needs it (a backup's Manifest.db for extract and decrypt, exports, the
 * demo backup) says plainly what to install. It is loaded lazily so that `info` never pays for it.
 */
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { IrescueError } from '../errors.js';

/** The next step on this operating system only: a build toolchain, then a rebuild. */
export function sqliteInstallHint(platform: NodeJS.Platform = process.platform): string {
  const tools =
    platform === 'darwin'
      ? 'the Xcode command line tools (xcode-select --install)'
      : platform === 'win32'
        ? 'Visual Studio Build Tools with "Desktop development with C++", and Python 3'
        : 'a C++ compiler, make and Python 3 (Debian/Ubuntu: sudo apt install build-essential python3; Fedora: sudo dnf install gcc-c++ make python3)';
  return `install ${tools}, then run "npm rebuild better-sqlite3" in the irescue folder`;
}

/** Why better-sqlite3 cannot be loaded here, in one plain sentence; undefined when it loads. */
export function sqliteProblem(): string | undefined {
  try {
    load();
    return undefined;
  } catch {
    return notInstalled();
  }
}

function notInstalled(): string {
  return `SQLite support (the better-sqlite3 package) is not installed for Node ${process.versions.node} on ${process.platform}: no ready-made build fits, and building it needs tools this computer lacks`;
}

let loaded: typeof Database | undefined;

function load(): typeof Database {
  loaded ??= createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  return loaded;
}

/** The better-sqlite3 constructor; a NOT_FOUND error with the next step when it is not installed. */
export function sqlite(): typeof Database {
  try {
    return load();
  } catch (e) {
    const next = sqliteInstallHint();
    throw new IrescueError('NOT_FOUND', `${notInstalled()}. Reading a backup's files, exports and the demo backup need it: ${next}`, { next }, { cause: e });
  }
}
