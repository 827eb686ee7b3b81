/** Erase/restore a device by driving idevicerestore: plan (pre-flight), confirm, run. */
export { planRestore, buildArgs, firstFailure, type RestorePlan, type Check, type PreflightOptions } from './preflight.js';
export { confirmRestore, checkConfirmable, confirmationPhrase, matchesPhrase, type RestoreKind, type ConfirmOptions } from './confirm.js';
export { runRestore, type RunOptions, type RestoreResult } from './run.js';
export { parseLine, decodeFailure, cleanLine, type DecodedFailure, type OutputEvent } from './output.js';
export { parseToolVersion, libirecoveryKnows, type ToolVersion } from './tool.js';
export { targetName, checkEcid, type RestoreTarget, type DeviceMode } from './target.js';
export type { ConnectedDevice } from './device-check.js';
export { RestoreFailedError, RestorePreflightError } from './errors.js';
export { restoreCacheDir, restoreLogDir } from './paths.js';
