/**
 * The queries behind the messages export, tolerant of sms.db versions (docs/schemas/sms.db.md):
 * columns a version lacks read as NULL and are reported. Everything small (chats, handles,
 * attachments, reactions) is loaded up front; the messages themselves are streamed with iterate(),
 * so a million-message database never sits in memory. (better-sqlite3 allows no other statement
 * on the connection while an iterator is open, which is another reason to preload the small tables.)
 */
import { ColumnPicker, hasTable, type Db } from './sqlite.js';
import { InternalError } from '../errors.js';

export interface Chat {
  id: number;
  guid: string;
  identifier: string;
  service: string;
  displayName: string;
  /** 43 = group, 45 = one to one */
  style: number;
  handles: string[];
}

export interface Attachment {
  id: number;
  guid: string;
  filename: string | null;
  mimeType: string | null;
  transferName: string | null;
  totalBytes: number | null;
}

export interface Reaction {
  kind: string;
  fromMe: boolean;
  handleId: number;
  date: unknown;
}

export interface MessageRow {
  rowid: number;
  guid: string | null;
  text: string | null;
  attributedBody: Buffer | null;
  handle_id: number | null;
  service: string | null;
  date: number | bigint | null;
  is_from_me: number | null;
  has_attachments: number | null;
  assoc_guid: string | null;
  assoc_type: number | null;
  date_edited: number | bigint | null;
  date_retracted: number | bigint | null;
  item_type: number | null;
  group_title: string | null;
  subject: string | null;
  chat_id: number | null;
}

/** Tapback codes: 2000-2005 add, 3000-3005 remove the same reaction. */
const TAPBACKS: Record<number, string> = { 0: 'loved', 1: 'liked', 2: 'disliked', 3: 'laughed at', 4: 'emphasized', 5: 'questioned', 6: 'reacted to', 7: 'sent a sticker on' };

export function tapbackName(type: number): string | undefined {
  if (type >= 2000 && type < 3000) return TAPBACKS[type - 2000] ?? 'reacted to';
  if (type >= 3000 && type < 4000) return 'removed ' + (TAPBACKS[type - 3000] ?? 'reaction') ;
  return undefined;
}

/** "p:0/GUID" and "bp:GUID" both name the message GUID a reaction points at. */
export function reactionTarget(assoc: string): string {
  const slash = assoc.indexOf('/');
  if (slash >= 0) return assoc.slice(slash + 1);
  const colon = assoc.indexOf(':');
  return colon >= 0 ? assoc.slice(colon + 1) : assoc;
}

export class MessagesDb {
  readonly missing: string[] = [];
  private readonly m: ColumnPicker;

  constructor(readonly db: Db) {
    if (!hasTable(db, 'message')) throw new InternalError('no message table');
    this.m = new ColumnPicker(db, 'message', 'm');
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM message').get() as { n: number }).n;
  }

  handles(): Map<number, string> {
    const map = new Map<number, string>();
    if (!hasTable(this.db, 'handle')) {
      this.missing.push('handle');
      return map;
    }
    for (const r of this.db.prepare('SELECT ROWID AS id, id AS handle FROM handle').iterate() as Iterable<{ id: number; handle: string }>) {
      map.set(r.id, r.handle);
    }
    return map;
  }

  chats(handles: Map<number, string>): Map<number, Chat> {
    const chats = new Map<number, Chat>();
    if (!hasTable(this.db, 'chat')) {
      this.missing.push('chat');
      return chats;
    }
    const c = new ColumnPicker(this.db, 'chat', 'c');
    const sql = `SELECT c.ROWID AS id, ${c.pick('guid')}, ${c.pick('identifier', 'chat_identifier')}, ${c.pick('service', 'service_name')}, ` +
      `${c.pick('display_name')}, ${c.pick('style')} FROM chat c`;
    for (const r of this.db.prepare(sql).iterate() as Iterable<Record<string, unknown>>) {
      chats.set(r.id as number, {
        id: r.id as number,
        guid: String(r.guid ?? ''),
        identifier: String(r.identifier ?? ''),
        service: String(r.service ?? ''),
        displayName: String(r.display_name ?? ''),
        style: Number(r.style ?? 0),
        handles: [],
      });
    }
    this.missing.push(...c.missing);
    if (hasTable(this.db, 'chat_handle_join')) {
      for (const r of this.db.prepare('SELECT chat_id, handle_id FROM chat_handle_join').iterate() as Iterable<{ chat_id: number; handle_id: number }>) {
        const h = handles.get(r.handle_id);
        if (h) chats.get(r.chat_id)?.handles.push(h);
      }
    }
    return chats;
  }

  attachments(): Map<number, Attachment[]> {
    const map = new Map<number, Attachment[]>();
    if (!hasTable(this.db, 'attachment') || !hasTable(this.db, 'message_attachment_join')) return map;
    const a = new ColumnPicker(this.db, 'attachment', 'a');
    const sql = `SELECT j.message_id AS mid, a.ROWID AS id, ${a.pick('guid')}, ${a.pick('filename')}, ${a.pick('mime_type')}, ` +
      `${a.pick('transfer_name')}, ${a.pick('total_bytes')} FROM message_attachment_join j JOIN attachment a ON a.ROWID = j.attachment_id ORDER BY j.message_id, a.ROWID`;
    for (const r of this.db.prepare(sql).iterate() as Iterable<Record<string, unknown>>) {
      const list = map.get(r.mid as number) ?? [];
      list.push({
        id: r.id as number,
        guid: String(r.guid ?? ''),
        filename: (r.filename as string) ?? null,
        mimeType: (r.mime_type as string) ?? null,
        transferName: (r.transfer_name as string) ?? null,
        totalBytes: (r.total_bytes as number) ?? null,
      });
      map.set(r.mid as number, list);
    }
    this.missing.push(...a.missing);
    return map;
  }

  /** Net reactions per target GUID (a later "removed" cancels the same sender's earlier one). */
  reactions(): Map<string, Reaction[]> {
    const map = new Map<string, Reaction[]>();
    if (!this.m.has('associated_message_type') || !this.m.has('associated_message_guid')) return map;
    const m = this.m;
    // associated_message_emoji (iOS 17+) holds the emoji of a 2006 "emoji tapback".
    const sql = `SELECT m.associated_message_guid AS g, m.associated_message_type AS t, ${m.optional('h', 'handle_id')}, ${m.optional('me', 'is_from_me')}, ` +
      `${m.optional('date')}, ${m.optional('emoji', 'associated_message_emoji')} FROM message m ` +
      `WHERE m.associated_message_type >= 2000 AND m.associated_message_type < 4000 ORDER BY 5, m.ROWID`;
    for (const r of this.db.prepare(sql).iterate() as Iterable<{ g: string | null; t: number; h: number; me: number; date: unknown; emoji: string | null }>) {
      if (!r.g) continue;
      const target = reactionTarget(r.g);
      const list = map.get(target) ?? [];
      const base = r.t % 1000;
      const kind = base === 6 && r.emoji ? `reacted ${r.emoji} to` : TAPBACKS[base] ?? 'reacted to';
      if (r.t >= 3000) {
        const i = list.findIndex((x) => x.kind === kind && x.fromMe === (r.me === 1) && x.handleId === r.h);
        if (i >= 0) list.splice(i, 1);
      } else {
        list.push({ kind, fromMe: r.me === 1, handleId: r.h, date: r.date });
      }
      map.set(target, list);
    }
    return map;
  }

  /** Column order is positional: messages() maps the raw rows by these indexes. */
  private selectList(): string {
    const m = this.m;
    const list = [
      'm.ROWID AS rowid',
      m.pick('guid'),
      m.pick('text'),
      // The archived body is only needed when text is empty; not fetching it saves a Buffer per row.
      m.has('attributedBody') ? (m.has('text') ? `CASE WHEN m.text IS NULL OR m.text = '' THEN m.attributedBody END AS attributedBody` : 'm.attributedBody AS attributedBody') : 'NULL AS attributedBody',
      m.pick('handle_id'),
      m.pick('service'),
      m.pick('date'),
      m.pick('is_from_me'),
      m.optional('has_attachments', 'cache_has_attachments'),
      m.optional('assoc_guid', 'associated_message_guid'),
      m.optional('assoc_type', 'associated_message_type'),
      m.optional('date_edited'),
      m.optional('date_retracted'),
      m.optional('item_type'),
      m.optional('group_title'),
      m.optional('subject'),
    ];
    return list.join(', ');
  }

  /**
   * 'conversation': in chat order, then by date; messages that belong to no chat come last.
   * 'stored': in ROWID order (the order the phone stored them, i.e. received/sent), read
   * sequentially from the table, which is much faster on big databases than hopping between chats.
   * Rows come back
   * as arrays (raw mode) and are mapped here: better-sqlite3 builds named objects far more slowly,
   * and this loop runs once per message.
   */
  *messages(order: 'conversation' | 'stored'): Generator<MessageRow> {
    const cols = this.selectList();
    for (const x of this.m.missing) if (!this.missing.includes(x)) this.missing.push(x);
    this.m.missing.length = 0;
    const queries: string[] = [];
    const hasJoin = hasTable(this.db, 'chat_message_join');
    if (!hasJoin && !this.missing.includes('chat_message_join')) this.missing.push('chat_message_join');
    if (order === 'stored') {
      queries.push(hasJoin
        ? `SELECT ${cols}, j.chat_id AS chat_id FROM message m LEFT JOIN chat_message_join j ON j.message_id = m.ROWID ORDER BY m.ROWID`
        : `SELECT ${cols}, NULL AS chat_id FROM message m ORDER BY m.ROWID`);
    } else if (hasJoin) {
      const hasMsgDate = new ColumnPicker(this.db, 'chat_message_join').has('message_date');
      const order = hasMsgDate ? 'j.chat_id, j.message_date, j.message_id' : 'j.chat_id, m.date, m.ROWID';
      queries.push(`SELECT ${cols}, j.chat_id AS chat_id FROM chat_message_join j JOIN message m ON m.ROWID = j.message_id ORDER BY ${order}`);
      queries.push(`SELECT ${cols}, NULL AS chat_id FROM message m WHERE m.ROWID NOT IN (SELECT message_id FROM chat_message_join) ORDER BY m.handle_id, m.date, m.ROWID`);
    } else {
      queries.push(`SELECT ${cols}, NULL AS chat_id FROM message m ORDER BY m.handle_id, m.date, m.ROWID`);
    }
    for (const sql of queries) {
      for (const a of this.db.prepare(sql).raw(true).iterate() as Iterable<unknown[]>) {
        yield {
          rowid: a[0] as number, guid: a[1] as string | null, text: a[2] as string | null, attributedBody: a[3] as Buffer | null,
          handle_id: a[4] as number | null, service: a[5] as string | null, date: a[6] as number | null, is_from_me: a[7] as number | null,
          has_attachments: a[8] as number | null, assoc_guid: a[9] as string | null, assoc_type: a[10] as number | null,
          date_edited: a[11] as number | null, date_retracted: a[12] as number | null, item_type: a[13] as number | null,
          group_title: a[14] as string | null, subject: a[15] as string | null, chat_id: a[16] as number | null,
        };
      }
    }
  }
}
