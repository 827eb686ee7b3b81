import { pbkdf2 } from 'node:crypto';
import { throwIfAborted } from '../errors.js';
import type { EngineRate, KdfEngine, Pbkdf2Params } from './engine.js';

/** Baseline engine: OpenSSL's PBKDF2 through Node, on libuv's thread pool. Always available. */
export class NodeCryptoEngine implements KdfEngine {
  readonly name = 'node-crypto';
  readonly batchSize = 1;
  constructor(readonly detail = 'Node.js crypto.pbkdf2 (OpenSSL)', readonly measured?: EngineRate) {}

  async pbkdf2(passwords: readonly Uint8Array[], params: Pbkdf2Params, signal?: AbortSignal): Promise<Buffer[]> {
    throwIfAborted(signal);
    const out = await Promise.all(
      passwords.map(
        (pw) =>
          new Promise<Buffer>((resolve, reject) =>
            pbkdf2(pw, params.salt, params.iterations, params.keyLength, params.hash, (err, key) => (err ? reject(err) : resolve(key))),
          ),
      ),
    );
    throwIfAborted(signal);
    return out;
  }
}
