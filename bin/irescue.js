#!/usr/bin/env node
// Runs the compiled CLI (npm install builds dist/ through the "prepare" script).
import { main } from '../dist/cli/main.js';
import { reportError } from '../dist/cli/exit.js';

main().then(
  (code) => { process.exitCode = code; },
  (e) => { process.exitCode = reportError(e); },
);
