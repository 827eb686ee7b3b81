/**
 * Check an engine before it is trusted, as hashcat's selftest.c does with each module's known
 * answer: a SIMD path that is wrong on one unusual CPU would otherwise search for a week and then
 * say "not found". One batch fills every lane; the known password sits in the first and the last
 * lane, other lanes hold wrong passwords that must not unwrap. Once per engine per process.
 */
import { createDecipheriv } from 'node:crypto';
import type { KdfEngine } from './engine.js';
import { deriveBackupKeys } from './backup-key.js';
import { KNOWN_PASSWORD, SELF_TEST_VECTOR } from './vectors.js';
import { NodeCryptoEngine } from './node-crypto.js';

/** RFC 3394 unwrap with its integrity check: true when `key` is the one that wrapped `wpky`. */
export function keyUnwraps(key: Buffer, wpky: Buffer): boolean {
  try {
    const d = createDecipheriv('id-aes256-wrap', key, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
    Buffer.concat([d.update(wpky), d.final()]);
    return true;
  } catch {
    return false;
  }
}

/** Undefined when the engine derives the known answer; else why not, in a few words. */
export async function selfTest(engine: KdfEngine): Promise<string | undefined> {
  const lanes = Math.max(2, engine.batchSize);
  const known = Buffer.from(KNOWN_PASSWORD);
  const batch = Array.from({ length: lanes }, (_, i) => (i === 0 || i === lanes - 1 ? known : Buffer.from(`${KNOWN_PASSWORD}-${i}`)));
  let keys: Buffer[];
  try {
    keys = await deriveBackupKeys(engine, batch, SELF_TEST_VECTOR);
  } catch (e) {
    return `it failed to run (${e instanceof Error ? e.message : String(e)})`;
  }
  if (keys.length !== lanes) return `it returned ${keys.length} keys for ${lanes} passwords`;
  const wrong = keys.findIndex((k, i) => keyUnwraps(k, SELF_TEST_VECTOR.wpky) !== (batch[i] === known));
  return wrong < 0 ? undefined : `lane ${wrong + 1} of ${lanes} derived a wrong key`;
}

const verdicts = new Map<string, Promise<string | undefined>>();

/**
 * The engine itself when it passes its self-test (cached per engine name for the process), else
 * node crypto with the reason in `detail`.
 */
export async function trustEngine(engine: KdfEngine): Promise<KdfEngine> {
  if (engine instanceof NodeCryptoEngine) return engine; // the reference: nothing to fall back to
  let v = verdicts.get(engine.name);
  if (!v) verdicts.set(engine.name, (v = selfTest(engine)));
  const why = await v;
  if (why === undefined) return engine;
  return new NodeCryptoEngine(`Node.js crypto.pbkdf2 (OpenSSL): ${engine.name} failed the known-answer self-test (${why}), so node crypto is used instead`);
}
