/**
 * TLS and lockdown against peers that are not our Node fake (shared/DEVICE-REALITY.md 9): an
 * OpenSSL server (`openssl s_server`, as a different TLS stack), a peer that stays silent, a peer
 * that closes right after our ClientHello (a phone that dropped this computer's pairing), and a
 * lockdownd that never answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SocketConnection, startClientTls, TlsHandshakeError } from '../../src/device/connection.js';
import { LockdownClient } from '../../src/device/lockdown/client.js';
import { certificateToPem, createCertificate } from '../../src/device/lockdown/pairing.js';
import { IrescueError } from '../../src/errors.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const creds = { cert: certificateToPem(createCertificate({ subjectKey: publicKey, issuerKey: privateKey, ca: false })), key: Buffer.from(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string) };

async function withPeer(onSocket: (s: Socket) => void, fn: (conn: SocketConnection) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-tls-'));
  const path = join(dir, 'peer.sock');
  const server: Server = createServer(onSocket);
  await new Promise<void>((r) => server.listen(path, r));
  const sock = connect(path);
  await new Promise((r) => sock.once('connect', r));
  try {
    await fn(new SocketConnection(sock, 'test phone'));
  } finally {
    sock.destroy();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('a peer that says nothing during the handshake: TlsHandshakeError (timeout), not "unplugged"', async () => {
  await withPeer(() => undefined, async (conn) => {
    await assert.rejects(startClientTls(conn, creds, 'test phone', 300), (e: unknown) => e instanceof TlsHandshakeError && e.details.tls === 'timeout' && /did not answer the secure \(TLS\) handshake/.test(e.message));
  });
});

test('a peer that closes after the ClientHello: TlsHandshakeError telling to pair again', async () => {
  await withPeer((s) => s.once('data', () => s.destroy()), async (conn) => {
    await assert.rejects(startClientTls(conn, creds, 'test phone', 5000), (e: unknown) => e instanceof TlsHandshakeError && e.details.tls === 'closed' && /Pair again/.test(e.message) && e.exitCode === 6);
  });
});

test('a lockdownd that never answers: a plain timeout error naming the request', async () => {
  await withPeer(() => undefined, async (conn) => {
    const l = new LockdownClient(conn, { timeoutMs: 300 });
    await assert.rejects(l.queryType(), (e: unknown) => e instanceof IrescueError && /did not answer "QueryType" within/.test(e.message));
  });
});

const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
test('interop with OpenSSL (openssl s_server over a Unix socket): the handshake completes and bytes flow both ways', { skip: !haveOpenssl && 'openssl not installed' }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-ossl-'));
  const path = join(dir, 's.sock');
  await writeFile(join(dir, 'cert.pem'), creds.cert);
  await writeFile(join(dir, 'key.pem'), creds.key);
  const server = spawn('openssl', ['s_server', '-unix', path, '-cert', join(dir, 'cert.pem'), '-key', join(dir, 'key.pem'), '-naccept', '1', '-quiet', '-rev'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    for (let i = 0; i < 100 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 50));
    const sock = connect(path);
    await new Promise((r) => sock.once('connect', r));
    const tls = await startClientTls(new SocketConnection(sock, 'openssl'), creds, 'openssl', 5000);
    // -rev: s_server answers each line reversed
    await tls.send(Buffer.from('irescue\n'));
    const back = (await tls.receive(7)).toString();
    assert.equal(back, 'eucseri');
    tls.close();
  } finally {
    server.kill();
    await rm(dir, { recursive: true, force: true });
  }
});
