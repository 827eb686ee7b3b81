/**
 * The ARMv8 SHA2 path (Apple silicon, ARM servers) cannot run on the x86 CI machine, so the
 * PBKDF2 core is cross-compiled with Debian's aarch64 compiler into the stand-alone harness
 * native/test/kat.c and run under qemu-user, against node crypto on this machine.
 * Needs Debian packages gcc-aarch64-linux-gnu and qemu-user; skips without them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { pbkdf2Sync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytesFrom, randomPassword, rng } from './helpers.js';

function which(cmd: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const cc = which('aarch64-linux-gnu-gcc');
const qemu = which('qemu-aarch64') ?? which('qemu-aarch64-static');
const skip = cc && qemu ? false : 'needs aarch64-linux-gnu-gcc and qemu-aarch64 (Debian: gcc-aarch64-linux-gnu qemu-user)';

function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { maxBuffer: 64 << 20, timeout: 120_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${err.message}\n${stderr}`)) : resolve(stdout)));
    if (input !== undefined) child.stdin?.end(input);
  });
}

const hex = (b: Buffer) => (b.length ? b.toString('hex') : '-');

test('aarch64 build: ARMv8 SHA2 and portable paths equal node crypto (under qemu-user)', { skip, timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-arm-'));
  try {
    const exe = join(dir, 'kat');
    const src = ['test/kat.c', 'src/pbkdf2.c', 'src/sha256.c', 'src/sha1.c', 'src/cpu.c', 'src/kernel_shani.c', 'src/kernel_simd.c', 'src/kernel_vec.c', 'src/kernel_arm.c'];
    await run(cc!, ['-O2', '-static', '-o', exe, ...src.map((s) => join('native', s))]);
    const paths = (await run(qemu!, [exe, '--paths'])).trim().split('\n').map((l) => l.split(' ')[0]);
    assert.ok(paths.includes('armv8-x1') && paths.includes('armv8-x2'), `runnable under qemu: ${paths.join(', ')}`);
    assert.ok(!paths.some((p) => p.startsWith('sha-ni') || p.startsWith('avx')), 'no x86 path in an ARM build');
    const next = rng(0xa64);
    const lines: string[] = [];
    const expected: string[] = [];
    for (const path of paths) {
      for (const hash of ['sha256', 'sha1'] as const) {
        for (const size of [1, 3, 8]) {
          const pws = Array.from({ length: size }, () => randomPassword(next));
          const salt = randomBytesFrom(next, Math.floor(next() * 70));
          const iterations = 1 + Math.floor(next() * 500);
          const keyLength = [32, 20, 45][size % 3];
          lines.push([hash, path, iterations, keyLength, hex(salt), ...pws.map(hex)].join(' '));
          expected.push(pws.map((pw) => pbkdf2Sync(pw, salt, iterations, keyLength, hash).toString('hex')).join(''));
        }
      }
    }
    const got = (await run(qemu!, [exe], lines.join('\n') + '\n')).trim().split('\n');
    assert.equal(got.length, expected.length);
    got.forEach((g, i) => assert.equal(g, expected[i], lines[i].split(' ').slice(0, 4).join(' ')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
