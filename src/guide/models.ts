// Shim: the model table moved to src/models/ (foundation below the domains); removed at merge.
export * from '../models/models.js';
