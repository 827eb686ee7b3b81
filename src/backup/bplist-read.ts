// Shim: the binary plist decoder moved to src/plist/bplist-read.ts; removed at merge.
export * from '../plist/bplist-read.js';
