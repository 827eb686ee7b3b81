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
    // better-sqlite3 is loaded lazily (src/fs/sqlite-module.ts), so its absence never stops the start:
    // it surfaces as a NOT_FOUND error with the next step through reportError.
    if (/Cannot find module .*dist/.test(message)) {
      process.stderr.write('irescue: not built yet: run `npm install` in the irescue folder first\n');
    } else {
      process.stderr.write(`irescue: cannot start (${message}); run \`npm install\` first\n`);
    }
    process.exitCode = 1;
  },
);
