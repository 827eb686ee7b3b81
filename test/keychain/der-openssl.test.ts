/**
 * Our DER writer checked by an independent decoder: OpenSSL's asn1parse reads an item plaintext as
 * the SET of SEQUENCEs {UTF8String, value} Apple's der_plist writes, with the same values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeDer } from '../../src/keychain/der.js';
import { scratchDir } from '../fixtures/backups.js';

const openssl = spawnSync('openssl', ['version']).status === 0;

test('openssl asn1parse reads an encoded keychain item', { skip: openssl ? false : 'openssl is not installed' }, () => {
  const item = { acct: 'alice', v_Data: Buffer.from('secret'), port: 443n, sync: true, cdat: new Date('2020-11-24T14:06:34.692Z'), svce: 'x'.repeat(200) };
  const f = join(scratchDir(), 'item.der');
  writeFileSync(f, encodeDer(item));
  const r = spawnSync('openssl', ['asn1parse', '-inform', 'DER', '-in', f], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /cons: SET/);
  assert.equal(lines.filter((l) => /cons: SEQUENCE/.test(l)).length, 6);
  const prims = lines.filter((l) => /prim:/.test(l)).map((l) => l.replace(/^.*prim:\s*/, '').trim());
  assert.ok(prims.includes('UTF8STRING        :acct'));
  assert.ok(prims.includes('UTF8STRING        :alice'));
  assert.ok(prims.includes('INTEGER           :01BB'));
  assert.ok(prims.includes('BOOLEAN           :255'));
  assert.ok(prims.includes('GENERALIZEDTIME   :20201124140634.692Z'));
  assert.ok(prims.includes('OCTET STRING      :secret'));
  assert.ok(prims.includes('UTF8STRING        :' + 'x'.repeat(200)), 'long-form length');
});
