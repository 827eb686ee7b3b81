/**
 * The library as a program that imports only the package entry would use it (issue 13): a
 * generated encrypted backup folder is found and inspected without its password, a password search
 * is planned and run from two remembered hints until it finds the password, and the messages are
 * exported. Only the fixture is built with the test-side writer; every step after that goes through
 * src/index.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as irescue from '../../src/index.js';
import { writeBackup } from '../../src/backup/writer.js';
import { demoContentFiles } from '../../src/demo/content.js';
import { scratchDir } from '../fixtures/backups.js';

const PASSWORD = 'rex1987';

test('package entry: find, plan and run a search that finds the password, unlock, export messages', { timeout: 240_000 }, async () => {
  const dir = join(scratchDir(), 'backup');
  await writeBackup({ dir, files: demoContentFiles(), encryption: { password: PASSWORD, dpic: 50, iterations: 10 } });

  const folder = await irescue.findBackup(dir);
  assert.equal(folder.info.encrypted, true);
  assert.match(folder.hashLine().line, /^\$itunes_backup\$\*10\*/);

  const target = await irescue.targetFromBackupFolder(dir);
  const plan = await irescue.planSearch({ target, spec: { hints: ['Rex', '1987'] }, session: false, workers: 1 });
  assert.ok(plan.total > 0 && plan.sources.length > 0, 'the plan says what will be tried');
  assert.equal(typeof plan.etaSeconds, 'number');
  assert.equal(JSON.parse(JSON.stringify(plan)).total, plan.total, 'a plan is a plain value');
  const outcome = await irescue.runSearch(plan);
  assert.equal(outcome.found, true);
  assert.equal(outcome.password, PASSWORD);
  assert.equal(outcome.verified, true);

  const backup = await folder.unlock(outcome.password!);
  try {
    const out = scratchDir();
    const summary = await irescue.exportData(backup, 'messages', { out });
    const messages = summary.categories.find((c) => c.category === 'messages');
    assert.ok(messages && messages.count > 0, JSON.stringify(summary.categories));
    assert.ok(existsSync(join(out, 'messages')) && readdirSync(join(out, 'messages')).length > 0);
  } finally {
    await backup.close();
  }
});

test('package entry: test and benchmark helpers are not part of the API', () => {
  for (const name of ['writeBackup', 'runKdfBench', 'formatKdfBench', 'selectionRates', 'NativeEngine', 'nativePaths', 'recoverPassword']) {
    assert.equal(name in irescue, false, `${name} is not exported from the package entry`);
  }
});
