import { NodeCryptoEngine } from './node-crypto.js';
import type { KdfEngine } from './engine.js';

/**
 * The fastest engine this machine can run. Until the native addon lands this is node crypto;
 * the choice and its reason are in `engine.detail` so `bench`, `verify --debug` and `recover` can say it.
 */
export async function selectEngine(): Promise<KdfEngine> {
  return new NodeCryptoEngine('Node.js crypto.pbkdf2 (OpenSSL): the native engine is not built');
}
