/**
 * CLI onboarding: grouped help with examples and where to start, one error prefix, exactly one JSON
 * document with --json (errors included), the demo offered when nothing is found, `info` on the
 * folder above a backup naming the backups inside, and the wrapping/paging helpers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { wrapText, terminalWidth, printPaged } from '../../src/cli/terminal.js';
import { makeBackup, makeEncryptedBackup, scratchDir } from '../fixtures/backups.js';
import { runCli } from './run-cli.js';

const home = () => ({ HOME: scratchDir(), IRESCUE_CACHE_DIR: scratchDir(), XDG_DATA_HOME: scratchDir() });

test('--help groups the commands, gives an example each and says where to start', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  for (const group of ['Backups', 'Password', 'Export', 'Device', 'Lockout']) assert.match(r.stdout, new RegExp(`^${group}\\b.*:$`, 'm'), group);
  assert.equal((r.stdout.match(/^ {2}Example: irescue /gm) ?? []).length >= 5, true);
  assert.match(r.stdout, /Start here:\n {2}irescue ui .*\n {2}irescue demo /);
  for (const line of r.stdout.split('\n')) assert.ok(line.length <= 100, `wrapped: ${line}`);
});

test('one error prefix, and --json gives exactly one JSON document on stdout, errors included', async () => {
  const typo = await runCli(['extrct']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /^irescue: unknown command 'extrct'/);
  assert.doesNotMatch(typo.stderr, /^error:/m);
  const badOption = await runCli(['ls', 'x', '--json', '--bogus']);
  assert.equal(badOption.code, 2);
  assert.equal(JSON.parse(badOption.stdout).error.code, 'USAGE');
  const b = await makeEncryptedBackup();
  const wrong = await runCli(['verify', b.dir, '--json'], { env: { IRESCUE_PASSWORD: 'not it' } });
  assert.equal(wrong.code, 3);
  const doc = JSON.parse(wrong.stdout); // throws on two documents
  assert.equal(doc.error.code, 'WRONG_PASSWORD');
});

test('backups offers the demo when it finds nothing; info on the folder above names the backups inside', async () => {
  const none = await runCli(['backups'], { env: home() });
  assert.equal(none.code, 0);
  assert.match(none.stderr, /irescue demo/);
  const b = await makeBackup({ deviceName: 'Anna’s iPhone' });
  const above = await runCli(['info', dirname(b.dir)], { env: home() });
  assert.equal(above.code, 2);
  assert.match(above.stderr, /is not a backup itself; it holds 1 backup:/);
  assert.ok(above.stderr.includes(b.dir) && above.stderr.includes('Anna’s iPhone'));
});

test('wrapText keeps lines within the width and their indent; printPaged never pages off a terminal', () => {
  const text = '  - ' + 'word '.repeat(40).trim() + '\nshort';
  const wrapped = wrapText(text, 40);
  for (const line of wrapped.split('\n')) assert.ok(line.length <= 40, line);
  assert.match(wrapped.split('\n')[1], /^ {4}word/);
  assert.equal(wrapped.split('\n').at(-1), 'short');
  assert.equal(terminalWidth({ isTTY: false, columns: 200 }), 80);
  assert.equal(terminalWidth({ isTTY: true, columns: 30 }), 40);
  let written = '';
  const fake = { isTTY: false, rows: 5, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
  printPaged('a\n'.repeat(50), fake);
  assert.equal(written, 'a\n'.repeat(50));
});

test('info on a file that exists says it is a file, not "no such backup folder" (exit 2)', async () => {
  const r = await runCli(['info', 'README.md']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^irescue: README\.md: this is a file, not a backup folder; give the folder that holds it/);
  const missing = await runCli(['info', 'no-such-folder-here']);
  assert.match(missing.stderr, /no such backup folder or UDID/);
});

test('devices without usbmuxd: the plain next step for this system; socket path, errno and variable names only with --debug', async () => {
  const env = { USBMUXD_SOCKET_ADDRESS: `UNIX:${scratchDir()}/no-usbmuxd.sock` };
  const r = await runCli(['devices'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /usbmuxd|iPhone service/);
  assert.doesNotMatch(r.stderr, /ENOENT|USBMUXD_SOCKET_ADDRESS|no-usbmuxd\.sock|details:/);
  const debug = await runCli(['devices', '--debug'], { env });
  assert.match(debug.stderr, /USBMUXD_SOCKET_ADDRESS/);
});
