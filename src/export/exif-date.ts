/**
 * When a photo was taken: EXIF DateTimeOriginal, read with exifr. exifr understands JPEG, TIFF and
 * most HEIC files; when it cannot place a HEIC's Exif item, we find the item's TIFF header
 * ("Exif\0\0" then "II*\0" or "MM\0*") ourselves and hand exifr those bytes.
 */
import exifr from 'exifr';

const EXIF_MARK = Buffer.from('Exif\0\0', 'latin1');

function isDate(v: unknown): v is Date {
  return v instanceof Date && !Number.isNaN(v.getTime());
}

async function tryParse(data: Buffer): Promise<Date | undefined> {
  try {
    const r = (await exifr.parse(data, { pick: ['DateTimeOriginal', 'CreateDate'] })) as { DateTimeOriginal?: unknown; CreateDate?: unknown } | undefined;
    if (isDate(r?.DateTimeOriginal)) return r.DateTimeOriginal;
    if (isDate(r?.CreateDate)) return r.CreateDate;
  } catch {
    // not a format exifr knows, or damaged metadata: fall through
  }
  return undefined;
}

export async function exifDateTaken(data: Buffer): Promise<Date | undefined> {
  const direct = await tryParse(data);
  if (direct) return direct;
  for (let i = data.indexOf(EXIF_MARK); i >= 0; i = data.indexOf(EXIF_MARK, i + 1)) {
    const t = i + EXIF_MARK.length;
    const tiffHeader = data.toString('latin1', t, t + 4);
    if (tiffHeader === 'II*\0' || tiffHeader === 'MM\0*') {
      const d = await tryParse(data.subarray(t));
      if (d) return d;
    }
  }
  return undefined;
}
