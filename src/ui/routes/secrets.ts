/**
 * "Passwords and Screen Time" for an unlocked backup. Inspect, then act: GET answers what the
 * backup can hold (the plan and, for the keychain, counts only: no secret); the passcode and the
 * keychain export are POSTs that carry the owner's consent in the body, so no secret is ever in a
 * URL, a log or a job event. Found passcodes go back only in the POST's own response.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { selectEngine } from '../../kdf/select.js';
import { CSV_FORMATS } from '../../keychain/csv.js';
import { exportKeychain, summarizeKeychain, type KeychainFormat } from '../../keychain/export.js';
import { readKeychain, UnencryptedKeychainError } from '../../keychain/read.js';
import { findPasscodes, planPasscodeSearch } from '../../keychain/screentime.js';
import { isInside } from '../../fs/inside.js';
import type { RouteModule } from '../context.js';
import { readJsonBody, stringField } from '../http.js';
import { userPath } from './backups.js';

const FORMATS: readonly KeychainFormat[] = [...CSV_FORMATS, 'json'];

function requireConsent(body: Record<string, unknown>): void {
  if (body.consent !== true) throw new UsageError('confirm first that this is your own backup and that the file will hold your passwords in clear text');
}

export const secretsRoutes: RouteModule = {
  register(router, ctx) {
    const session = (sid: string) => ctx.sessions.require(sid, 'Go to Backups, unlock the backup again, then come back.');

    router.get('/api/secrets/:sid', async ({ params }) => {
      const s = session(params.sid);
      const plan = planPasscodeSearch(s.backup.info);
      let keychain: { available: boolean; reason?: string; summary?: ReturnType<typeof summarizeKeychain> };
      try {
        keychain = { available: true, summary: summarizeKeychain(await readKeychain(s.backup)) };
      } catch (e) {
        if (!(e instanceof UnencryptedKeychainError) && !(e instanceof UsageError) && !((e as { code?: string }).code === 'CORRUPT_INPUT')) throw e;
        keychain = { available: false, reason: (e as Error).message };
      }
      const name = (s.backup.info.deviceName ?? 'iPhone').replace(/[^\p{L}\p{N} ._-]+/gu, '').trim().replace(/\s+/g, '-') || 'iPhone';
      return {
        deviceName: s.backup.info.deviceName,
        iosVersion: s.backup.info.productVersion,
        backupDate: s.backup.info.lastBackupDate,
        passcode: { method: plan.method, summary: plan.summary, searchable: plan.method !== 'not-in-backup' && plan.method !== 'too-old' },
        keychain,
        formats: FORMATS,
        suggested: join(homedir(), 'irescue', `${name}-passwords`),
      };
    });

    router.post('/api/secrets/:sid/passcode', async ({ req, params }) => {
      const s = session(params.sid);
      await readJsonBody(req);
      const result = await findPasscodes(s.backup, planPasscodeSearch(s.backup.info), { engine: await selectEngine() });
      return result;
    });

    router.post('/api/secrets/:sid/keychain', async ({ req, params }) => {
      const s = session(params.sid);
      const body = await readJsonBody(req);
      requireConsent(body);
      const format = (stringField(body, 'format') ?? 'apple') as KeychainFormat;
      if (!FORMATS.includes(format)) throw new UsageError(`unknown format ${JSON.stringify(format)}: use ${FORMATS.join(', ')}`);
      const out = userPath(stringField(body, 'out', { required: true })!);
      if (isInside(s.backup.dir, out) || isInside(out, s.backup.dir)) throw new UsageError(`${out}: choose a folder outside the backup folder (the backup is never written to)`);
      const report = await readKeychain(s.backup);
      const r = await exportKeychain(report, { out, format, backup: s.backup.dir, deviceName: s.backup.info.deviceName, backupDate: s.backup.info.lastBackupDate });
      ctx.outputs.add(out);
      return { files: r.files, summary: r.summary, csvRows: r.csvRows, formulaCells: r.formulaCells, out };
    });
  },
};
