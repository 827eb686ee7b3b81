/**
 * Names from a backup never reach the terminal as control characters: a hostile file name, link
 * target and device name (ESC/CSI that erases lines, OSC 0 window title, OSC 52 clipboard, BEL, CR,
 * a bidi override) are shown escaped by ls, info, backups and extract's summary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { FileKind } from '../../src/backup/types.js';
import { printable, printableLines } from '../../src/cli/printable.js';
import { makeBackup, scratchDir } from '../fixtures/backups.js';
import { runCli } from './run-cli.js';

const EVIL_NAME = 'Documents/\x1b[2K\r\x1b[1A\x1b[2KAll good\x1b]0;t\x07.txt';
const EVIL_TARGET = 'x\x1b]52;c;cHduZWQ=\x07';
const EVIL_DEVICE = 'Phone\x1b]0;owned\x07\u202e';
/** Any control a terminal acts on: C0 except the newlines we print, DEL, C1, bidi overrides. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test('printable escapes C0, C1, DEL and bidi controls and keeps everything else', () => {
  assert.equal(printable('a\x1b[31mb\x07\r'), 'a\\x1b[31mb\\x07\\x0d');
  assert.equal(printable('\u009b2J\u202eabc'), '\\x9b2J\\u202eabc');
  assert.equal(printable('Café Ünïcode 日本 👍 ☃'), 'Café Ünïcode 日本 👍 ☃');
  assert.equal(printable(undefined), '');
  assert.equal(printableLines('one\x1b\ntwo\r'), 'one\\x1b\ntwo\\x0d');
});

test('ls, info, backups and extract print hostile names escaped', async () => {
  const b = await makeBackup({
    deviceName: EVIL_DEVICE,
    files: [
      { domain: 'HomeDomain', relativePath: EVIL_NAME, content: Buffer.from('x') },
      { domain: 'HomeDomain', relativePath: 'Library/evil-link', kind: FileKind.Symlink, target: EVIL_TARGET },
      { domain: 'HomeDomain', relativePath: 'Documents/missing\x1b[2J.txt', content: Buffer.from('y'), missingOnDisk: true },
    ],
  });
  const runs = [
    ['ls', b.dir],
    ['info', b.dir],
    ['backups', '--root', dirname(b.dir)],
    ['extract', b.dir, '--out', join(scratchDir(), 'out')],
  ];
  for (const args of runs) {
    const r = await runCli(args, { env: { HOME: scratchDir(), IRESCUE_CACHE_DIR: scratchDir() } });
    const all = r.stdout + r.stderr;
    assert.ok(r.code === 0 || r.code === 4, `${args[0]}: exit ${r.code}: ${r.stderr}`);
    assert.doesNotMatch(all, CONTROL, `${args[0]} printed a raw control character`);
    if (args[0] === 'ls') {
      assert.ok(r.stdout.includes('Documents/\\x1b[2K\\x0d\\x1b[1A\\x1b[2KAll good\\x1b]0;t\\x07.txt'), r.stdout);
      assert.ok(r.stdout.includes('-> x\\x1b]52;c;cHduZWQ=\\x07'));
    }
    if (args[0] === 'info' || args[0] === 'backups') assert.ok(r.stdout.includes('Phone\\x1b]0;owned\\x07\\u202e'), r.stdout);
    if (args[0] === 'extract') assert.match(r.stderr, /missing\\x1b\[2J\.txt/);
  }
  // --json stays exact data (JSON escapes controls by itself).
  const json = await runCli(['ls', b.dir, '--json']);
  assert.ok(JSON.parse(json.stdout).some((f: { relativePath: string }) => f.relativePath === EVIL_NAME));
});
