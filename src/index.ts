/**
 * The library's public API: `import { findBackup, planSearch, exportData } from 'irescue'`.
 *
 * Designed around "inspect, then act" (docs/architecture.md): each task is first inspected into a
 * value with no secret and no side effect (a BackupFolder, a SearchPlan, a restore plan, a passcode
 * plan), which the caller shows and then hands back to act on. The CLI and the web wizard use exactly
 * these calls. Test and benchmark helpers (the backup writer, engine measurements) are not part of it.
 */
export * from './errors.js';
export { RateMeter, type ProgressEvent, type OnProgress } from './progress.js';

// Backups: find and inspect (no password), then unlock and read
export { findBackup, openBackupFolder, BackupFolder, type FindOptions, type UnlockOptions, type BackupSummary, type BackupHashLine } from './backup/folder.js';
export { openBackup, Backup, type OpenOptions } from './backup/open.js';
export { listBackups, inspectBackup } from './backup/info.js';
export { defaultBackupRoots } from './backup/locate.js';
export { extractFiles, type ExtractOptions, type ExtractSummary, type ExtractIssue } from './backup/extract.js';
export { writeDecryptedCopy, type DecryptedCopyOptions, type DecryptedCopySummary } from './backup/decrypted-copy.js';
export { keepBackup, keepBeforeBackup, keptCopyOf, listKeptCopies, type KeptBackup } from './backup/keep.js';
export { FileKind, type BackupFileRecord, type BackupInfo, type BackupReader, type FileQuery } from './backup/types.js';
export { ensureDemoBackup, DEMO_PASSWORD } from './demo/demo-backup.js';

// Password search: plan (sources, sizes, engine, rate, ETA, hashcat line), then run
export { planSearch, runSearch, HOPELESS_SECONDS, type PlanOptions, type SearchPlan, type RunOptions, type RecoverOutcome } from './recover/plan.js';
export { targetFromBackupFolder, targetsFromHashArg, type RecoverTarget } from './recover/target.js';
export { buildSources, buildKeyspace, type SearchSpec } from './recover/sources.js';
export { selectEngine } from './kdf/select.js';
export type { KdfEngine } from './kdf/engine.js';

// Exports people open
export { exportData, EXPORT_CATEGORIES } from './export/index.js';
export type { ExportOptions, ExportSummary, ExportSelection, CategoryResult, ExportCategory, SkippedFile } from './export/index.js';

// Secrets the backup holds: saved passwords, Wi-Fi keys, the Screen Time and Restrictions passcodes
export { readKeychain, UnencryptedKeychainError, type KeychainReport, type KeychainSource, type LockedItem, type DamagedItem } from './keychain/read.js';
export type { KeychainItem, ItemKind, KeychainTable } from './keychain/items.js';
export { exportKeychain, summarizeKeychain, type KeychainFormat, type KeychainSummary, type KeychainExportResult } from './keychain/export.js';
export { CSV_FORMATS, type CsvFormat } from './keychain/csv.js';
export { planPasscodeSearch, findPasscodes, type PasscodePlan, type PasscodeResult, type FoundPasscode } from './keychain/screentime.js';
export { findRestrictionsPasscode, parseRestrictionsPlist } from './keychain/restrictions.js';
export { olderPasscodeBackups, type OtherBackup } from './keychain/older-backups.js';

// Devices over USB: list and watch, identify, Recovery, back up, encryption; restore a backup to a device
export * from './device/index.js';
export { verifyNewBackupPassword } from './tasks/verify-new-backup-password.js';
export { planDeviceRestore, runDeviceRestore, type DeviceRestorePlan, type DeviceRestoreResult, type RestoreCheck } from './tasks/restore-backup-to-device.js';
export { defaultRestoreOptions, restoreErrorMessage, RestoreRefusedError, type RestoreOptions } from './device/services/mobilebackup2-restore.js';

// Lockout assistant: the official routes, the model table, erase/restore through idevicerestore
export { routesFor, listSituations, type RoutesAnswer } from './guide/routes.js';
export { planRestore, confirmRestore, runRestore, type RestoreTarget } from './guide/restore/index.js';
export { findModel, modelName, modelByChip, allModels, type DeviceModel, type RecoveryFamily } from './models/models.js';
export { parseEcid, formatEcid } from './models/ecid.js';
