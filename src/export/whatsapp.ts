/**
 * WhatsApp export (stretch): ChatStorage.sqlite (Core Data) to the same shapes as Messages: one
 * HTML page per chat with media copied beside it, plus whatsapp.csv and whatsapp.json
 * (docs/schemas/WhatsApp.md). Rows are streamed in chat order, then by date.
 */
import { throwIfAborted } from '../errors.js';
import { fromAppleTime, formatLocal, isoOrEmpty } from './apple-time.js';
import { copyBackupFile } from './backup-files.js';
import { type CategoryRun, finishResult, onCategoryDb, openCategoryDb } from './category.js';
import { csvRow } from './csv.js';
import { bubbleTime, ChatGrouper, escapeHtml, hrefFor, pageEnd, pageStart, textToHtml, threadIndexPage } from './html.js';
import { formatDateTime, formatTime } from '../format.js';
import { joinRel, sanitizeName, type AtomicWriter } from './output.js';
import { KnownFiles, WHATSAPP_MEDIA_PREFIX } from './paths.js';
import { asInt, asNum, asText, ColumnPicker, each, need, tableColumns } from './sqlite.js';
import type { CategoryResult, ExportContext } from './types.js';

const ROOT = 'whatsapp';
const IMAGE_EXT = /\.(jpe?g|png|gif|webp)$/i;

/** ZMESSAGETYPE values. */
// 10 is a system notice (the encryption banner a real chat opens with, status changes): not a
// message anyone wrote, so it is an event like 6 (iLEAPP's iOS 15 corpus store has 5 of them).
const TYPES: Record<number, string> = { 0: 'text', 1: 'image', 2: 'video', 3: 'audio', 4: 'contact', 5: 'location', 6: 'event', 7: 'link', 8: 'document', 10: 'event', 14: 'deleted', 15: 'sticker' };

const WHATSAPP_CSV_HEADER = ['message_id', 'chat_id', 'chat', 'date_utc', 'date_local', 'sender', 'sender_jid', 'is_from_me', 'type', 'text', 'media'];

interface Row {
  id: number; chat: number | null; fromMe: number | null; date: unknown; text: string | null; fromJid: string | null; type: number | null;
  member: number | null; mediaPath: string | null; mediaTitle: string | null; lat: number | null; lon: number | null;
}

export async function exportWhatsApp(ctx: ExportContext): Promise<CategoryResult> {
  const run: CategoryRun = { category: 'whatsapp', files: [], warnings: [], count: 0 };
  const opened = await openCategoryDb(ctx, run, [KnownFiles.WHATSAPP_CHATS], 'no WhatsApp messages in this backup');
  if (!opened) return finishResult(run);
  const { db } = opened;
  const writers: AtomicWriter[] = [];
  const missing: string[] = [];
  return onCategoryDb(opened, async () => {
    if (!need(db, missing, 'ZWAMESSAGE', 'Z_PK')) {
      run.status = 'empty';
      run.message = 'no WhatsApp messages in this backup';
      run.missingColumns = missing;
      return finishResult(run);
    }
    const tz = ctx.options.timeZone ?? 'local';
    const chats = new Map<number, { name: string; jid: string; group: boolean }>();
    if (need(db, missing, 'ZWACHATSESSION', 'Z_PK')) {
      const c = new ColumnPicker(db, 'ZWACHATSESSION', 'c');
      for (const r of each(db, `SELECT c.Z_PK AS id, ${c.pick('name', 'ZPARTNERNAME')}, ${c.pick('jid', 'ZCONTACTJID')}, ${c.pick('type', 'ZSESSIONTYPE')} FROM ZWACHATSESSION c`)) {
        const id = asInt(r.id);
        if (id === null) continue;
        const jid = asText(r.jid) ?? '';
        chats.set(id, { name: asText(r.name) || jid, jid, group: asInt(r.type) === 1 || jid.endsWith('@g.us') });
      }
      missing.push(...c.missing);
    }
    const members = new Map<number, { name: string; jid: string }>();
    if (tableColumns(db, 'ZWAGROUPMEMBER').has('Z_PK')) {
      const g = new ColumnPicker(db, 'ZWAGROUPMEMBER', 'g');
      for (const r of each(db, `SELECT g.Z_PK AS id, ${g.optional('name', 'ZCONTACTNAME')}, ${g.optional('first', 'ZFIRSTNAME')}, ${g.pick('jid', 'ZMEMBERJID')} FROM ZWAGROUPMEMBER g`)) {
        const id = asInt(r.id);
        if (id === null) continue;
        const jid = asText(r.jid) ?? '';
        members.set(id, { name: asText(r.name) ?? asText(r.first) ?? jid, jid });
      }
      missing.push(...g.missing);
    }
    const pushNames = new Map<string, string>();
    const pushCols = tableColumns(db, 'ZWAPROFILEPUSHNAME');
    if (pushCols.has('ZJID') && pushCols.has('ZPUSHNAME')) {
      for (const r of each(db, 'SELECT ZJID AS jid, ZPUSHNAME AS name FROM ZWAPROFILEPUSHNAME')) {
        const jid = asText(r.jid);
        if (jid && typeof r.name === 'string') pushNames.set(jid, r.name);
      }
    }
    const m = new ColumnPicker(db, 'ZWAMESSAGE', 'm');
    const hasMedia = m.has('ZMEDIAITEM') && tableColumns(db, 'ZWAMEDIAITEM').has('Z_PK');
    const mi = hasMedia ? new ColumnPicker(db, 'ZWAMEDIAITEM', 'mi') : undefined;
    const sql = `SELECT m.Z_PK AS id, ${m.pick('chat', 'ZCHATSESSION')}, ${m.pick('fromMe', 'ZISFROMME')}, ${m.pick('date', 'ZMESSAGEDATE')}, ${m.pick('text', 'ZTEXT')}, ` +
      `${m.pick('fromJid', 'ZFROMJID')}, ${m.pick('type', 'ZMESSAGETYPE')}, ${m.optional('member', 'ZGROUPMEMBER')}, ` +
      (mi ? `${mi.pick('mediaPath', 'ZMEDIALOCALPATH')}, ${mi.optional('mediaTitle', 'ZTITLE')}, ${mi.optional('lat', 'ZLATITUDE')}, ${mi.optional('lon', 'ZLONGITUDE')} ` +
        `FROM ZWAMESSAGE m LEFT JOIN ZWAMEDIAITEM mi ON mi.Z_PK = m.ZMEDIAITEM` : `NULL AS mediaPath, NULL AS mediaTitle, NULL AS lat, NULL AS lon FROM ZWAMESSAGE m`) +
      ` ORDER BY 2, 4, 1`;
    missing.push(...m.missing, ...(mi?.missing ?? []), ...(hasMedia ? [] : ['ZWAMEDIAITEM']));
    ctx.out.reserve(ROOT, 'index.html', 'whatsapp.csv', 'whatsapp.json', 'media');
    const csv = await ctx.out.createWriter(joinRel(ROOT, 'whatsapp.csv'));
    const json = await ctx.out.createWriter(joinRel(ROOT, 'whatsapp.json'));
    writers.push(csv, json);
    await csv.write(csvRow(WHATSAPP_CSV_HEADER));
    await json.write('[');
    let first = true;
    const summaries: Array<{ title: string; file: string; count: number; last?: Date }> = [];
    let cur: { chat: number | null; writer: AtomicWriter; base: string; summary: { title: string; file: string; count: number; last?: Date }; groups: ChatGrouper } | undefined;
    const close = async (): Promise<void> => {
      if (!cur) return;
      await cur.writer.write(pageEnd());
      await cur.writer.commit(cur.summary.last);
      writers.splice(writers.indexOf(cur.writer), 1);
      summaries.push(cur.summary);
      cur = undefined;
    };
    for (const raw of each(db, sql)) {
      const id = asInt(raw.id);
      if (id === null) continue;
      const r: Row = {
        id, chat: asInt(raw.chat), fromMe: asInt(raw.fromMe), date: raw.date, text: asText(raw.text), fromJid: asText(raw.fromJid), type: asInt(raw.type),
        member: asInt(raw.member), mediaPath: asText(raw.mediaPath), mediaTitle: asText(raw.mediaTitle), lat: asNum(raw.lat), lon: asNum(raw.lon),
      };
      const chat = r.chat !== null ? chats.get(r.chat) : undefined;
      const title = chat?.name || `WhatsApp chat ${r.chat ?? ''}`.trim();
      if (!cur || cur.chat !== r.chat) {
        throwIfAborted(ctx.options.signal);
        await close();
        const base = ctx.out.uniqueName(ROOT, sanitizeName(title.slice(0, 80), 'chat') + '.html').replace(/\.html$/, '');
        const writer = await ctx.out.createWriter(joinRel(ROOT, base + '.html'));
        writers.push(writer);
        await writer.write(pageStart({ title, back: { href: 'index.html', label: 'All WhatsApp chats' } }) + '\n');
        cur = { chat: r.chat, writer, base, summary: { title, file: base + '.html', count: 0 }, groups: new ChatGrouper(tz) };
      }
      const date = fromAppleTime(r.date);
      const fromMe = r.fromMe === 1;
      // In a group, ZFROMJID is the group; the person is the ZWAGROUPMEMBER row.
      const member = r.member !== null ? members.get(r.member) : undefined;
      const senderJid = fromMe ? '' : member?.jid || r.fromJid || '';
      // In a one-to-one chat the chat's own name (ZPARTNERNAME: the owner's saved name for the
      // partner, as iLEAPP's real iOS 15 store shows) comes before the name the sender chose.
      const partner = chat && !chat.group && chat.jid === senderJid ? chat.name : undefined;
      const sender = fromMe ? 'Me' : member ? member.name || member.jid || 'Someone' : partner || pushNames.get(senderJid) || chat?.name || senderJid || 'Unknown';
      const type = TYPES[r.type ?? 0] ?? `type ${r.type}`;
      let text = r.text ?? '';
      if (type === 'location' && r.lat !== null && r.lon !== null) text = text || `${r.lat}, ${r.lon}`;
      // Media: copy the file when the backup has it.
      let mediaHref: string | undefined;
      let mediaName = '';
      if (r.mediaPath) {
        const rel = r.mediaPath.replace(/^\/+/, '');
        const record = ctx.reader.findFile(KnownFiles.WHATSAPP_CHATS.domain, rel.startsWith(WHATSAPP_MEDIA_PREFIX) ? rel : WHATSAPP_MEDIA_PREFIX + rel);
        mediaName = sanitizeName(rel.split('/').pop(), `media-${r.id}`);
        if (record) {
          const dir = joinRel(ROOT, 'media', cur.base);
          const unique = ctx.out.uniqueName(dir, mediaName);
          if (await copyBackupFile(ctx, run, record, joinRel(dir, unique), record.mtime)) {
            mediaHref = hrefFor(joinRel('media', cur.base, unique));
            mediaName = unique;
          }
        } else run.warnings.push(`media not in the backup: ${rel}`);
      }
      let inner = '';
      if (type === 'deleted') inner += '<div class="flag">This message was deleted.</div>';
      else if (text) inner += `<div class="text">${textToHtml(text)}</div>`;
      if (mediaHref) inner += IMAGE_EXT.test(mediaName) ? `<a href="${mediaHref}"><img src="${mediaHref}" alt="${escapeHtml(mediaName)}" loading="lazy"></a>` : `<div>&#128206; <a href="${mediaHref}">${escapeHtml(mediaName)}</a></div>`;
      else if (r.mediaPath) inner += `<div class="flag">Media not in this backup: ${escapeHtml(mediaName)}</div>`;
      inner += bubbleTime(date, tz);
      const lead = type === 'event' ? cur.groups.before(date, '', '', false) : cur.groups.before(date, fromMe ? 'me' : `j${senderJid || sender}`, sender, fromMe);
      await cur.writer.write(lead + (type === 'event' ? `<p class="muted">${escapeHtml(formatTime(date, tz))} · ${escapeHtml(text || 'chat event')}</p>\n` : `<div class="msg${fromMe ? ' me' : ''}">${inner}</div>\n`));
      const w1 = csv.write(csvRow([r.id, r.chat, title, isoOrEmpty(date), formatLocal(date, tz), sender, senderJid, fromMe ? 1 : 0, type, text, mediaName]));
      if (w1) await w1;
      const w2 = json.write((first ? '\n' : ',\n') + JSON.stringify({ id: r.id, chatId: r.chat, chat: title, date: isoOrEmpty(date) || null, dateLocal: formatLocal(date, tz) || null, sender, isFromMe: fromMe, type, text, media: mediaName || null }));
      first = false;
      if (w2) await w2;
      if (type !== 'event') {
        run.count++;
        cur.summary.count++;
      }
      if (date) cur.summary.last = date;
      if (run.count % 2000 === 0) {
        throwIfAborted(ctx.options.signal);
        ctx.options.onProgress?.({ phase: 'whatsapp', done: run.count, unit: 'messages' });
      }
    }
    await close();
    await json.write('\n]\n');
    await csv.commit();
    await json.commit();
    writers.length = 0;
    const rows = summaries.map((c) => ({ file: c.file, title: c.title, count: c.count, last: formatDateTime(c.last, tz) }));
    const also = [{ href: 'whatsapp.csv', label: 'CSV' }, { href: 'whatsapp.json', label: 'JSON' }];
    await ctx.out.writeFile(joinRel(ROOT, 'index.html'), threadIndexPage({ title: 'WhatsApp', threadLabel: 'Chat', threadsNoun: 'chats', total: run.count, rows, also }));
    run.files.push(joinRel(ROOT, 'whatsapp.csv'), joinRel(ROOT, 'whatsapp.json'), joinRel(ROOT, 'index.html'));
    run.page = joinRel(ROOT, 'index.html');
    run.missingColumns = missing;
    if (!run.count) {
      run.status = 'empty';
      run.message = 'no WhatsApp messages in this backup';
    }
    return finishResult(run);
  }, writers);
}
