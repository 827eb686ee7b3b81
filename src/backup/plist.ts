// Shim: the plist module moved to src/plist/ (describeFsError to src/errors.ts); removed at merge.
export * from '../plist/plist.js';
export { describeFsError } from '../errors.js';
