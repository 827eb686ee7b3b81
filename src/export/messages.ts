/**
 * Messages export: one HTML page per conversation (attachments copied beside it, images shown),
 * plus messages.csv and messages.json with one row per message, streamed from SQLite (never the
 * whole table in memory).
 */
import { throwIfAborted } from '../errors.js';
import { fromAppleTime, formatLocal, isoOrEmpty, type TimeZoneMode } from './apple-time.js';
import type { ContactIndex } from './contact-index.js';
import { csvRow } from './csv.js';
import { bubbleTime, ChatGrouper, escapeHtml, hrefFor, pageEnd, pageStart, textToHtml, threadIndexPage } from './html.js';
import { formatDateTime, formatTime } from '../format.js';
import { MessagesDb, reactionTarget, tapbackName, type Attachment, type Chat, type MessageRow, type Reaction } from './messages-db.js';
import { joinRel, sanitizeName, type AtomicWriter } from './output.js';
import { KnownFiles, smsAttachmentPath } from './paths.js';
import { copyBackupFile } from './backup-files.js';
import { type CategoryRun, finishResult, onCategoryDb, openCategoryDb } from './category.js';
import { textFromAttributedBody } from './typedstream.js';
import type { CategoryResult, ExportContext } from './types.js';

export type MessageFormat = 'html' | 'csv' | 'json';

export interface MessagesExportOptions {
  formats?: readonly MessageFormat[];
  contacts?: ContactIndex;
}

const MESSAGE_CSV_HEADER = ['message_id', 'guid', 'conversation_id', 'conversation', 'date_utc', 'date_local', 'sender', 'sender_handle', 'is_from_me', 'service', 'kind', 'text', 'attachments', 'reaction', 'reacts_to', 'edited', 'unsent'];

const IMAGE_EXT = /\.(jpe?g|png|gif|webp|bmp)$/i;
const ROOT = 'messages';

/** One message as the CSV/JSON row and the HTML bubble see it. */
interface Prepared {
  row: MessageRow;
  date?: Date;
  text: string;
  kind: 'message' | 'reaction' | 'event';
  sender: string;
  senderHandle: string;
  reaction?: string;
  reactsTo?: string;
  edited: boolean;
  unsent: boolean;
  attachments: Attachment[];
}

interface ConversationSummary {
  title: string;
  file: string;
  count: number;
  last?: Date;
}

export async function exportMessages(ctx: ExportContext, opts: MessagesExportOptions = {}): Promise<CategoryResult> {
  const run: CategoryRun = { category: 'messages', files: [], warnings: [], count: 0 };
  const formats = new Set(opts.formats ?? ['html', 'csv', 'json']);
  throwIfAborted(ctx.options.signal);
  const opened = await openCategoryDb(ctx, run, [KnownFiles.SMS_DB], 'no messages in this backup');
  if (!opened) return finishResult(run);
  const { db, label } = opened;
  const writers: AtomicWriter[] = [];
  return onCategoryDb(opened, async () => {
    let mdb: MessagesDb;
    try {
      mdb = new MessagesDb(db);
    } catch {
      run.warnings.push(`${label}: no message table`);
      run.missingColumns = ['message'];
      run.status = 'empty';
      run.message = `${label} has no message table (unknown schema)`;
      return finishResult(run);
    }
    const total = mdb.count();
    const handles = mdb.handles();
    const chats = mdb.chats(handles);
    const attachments = mdb.attachments();
    const reactions = mdb.reactions();
    const tz = ctx.options.timeZone ?? 'local';
    const contacts = opts.contacts;
    const nameOf = (handle: string): string => {
      const n = contacts?.lookup(handle);
      return n ? `${n} (${handle})` : handle;
    };
    // Display names per handle, worked out once rather than once per message.
    const senderNames = new Map<number, string>();
    for (const [id, h] of handles) senderNames.set(id, nameOf(h));

    ctx.out.reserve(ROOT, 'index.html', 'messages.csv', 'messages.json', 'attachments');
    const csv = formats.has('csv') ? await ctx.out.createWriter(joinRel(ROOT, 'messages.csv')) : undefined;
    const json = formats.has('json') ? await ctx.out.createWriter(joinRel(ROOT, 'messages.json')) : undefined;
    if (csv) writers.push(csv), await csv.write(csvRow(MESSAGE_CSV_HEADER));
    if (json) writers.push(json), await json.write('[');
    const html = formats.has('html');

    const conversations: ConversationSummary[] = [];
    let current: { key: string; writer: AtomicWriter; summary: ConversationSummary; folder: string; groups: ChatGrouper } | undefined;
    const closeCurrent = async (): Promise<void> => {
      if (!current) return;
      await current.writer.write(pageEnd());
      await current.writer.commit(current.summary.last);
      writers.splice(writers.indexOf(current.writer), 1);
      conversations.push(current.summary);
      current = undefined;
    };

    let done = 0;
    let firstJson = true;
    const titles = new Map<string, string>();
    // CSV and JSON list messages in the order the phone stored them (a sequential read); HTML needs
    // them grouped by conversation. Two passes keep each output's order fixed whatever is asked for.
    const passes: Array<'stored' | 'conversation'> = [];
    if (csv || json) passes.push('stored');
    if (html) passes.push('conversation');
    const progressTotal = total * passes.length;
    for (const [passIndex, pass] of passes.entries()) {
      for (const row of mdb.messages(pass)) {
        const p = prepare(row, handles, attachments, senderNames);
        const chat = row.chat_id !== null ? chats.get(row.chat_id) : undefined;
        const convKey = row.chat_id !== null ? `c${row.chat_id}` : `h${row.handle_id ?? 0}`;
        let title = titles.get(convKey);
        if (title === undefined) titles.set(convKey, (title = conversationTitle(chat, row, handles, nameOf)));
        if (pass === 'conversation') {
          if (!current || current.key !== convKey) {
            throwIfAborted(ctx.options.signal);
            await closeCurrent();
            const base = ctx.out.uniqueName(ROOT, sanitizeName(`${title}`.slice(0, 80), 'conversation') + '.html').replace(/\.html$/, '');
            const writer = await ctx.out.createWriter(joinRel(ROOT, base + '.html'));
            writers.push(writer);
            const subtitle = chat && chat.handles.length > 1 ? `<p class="muted">${escapeHtml(chat.handles.map(nameOf).join(', '))}</p>` : '';
            await writer.write(pageStart({ title, back: { href: 'index.html', label: 'All conversations' } }) + subtitle + '\n');
            current = { key: convKey, writer, summary: { title, file: base + '.html', count: 0 }, folder: base, groups: new ChatGrouper(tz) };
          }
          const copied = await copyAttachments(ctx, run, current.folder, p.attachments);
          if (p.kind !== 'reaction') {
            const lead = p.kind === 'event' ? current.groups.before(p.date, '', '', false) : current.groups.before(p.date, p.row.is_from_me ? 'me' : `h${p.row.handle_id ?? 0}`, p.sender, p.row.is_from_me === 1);
            await current.writer.write(lead + bubble(p, tz, reactions.get(row.guid ?? '') ?? [], handles, nameOf, copied));
          }
          if (p.kind === 'message') current.summary.count++;
          if (p.date) current.summary.last = p.date;
        } else {
          if (csv) {
            const w = csv.write(csvRow([row.rowid, row.guid, convKey, title, isoOrEmpty(p.date), formatLocal(p.date, tz), p.sender, p.senderHandle, row.is_from_me ? 1 : 0,
              row.service, p.kind, p.text, p.attachments.map(attachmentName).join('; '), p.reaction, p.reactsTo, p.edited ? 1 : 0, p.unsent ? 1 : 0]));
            if (w) await w;
          }
          if (json) {
            const w = json.write((firstJson ? '\n' : ',\n') + JSON.stringify({
              id: row.rowid, guid: row.guid, conversationId: convKey, conversation: title, date: isoOrEmpty(p.date) || null, dateLocal: formatLocal(p.date, tz) || null,
              sender: p.sender, senderHandle: p.senderHandle || null, isFromMe: row.is_from_me === 1, service: row.service, kind: p.kind, text: p.text,
              attachments: p.attachments.map(attachmentName), reaction: p.reaction ?? null, reactsTo: p.reactsTo ?? null, edited: p.edited, unsent: p.unsent,
            }));
            firstJson = false;
            if (w) await w;
          }
        }
        if (passIndex === 0 && p.kind === 'message') run.count++;
        if (++done % 2000 === 0) {
          throwIfAborted(ctx.options.signal);
          ctx.options.onProgress?.({ phase: 'messages', done, total: progressTotal, unit: 'messages' });
        }
      }
    }
    await closeCurrent();
    if (json) await json.write('\n]\n');
    if (csv) await csv.commit(), run.files.push(joinRel(ROOT, 'messages.csv'));
    if (json) await json.commit(), run.files.push(joinRel(ROOT, 'messages.json'));
    writers.length = 0;
    ctx.options.onProgress?.({ phase: 'messages', done, total: progressTotal, unit: 'messages' });
    if (html) {
      const also = [csv && { href: 'messages.csv', label: 'CSV' }, json && { href: 'messages.json', label: 'JSON' }].filter((a): a is { href: string; label: string } => !!a);
      const rows = conversations.map((c) => ({ file: c.file, title: c.title, count: c.count, last: formatDateTime(c.last, tz) }));
      await ctx.out.writeFile(joinRel(ROOT, 'index.html'), threadIndexPage({ title: 'Messages', threadLabel: 'Conversation', threadsNoun: 'conversations', total: run.count, rows, also }));
      run.page = joinRel(ROOT, 'index.html');
      run.files.push(run.page);
    }
    run.missingColumns = [...new Set(mdb.missing)];
    if (run.count === 0) {
      run.status = 'empty';
      run.message = 'no messages in this backup';
    }
    return finishResult(run);
  }, writers);
}

function prepare(row: MessageRow, handles: Map<number, string>, attachments: Map<number, Attachment[]>, senderNames: Map<number, string>): Prepared {
  const date = fromAppleTime(row.date);
  let text = row.text ?? '';
  if (!text && row.attributedBody) text = textFromAttributedBody(row.attributedBody) ?? '';
  // U+FFFC marks where an attachment sat in the text; the attachment is listed on its own.
  if (text.includes('\uFFFC')) text = text.replace(/\uFFFC/g, '');
  text = text.trim();
  const senderHandle = row.is_from_me ? '' : (handles.get(row.handle_id ?? -1) ?? '');
  const sender = row.is_from_me ? 'Me' : senderHandle ? (senderNames.get(row.handle_id ?? -1) ?? senderHandle) : 'Unknown';
  const reaction = row.assoc_type ? tapbackName(row.assoc_type) : undefined;
  const edited = fromAppleTime(row.date_edited) !== undefined;
  const unsent = fromAppleTime(row.date_retracted) !== undefined || (edited && !text && !(attachments.get(row.rowid)?.length));
  const kind: Prepared['kind'] = reaction ? 'reaction' : row.item_type ? 'event' : 'message';
  if (kind === 'event' && !text && row.group_title) text = `named the conversation "${row.group_title}"`;
  return {
    row, date, text, kind, sender, senderHandle, reaction,
    reactsTo: reaction && row.assoc_guid ? reactionTarget(row.assoc_guid) : undefined,
    edited: edited && !unsent, unsent,
    attachments: attachments.get(row.rowid) ?? [],
  };
}

function conversationTitle(chat: Chat | undefined, row: MessageRow, handles: Map<number, string>, nameOf: (h: string) => string): string {
  if (chat) {
    if (chat.displayName) return chat.displayName;
    if (chat.handles.length) return chat.handles.map(nameOf).join(', ');
    if (chat.identifier) return nameOf(chat.identifier);
    return `Conversation ${chat.id}`;
  }
  const h = handles.get(row.handle_id ?? -1);
  return h ? nameOf(h) : 'Messages without a conversation';
}

function attachmentName(a: Attachment): string {
  return a.transferName || (a.filename ? a.filename.split('/').pop() ?? '' : '') || a.guid;
}

interface CopiedAttachment {
  att: Attachment;
  /** link relative to the conversation page, when the file was in the backup */
  href?: string;
  image: boolean;
}

async function copyAttachments(ctx: ExportContext, run: CategoryRun, folder: string, list: Attachment[]): Promise<CopiedAttachment[]> {
  const out: CopiedAttachment[] = [];
  for (const att of list) {
    // transfer_name comes from the sender: keep only its last path component, then sanitize it.
    const name = sanitizeName(attachmentName(att).split(/[\\/]/).pop(), `attachment-${att.id}`);
    const where = att.filename ? smsAttachmentPath(att.filename) : undefined;
    const record = where ? ctx.reader.findFile(where.domain, where.relativePath) : undefined;
    const image = IMAGE_EXT.test(name) || /^image\/(jpeg|png|gif|webp|bmp)$/.test(att.mimeType ?? '');
    if (!record) {
      run.warnings.push(`attachment not in the backup: ${att.filename ?? name}`);
      out.push({ att, image });
      continue;
    }
    const dir = joinRel(ROOT, 'attachments', folder);
    const unique = ctx.out.uniqueName(dir, name);
    if (await copyBackupFile(ctx, run, record, joinRel(dir, unique), record.mtime)) out.push({ att, image, href: hrefFor(joinRel('attachments', folder, unique)) });
    else out.push({ att, image });
  }
  return out;
}

function bubble(p: Prepared, tz: TimeZoneMode, reactions: Reaction[], handles: Map<number, string>, nameOf: (h: string) => string, copied: CopiedAttachment[]): string {
  if (p.kind === 'reaction') return ''; // shown under the message it reacts to
  if (p.kind === 'event') return `<p class="muted">${escapeHtml(formatTime(p.date, tz))} · ${escapeHtml(p.sender)} ${escapeHtml(p.text || 'changed the conversation')}</p>\n`;
  const me = p.row.is_from_me === 1;
  // The sender's name heads their run of bubbles (ChatGrouper); each bubble keeps its time, and the
  // service only when it is not iMessage (an SMS in an iMessage thread is worth noticing).
  const service = p.row.service && p.row.service !== 'iMessage' ? ` · ${escapeHtml(p.row.service)}` : '';
  let inner = '';
  if (p.row.subject) inner += `<div><b>${textToHtml(p.row.subject)}</b></div>`;
  if (p.unsent) inner += `<div class="flag">This message was unsent.</div>`;
  else if (p.text) inner += `<div class="text">${textToHtml(p.text)}</div>`;
  for (const c of copied) {
    const label = escapeHtml(attachmentName(c.att));
    if (!c.href) inner += `<div class="flag">Attachment not in this backup: ${label}</div>`;
    else if (c.image) inner += `<a href="${c.href}"><img src="${c.href}" alt="${label}" loading="lazy"></a>`;
    else inner += `<div>&#128206; <a href="${c.href}">${label}</a></div>`;
  }
  if (p.edited) inner += `<div class="flag">Edited</div>`;
  if (reactions.length) {
    const who = (r: Reaction): string => (r.fromMe ? 'Me' : nameOf(handles.get(r.handleId) ?? 'Someone'));
    inner += `<div class="reactions">${reactions.map((r) => escapeHtml(`${who(r)} ${r.kind} this`)).join('<br>')}</div>`;
  }
  inner += bubbleTime(p.date, tz, service);
  return `<div class="msg${me ? ' me' : ''}" id="m${p.row.rowid}">${inner}</div>\n`;
}
