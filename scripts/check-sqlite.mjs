// After `npm install` (npm runs this after "prepare", when dist/ is built): better-sqlite3 is an
// optional dependency, so an install without a fitting prebuilt binary and without a compiler
// succeeds. Say so in plain words, with the one next step for this system, instead of leaving the
// owner to find out at the first export. Never fails the install.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

try {
  const m = await import(pathToFileURL(join(process.cwd(), 'dist/fs/sqlite-module.js')).href);
  const problem = m.sqliteProblem();
  if (problem) {
    process.stderr.write(`\nirescue is installed, but: ${problem}.\n`);
    process.stderr.write('The lockout guide and the device commands work without it; opening backups (iOS 10 and later), exports and the demo need it.\n');
    process.stderr.write(`Next step: ${m.sqliteInstallHint()}.\n\n`);
  }
} catch {
  // dist/ not built (the build failed and said why): nothing more to add here.
}
