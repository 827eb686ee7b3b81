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

// Backups
export { openBackup, verifyBackupPassword, unlockWithPassword, Backup, type OpenOptions, type StoredRecord } from './backup/open.js';
export { inspectBackup, listBackups, type BackupSummary } from './backup/info.js';
export { defaultBackupRoots, resolveBackupPath, findBackupFolders } from './backup/locate.js';
export { extractFiles, type ExtractOptions, type ExtractSummary, type ExtractIssue } from './backup/extract.js';
export { writeDecryptedCopy, type DecryptedCopyOptions, type DecryptedCopySummary } from './backup/decrypted-copy.js';
export { parseHashLine, formatHashLine, hashLineFromKeybag, type HashLine } from './backup/hash-line.js';
export { targetFromHashLine, targetFromKeybag, type PasswordTarget } from './backup/password-target.js';
export { parseKeybag, type Keybag, type ClassKey } from './backup/keybag.js';
export { writeBackup, type WriteBackupOptions, type WriterFile } from './backup/writer.js';
export { ensureDemoBackup, DEMO_PASSWORD } from './demo/demo-backup.js';
export { keepBackup, keepBeforeBackup, keptCopyOf, keptName, listKeptCopies, type KeptBackup } from './backup/keep.js';
export { FileKind, type BackupFileRecord, type BackupInfo, type BackupReader, type FileQuery } from './backup/types.js';

// Devices over USB
export * from './device/index.js';
export { planDeviceRestore, runDeviceRestore, type DeviceRestorePlan, type DeviceRestoreResult, type RestoreCheck } from './tasks/restore-backup-to-device.js';
export { defaultRestoreOptions, restoreErrorMessage, RestoreRefusedError, type RestoreOptions } from './device/services/mobilebackup2-restore.js';

// Lockout assistant
export { findModel, modelName, modelByChip, allModels, type DeviceModel, type RecoveryFamily } from './models/models.js';
export { routesFor, listSituations, type RoutesAnswer } from './guide/routes.js';
export { planRestore, confirmRestore, runRestore, type RestoreTarget } from './guide/restore/index.js';

// Exports
export { exportData, EXPORT_CATEGORIES, exportAll, exportCategory, exportMessages, exportContacts, exportCalls, exportPhotos, exportNotes, exportWhatsApp } from './export/index.js';
export type { ExportOptions, ExportSummary, ExportSelection, CategoryResult, ExportCategory, SkippedFile } from './export/index.js';

// Password recovery
export { planSearch, runSearch, measureRate, HOPELESS_SECONDS, type PlanOptions, type SearchPlan, type RunOptions, type RecoverOutcome } from './recover/plan.js';
export { targetFromBackupFolder, targetsFromHashArg, type RecoverTarget } from './recover/target.js';
export type { SearchSpec } from './recover/sources.js';
export { buildSources, buildKeyspace } from './recover/sources.js';

// Key derivation engines
export { NativeEngine, nativePaths } from './kdf/native.js';
export { runHashcat, detectHashcat, hashcatModeOf } from './kdf/hashcat.js';
export { runKdfBench, formatKdfBench } from './kdf/bench.js';
export { selectionRates } from './kdf/select.js';

// Secrets the backup holds: saved passwords, Wi-Fi keys, the Screen Time and Restrictions passcodes
export { readKeychain, decodeKeychain, UnencryptedKeychainError, type KeychainReport, type KeychainSource, type LockedItem, type DamagedItem } from './keychain/read.js';
export type { KeychainItem, ItemKind, KeychainTable } from './keychain/items.js';
export { exportKeychain, summarizeKeychain, keychainJson, type KeychainFormat, type KeychainSummary, type KeychainExportResult } from './keychain/export.js';
export { buildCsv, CSV_FORMATS, CSV_HEADERS, type CsvFormat } from './keychain/csv.js';
export { planPasscodeSearch, findPasscodes, answerWithoutBackup, SCREEN_TIME_APPLE_ROUTE, type PasscodePlan, type PasscodeResult, type FoundPasscode } from './keychain/screentime.js';
export { findRestrictionsPasscode, parseRestrictionsPlist } from './keychain/restrictions.js';
export { olderPasscodeBackups, type OtherBackup } from './keychain/older-backups.js';
