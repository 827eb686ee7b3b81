import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CorruptInputError } from '../../src/errors.js';
import { decodeHashcatPlain, detectHashcat, hashcatModeOf, parseHashcatStatus, runHashcat } from '../../src/kdf/hashcat.js';
import type { ProgressEvent } from '../../src/progress.js';
import { DESIGN_LINES } from './helpers.js';

const hashcat = await detectHashcat();
const skip = hashcat ? false : 'hashcat is not installed (Debian: hashcat + pocl-opencl-icd)';

test('mode from the hash line', () => {
  assert.equal(hashcatModeOf(DESIGN_LINES[0]), 14700);
  assert.equal(hashcatModeOf(DESIGN_LINES[1]), 14800);
  assert.throws(() => hashcatModeOf('$pbkdf2$*1*'), CorruptInputError);
});

test('$HEX[] results are decoded as UTF-8', () => {
  assert.equal(decodeHashcatPlain('$HEX[70c3a47373]'), 'päss');
  assert.equal(decodeHashcatPlain('plain'), 'plain');
});

test('status lines are parsed; other output is not', () => {
  const s = parseHashcatStatus('{ "session": "x", "status": 3, "progress": [12, 0], "devices": [ { "device_id": 1, "device_name": "cpu", "speed": 7 } ] }');
  assert.deepEqual(s?.progress, [12, 0]);
  assert.equal(parseHashcatStatus('Started: Wed'), undefined);
  assert.equal(parseHashcatStatus('{ broken'), undefined);
});

async function* candidates(list: string[]): AsyncIterable<string> {
  for (const c of list) yield c;
}

// each hashcat start costs seconds (and a kernel build per mode on first use): run them side by side
describe('hashcat runs', { concurrency: true }, () => {
  test('mode 14700: streams candidates on stdin and finds "hashcat"', { skip, timeout: 240_000 }, async () => {
    const events: ProgressEvent[] = [];
    const r = await runHashcat({ hashLine: DESIGN_LINES[0], candidates: candidates(['password', '123456', 'hashcat', 'later']), onProgress: (e) => events.push(e) });
    assert.equal(r.found, true);
    assert.equal(r.password, 'hashcat');
    assert.ok(events.length > 0 && events.every((e) => e.unit === 'candidates' && e.phase === 'hashcat'));
  });

  test('mode 14800: finds it after non-ASCII and unsendable candidates; exhausts a list without it', { skip, timeout: 240_000 }, async () => {
    const found = await runHashcat({ hashLine: DESIGN_LINES[1], candidates: ['pässwörd', 'two\nlines', 'hashcat'] });
    assert.equal(found.found, true);
    assert.equal(found.password, 'hashcat');
    assert.equal(found.skipped, 1);
    const missed = await runHashcat({ hashLine: DESIGN_LINES[1], candidates: ['a', 'b', 'c', 'hashcaT'] });
    assert.equal(missed.found, false);
    assert.equal(missed.tried, 4);
  });

  test('an abort stops hashcat and rejects', { skip, timeout: 240_000 }, async () => {
    const ac = new AbortController();
    async function* endless(): AsyncIterable<string> {
      for (let i = 0; ; i++) {
        if (i === 50) ac.abort();
        yield `guess${i}`;
      }
    }
    await assert.rejects(runHashcat({ hashLine: DESIGN_LINES[2], candidates: endless(), signal: ac.signal }), { code: 'CANCELLED' });
  });
});
