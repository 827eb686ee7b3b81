/**
 * No child process gets the backup password (SECURITY-REVIEW "children inherit IRESCUE_PASSWORD"):
 * childEnv() drops it, and every spawn/execFile in src/ passes an environment built by childEnv()
 * (a new spawn that forgets fails here by name), and a real child started that way cannot see it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from '../src/child-env.js';
import { REPO, sourceFiles } from './architecture/source-graph.js';

test('childEnv drops both backup passwords and keeps the rest', () => {
  const env = childEnv({ PATH: '/bin', IRESCUE_PASSWORD: 'secret', IRESCUE_NEW_PASSWORD: 'new', IRESCUE_DEBUG: '1' });
  assert.deepEqual(env, { PATH: '/bin', IRESCUE_DEBUG: '1' });
  const out = execFileSync(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(Object.keys(process.env).filter((k) => k.startsWith("IRESCUE_"))))'], { env: childEnv({ ...process.env, IRESCUE_PASSWORD: 'secret' }), encoding: 'utf8' });
  assert.ok(!JSON.parse(out).includes('IRESCUE_PASSWORD'));
});

test('every child process started in src/ gets childEnv()', () => {
  const calls: string[] = [];
  let seen = 0;
  for (const file of sourceFiles('src')) {
    const text = readFileSync(join(REPO, file), 'utf8');
    if (!/from 'node:child_process'/.test(text)) continue;
    // each spawn/execFile/spawnSync call up to its closing line: it must name an env from childEnv
    for (const m of text.matchAll(/(?<![.\w])(spawn|spawnSync|execFile|execFileSync|exec|execSync|fork)\(([^;]*?)\)\s*(?:[;,]|=>|\.on|$)/gms)) {
      const call = m[0];
      if (/^\s*import\b/.test(call)) continue;
      const line = text.slice(0, m.index).split('\n').length;
      seen++;
      const named = /env:\s*childEnv\(/.test(call);
      const shorthand = /[{,]\s*env\s*[,}]|env:\s*env\b/.test(call);
      if (!named && !shorthand) calls.push(`${file}:${line}: ${m[1]}(...) has no env: childEnv()`);
      else if (!named && !/const env = childEnv\(/.test(text)) calls.push(`${file}:${line}: env is not from childEnv()`);
    }
  }
  assert.ok(seen >= 8, `the scan sees the spawns (${seen})`);
  assert.deepEqual(calls, []);
});
