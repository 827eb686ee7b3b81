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
    process.stderr.write(`irescue: cannot start (${e && e.message}); run \`npm install\` first\n`);
    process.exitCode = 1;
  },
);
