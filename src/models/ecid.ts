/**
 * ECID spelling: read every way people and tools write it, print it one way. It sits with the model
 * table below the domains because the device layer prints it and the restore guide passes it on;
 * neither may import the other.
 */

/**
 * The one ECID parser. An ECID is a 64-bit chip ID, written three ways:
 * - "0x1A2B3C4D5E801E": hex, marked;
 * - "001A2B3C4D5E801E": 16 hex digits, unmarked, as `irescue devices`, Finder and the USB serial
 *   string print it: any a-f digit, or exactly 16 digits with a leading 0, means hex (a decimal
 *   ECID never has a leading 0, and real ECIDs are far below 2^60, so their 16-digit form starts
 *   with 0);
 * - "7365432123456789": decimal, as ideviceinfo's UniqueChipID.
 * A leading 0 is never read as octal ("0123" is decimal 123). Undefined for anything else or a value
 * outside 64 bits.
 */
export function parseEcid(text: string): bigint | undefined {
  const t = text.trim();
  let n: bigint;
  if (/^0x[0-9a-f]{1,16}$/i.test(t)) n = BigInt(t);
  else if (/^[0-9a-f]{1,16}$/i.test(t) && (/[a-f]/i.test(t) || (t.length === 16 && t.startsWith('0')))) n = BigInt(`0x${t}`);
  else if (/^[0-9]{1,20}$/.test(t)) n = BigInt(t);
  else return undefined;
  return n < 1n << 64n ? n : undefined;
}

/**
 * The ECID as irescue prints it: `plain` (default) is 16 upper-case hex digits (what `devices`
 * shows and `parseEcid` reads back); `c` is "0x…" for tools that read numbers like C's
 * strtoull(…, 0), idevicerestore's -i among them, where a leading 0 would mean octal.
 */
export function formatEcid(ecid: bigint, style: 'plain' | 'c' = 'plain'): string {
  const hex = ecid.toString(16).toUpperCase().padStart(16, '0');
  return style === 'c' ? `0x${hex}` : hex;
}
