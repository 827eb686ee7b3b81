/**
 * Note bodies: ZICNOTEDATA.ZDATA is gzip; inside, a protobuf described by notestore.proto (loaded
 * with protobufjs at run time). This module decodes it and renders paragraphs and inline styles to
 * HTML and Markdown.
 */
import { gunzipSync } from 'node:zlib';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { escapeHtml } from './html.js';
import { InternalError } from '../errors.js';

export interface NoteRun {
  length: number;
  styleType: number;
  indent: number;
  checked?: boolean;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  strike: boolean;
  link?: string;
  attachment?: { id: string; uti: string };
}

export interface NoteBody {
  text: string;
  runs: NoteRun[];
}

let cachedType: protobuf.Type | undefined;

/** The .proto sits beside this module in src/ and is looked up from dist/ too. */
function protoType(): protobuf.Type {
  if (cachedType) return cachedType;
  const candidates = ['./notestore.proto', '../../src/export/notestore.proto'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const path = candidates.find((p) => existsSync(p));
  if (!path) throw new InternalError('notestore.proto not found beside the notes exporter');
  const root = protobuf.parse(readFileSync(path, 'utf8'), { keepCase: true }).root;
  cachedType = root.lookupType('irescue.notes.NoteStoreProto');
  return cachedType;
}

function noteStoreType(): protobuf.Type {
  return protoType();
}

interface RawRun {
  length?: number;
  paragraph_style?: { style_type?: number; indent_amount?: number; checklist?: { done?: number } };
  font_weight?: number;
  underlined?: number;
  strikethrough?: number;
  link?: string;
  attachment_info?: { attachment_identifier?: string; type_uti?: string };
}

/** A note body inflates to at most this (SECURITY-REVIEW.md B5: 49 KB of gzip can hold 5 GB). */
const NOTE_MAX_INFLATED_BYTES = 64 * 1024 * 1024;
/** Style runs in one note: each covers at least one character, so more than the text's length + 1 is not a note. */
const NOTE_MAX_RUNS = 1_000_000;

/** A note body past one of the limits above: the note is listed as damaged and the export goes on. */
class NoteLimitError extends Error {}

/** Reads a protobuf varint at `pos`; undefined past the end or past 10 bytes. */
function varint(b: Buffer, pos: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10 && pos + i < b.length; i++) {
    const byte = b[pos + i];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return { value, next: pos + i + 1 };
    scale *= 128;
  }
  return undefined;
}

/** The bytes of each length-delimited field `field` of the message in b[start, end). */
function* fields(b: Buffer, start: number, end: number): Generator<{ field: number; wire: number; from: number; to: number }> {
  let pos = start;
  while (pos < end) {
    const tag = varint(b, pos);
    if (!tag) return;
    pos = tag.next;
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    let from = pos;
    if (wire === 0) {
      const v = varint(b, pos);
      if (!v) return;
      pos = v.next;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const len = varint(b, pos);
      if (!len || len.next + len.value > end) return;
      from = len.next;
      pos = len.next + len.value;
    } else return; // groups are not used by Notes; protobufjs reports what follows
    yield { field, wire, from, to: pos };
  }
}

/**
 * Counts the note's style runs (NoteStoreProto.document(2).note(3).attribute_run(5)) on the wire,
 * before protobufjs builds an object for each: 24 million empty runs would take gigabytes.
 */
function checkRuns(raw: Buffer): void {
  for (const doc of fields(raw, 0, raw.length)) {
    if (doc.field !== 2 || doc.wire !== 2) continue;
    for (const note of fields(raw, doc.from, doc.to)) {
      if (note.field !== 3 || note.wire !== 2) continue;
      let text = 0;
      let runs = 0;
      for (const f of fields(raw, note.from, note.to)) {
        if (f.wire !== 2) continue;
        if (f.field === 2) text += f.to - f.from;
        else if (f.field === 5 && ++runs > NOTE_MAX_RUNS) break;
      }
      if (runs > NOTE_MAX_RUNS || runs > text + 1) {
        throw new NoteLimitError(`${runs > NOTE_MAX_RUNS ? `more than ${NOTE_MAX_RUNS}` : runs} style runs for ${text} bytes of text (NOTE_MAX_RUNS): not a real note`);
      }
    }
  }
}

function inflate(data: Buffer): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: NOTE_MAX_INFLATED_BYTES });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new NoteLimitError(`the note's text inflates past ${NOTE_MAX_INFLATED_BYTES / 1024 / 1024} MiB (NOTE_MAX_INFLATED_BYTES)`);
    }
    throw e;
  }
}

/** Gunzips (when gzipped) and decodes, within the limits above; throws on bytes that are neither. */
export function decodeNoteData(data: Buffer): NoteBody {
  const raw = data[0] === 0x1f && data[1] === 0x8b ? inflate(data) : data;
  if (raw.length > NOTE_MAX_INFLATED_BYTES) throw new NoteLimitError(`the note's body is larger than ${NOTE_MAX_INFLATED_BYTES / 1024 / 1024} MiB (NOTE_MAX_INFLATED_BYTES)`);
  checkRuns(raw);
  const msg = protoType().decode(raw);
  const obj = protoType().toObject(msg, { defaults: false, longs: Number }) as { document?: { note?: { note_text?: string; attribute_run?: RawRun[] } } };
  const note = obj.document?.note ?? {};
  const text = note.note_text ?? '';
  const runs = (note.attribute_run ?? []).map((r): NoteRun => ({
    length: r.length ?? 0,
    styleType: r.paragraph_style?.style_type ?? -1,
    indent: r.paragraph_style?.indent_amount ?? 0,
    checked: r.paragraph_style?.checklist ? r.paragraph_style.checklist.done === 1 : undefined,
    bold: r.font_weight === 1 || r.font_weight === 3,
    italic: r.font_weight === 2 || r.font_weight === 3,
    underline: !!r.underlined,
    strike: !!r.strikethrough,
    link: r.link,
    attachment: r.attachment_info ? { id: r.attachment_info.attachment_identifier ?? '', uti: r.attachment_info.type_uti ?? '' } : undefined,
  }));
  return { text, runs };
}

interface Span { text: string; run?: NoteRun }
interface Paragraph { spans: Span[]; run?: NoteRun }

/** Splits text into paragraphs of styled spans; a paragraph's style is that of its last run (the one holding its newline). */
function paragraphs(body: NoteBody): Paragraph[] {
  const out: Paragraph[] = [];
  let cur: Paragraph = { spans: [] };
  let pos = 0;
  const runs = body.runs.length ? body.runs : [undefined];
  for (const run of runs) {
    const len = run ? run.length : body.text.length;
    const chunk = body.text.slice(pos, pos + len);
    pos += len;
    const lines = chunk.split('\n');
    lines.forEach((line, i) => {
      if (line) cur.spans.push({ text: line, run });
      if (i < lines.length - 1) {
        cur.run ??= run;
        if (run) cur.run = run;
        out.push(cur);
        cur = { spans: [] };
      } else if (line && run) cur.run = run;
    });
  }
  if (pos < body.text.length) cur.spans.push({ text: body.text.slice(pos) });
  if (cur.spans.length) out.push(cur);
  return out;
}

const SAFE_LINK = /^(https?:|mailto:|tel:)/i;
const WEB_IMAGE = /\.(jpe?g|png|gif|webp)$/i;

/** An attachment copied next to the note: its link relative to the note's page, and its file name. */
export interface NoteAttachmentLink {
  href: string;
  name: string;
}

export type AttachmentLinks = ReadonlyMap<string, NoteAttachmentLink>;

function inlineHtml(s: Span, links?: AttachmentLinks): string {
  if (s.run?.attachment) {
    const l = links?.get(s.run.attachment.id);
    if (l) return WEB_IMAGE.test(l.name) ? `<a href="${l.href}"><img src="${l.href}" alt="${escapeHtml(l.name)}" style="max-width:100%"></a>` : `<a href="${l.href}">${escapeHtml(l.name)}</a>`;
    return `<span class="muted">[attachment: ${escapeHtml(s.run.attachment.uti || 'file')}]</span>`;
  }
  let h = escapeHtml(s.text);
  const r = s.run;
  if (!r) return h;
  if (r.bold) h = `<b>${h}</b>`;
  if (r.italic) h = `<i>${h}</i>`;
  if (r.underline) h = `<u>${h}</u>`;
  if (r.strike) h = `<s>${h}</s>`;
  if (r.link && SAFE_LINK.test(r.link)) h = `<a href="${escapeHtml(r.link)}">${h}</a>`;
  return h;
}

function inlineMd(s: Span, links?: AttachmentLinks): string {
  if (s.run?.attachment) {
    const l = links?.get(s.run.attachment.id);
    if (l) return `${WEB_IMAGE.test(l.name) ? '!' : ''}[${l.name.replace(/([\\\[\]])/g, '\\$1')}](<${l.href}>)`;
    return `[attachment: ${s.run.attachment.uti || 'file'}]`;
  }
  const r = s.run;
  let t = s.text.replace(/([\\`*_[\]#<>])/g, '\\$1');
  if (!r || r.styleType === 4) return r?.styleType === 4 ? s.text : t;
  if (r.bold && r.italic) t = `***${t}***`;
  else if (r.bold) t = `**${t}**`;
  else if (r.italic) t = `*${t}*`;
  if (r.strike) t = `~~${t}~~`;
  if (r.link && SAFE_LINK.test(r.link)) t = `[${t}](${r.link.replace(/[()\s]/g, encodeURIComponent)})`;
  return t;
}

export function bodyToHtml(body: NoteBody, links?: AttachmentLinks): string {
  const parts: string[] = [];
  let list: string | undefined;
  const closeList = (): void => { if (list) parts.push(`</${list}>`); list = undefined; };
  for (const p of paragraphs(body)) {
    const inner = p.spans.map((sp) => inlineHtml(sp, links)).join('');
    const st = p.run?.styleType ?? -1;
    const wantList = st === 102 ? 'ol' : st === 100 || st === 101 || st === 103 ? 'ul' : undefined;
    if (wantList !== list) { closeList(); if (wantList) parts.push(`<${wantList}>`), (list = wantList); }
    const indent = p.run?.indent ? ` style="margin-left:${p.run.indent * 1.5}rem"` : '';
    if (st === 0) parts.push(`<h2>${inner}</h2>`);
    else if (st === 1) parts.push(`<h3>${inner}</h3>`);
    else if (st === 2) parts.push(`<h4>${inner}</h4>`);
    else if (st === 4) parts.push(`<pre>${inner}</pre>`);
    else if (st === 103) parts.push(`<li${indent}>${p.run?.checked ? '&#9745;' : '&#9744;'} ${inner}</li>`);
    else if (wantList) parts.push(`<li${indent}>${inner}</li>`);
    else parts.push(inner ? `<p${indent}>${inner}</p>` : '<br>');
  }
  closeList();
  return parts.join('\n');
}

export function bodyToMarkdown(body: NoteBody, links?: AttachmentLinks): string {
  const lines: string[] = [];
  let inCode = false;
  for (const p of paragraphs(body)) {
    const st = p.run?.styleType ?? -1;
    if (st === 4 && !inCode) lines.push('```'), (inCode = true);
    if (st !== 4 && inCode) lines.push('```'), (inCode = false);
    const inner = p.spans.map((sp) => inlineMd(sp, links)).join('');
    const pad = '  '.repeat(p.run?.indent ?? 0);
    if (st === 0) lines.push(`# ${inner}`);
    else if (st === 1) lines.push(`## ${inner}`);
    else if (st === 2) lines.push(`### ${inner}`);
    else if (st === 4) lines.push(inner);
    else if (st === 100 || st === 101) lines.push(`${pad}- ${inner}`);
    else if (st === 102) lines.push(`${pad}1. ${inner}`);
    else if (st === 103) lines.push(`${pad}- [${p.run?.checked ? 'x' : ' '}] ${inner}`);
    else lines.push(inner ? inner + '  ' : ''); // two trailing spaces: a line break, as in the note
  }
  if (inCode) lines.push('```');
  return lines.join('\n') + '\n';
}
