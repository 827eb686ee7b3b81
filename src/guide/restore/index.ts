/** Erase/restore a device by driving idevicerestore: plan (pre-flight), confirm, run. */
export { planRestore, buildArgs, firstFailure, DOWNLOAD_SPACE, type RestorePlan, type Check, type PreflightOptions } from './preflight.js';
export { confirmRestore, checkConfirmable, confirmationPhrase, matchesPhrase, type RestoreKind, type ConfirmOptions } from './confirm.js';
export { runRestore, type RunOptions, type RestoreResult } from './run.js';
export { parseLine, decodeFailure, cleanLine, RESTORE_STEPS, FAILURE_CODES, type DecodedFailure, type OutputEvent } from './output.js';
export { locateIdevicerestore, parseToolVersion, readToolVersion, libirecoveryKnows, installHints, type ToolVersion } from './tool.js';
export { targetModel, targetName, checkEcid, type RestoreTarget, type DeviceMode } from './target.js';
export { RestoreFailedError, RestorePreflightError } from './errors.js';
export { defaultCacheDir, restoreCacheDir, restoreLogDir } from './paths.js';
