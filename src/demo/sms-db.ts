/**
 * Generates sms.db files with the table layouts of real iOS versions (docs/schemas/sms.db.md):
 * 'ios10' (dates in seconds, no edit/unsend columns, chat_message_join without message_date) and
 * 'ios16' (nanosecond dates, date_edited, date_retracted, message_summary_info, text often NULL).
 */
import type Database from 'better-sqlite3';
import { APPLE_EPOCH_MS } from '../export/apple-time.js';

export type SmsSchema = 'ios10' | 'ios16';

const MESSAGE_COMMON = `ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT, replace INTEGER DEFAULT 0,
 service_center TEXT, handle_id INTEGER DEFAULT 0, subject TEXT, country TEXT, attributedBody BLOB, version INTEGER DEFAULT 0,
 type INTEGER DEFAULT 0, service TEXT, account TEXT, account_guid TEXT, error INTEGER DEFAULT 0, date INTEGER, date_read INTEGER,
 date_delivered INTEGER, is_delivered INTEGER DEFAULT 0, is_finished INTEGER DEFAULT 0, is_emote INTEGER DEFAULT 0,
 is_from_me INTEGER DEFAULT 0, is_empty INTEGER DEFAULT 0, is_delayed INTEGER DEFAULT 0, is_auto_reply INTEGER DEFAULT 0,
 is_prepared INTEGER DEFAULT 0, is_read INTEGER DEFAULT 0, is_system_message INTEGER DEFAULT 0, is_sent INTEGER DEFAULT 0,
 has_dd_results INTEGER DEFAULT 0, is_service_message INTEGER DEFAULT 0, is_forward INTEGER DEFAULT 0, was_downgraded INTEGER DEFAULT 0,
 is_archive INTEGER DEFAULT 0, cache_has_attachments INTEGER DEFAULT 0, cache_roomnames TEXT, was_data_detected INTEGER DEFAULT 0,
 was_deduplicated INTEGER DEFAULT 0, is_audio_message INTEGER DEFAULT 0, is_played INTEGER DEFAULT 0, date_played INTEGER,
 item_type INTEGER DEFAULT 0, other_handle INTEGER DEFAULT 0, group_title TEXT, group_action_type INTEGER DEFAULT 0,
 share_status INTEGER DEFAULT 0, share_direction INTEGER DEFAULT 0, is_expirable INTEGER DEFAULT 0, expire_state INTEGER DEFAULT 0,
 message_action_type INTEGER DEFAULT 0, message_source INTEGER DEFAULT 0, associated_message_guid TEXT DEFAULT NULL,
 associated_message_type INTEGER DEFAULT 0, balloon_bundle_id TEXT DEFAULT NULL, payload_data BLOB,
 expressive_send_style_id TEXT DEFAULT NULL, associated_message_range_location INTEGER DEFAULT 0,
 associated_message_range_length INTEGER DEFAULT 0, time_expressive_send_played INTEGER DEFAULT 0`;

const MESSAGE_IOS16_EXTRA = `, message_summary_info BLOB DEFAULT NULL, ck_sync_state INTEGER DEFAULT 0, ck_record_id TEXT DEFAULT NULL,
 ck_record_change_tag TEXT DEFAULT NULL, destination_caller_id TEXT DEFAULT NULL, is_corrupt INTEGER DEFAULT 0,
 reply_to_guid TEXT DEFAULT NULL, sort_id INTEGER DEFAULT 0, is_spam INTEGER DEFAULT 0, has_unseen_mention INTEGER DEFAULT 0,
 thread_originator_guid TEXT DEFAULT NULL, thread_originator_part TEXT DEFAULT NULL, syndication_ranges TEXT DEFAULT NULL,
 synced_syndication_ranges TEXT DEFAULT NULL, was_delivered_quietly INTEGER DEFAULT 0, did_notify_recipient INTEGER DEFAULT 0,
 date_retracted INTEGER DEFAULT 0, date_edited INTEGER DEFAULT 0, was_detonated INTEGER DEFAULT 0, part_count INTEGER,
 is_stewie INTEGER DEFAULT 0, is_kt_verified INTEGER DEFAULT 0, is_sos INTEGER DEFAULT 0, is_critical INTEGER DEFAULT 0,
 bia_reference_id TEXT DEFAULT NULL, fallback_hash TEXT DEFAULT NULL`;

export function createSmsSchema(db: Database.Database, schema: SmsSchema): void {
  const ios16 = schema === 'ios16';
  db.exec(`
CREATE TABLE _SqliteDatabaseProperties (key TEXT, value TEXT, UNIQUE(key));
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL, country TEXT, service TEXT NOT NULL,
 uncanonicalized_id TEXT, person_centric_id TEXT${ios16 ? '' : ''}, UNIQUE (id, service));
CREATE TABLE message (${MESSAGE_COMMON}${ios16 ? MESSAGE_IOS16_EXTRA : ''});
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, style INTEGER, state INTEGER,
 account_id TEXT, properties BLOB, chat_identifier TEXT, service_name TEXT, room_name TEXT, account_login TEXT,
 is_archived INTEGER DEFAULT 0, last_addressed_handle TEXT, display_name TEXT, group_id TEXT, is_filtered INTEGER DEFAULT 0,
 successful_query INTEGER${ios16 ? ', engram_id TEXT, server_change_token TEXT, ck_sync_state INTEGER DEFAULT 0, original_group_id TEXT, last_read_message_timestamp INTEGER DEFAULT 0, cloudkit_record_id TEXT, last_addressed_sim_id TEXT, is_blackholed INTEGER DEFAULT 0, syndication_date INTEGER DEFAULT 0, syndication_type INTEGER DEFAULT 0, is_recovered INTEGER DEFAULT 0, is_deleting_incoming_messages INTEGER DEFAULT 0' : ''});
CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, created_date INTEGER DEFAULT 0,
 start_date INTEGER DEFAULT 0, filename TEXT, uti TEXT, mime_type TEXT, transfer_state INTEGER DEFAULT 0,
 is_outgoing INTEGER DEFAULT 0, user_info BLOB, transfer_name TEXT, total_bytes INTEGER DEFAULT 0, is_sticker INTEGER DEFAULT 0,
 sticker_user_info BLOB, attribution_info BLOB, hide_attachment INTEGER DEFAULT 0${ios16 ? ', ck_sync_state INTEGER DEFAULT 0, ck_server_change_token_blob BLOB, ck_record_id TEXT, original_guid TEXT UNIQUE, is_commsafety_sensitive INTEGER DEFAULT 0' : ''});
CREATE TABLE chat_handle_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, handle_id INTEGER REFERENCES handle (ROWID) ON DELETE CASCADE, UNIQUE(chat_id, handle_id));
CREATE TABLE chat_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE,${ios16 ? ' message_date INTEGER DEFAULT 0,' : ''} PRIMARY KEY (chat_id, message_id));
CREATE TABLE message_attachment_join (message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, attachment_id INTEGER REFERENCES attachment (ROWID) ON DELETE CASCADE, UNIQUE(message_id, attachment_id));
CREATE INDEX message_idx_handle ON message(handle_id, date);
CREATE INDEX chat_message_join_idx_message_id_only ON chat_message_join(message_id);
${ios16 ? 'CREATE INDEX chat_message_join_idx_message_date_id_chat_id ON chat_message_join(chat_id, message_date, message_id);' : 'CREATE INDEX chat_message_join_idx_chat_id ON chat_message_join(chat_id);'}
`);
}

/** The value a given schema stores in message.date for a JavaScript date. */
export function appleDate(d: Date, schema: SmsSchema): number | bigint {
  const seconds = (d.getTime() - APPLE_EPOCH_MS) / 1000;
  return schema === 'ios16' ? BigInt(Math.round(seconds)) * 1_000_000_000n : Math.round(seconds);
}

export interface SmsBuilder {
  db: Database.Database;
  handle(id: string, service?: string): number;
  chat(o: { identifier: string; handles: number[]; displayName?: string; service?: string; group?: boolean }): number;
  message(o: { chat?: number; handle?: number; text?: string | null; body?: Buffer; fromMe?: boolean; date: Date; service?: string; guid?: string;
    reaction?: { type: number; target: string }; edited?: Date; retracted?: Date; itemType?: number; groupTitle?: string }): number;
  attachment(message: number, o: { filename: string; transferName: string; mime: string; bytes?: number }): number;
}

export function smsBuilder(db: Database.Database, schema: SmsSchema): SmsBuilder {
  let guidSeq = 0;
  const ios16 = schema === 'ios16';
  const insMsg = db.prepare(`INSERT INTO message (guid, text, attributedBody, handle_id, service, date, is_from_me, associated_message_guid, associated_message_type, item_type, group_title, cache_has_attachments${ios16 ? ', date_edited, date_retracted' : ''})
    VALUES (@guid, @text, @body, @handle, @service, @date, @fromMe, @assocGuid, @assocType, @itemType, @groupTitle, 0${ios16 ? ', @edited, @retracted' : ''})`);
  const insJoin = db.prepare(`INSERT INTO chat_message_join (chat_id, message_id${ios16 ? ', message_date' : ''}) VALUES (?, ?${ios16 ? ', ?' : ''})`);
  return {
    db,
    handle(id, service = 'iMessage') {
      return Number(db.prepare('INSERT INTO handle (id, country, service, uncanonicalized_id) VALUES (?, ?, ?, ?)').run(id, 'us', service, id).lastInsertRowid);
    },
    chat(o) {
      const guid = `${o.service ?? 'iMessage'};${o.group ? '+' : '-'};${o.identifier}`;
      const id = Number(db.prepare('INSERT INTO chat (guid, style, state, chat_identifier, service_name, display_name) VALUES (?, ?, 3, ?, ?, ?)')
        .run(guid, o.group ? 43 : 45, o.identifier, o.service ?? 'iMessage', o.displayName ?? '').lastInsertRowid);
      for (const h of o.handles) db.prepare('INSERT INTO chat_handle_join VALUES (?, ?)').run(id, h);
      return id;
    },
    message(o) {
      const guid = o.guid ?? `GUID-${String(++guidSeq).padStart(6, '0')}`;
      const date = appleDate(o.date, schema);
      const id = Number(insMsg.run({
        guid, text: o.text === undefined ? null : o.text, body: o.body ?? null, handle: o.handle ?? 0, service: o.service ?? 'iMessage', date,
        fromMe: o.fromMe ? 1 : 0, assocGuid: o.reaction ? `p:0/${o.reaction.target}` : null, assocType: o.reaction?.type ?? 0,
        itemType: o.itemType ?? 0, groupTitle: o.groupTitle ?? null,
        ...(ios16 ? { edited: o.edited ? appleDate(o.edited, schema) : 0, retracted: o.retracted ? appleDate(o.retracted, schema) : 0 } : {}),
      }).lastInsertRowid);
      if (o.chat !== undefined) insJoin.run(...(ios16 ? [o.chat, id, date] : [o.chat, id]));
      return id;
    },
    attachment(message, o) {
      const id = Number(db.prepare('INSERT INTO attachment (guid, filename, mime_type, transfer_name, total_bytes) VALUES (?, ?, ?, ?, ?)')
        .run(`AT-${message}-${o.transferName}`, o.filename, o.mime, o.transferName, o.bytes ?? 0).lastInsertRowid);
      db.prepare('INSERT INTO message_attachment_join VALUES (?, ?)').run(message, id);
      db.prepare('UPDATE message SET cache_has_attachments = 1 WHERE ROWID = ?').run(message);
      return id;
    },
  };
}
