// Copies the non-TypeScript files the library reads at run time into dist/ (tsc copies only .ts output).
import { cpSync } from 'node:fs';

for (const [from, to] of [['src/export/notestore.proto', 'dist/export/notestore.proto']]) cpSync(from, to);
