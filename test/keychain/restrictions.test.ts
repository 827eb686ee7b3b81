import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { buildBinaryPlist, buildXmlPlist } from '../../src/plist/plist.js';
import { CorruptInputError } from '../../src/errors.js';
import { NodeCryptoEngine } from '../../src/kdf/node-crypto.js';
import { selectEngine } from '../../src/kdf/select.js';
import { findRestrictionsPasscode, parseRestrictionsPlist } from '../../src/keychain/restrictions.js';

test('pinfinder public vector: key ioN63+yl6OFZ4/C7xl9VejMLDi0=, salt iNciDA== is 1234', async () => {
  const plist = buildXmlPlist({ RestrictionsPasswordKey: Buffer.from('ioN63+yl6OFZ4/C7xl9VejMLDi0=', 'base64'), RestrictionsPasswordSalt: Buffer.from('iNciDA==', 'base64') });
  const secret = parseRestrictionsPlist(Buffer.from(plist));
  assert.equal(await findRestrictionsPasscode(secret, await selectEngine()), '1234');
});

test('a code past the first batch is found, and every code is tried exactly once', async () => {
  const salt = Buffer.from('a1b2c3d4', 'hex');
  const key = pbkdf2Sync('1987', salt, 1000, 20, 'sha1');
  const secret = parseRestrictionsPlist(buildBinaryPlist({ RestrictionsPasswordKey: key, RestrictionsPasswordSalt: salt }));
  assert.equal(await findRestrictionsPasscode(secret, new NodeCryptoEngine()), '1987');
  // no match: an engine that records what it is asked (and derives nothing) sees all 10,000 codes once
  const seen = new Set<string>();
  let calls = 0;
  const recording = { name: 'rec', detail: '', batchSize: 4, async pbkdf2(pws: readonly Uint8Array[], p: { keyLength: number }) {
    calls++;
    for (const pw of pws) seen.add(Buffer.from(pw).toString());
    return pws.map(() => Buffer.alloc(p.keyLength));
  } };
  assert.equal(await findRestrictionsPasscode({ key: Buffer.alloc(20, 1), salt }, recording), undefined);
  assert.equal(seen.size, 10_000);
  assert.ok([...seen].every((c) => /^\d{4}$/.test(c)));
  assert.ok(calls < 20, `batched (${calls} calls)`);
});

test('a damaged or foreign plist is a CorruptInputError naming the file', () => {
  assert.throws(() => parseRestrictionsPlist(buildBinaryPlist({ Other: 1 }), 'r.plist'), (e: unknown) => e instanceof CorruptInputError && /r\.plist.*RestrictionsPasswordKey/.test((e as Error).message));
  assert.throws(() => parseRestrictionsPlist(Buffer.from('garbage'), 'r.plist'), CorruptInputError);
  assert.throws(() => parseRestrictionsPlist(buildBinaryPlist({ RestrictionsPasswordKey: Buffer.alloc(20), RestrictionsPasswordSalt: Buffer.alloc(0) }), 'r.plist'), CorruptInputError);
});
