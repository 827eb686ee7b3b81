/**
 * XML plist reader. Written here because plist@5 pulls in a DOM (@xmldom/xmldom) and an XML
 * builder at load: about 6 MB of every command's memory and a good part of `info`'s start-up
 * (measured), for a format of ten element names. Every backup has an XML Info.plist, so it is read
 * on every path. One pass over the text, no DOM: exact integers (bigint beyond 2^53, as
 * bplist-read.ts returns them), <data> as Buffer, <date> as Date. A DOCTYPE with an internal
 * subset (entity definitions: "billion laughs", external entities) is refused; only the five XML
 * entities and character references are decoded. Bounded in depth and values. Throws RangeError on
 * damage; plist.ts turns that into CorruptInputError. plist@5 stays the writer (buildXmlPlist) and
 * the reference this reader is tested against.
 */
import type { PlistDict, PlistValue } from './value.js';

/** Deepest nesting of arrays and dictionaries we follow. */
const XML_MAX_DEPTH = 256;
/** Most values in one document. */
export const XML_MAX_NODES = 1_000_000;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeText(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&<\s]{1,10});/g, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (!Number.isInteger(code) || code < 0 || code > 0x10ffff) throw new RangeError(`bad character reference ${whole}`);
      return String.fromCodePoint(code);
    }
    const v = ENTITIES[name];
    if (v === undefined) throw new RangeError(`unknown entity ${whole}`);
    return v;
  });
}

interface Tag {
  name: string;
  close: boolean;
  empty: boolean;
}

export function decodeXmlPlist(text: string): PlistValue | undefined {
  let i = 0;
  let nodes = 0;

  /** Skips whitespace, comments and processing instructions; returns at the next '<' or text. */
  const skipMisc = () => {
    for (;;) {
      while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
      if (text.startsWith('<!--', i)) {
        const e = text.indexOf('-->', i + 4);
        if (e < 0) throw new RangeError('comment not closed');
        i = e + 3;
      } else if (text.startsWith('<?', i)) {
        const e = text.indexOf('?>', i + 2);
        if (e < 0) throw new RangeError('processing instruction not closed');
        i = e + 2;
      } else if (text.startsWith('<!DOCTYPE', i)) {
        const e = text.indexOf('>', i);
        if (e < 0) throw new RangeError('DOCTYPE not closed');
        if (text.slice(i, e).includes('[')) throw new RangeError('DOCTYPE with an internal subset (entity definitions) is not read');
        i = e + 1;
      } else return;
    }
  };

  const tag = (): Tag => {
    skipMisc();
    if (text[i] !== '<') throw new RangeError(i >= text.length ? 'unexpected end of document' : `text where an element was expected at offset ${i}`);
    const e = text.indexOf('>', i);
    if (e < 0) throw new RangeError('element not closed');
    let body = text.slice(i + 1, e);
    i = e + 1;
    const close = body.startsWith('/');
    const empty = !close && body.endsWith('/');
    if (close) body = body.slice(1);
    if (empty) body = body.slice(0, -1);
    const name = /^[A-Za-z_][\w.-]*/.exec(body)?.[0];
    if (!name) throw new RangeError(`bad element <${body.slice(0, 20)}>`);
    return { name, close, empty };
  };

  /** Text up to </name>, CDATA sections included, entities decoded. */
  const textUntilClose = (name: string): string => {
    let out = '';
    for (;;) {
      const lt = text.indexOf('<', i);
      if (lt < 0) throw new RangeError(`<${name}> not closed`);
      out += decodeText(text.slice(i, lt));
      i = lt;
      if (text.startsWith('<![CDATA[', i)) {
        const e = text.indexOf(']]>', i + 9);
        if (e < 0) throw new RangeError('CDATA not closed');
        out += text.slice(i + 9, e);
        i = e + 3;
      } else if (text.startsWith('<!--', i)) {
        const e = text.indexOf('-->', i + 4);
        if (e < 0) throw new RangeError('comment not closed');
        i = e + 3;
      } else {
        const t = tag();
        if (!t.close || t.name !== name) throw new RangeError(`<${t.name}> inside <${name}>`);
        return out;
      }
    }
  };

  const value = (t: Tag, depth: number): PlistValue => {
    if (t.close) throw new RangeError(`unexpected </${t.name}>`);
    if (++nodes > XML_MAX_NODES) throw new RangeError(`more than ${XML_MAX_NODES} values`);
    if (depth > XML_MAX_DEPTH) throw new RangeError(`nested deeper than ${XML_MAX_DEPTH}`);
    const body = () => (t.empty ? '' : textUntilClose(t.name));
    switch (t.name) {
      case 'string':
        return body();
      case 'integer': {
        const s = body().trim();
        if (!/^[+-]?\d+$/.test(s)) throw new RangeError(`bad <integer> ${JSON.stringify(s.slice(0, 30))}`);
        const n = Number(s);
        return Number.isSafeInteger(n) ? n : BigInt(s);
      }
      case 'real': {
        const s = body().trim();
        const n = Number(s);
        if (s === '' || Number.isNaN(n)) throw new RangeError(`bad <real> ${JSON.stringify(s.slice(0, 30))}`);
        return n;
      }
      case 'true':
      case 'false':
        if (!t.empty) body();
        return t.name === 'true';
      case 'date': {
        const d = new Date(body().trim());
        if (Number.isNaN(d.getTime())) throw new RangeError('bad <date>');
        return d;
      }
      case 'data': {
        const s = body().replace(/\s+/g, '');
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new RangeError('bad base64 in <data>');
        return Buffer.from(s, 'base64');
      }
      case 'array': {
        const out: PlistValue[] = [];
        if (t.empty) return out;
        for (;;) {
          const c = tag();
          if (c.close) {
            if (c.name !== 'array') throw new RangeError(`</${c.name}> closes <array>`);
            return out;
          }
          out.push(value(c, depth + 1));
        }
      }
      case 'dict': {
        const out: PlistDict = {};
        if (t.empty) return out;
        for (;;) {
          const k = tag();
          if (k.close) {
            if (k.name !== 'dict') throw new RangeError(`</${k.name}> closes <dict>`);
            return out;
          }
          if (k.name !== 'key') throw new RangeError(`<${k.name}> where a <key> was expected`);
          const key = k.empty ? '' : textUntilClose('key');
          const v = tag();
          if (v.close) throw new RangeError(`key ${JSON.stringify(key.slice(0, 40))} has no value`);
          // defineProperty: a "__proto__" key stays data (as in bplist-read.ts)
          Object.defineProperty(out, key, { value: value(v, depth + 1), enumerable: true, writable: true, configurable: true });
        }
      }
      default:
        throw new RangeError(`unknown element <${t.name}>`);
    }
  };

  const root = tag();
  if (root.name !== 'plist' || root.close) throw new RangeError(`root element is <${root.close ? '/' : ''}${root.name}>, not <plist>`);
  if (root.empty) return undefined;
  const first = tag();
  if (first.close) {
    if (first.name !== 'plist') throw new RangeError(`</${first.name}> closes <plist>`);
    return undefined;
  }
  const v = value(first, 1);
  const end = tag();
  if (!end.close || end.name !== 'plist') throw new RangeError('more than one value in <plist>');
  skipMisc();
  if (i < text.length) throw new RangeError('content after </plist>');
  return v;
}
