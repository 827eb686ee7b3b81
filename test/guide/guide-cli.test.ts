import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // stdin is not a terminal here: the command must not prompt.
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('guide --json prints the ordered routes with id, title, keepsData, requires, steps, source', async () => {
  const r = await run(['guide', '--situation', 'forgot-passcode', '--model', 'iPhone 12', '--ios', '17.5', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.routes.slice(0, 3).map((x: { id: string }) => x.id), ['previous-passcode', 'start-reset', 'recovery-restore']);
  for (const route of doc.routes) {
    for (const key of ['id', 'title', 'keepsData', 'requires', 'steps', 'source']) assert.ok(key in route, `${route.id} lacks ${key}`);
    assert.match(route.source, /^https:\/\//);
  }
  assert.equal(doc.model.productType, 'iPhone13,2');
  assert.equal(r.stderr, '', 'nothing on stderr for a successful --json run');
});

test('guide accepts a ProductType and prints text with the model\'s Recovery Mode buttons', async () => {
  const r = await run(['guide', '--situation', 'forgot-passcode', '--model', 'iPhone9,3', '--ios', '15.8']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Erase iPhone on the Security Lockout screen/);
  assert.doesNotMatch(r.stdout, /^\d+\. Passcode Reset with the previous passcode/m);
  assert.match(r.stdout, /volume down/);
});

test('guide without --situation and without a terminal is a usage error (exit 2)', async () => {
  const r = await run(['guide']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--situation/);
  assert.equal(r.stdout, '');
});

test('guide rejects unknown situations, models and impossible iOS versions with exit 2', async () => {
  const bad = await run(['guide', '--situation', 'hack-it', '--json']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown; one of forgot-passcode/);
  assert.equal(JSON.parse(bad.stdout).error.code, 'USAGE', '--json errors are a JSON document too');
  const model = await run(['guide', '--situation', 'mdm', '--model', 'Galaxy S24']);
  assert.equal(model.code, 2);
  const ios = await run(['guide', '--situation', 'forgot-passcode', '--model', 'iPhone 7', '--ios', '17']);
  assert.equal(ios.code, 2);
  assert.match(ios.stderr, /iOS 15 at most/);
});

test('guide text in the order a panicked owner needs: do this first, the refusal, routes with their warnings before the steps, general warnings last', async () => {
  const r = await run(['guide', '--situation', 'unavailable', '--model', 'iPhone 12', '--ios', '17.4']);
  assert.equal(r.code, 0, r.stderr);
  const at = (re: RegExp) => {
    const m = re.exec(r.stdout);
    assert.ok(m, `missing ${re}`);
    return m.index;
  };
  const doFirst = at(/^Do this first:/m);
  const never = at(/irescue will never offer/);
  const routes = at(/^Routes, best first:/m);
  const restoreRoute = at(/^\d+\. Recovery Mode restore/m);
  const noRestart = at(/! Do not restart a device that shows Security Lockout/);
  const turnOff = at(/a\) Turn the iPhone off/);
  const watchOut = at(/^Watch out:/m);
  assert.ok(doFirst < never && never < routes, 'do this first, then the refusal, then the routes');
  assert.ok(restoreRoute < noRestart && noRestart < turnOff, '"do not restart" just before the step that turns the phone off');
  assert.ok(watchOut > turnOff, 'general warnings come last');
  assert.equal(r.stdout.match(/Do not restart a device that shows Security Lockout/g)!.length, 1, 'each warning once');
  assert.match(r.stdout, /more than 15 minutes, the device leaves Recovery Mode/);
  assert.match(r.stdout.slice(0, restoreRoute), /What an erase without a backup loses/, 'said before the first erase');
  assert.doesNotMatch(r.stdout, /routes below/);
});

test('guide --model marks a provisional model; "--ios 15" shows the 15.2 erase as a route to check', async () => {
  const p = await run(['guide', '--situation', 'forgot-passcode', '--model', 'iPhone19,4']);
  assert.equal(p.code, 0, p.stderr);
  assert.match(p.stdout.split('\n')[0], /provisional: not confirmed by Apple yet/);
  const ios15 = await run(['guide', '--situation', 'unavailable', '--model', 'iPhone 7', '--ios', '15']);
  assert.match(ios15.stdout, /^\d+\. Erase iPhone on the Security Lockout screen/m);
  assert.match(ios15.stdout, /Only if your iPhone has iOS 15\.2 or later/);
  assert.doesNotMatch(ios15.stdout, /Stolen Device Protection/, 'no iOS 17.3 warning on an iOS 15 phone');
});
