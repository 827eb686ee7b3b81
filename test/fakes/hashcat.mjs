#!/usr/bin/env node
/**
 * A stand-in for hashcat in tests (IRESCUE_HASHCAT points here), for the stdin attack irescue
 * runs: `--version` prints a version; otherwise it reads candidates from standard input a batch
 * at a time, prints a `--status-json` line after each batch in hashcat 6.2.6's shape (one device,
 * "progress": [processed, 0], "rejected", "devices": [{ "speed" }]), and like hashcat drops lines
 * over 256 bytes without counting them.
 *   FAKE_HASHCAT_CRACK: the password it "cracks" (prints `hashline:password`, exits 0)
 *   FAKE_HASHCAT_SPEED: the speed it reports (default 321)
 *   FAKE_HASHCAT_LOG: a file it appends each candidate's length to (never the candidate)
 *   FAKE_HASHCAT_STOP_AFTER: processes that many candidates, then waits to be killed
 * Exhausted: exit 1, as hashcat.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const argv = process.argv.slice(2);
if (argv.includes('--version')) {
  process.stdout.write('v6.2.6\n');
  process.exit(0);
}
if (argv.includes('-S') || argv.includes('--slow-candidates')) {
  process.stdout.write('Use of --slow-candidates is not possible in stdin mode.\n');
  process.exit(255);
}
const hashLine = readFileSync(argv[argv.length - 1], 'utf8').trim();
const crack = process.env.FAKE_HASHCAT_CRACK;
const speed = Number(process.env.FAKE_HASHCAT_SPEED ?? 321);
const stopAfter = process.env.FAKE_HASHCAT_STOP_AFTER ? Number(process.env.FAKE_HASHCAT_STOP_AFTER) : Infinity;
let processed = 0;
let batch = 0;
const status = (code) =>
  process.stdout.write(JSON.stringify({ session: 'fake', status: code, progress: [processed, 0], rejected: 0, devices: [{ device_id: 1, device_name: 'fake-cpu', speed }] }) + '\n');

for await (const line of createInterface({ input: process.stdin })) {
  if (Buffer.byteLength(line) > 256) continue;
  if (processed >= stopAfter) {
    status(3);
    setInterval(() => status(3), 1000); // keeps running (as a busy hashcat) until killed
    await new Promise(() => {});
  }
  processed++;
  if (process.env.FAKE_HASHCAT_LOG) appendFileSync(process.env.FAKE_HASHCAT_LOG, `${line.length}\n`);
  if (line === crack) {
    process.stdout.write(`${hashLine}:${line}\n`);
    status(6);
    process.exit(0);
  }
  if (++batch === 3) {
    batch = 0;
    status(3);
  }
}
status(5);
process.exit(1);
