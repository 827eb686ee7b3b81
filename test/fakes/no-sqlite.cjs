// Preloaded with `node -r`: better-sqlite3 cannot be required, as on a machine where npm found no
// prebuilt binary and no compiler (it is an optional dependency).
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'better-sqlite3') {
    const e = new Error("Cannot find module 'better-sqlite3'");
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  }
  return resolve.call(this, request, ...rest);
};
