/**
 * The USB serial string of a device in Recovery or DFU mode, e.g.
 * "CPID:8110 CPRV:11 CPFM:03 SCEP:01 BDID:0A ECID:001A2B3C4D5E801E IBFL:3C SRTG:[iBoot-8419.0.151.0.1]".
 * Hex fields become numbers (ECID a 16-digit hex string: it does not fit a double); bracketed
 * fields keep their text. Unknown fields are kept, missing ones are absent.
 */
import { formatEcid, parseEcid } from '../../models/ecid.js';

export interface IbootSerial {
  cpid?: number;
  cprv?: number;
  cpfm?: number;
  scep?: number;
  bdid?: number;
  /** 16 uppercase hex digits, as Finder and idevicerestore print it */
  ecid?: string;
  ibfl?: number;
  sdom?: number;
  /** iBoot tag: "iBoot-8419.0.151.0.1" */
  srtg?: string;
  /** device serial number (Recovery only) */
  srnm?: string;
  imei?: string;
  nonc?: string;
  snon?: string;
  fields: Record<string, string>;
}

const HEX_FIELDS = ['CPID', 'CPRV', 'CPFM', 'SCEP', 'BDID', 'IBFL', 'SDOM'] as const;

export function parseIbootSerial(serial: string): IbootSerial {
  const fields: Record<string, string> = {};
  const re = /([A-Z]{4}):(\[[^\]]*\]|\S+)/g;
  for (let m = re.exec(serial); m; m = re.exec(serial)) fields[m[1]] = m[2].startsWith('[') ? m[2].slice(1, -1) : m[2];
  const out: IbootSerial = { fields };
  for (const k of HEX_FIELDS) {
    const v = fields[k];
    if (v !== undefined && /^[0-9A-Fa-f]+$/.test(v)) out[k.toLowerCase() as Lowercase<typeof k>] = parseInt(v, 16);
  }
  if (fields.ECID && /^[0-9A-Fa-f]{1,16}$/.test(fields.ECID)) out.ecid = formatEcid(BigInt(`0x${fields.ECID}`)); // always hex here
  if (fields.SRTG) out.srtg = fields.SRTG;
  if (fields.SRNM) out.srnm = fields.SRNM;
  if (fields.IMEI) out.imei = fields.IMEI;
  if (fields.NONC) out.nonc = fields.NONC;
  if (fields.SNON) out.snon = fields.SNON;
  return out;
}

/** Any accepted spelling to the canonical 16-digit form; undefined when it is not an ECID. */
export function normalizeEcid(text: string): string | undefined {
  const n = parseEcid(text);
  return n === undefined ? undefined : formatEcid(n);
}
