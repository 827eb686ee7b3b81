/**
 * Library entry: everything the CLI and the web wizard do is available here.
 * `import { openBackup } from 'irescue'`.
 */
export * from './errors.js';
export * from './progress.js';
export type { KdfEngine, Pbkdf2Params, Pbkdf2Hash } from './kdf/engine.js';
export { selectEngine } from './kdf/select.js';
export { NodeCryptoEngine } from './kdf/node-crypto.js';
export { deriveBackupKeys, type BackupKdfParams } from './kdf/backup-key.js';
