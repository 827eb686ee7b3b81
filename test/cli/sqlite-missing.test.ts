import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sqliteInstallHint, sqliteProblem } from '../../src/fs/sqlite-module.js';
import { REPO } from './run-cli.js';

const NO_SQLITE = fileURLToPath(new URL('../fakes/no-sqlite.cjs', import.meta.url));

test('the install hint names this system\'s tools only, then the one rebuild command', () => {
  const linux = sqliteInstallHint('linux');
  assert.match(linux, /sudo apt install build-essential python3/);
  assert.doesNotMatch(linux, /Visual Studio|xcode/i);
  assert.match(sqliteInstallHint('darwin'), /xcode-select --install/);
  assert.doesNotMatch(sqliteInstallHint('darwin'), /apt|Visual Studio/);
  assert.match(sqliteInstallHint('win32'), /Visual Studio Build Tools/);
  for (const p of ['linux', 'darwin', 'win32'] as const) assert.match(sqliteInstallHint(p), /npm rebuild better-sqlite3/);
  assert.equal(sqliteProblem(), undefined, 'installed here: no problem to report');
});

test('without better-sqlite3 the demo fails with one plain line and the next step, no stack (exit 5)', async () => {
  const cache = await mkdtemp(join(tmpdir(), 'irescue-nosqlite-'));
  try {
    const r = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = { ...process.env, IRESCUE_CACHE_DIR: cache, NO_COLOR: '1' };
      delete env.IRESCUE_PASSWORD;
      const p = spawn(process.execPath, ['-r', NO_SQLITE, '--import', 'tsx', 'src/cli/main.ts', 'demo'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d) => (stdout += d));
      p.stderr.on('data', (d) => (stderr += d));
      p.on('error', reject);
      p.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    assert.equal(r.code, 5, r.stderr);
    const problem = r.stderr.split('\n').filter((l) => l.startsWith('irescue: '));
    assert.equal(problem.length, 1, r.stderr);
    assert.match(problem[0], /SQLite support \(the better-sqlite3 package\) is not installed/);
    assert.match(problem[0], /npm rebuild better-sqlite3/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+|gyp|this is a bug/);
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
});
