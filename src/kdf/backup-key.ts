import type { KdfEngine } from './engine.js';

/** The key-derivation parameters a backup keybag (or a $itunes_backup$ hash line) carries. */
export interface BackupKdfParams {
  /** SALT: salt of the PBKDF2-HMAC-SHA1 step */
  salt: Buffer;
  /** ITER: iterations of the SHA1 step (10,000 in practice) */
  iterations: number;
  /** DPSL: salt of the PBKDF2-HMAC-SHA256 step (iOS 10.2+ backups); absent on older backups */
  dpsl?: Buffer;
  /** DPIC: iterations of the SHA256 step (10,000,000 in practice) */
  dpic?: number;
}

/**
 * Password -> 32-byte key that unwraps the class keys. Two steps when DPSL is present (chosen by
 * presence, not by iOS version, as DESIGN.md §3 asks): SHA-256 first, then SHA-1 over its output.
 */
export async function deriveBackupKeys(
  engine: KdfEngine,
  passwords: readonly Uint8Array[],
  params: BackupKdfParams,
  signal?: AbortSignal,
): Promise<Buffer[]> {
  let material: readonly Uint8Array[] = passwords;
  if (params.dpsl && params.dpic) {
    material = await engine.pbkdf2(passwords, { hash: 'sha256', salt: params.dpsl, iterations: params.dpic, keyLength: 32 }, signal);
  }
  return engine.pbkdf2(material, { hash: 'sha1', salt: params.salt, iterations: params.iterations, keyLength: 32 }, signal);
}
