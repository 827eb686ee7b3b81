/**
 * Reads idevicerestore's output (run with -P, "plain progress") line by line: the step and percent
 * it reports, the moments that matter, and the failures people meet, decoded into plain advice.
 * Pure: lines in, events and verdicts out. Works with both log styles (release 1.0.0 prefixes
 * errors with "ERROR: "; newer builds may prefix lines with a timestamp and level).
 */

/** idevicerestore's RESTORE_STEP_* numbering, as printed by "progress: <step> <fraction>". */
const RESTORE_STEPS = [
  'Detecting the device',
  'Preparing the restore',
  'Sending the system to the device',
  'Verifying the system',
  'Flashing firmware',
  'Updating the baseband',
  'Updating accessory firmware',
  'Sending boot images',
] as const;

/** Rough share of the total time each step takes, for one overall percentage. */
const STEP_WEIGHT = [2, 8, 45, 20, 15, 5, 3, 2];

const LABELS: Record<string, string> = {
  Downloading: 'Downloading the firmware',
  Extracting: 'Extracting the firmware',
  Verifying: 'Checking the firmware file',
  Uploading: 'Uploading to the device',
};

export type OutputEvent =
  | { kind: 'step'; step: number; name: string; percent: number; overall: number }
  | { kind: 'transfer'; name: string; percent: number }
  | { kind: 'finished' }
  | { kind: 'failed-marker' }
  | { kind: 'info'; text: string };

/** Strips a "12:34:56.789 <LEVEL> " timestamp prefix and a leading "ERROR: "/"WARNING: ". */
export function cleanLine(line: string): string {
  return line
    .replace(/\x1b\[[0-9;]*m/g, '')
    .replace(/^\d\d:\d\d:\d\d\.\d{3}\s+\S+\s+/, '')
    .replace(/^(ERROR|WARNING|NOTE|INFO):\s*/i, '')
    .trimEnd();
}

function overallPercent(step: number, fraction: number): number {
  const before = STEP_WEIGHT.slice(0, step).reduce((a, b) => a + b, 0);
  const total = STEP_WEIGHT.reduce((a, b) => a + b, 0);
  return Math.min(100, Math.round(((before + STEP_WEIGHT[step] * fraction) / total) * 1000) / 10);
}

export function parseLine(line: string): OutputEvent | undefined {
  const text = cleanLine(line);
  if (!text) return undefined;
  const p = /^progress:\s+(\d+)\s+(-?[\d.]+)/.exec(text);
  if (p) {
    const step = Number(p[1]);
    const fraction = Math.max(0, Math.min(1, Number(p[2])));
    if (step < 0 || step >= RESTORE_STEPS.length || !Number.isFinite(fraction)) return { kind: 'info', text };
    return { kind: 'step', step, name: RESTORE_STEPS[step], percent: Math.round(fraction * 1000) / 10, overall: overallPercent(step, fraction) };
  }
  const t = /^(Downloading|Extracting|Verifying|Uploading):\s+([\d.]+)\s*%?$/.exec(text);
  if (t) return { kind: 'transfer', name: LABELS[t[1]], percent: Number(t[2]) };
  if (/^DONE$/.test(text) || /^Status: Restore Finished/.test(text)) return { kind: 'finished' };
  if (/^RESTORE FAILED$/.test(text)) return { kind: 'failed-marker' };
  return { kind: 'info', text };
}

export interface DecodedFailure {
  /** stable id: "error-4013", "ibec", "restore-mode", ... */
  code: string;
  title: string;
  advice: string[];
  /** the line that gave it away */
  line: string;
}

interface FailureRule {
  code: string;
  /** idevicerestore's own wording; absent for failures known only by number */
  test?: RegExp;
  title: string;
  advice: string[];
}

const CABLE = 'Use a different cable (preferably Apple\'s) straight into a port on the computer, not a hub, dock or front-panel port; on a Mac with several ports try another one.';
const AGAIN = 'Put the device back into Recovery Mode and run the restore again; the firmware is cached, so a retry starts faster.';

// Numeric codes as Finder/iTunes and restored report them; idevicerestore's own wording next.
const RULES: FailureRule[] = [
  {
    code: 'error-4013',
    test: /Could not read data \(-?\d+\)|Unable to connect to restored|Device disconnected during restore/i,
    title: 'The device stopped answering during the restore (like Finder\'s error 4013/4014)',
    advice: [CABLE, 'Keep the device and computer awake and plugged in; do not touch the cable until the restore finishes.', 'Try a DFU restore, then another computer. If it keeps failing, the device may have a hardware fault (storage, logic board): ask Apple or a repair shop.'],
  },
  {
    code: 'error-9',
    title: 'The device disconnected unexpectedly (error 9)',
    advice: [CABLE, AGAIN, 'Repeated error 9 on a known-good cable points to a hardware fault.'],
  },
  {
    code: 'error-2006',
    title: 'USB communication failed (error 2006)',
    advice: [CABLE, 'Unplug other USB devices, avoid USB hubs and extension cables, and try another computer.'],
  },
  {
    code: 'error-21',
    title: 'The device refused the restore (error 21)',
    advice: ['Charge the device for at least 30 minutes first: a low battery can cause it.', 'Try a DFU restore (instructions: `irescue guide --situation stuck-recovery --model <your model>`).', 'If it persists, it usually needs hardware service.'],
  },
  {
    code: 'error-14',
    test: /^Status: Fail\b|Firmware file might be corrupt|ASR was unable to validate the filesystem/i,
    title: 'The firmware file or the transfer was damaged (error 14)',
    advice: ['Delete the downloaded firmware (.ipsw) and the irescue restore cache so it downloads again.', 'Check that the computer has enough free disk space.', CABLE],
  },
  {
    code: 'ibec',
    test: /Unable to send iBEC|Possibly invalid iBEC/i,
    title: 'The device would not accept the start-up files (Unable to send iBEC)',
    advice: [
      'Unplug the device, put it back into Recovery Mode (or DFU mode) and try again.',
      CABLE,
      'On Linux, make sure usbmuxd is running (`systemctl status usbmuxd`) and that no other program (Finder, iTunes, another idevicerestore) is talking to the device.',
      'Update idevicerestore and libirecovery: old builds fail on recent devices.',
    ],
  },
  {
    code: 'restore-mode',
    test: /Unable to place device into restore mode|Device failed to enter restore mode|Unable to connect to device in restore mode|did not reconnect in (restore|recovery) mode|Unable to place device into recovery mode/i,
    title: 'The device did not come back in restore mode',
    advice: [
      'On Linux, make sure usbmuxd is running (`systemctl status usbmuxd`); idevicerestore needs it once the device leaves Recovery Mode.',
      CABLE,
      'If the device restarted into Recovery Mode again, the firmware may no longer be signed for it: run with --latest to use a version Apple signs.',
      AGAIN,
    ],
  },
  {
    code: 'not-signed',
    test: /not being signed|is not signed|Unable to get SHSH blobs|Unable to proceed without a TSS record|could not fetch TSS record|Unable to send TSS request|This device isn't eligible/i,
    title: 'Apple would not sign this iOS version for this device',
    advice: ['A restore can only install a version Apple is currently signing: use --latest instead of an older .ipsw.', 'Check that the computer can reach Apple\'s servers (gs.apple.com); VPNs, proxies and filtered networks can block it.'],
  },
  {
    code: 'no-device',
    test: /Unable to discover device mode|No device found|Unable to find device|Please make sure a device is attached/i,
    title: 'No device in Recovery or DFU mode was found',
    advice: ['Put the device into Recovery Mode (`irescue guide --situation stuck-recovery --model <your model>` shows the buttons) and check it appears (`irescue devices`).', CABLE],
  },
  {
    code: 'unknown-device',
    test: /Unable to discover device type|Unknown device|Unable to find a matching build identity|Unable to identify device/i,
    title: 'idevicerestore does not know this device or firmware',
    advice: ['Your idevicerestore/libirecovery is probably too old for this model: install a current build.', 'If you gave --ipsw, check it is the firmware for exactly this model.'],
  },
  {
    code: 'disk-full',
    test: /No space left on device|Unable to extract filesystem|Could not update '.*version\.xml'/i,
    title: 'The computer ran out of disk space or could not write the firmware',
    advice: ['Free at least 20 GB on the disk holding the restore cache, or choose another with --cache-dir.'],
  },
  {
    code: 'download',
    test: /Unable to download|download failed|Could not download|Failed to download/i,
    title: 'The firmware download failed',
    advice: ['Check the internet connection; firmware comes from Apple\'s servers and is several gigabytes.', 'Run again: a finished download is reused.'],
  },
];

/** Apple's numbered restore errors, wherever a line carries one: "error 4013", "AMRError: 9", "Unhandled status message (21)". */
const NUMBER_PATTERNS = [/\b(?:error|AMRError)\b\W{0,3}(?:code\W{0,2})?\(?-?(\d{1,5})\)?(?![\d.])/i, /\bstatus message \((\d{1,5})\)/i];

const NUMBERED: Record<number, string> = { 4013: 'error-4013', 4014: 'error-4013', 4005: 'error-4013', 9: 'error-9', 14: 'error-14', 2006: 'error-2006', 21: 'error-21' };

function numberedCode(line: string): string | undefined {
  for (const re of NUMBER_PATTERNS) {
    const m = re.exec(line);
    if (m && NUMBERED[Number(m[1])]) return NUMBERED[Number(m[1])];
  }
  return undefined;
}

/**
 * What went wrong, from all the output: Apple's numbered errors first, then idevicerestore's own
 * messages in the order of RULES (the last error printed is often only a consequence).
 */
export function decodeFailure(lines: readonly string[]): DecodedFailure | undefined {
  const cleaned = lines.map(cleanLine);
  for (const line of cleaned) {
    const code = numberedCode(line);
    if (code) {
      const rule = RULES.find((r) => r.code === code)!;
      return { code, title: rule.title, advice: rule.advice, line };
    }
  }
  for (const rule of RULES) {
    if (!rule.test) continue;
    const test = rule.test;
    const line = cleaned.find((l) => test.test(l));
    if (line) return { code: rule.code, title: rule.title, advice: rule.advice, line };
  }
  return undefined;
}

const FAILURE_CODES = RULES.map((r) => r.code);
