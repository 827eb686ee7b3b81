/** Shared HTML pieces: escaping and one plain, self-contained page layout (no scripts, no remote assets). */
import { dayKey, formatDateTime, formatDay, formatTime, type DateZone } from '../format.js';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: unknown): string {
  if (s === undefined || s === null) return '';
  return String(s).replace(/[&<>"']/g, (c) => ESC[c]);
}

/** Escapes, keeps line breaks visible. */
export function textToHtml(s: string): string {
  return escapeHtml(s).replace(/\r?\n/g, '<br>');
}

/** A relative URL for a path made of sanitized segments (spaces, #, % and non-ASCII encoded). */
export function hrefFor(relPath: string): string {
  return relPath.split('/').map(encodeURIComponent).join('/');
}

const STYLE = `
body{font:15px/1.45 -apple-system,system-ui,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#111;background:#fafafa}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}a{color:#0645ad}nav{margin-bottom:1rem}.muted{color:#666;font-size:.85rem}
.msg{margin:.4rem 0;padding:.5rem .7rem;border-radius:.8rem;max-width:75%;background:#e9e9eb;word-wrap:break-word}
.msg.me{margin-left:auto;background:#0060c7;color:#fff}.msg.me a{color:#fff}.msg .meta{font-size:.75rem;opacity:.75}
.msg img{max-width:100%;max-height:24rem;display:block;margin-top:.3rem;border-radius:.4rem}
.reactions{font-size:.8rem}.flag{font-size:.75rem;font-style:italic}.locked{color:#a00}
.warn{background:#fff4ce;border:1px solid #e0c060;padding:.5rem}
:root{color-scheme:light dark}body{overflow-wrap:anywhere}img{max-width:100%;height:auto}
@media (prefers-color-scheme:dark){body{color:#eee;background:#161616}table{background:#1e1e1e}th{background:#2a2a2a}th,td{border-color:#444}
a{color:#8ab4f8}.muted{color:#aaa}.msg{background:#333;color:#eee}.warn{background:#3a3217;border-color:#806a20}.locked{color:#f88}}
@media (max-width:40rem){table{display:block;overflow-x:auto;max-width:100%}.msg{max-width:90%}}
h2.day{font-size:.85rem;font-weight:600;text-align:center;color:#555;margin:1.2rem 0 .4rem}
.who{font-size:.8rem;font-weight:600;color:#555;margin:.8rem 0 .1rem .3rem}.who.me{text-align:right;margin-right:.3rem}
.msg .time{font-size:.75rem;margin-top:.15rem}
ul.grid{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.6rem}
ul.grid li{background:#fff;border:1px solid #ddd;border-radius:.4rem;padding:.35rem;min-width:0;font-size:.8rem}
ul.grid img,ul.grid .nopreview{display:block;width:100%;height:9rem;object-fit:cover;border-radius:.3rem;background:#eee}
ul.grid .nopreview{display:flex;align-items:center;justify-content:center;text-align:center;color:#555;padding:.3rem;box-sizing:border-box}
@media (prefers-color-scheme:dark){h2.day,.who{color:#bbb}ul.grid li{background:#1e1e1e;border-color:#444}ul.grid img,ul.grid .nopreview{background:#2a2a2a;color:#ccc}}
`;

export interface PageOptions {
  title: string;
  body: string;
  /** relative link back to the report or index, shown at the top */
  back?: { href: string; label: string };
}

export function page(o: PageOptions): string {
  const nav = o.back ? `<nav><a href="${escapeHtml(o.back.href)}">&larr; ${escapeHtml(o.back.label)}</a></nav>` : '';
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'">` +
    `<title>${escapeHtml(o.title)}</title><style>${STYLE}</style></head>\n<body>${nav}<h1>${escapeHtml(o.title)}</h1>\n${o.body}\n</body></html>\n`;
}

/** The opening half of page(), for pages streamed row by row; close with pageEnd(). */
export function pageStart(o: Omit<PageOptions, 'body'>): string {
  const full = page({ ...o, body: '\u0000' });
  return full.slice(0, full.indexOf('\u0000'));
}

export function pageEnd(): string {
  return '\n</body></html>\n';
}

export function table(headers: string[], rows: unknown[][]): string {
  const head = '<tr>' + headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('') + '</tr>';
  const body = rows.map((r) => '<tr>' + r.map((c) => `<td>${escapeHtml(c)}</td>`).join('') + '</tr>').join('\n');
  return `<table>\n${head}\n${body}\n</table>`;
}

export interface ThreadRow {
  /** the thread's page, relative to the index */
  file: string;
  title: string;
  count: number;
  /** the last message's date, already formatted */
  last: string;
}

/** The index of a chat export (Messages, WhatsApp): one row per thread, linking to its page, plus the other formats. */
export function threadIndexPage(o: { title: string; threadLabel: string; threadsNoun: string; total: number; rows: ThreadRow[]; also: Array<{ href: string; label: string }> }): string {
  const rows = o.rows.map((c) => `<tr><td><a href="${hrefFor(c.file)}">${escapeHtml(c.title)}</a></td><td>${c.count}</td><td>${escapeHtml(c.last)}</td></tr>`);
  const also = o.also.map((a) => `<a href="${hrefFor(a.href)}">${escapeHtml(a.label)}</a>`).join(' and ');
  const body =
    `<p>${o.total} messages in ${o.rows.length} ${o.threadsNoun}.${also ? ` Also as ${also}.` : ''}</p>\n` +
    `<table><tr><th>${escapeHtml(o.threadLabel)}</th><th>Messages</th><th>Last message</th></tr>\n${rows.join('\n')}</table>`;
  return page({ title: o.title, body, back: { href: '../index.html', label: 'Report' } });
}

/**
 * Chat pages read like the phone: a heading for each day, and a sender's name once above a run of
 * their messages instead of on every bubble. Fed the messages in order; returns what goes before each.
 */
export class ChatGrouper {
  private day = '';
  private sender: string | undefined;

  constructor(private readonly zone: DateZone) {}

  /**
   * HTML to write before this message's bubble: a day heading when the day changes, the sender when
   * they change. An empty senderKey (an event line such as a renamed group) ends the sender's run.
   */
  before(date: Date | undefined, senderKey: string, senderLabel: string, me: boolean): string {
    let out = '';
    const key = date ? dayKey(date, this.zone) : 'undated';
    if (key !== this.day) {
      this.day = key;
      this.sender = undefined;
      out += `<h2 class="day">${escapeHtml(date ? formatDay(date, this.zone) : 'Date unknown')}</h2>\n`;
    }
    if (senderKey === '') this.sender = undefined;
    else if (senderKey !== this.sender) {
      this.sender = senderKey;
      out += `<p class="who${me ? ' me' : ''}">${escapeHtml(senderLabel)}</p>\n`;
    }
    return out;
  }
}

/** The foot of a chat bubble: its time (the full date on hover), then `extra` (already HTML). */
export function bubbleTime(date: Date | undefined, zone: DateZone, extra = ''): string {
  return `<div class="time"><time datetime="${escapeHtml(date?.toISOString() ?? '')}" title="${escapeHtml(formatDateTime(date, zone))}">${escapeHtml(formatTime(date, zone))}</time>${extra}</div>`;
}
