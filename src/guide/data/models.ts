// Shim: the model rows moved to src/models/data.ts; removed at merge.
export * from '../../models/data.js';
