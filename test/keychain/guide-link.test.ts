import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routesFor } from '../../src/guide/routes.js';

test('the Screen Time situation offers the passcode from a backup for iOS 12 and earlier only', () => {
  const on12 = routesFor({ situation: 'screen-time', ios: '12.5' });
  assert.equal(on12.routes[0]?.id, 'screen-time-from-backup');
  assert.equal(on12.routes[0]?.applies, 'yes');
  assert.match(on12.routes[0]!.steps.join(' '), /irescue screentime/);
  const on17 = routesFor({ situation: 'screen-time', ios: '17.5' });
  assert.ok(!on17.routes.some((r) => r.id === 'screen-time-from-backup'));
  assert.ok(on17.excluded.some((r) => r.id === 'screen-time-from-backup'));
});
