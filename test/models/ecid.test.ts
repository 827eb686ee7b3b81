import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEcid, parseEcid } from '../../src/models/ecid.js';
import { normalizeEcid, parseIbootSerial } from '../../src/device/usb/serial.js';
import { ecidFromUdid } from '../../src/device/devices.js';
import { checkEcid } from '../../src/guide/restore/target.js';
import { UsageError } from '../../src/errors.js';

const ECID = 0x1a2b3c4d5e801en;

test('parseEcid reads hex (marked or as devices prints it) and decimal; a leading 0 is never octal', () => {
  assert.equal(parseEcid('0x1A2B3C4D5E801E'), ECID);
  assert.equal(parseEcid('0x1a2b3c4d5e801e'), ECID);
  assert.equal(parseEcid('001A2B3C4D5E801E'), ECID, 'the 16-digit form irescue devices prints');
  assert.equal(parseEcid(' 1a2b3c4d5e801e '), ECID, 'hex digits make it hex');
  assert.equal(parseEcid(ECID.toString(10)), ECID, 'decimal, as ideviceinfo prints UniqueChipID');
  assert.equal(parseEcid('0123'), 123n, 'not octal 83');
  assert.equal(parseEcid('010'), 10n);
  assert.equal(parseEcid('0000000000000010'), 16n, '16 digits with a leading 0: hex');
  for (const bad of ['', 'zz', '0x', '-1', '0x1FFFFFFFFFFFFFFFF', '18446744073709551616', '1.5', '0o17']) assert.equal(parseEcid(bad), undefined, bad);
  assert.equal(parseEcid('18446744073709551615'), (1n << 64n) - 1n);
});

test('formatEcid prints one form that parseEcid reads back, and a C form for idevicerestore', () => {
  assert.equal(formatEcid(ECID), '001A2B3C4D5E801E');
  assert.equal(formatEcid(ECID, 'c'), '0x001A2B3C4D5E801E');
  assert.equal(formatEcid(1n), '0000000000000001');
  for (const n of [0n, 1n, 83n, ECID, (1n << 64n) - 1n]) {
    assert.equal(parseEcid(formatEcid(n)), n);
    assert.equal(parseEcid(formatEcid(n, 'c')), n);
  }
});

test('every place the device layer prints an ECID gives what restore --ecid accepts, same number', () => {
  const printed = [
    ecidFromUdid('00008110-001A2B3C4D5E801E')!,
    parseIbootSerial('CPID:8110 BDID:0A ECID:1A2B3C4D5E801E IBFL:3C').ecid!,
    normalizeEcid('0x1A2B3C4D5E801E')!,
  ];
  for (const p of printed) {
    assert.equal(p, '001A2B3C4D5E801E');
    const arg = checkEcid(p);
    assert.equal(arg, '0x001A2B3C4D5E801E', 'idevicerestore gets 0x-hex, never a bare leading 0');
    assert.equal(BigInt(arg), ECID);
  }
  assert.equal(checkEcid(ECID.toString(10)), '0x001A2B3C4D5E801E', 'decimal still works');
  assert.throws(() => checkEcid('0x1A2B3C4D5E801EZ'), UsageError);
});
