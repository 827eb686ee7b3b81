/** Smallest JPEG/HEIC-like files carrying an EXIF DateTimeOriginal, built byte by byte. */
export function tiffWithDate(dateText: string): Buffer {
  // Little-endian TIFF: header, IFD0 with one ExifIFD pointer, Exif IFD with DateTimeOriginal.
  const date = Buffer.from(dateText + '\0', 'latin1'); // 20 bytes
  const b = Buffer.alloc(8 + 2 + 12 + 4 + 2 + 12 + 4 + date.length);
  b.write('II', 0, 'latin1');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(8, 4);
  b.writeUInt16LE(1, 8);
  b.writeUInt16LE(0x8769, 10); // ExifIFDPointer
  b.writeUInt16LE(4, 12); // LONG
  b.writeUInt32LE(1, 14);
  b.writeUInt32LE(26, 18); // Exif IFD offset
  b.writeUInt32LE(0, 22); // no IFD1
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(0x9003, 28); // DateTimeOriginal
  b.writeUInt16LE(2, 30); // ASCII
  b.writeUInt32LE(date.length, 32);
  b.writeUInt32LE(44, 36);
  b.writeUInt32LE(0, 40);
  date.copy(b, 44);
  return b;
}

export function jpegWithDate(dateText: string): Buffer {
  const app1 = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiffWithDate(dateText)]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(app1.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), len, app1, Buffer.from([0xff, 0xd9])]);
}

/** An ISO-BMFF file that says "heic" with an Exif payload inside an mdat box (not a decodable image). */
export function heicLikeWithDate(dateText: string): Buffer {
  const box = (type: string, payload: Buffer): Buffer => {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(payload.length + 8);
    h.write(type, 4, 'latin1');
    return Buffer.concat([h, payload]);
  };
  const ftyp = box('ftyp', Buffer.from('heic\0\0\0\0mif1heic', 'latin1'));
  const exif = Buffer.concat([Buffer.from([0, 0, 0, 6]), Buffer.from('Exif\0\0', 'latin1'), tiffWithDate(dateText)]);
  return Buffer.concat([ftyp, box('mdat', Buffer.concat([Buffer.alloc(64, 1), exif, Buffer.alloc(64, 2)]))]);
}
