/**
 * Builds message.attributedBody blobs the way iOS archives an NSAttributedString with NSArchiver
 * (typedstream v4): header, class chain NSAttributedString → NSObject, the NSString with its "+"
 * byte run, then an attribute run (NSDictionary with __kIMMessagePartAttributeName) as real blobs have.
 */
function int(n: number): Buffer {
  if (n >= 0 && n < 0x80) return Buffer.from([n]);
  if (n >= -0x8000 && n < 0x8000) {
    const b = Buffer.alloc(3);
    b[0] = 0x81;
    b.writeInt16LE(n, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = 0x82;
  b.writeInt32LE(n, 1);
  return b;
}

const str = (s: string): Buffer => Buffer.concat([int(Buffer.byteLength(s)), Buffer.from(s, 'latin1')]);

export function buildAttributedBody(text: string, className: 'NSString' | 'NSMutableString' = 'NSString'): Buffer {
  const utf8 = Buffer.from(text, 'utf8');
  return Buffer.concat([
    Buffer.from([0x04]), str('streamtyped'), int(1000),
    Buffer.from([0x84]), str('@'),
    Buffer.from([0x84, 0x84, 0x84]), str('NSAttributedString'), Buffer.from([0x00]),
    Buffer.from([0x84, 0x84]), str('NSObject'), Buffer.from([0x00, 0x85]),
    Buffer.from([0x92, 0x84, 0x84, 0x84]), str(className), Buffer.from([0x01, 0x94]),
    Buffer.from([0x84]), str('+'), int(utf8.length), utf8,
    Buffer.from([0x86, 0x84]), str('iI'), Buffer.from([0x01]), int(Array.from(text).length),
    Buffer.from([0x92, 0x84, 0x84, 0x84]), str('NSDictionary'), Buffer.from([0x00, 0x94, 0x84, 0x01, 0x69, 0x01]),
    Buffer.from([0x92, 0x84, 0x96, 0x96]), str('__kIMMessagePartAttributeName'), Buffer.from([0x86, 0x92, 0x84, 0x84, 0x84]), str('NSNumber'),
    Buffer.from([0x00, 0x84, 0x84, 0x07]), Buffer.from('NSValue', 'latin1'), Buffer.from([0x00, 0x94, 0x84, 0x01, 0x2a, 0x84, 0x99, 0x99, 0x00, 0x86, 0x86, 0x86]),
  ]);
}
