import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { wrapFor, wrapText } from '../../src/cli/terminal.js';
import { REPO } from './run-cli.js';

const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

test('wrapText: colour codes take no columns, list items keep their indent, a hanging indent for prefixed messages', () => {
  const red = `\x1b[31m${'word '.repeat(7).trim()}\x1b[39m`;
  assert.equal(wrapText(red, 40), red, '35 visible columns fit in 40 whatever the escape codes add');
  const item = `   a) ${'step words here '.repeat(6).trim()}`;
  const lines = wrapText(item, 40).split('\n');
  assert.ok(lines.length > 1 && lines.every((l) => l.length <= 40));
  assert.ok(lines.slice(1).every((l) => l.startsWith('      ') && l[6] !== ' '), 'continuation lines under the text, not under "a)"');
  const warn = wrapText(`   ! ${'warning text '.repeat(6).trim()}`, 40).split('\n');
  assert.ok(warn.slice(1).every((l) => l.startsWith('     ') && l[5] !== ' '));
  const err = wrapText(`irescue: ${'the backup folder cannot be read '.repeat(3).trim()}`, 40, 9).split('\n');
  assert.ok(err.length > 1 && err.every((l) => l.length <= 40));
  assert.ok(err.slice(1).every((l) => l.startsWith(' '.repeat(9)) && l[9] !== ' '), 'text keeps its column after "irescue: "');
});

test('wrapFor wraps for a terminal only: pipes and files get one line per message', () => {
  const long = 'a message '.repeat(20).trim();
  assert.equal(wrapFor({ isTTY: false, columns: 40 }, long), long);
  assert.ok(wrapFor({ isTTY: true, columns: 40 }, long).split('\n').every((l) => l.length <= 40));
});

test('on a 50-column terminal errors and the guide are wrapped to 50 columns', { skip: spawnSync('script', ['--version']).status !== 0 && 'no script(1) for a pseudo-terminal' }, () => {
  const run = (args: string) => spawnSync('script', ['-qec', `stty cols 50 rows 500; node --import tsx src/cli/main.ts ${args}`, '/dev/null'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', PAGER: 'cat' } });
  const err = run('guide --situation nope');
  const errLines = visible(err.stdout).split(/\r?\n/).filter(Boolean);
  assert.ok(errLines.length > 1, err.stdout);
  assert.ok(errLines.every((l) => l.length <= 50), err.stdout);
  assert.match(errLines[0], /^irescue: /);
  const guide = run('guide --situation unavailable --model "iPhone 12" --ios 17.4');
  const lines = visible(guide.stdout).split(/\r?\n/);
  assert.ok(lines.length > 100, 'the whole guide came through');
  const tooWide = lines.filter((l) => l.length > 50 && / /.test(l.trim()) && !/^\s*\S+$/.test(l));
  assert.deepEqual(tooWide.filter((l) => !/https?:\/\/\S{30,}/.test(l)), [], 'only lines that are one unbreakable word may be wider');
});

test('a closed pipe (`irescue guide | true`: the reader is gone before the first write) ends the command quietly, no stack trace', () => {
  const r = spawnSync('bash', ['-c', 'set -o pipefail; node --import tsx src/cli/main.ts guide --situation unavailable --model "iPhone 12" | true'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /EPIPE|at .*:\d+/);
});
