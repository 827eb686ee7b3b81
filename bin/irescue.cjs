#!/usr/bin/env node
'use strict';
// CommonJS on purpose: libuv sizes its thread pool (where node crypto's PBKDF2 runs) on first use,
// and an ES module entry has already used it by the time its code runs. One thread per core keeps
// every core busy during password recovery.
const os = require('node:os');
if (!process.env.UV_THREADPOOL_SIZE) {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  process.env.UV_THREADPOOL_SIZE = String(Math.max(4, cores));
}
import('../dist/cli/main.js').then(
  (cli) =>
    cli.main().then(
      (code) => { process.exitCode = code; },
      (e) => import('../dist/cli/exit.js').then((x) => { process.exitCode = x.reportError(e); }),
    ),
  (e) => {
    const message = String((e && e.message) || e).split('\n')[0];
    if (/better-sqlite3|better_sqlite3/.test(message)) {
      // The optional SQLite package did not install (no prebuilt binary, no compiler): say what to do.
      import('../dist/fs/sqlite-module.js').then(
        (m) => process.stderr.write(`irescue: ${m.sqliteProblem() || 'better-sqlite3 cannot be loaded'}.\nNext step: ${m.sqliteInstallHint()}.\n`),
        () => process.stderr.write('irescue: the better-sqlite3 package is missing: run `npm rebuild better-sqlite3` in the irescue folder.\n'),
      );
    } else if (/Cannot find module .*dist/.test(message)) {
      process.stderr.write('irescue: not built yet: run `npm install` in the irescue folder first\n');
    } else {
      process.stderr.write(`irescue: cannot start (${message}); run \`npm install\` first\n`);
    }
    process.exitCode = 1;
  },
);
