/**
 * The queries behind the messages export, tolerant of sms.db versions (docs/schemas/sms.db.md):
 * columns a version lacks read as NULL and are reported. Everything small (chats, handles,
 * attachments, reactions) is loaded up front; the messages themselves are streamed with iterate(),
 * so a million-message database never sits in memory. (better-sqlite3 allows no other statement
 * on the connection while an iterator is open, which is another reason to preload the small tables.)
 */
import { asInt, asText, ColumnPicker, each, eachRaw, hasTable, need, type Db } from './sqlite.js';
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
    return Number((this.db.prepare('SELECT count(*) AS n FROM message').get() as { n: number | bigint }).n);
  }

  handles(): Map<number, string> {
    const map = new Map<number, string>();
    if (!hasTable(this.db, 'handle')) {
      this.missing.push('handle');
      return map;
    }
    const h = new ColumnPicker(this.db, 'handle', 'h');
    const sql = `SELECT h.ROWID AS id, ${h.pick('handle', 'id')} FROM handle h`;
    this.missing.push(...h.missing);
    for (const r of each(this.db, sql)) {
      const id = asInt(r.id);
      const handle = asText(r.handle);
      if (id !== null && handle) map.set(id, handle);
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
    for (const r of each(this.db, sql)) {
      const id = asInt(r.id);
      if (id === null) continue;
      chats.set(id, {
        id,
        guid: asText(r.guid) ?? '',
        identifier: asText(r.identifier) ?? '',
        service: asText(r.service) ?? '',
        displayName: asText(r.display_name) ?? '',
        style: asInt(r.style) ?? 0,
        handles: [],
      });
    }
    this.missing.push(...c.missing);
    if (need(this.db, this.missing, 'chat_handle_join', 'chat_id', 'handle_id')) {
      for (const r of each(this.db, 'SELECT chat_id, handle_id FROM chat_handle_join')) {
        const h = handles.get(asInt(r.handle_id) ?? -1);
        if (h) chats.get(asInt(r.chat_id) ?? -1)?.handles.push(h);
      }
    }
    return chats;
  }

  attachments(): Map<number, Attachment[]> {
    const map = new Map<number, Attachment[]>();
    if (!need(this.db, this.missing, 'message_attachment_join', 'message_id', 'attachment_id') || !need(this.db, this.missing, 'attachment')) return map;
    const a = new ColumnPicker(this.db, 'attachment', 'a');
    const sql = `SELECT j.message_id AS mid, a.ROWID AS id, ${a.pick('guid')}, ${a.pick('filename')}, ${a.pick('mime_type')}, ` +
      `${a.pick('transfer_name')}, ${a.pick('total_bytes')} FROM message_attachment_join j JOIN attachment a ON a.ROWID = j.attachment_id ORDER BY j.message_id, a.ROWID`;
    for (const r of each(this.db, sql)) {
      const mid = asInt(r.mid);
      const id = asInt(r.id);
      if (mid === null || id === null) continue;
      const list = map.get(mid) ?? [];
      list.push({
        id,
        guid: asText(r.guid) ?? '',
        filename: asText(r.filename),
        mimeType: asText(r.mime_type),
        transferName: asText(r.transfer_name),
        totalBytes: asInt(r.total_bytes),
      });
      map.set(mid, list);
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
    for (const r of each(this.db, sql)) {
      const g = asText(r.g);
      const t = asInt(r.t);
      if (!g || t === null) continue;
      const target = reactionTarget(g);
      const list = map.get(target) ?? [];
      const base = t % 1000;
      const emoji = asText(r.emoji);
      const kind = base === 6 && emoji ? `reacted ${emoji} to` : TAPBACKS[base] ?? 'reacted to';
      const fromMe = asInt(r.me) === 1;
      const handleId = asInt(r.h) ?? 0;
      if (t >= 3000) {
        const i = list.findIndex((x) => x.kind === kind && x.fromMe === fromMe && x.handleId === handleId);
        if (i >= 0) list.splice(i, 1);
      } else {
        list.push({ kind, fromMe, handleId, date: r.date });
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
    const byDate = `${this.m.ref('handle_id')}, ${this.m.ref('date')}, m.ROWID`;
    for (const x of this.m.missing) if (!this.missing.includes(x)) this.missing.push(x);
    this.m.missing.length = 0;
    const queries: string[] = [];
    const joinMissing: string[] = [];
    const hasJoin = need(this.db, joinMissing, 'chat_message_join', 'chat_id', 'message_id');
    for (const x of joinMissing) if (!this.missing.includes(x)) this.missing.push(x);
    if (order === 'stored') {
      queries.push(hasJoin
        ? `SELECT ${cols}, j.chat_id AS chat_id FROM message m LEFT JOIN chat_message_join j ON j.message_id = m.ROWID ORDER BY m.ROWID`
        : `SELECT ${cols}, NULL AS chat_id FROM message m ORDER BY m.ROWID`);
    } else if (hasJoin) {
      const hasMsgDate = new ColumnPicker(this.db, 'chat_message_join').has('message_date');
      const order = hasMsgDate ? 'j.chat_id, j.message_date, j.message_id' : `j.chat_id, ${this.m.has('date') ? 'm.date' : 'NULL'}, m.ROWID`;
      queries.push(`SELECT ${cols}, j.chat_id AS chat_id FROM chat_message_join j JOIN message m ON m.ROWID = j.message_id ORDER BY ${order}`);
      queries.push(`SELECT ${cols}, NULL AS chat_id FROM message m WHERE m.ROWID NOT IN (SELECT message_id FROM chat_message_join) ORDER BY ${byDate}`);
    } else {
      queries.push(`SELECT ${cols}, NULL AS chat_id FROM message m ORDER BY ${byDate}`);
    }
    this.m.missing.length = 0;
    // Every value is coerced to the type the exporter expects: SQLite lets any column hold any type.
    for (const sql of queries) {
      for (const a of eachRaw(this.db, sql)) {
        const rowid = asInt(a[0]);
        if (rowid === null) continue;
        yield {
          rowid, guid: asText(a[1]), text: asText(a[2]), attributedBody: Buffer.isBuffer(a[3]) ? a[3] : null,
          handle_id: asInt(a[4]), service: asText(a[5]), date: typeof a[6] === 'number' || typeof a[6] === 'bigint' ? a[6] : null, is_from_me: asInt(a[7]),
          has_attachments: asInt(a[8]), assoc_guid: asText(a[9]), assoc_type: asInt(a[10]),
          date_edited: typeof a[11] === 'number' || typeof a[11] === 'bigint' ? a[11] : null,
          date_retracted: typeof a[12] === 'number' || typeof a[12] === 'bigint' ? a[12] : null, item_type: asInt(a[13]),
          group_title: asText(a[14]), subject: asText(a[15]), chat_id: asInt(a[16]),
        };
      }
    }
  }
}
