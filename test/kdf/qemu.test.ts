/**
 * CPUs this machine is not: the PBKDF2 core is built into the stand-alone harness
 * native/test/kat.c and run under qemu-user. (1) The ARMv8 SHA2 path (Apple silicon, ARM
 * servers), cross-compiled with Debian's aarch64 compiler, against node crypto on this machine.
 * (2) The x86 build on emulated older CPUs: it must load and offer only the paths they can run.
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
const hostCc = which('gcc') ?? which('cc');
const qemuX86 = process.arch === 'x64' ? which('qemu-x86_64') : undefined;
const SOURCES = ['test/kat.c', 'src/pbkdf2.c', 'src/sha256.c', 'src/sha1.c', 'src/cpu.c', 'src/kernel_shani.c', 'src/kernel_simd.c', 'src/kernel_vec.c', 'src/kernel_hybrid.c', 'src/kernel_arm.c'].map((s) => join('native', s));
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
    await run(cc!, ['-O2', '-static', '-o', exe, ...SOURCES]);
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

test('x86 build: runs on CPUs without SHA-NI / AVX2 / AVX-512 and offers only what they have', { skip: hostCc && qemuX86 ? false : 'needs an x86-64 host, gcc and qemu-x86_64 (Debian: qemu-user)', timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-x86-'));
  try {
    const exe = join(dir, 'kat');
    await run(hostCc!, ['-O2', '-o', exe, ...SOURCES]);
    const line = 'sha256 PATH 1000 32 73616c74 70617373 -\n';
    const want = pbkdf2Sync('pass', 'salt', 1000, 32, 'sha256').toString('hex') + pbkdf2Sync('', 'salt', 1000, 32, 'sha256').toString('hex');
    // Nehalem: SSE4.2 only; Haswell: AVX2 but neither SHA-NI nor AVX-512
    for (const [cpu, expectPaths] of [['Nehalem', ['portable', 'portable-x4', 'portable-x8']], ['Haswell', ['portable', 'portable-x4', 'portable-x8', 'avx2-x8', 'avx2-x16']]] as const) {
      const paths = (await run(qemuX86!, ['-cpu', cpu, exe, '--paths'])).trim().split('\n').map((l) => l.split(' ')[0]);
      assert.deepEqual(paths, [...expectPaths], cpu);
      for (const p of paths) assert.equal((await run(qemuX86!, ['-cpu', cpu, exe], line.replace('PATH', p))).trim(), want, `${cpu} ${p}`);
      assert.equal((await run(qemuX86!, ['-cpu', cpu, exe], line.replace('PATH', 'avx512-x16'))).trim(), 'unavailable', cpu);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
