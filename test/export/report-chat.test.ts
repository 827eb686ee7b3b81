/**
 * The report's chat pages and dates: a heading per day, a sender's name once per run of their
 * messages, and one human date format shared with the wizard (src/format.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatGrouper, bubbleTime } from '../../src/export/html.js';
import { formatDateTime, formatDay, formatTime } from '../../src/format.js';

const at = (iso: string) => new Date(iso);

test('chat grouping: a day heading when the day changes, the sender once per run, reset by an event and a new day', () => {
  const g = new ChatGrouper('UTC');
  const out = [
    g.before(at('2026-02-10T21:02:00Z'), 'h1', 'Mum', false),
    g.before(at('2026-02-10T21:03:00Z'), 'h1', 'Mum', false),
    g.before(at('2026-02-10T21:05:00Z'), 'me', 'Me', true),
    g.before(at('2026-02-10T21:06:00Z'), '', '', false),
    g.before(at('2026-02-10T21:07:00Z'), 'me', 'Me', true),
    g.before(at('2026-02-11T08:00:00Z'), 'me', 'Me', true),
    g.before(undefined, 'me', 'Me', true),
  ];
  const day = (d: string) => `<h2 class="day">${formatDay(at(d), 'UTC')}</h2>\n`;
  assert.deepEqual(out, [
    day('2026-02-10T00:00:00Z') + '<p class="who">Mum</p>\n',
    '',
    '<p class="who me">Me</p>\n',
    '',
    '<p class="who me">Me</p>\n',
    day('2026-02-11T00:00:00Z') + '<p class="who me">Me</p>\n',
    '<h2 class="day">Date unknown</h2>\n<p class="who me">Me</p>\n',
  ]);
});

test('a day heading starts at midnight of the chosen zone (UTC here), not at the first message', () => {
  const g = new ChatGrouper('UTC');
  assert.match(g.before(at('2026-02-10T23:30:00Z'), 'a', 'A', false), /class="day"/);
  assert.equal(g.before(at('2026-02-10T23:59:00Z'), 'a', 'A', false), '');
  assert.match(g.before(at('2026-02-11T00:00:00Z'), 'a', 'A', false), /class="day"/);
});

test('names are escaped in the sender line', () => {
  assert.match(new ChatGrouper('UTC').before(at('2026-02-10T10:00:00Z'), 'x', '<b>Eve</b>', false), /&lt;b&gt;Eve&lt;\/b&gt;/);
});

test('one date format: the wizard\'s medium date and short time, the same in the bubble title; ISO only for machines', () => {
  const d = at('2026-02-14T09:41:00Z');
  const want = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(d);
  assert.equal(formatDateTime(d, 'UTC'), want);
  assert.equal(formatDateTime(undefined), '');
  assert.equal(formatDateTime(new Date(Number.NaN)), '');
  const foot = bubbleTime(d, 'UTC', ' · SMS');
  assert.ok(foot.includes(`datetime="2026-02-14T09:41:00.000Z"`));
  assert.ok(foot.includes(`title="${want}"`));
  assert.ok(foot.includes(`>${formatTime(d, 'UTC')}</time> · SMS`));
});
