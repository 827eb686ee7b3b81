import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from '../cli/run-cli.js';
import { scratchDir } from '../fixtures/backups.js';
import { login, raw } from './http-client.js';

test('`irescue ui --no-open --port 0` prints the URL with its token as the first stdout line, serves, and stops on SIGINT', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', IRESCUE_CACHE_DIR: scratchDir(), XDG_DATA_HOME: scratchDir(), HOME: scratchDir() };
  delete env.IRESCUE_PASSWORD;
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), 'ui', '--no-open', '--port', '0'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const nl = stdout.indexOf('\n');
        if (nl >= 0) resolve(stdout.slice(0, nl));
      });
      child.on('close', () => reject(new Error(`exited before printing a URL: ${stderr}`)));
    });
    const m = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{20,})$/.exec(firstLine);
    assert.ok(m, `first line: ${firstLine}`);
    const port = Number(m[1]);
    assert.equal((await raw(port, 'GET', '/api/jobs')).status, 403, 'no key, no entry');
    const key = await login(port, m[2]);
    assert.equal((await raw(port, 'GET', '/api/jobs', { headers: { 'x-irescue-key': key } })).status, 200);
    await assert.rejects(login(port, m[2]), /403/, 'the address works once');
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0, stderr);
  assert.match(stderr, /Stopping the wizard/);
  assert.equal(stdout.trim().split('\n').length, 1, 'stdout holds only the URL');
});
