import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, IRESCUE_KDF_PATH: '' } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('irescue bench --json prints one document with node crypto as the 1.0 reference', { timeout: 120_000 }, async () => {
  const r = await cli(['bench', '--json', '--rounds', '2000', '--no-hashcat']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { rounds: number; cores: number; rows: Array<{ engine: string; oneCore?: number; allCores: number; ratioAllCores: number; ratioOneCore?: number }> };
  assert.equal(doc.rounds, 2000);
  assert.ok(doc.cores >= 1);
  const node = doc.rows.find((row) => row.engine === 'node-crypto');
  assert.ok(node, 'node crypto is always measured');
  assert.equal(node.ratioAllCores, 1);
  assert.equal(node.ratioOneCore, 1);
  for (const row of doc.rows) assert.ok(row.allCores > 0 && Number.isFinite(row.ratioAllCores), row.engine);
  assert.ok(!doc.rows.some((row) => row.engine === 'hashcat'), '--no-hashcat');
  const d = doc as unknown as { cpu: { shaNi: boolean } | null; nodeWithoutSha?: { oneCore: number; portableRatio?: number } };
  if (d.cpu?.shaNi) {
    assert.ok(d.nodeWithoutSha && d.nodeWithoutSha.oneCore > 0, 'node crypto without SHA extensions is measured on a SHA-NI CPU');
    assert.ok(d.nodeWithoutSha.portableRatio! > 0, 'and the portable path is compared with it');
  }
});

test('irescue bench rejects a bad --rounds with exit 2', async () => {
  const r = await cli(['bench', '--rounds', 'many']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--rounds/);
});
