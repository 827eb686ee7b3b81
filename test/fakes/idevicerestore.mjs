#!/usr/bin/env node
/**
 * A stand-in for idevicerestore in tests (IRESCUE_IDEVICERESTORE points here). It replays the
 * output a real run prints in -P (plain progress) mode, in the wording of idevicerestore's own
 * messages, for one scenario chosen by FAKE_IDEVICERESTORE_SCENARIO:
 *   success, success-update, fail-4013, fail-9, fail-14, fail-2006, fail-21, fail-ibec,
 *   fail-restore-mode, fail-not-signed, no-device, hang (waits for SIGINT)
 * FAKE_IDEVICERESTORE_ARGS: file to write its argv to (JSON). FAKE_IDEVICERESTORE_VERSION: what -v prints.
 * Numbered Apple errors appear where restored reports them (status messages, AMRError values).
 */
import { writeFileSync } from 'node:fs';

const argv = process.argv.slice(2);
if (process.env.FAKE_IDEVICERESTORE_ARGS) writeFileSync(process.env.FAKE_IDEVICERESTORE_ARGS, JSON.stringify(argv));
if (argv.includes('-v') || argv.includes('--version')) {
  process.stdout.write((process.env.FAKE_IDEVICERESTORE_VERSION ?? 'idevicerestore 1.0.0-190-g405fcd1 (libirecovery 1.3.1, libtatsu 1.0.5)') + '\n');
  process.exit(0);
}
const plain = argv.includes('-P');
const erase = argv.includes('-e');

const progress = (step, fractions) => fractions.map((f) => (plain ? `progress: ${step} ${f.toFixed(6)}` : `[${'='.repeat(Math.round(f * 50)).padEnd(50)}] ${(f * 100).toFixed(1)}%`));
const transfer = (label, values) => values.map((v) => `${label}: ${v.toFixed(1).padStart(5)}`);

const detect = [
  'idevicerestore 1.0.0-190-g405fcd1 (libirecovery 1.3.1, libtatsu 1.0.5)',
  'Found device in Recovery mode',
  ...progress(0, [0, 0.1]),
  'ECID: 6602839103307886',
  'Identified device as d53gap, iPhone13,2',
  ...progress(0, [0.2]),
  'Device Product Version: N/A',
  'Device Product Build: N/A',
];
const download = [
  'The following firmwares are currently being signed for iPhone13,2:',
  '  [1] 26.1 (build 23B85)',
  'Running non-interactively, automatically selecting latest available version',
  'Selected firmware 26.1 (build 23B85)',
  'Downloading firmware (https://updates.cdn-apple.com/2026FallFCS/fullrestores/iPhone13,2_26.1_23B85_Restore.ipsw)',
  ...transfer('Downloading', [0, 12.5, 50, 87.5, 100]),
  ...transfer('Verifying', [0, 100]),
  'Checksum matches.',
];
const prepare = [
  ...progress(0, [0.6, 0.8]),
  'IPSW Product Version: 26.1',
  'IPSW Product Build: 23B85 Major: 23',
  'Device supports Image4: true',
  erase ? 'Variant: Customer Erase Install (IPSW)' : 'Variant: Customer Upgrade Install (IPSW)',
  erase ? 'This restore will erase all device data.' : 'This restore will update the device without erasing user data.',
  'Checking IPSW for required components...',
  'All required components found in IPSW',
  ...progress(1, [0, 0.2]),
  'Extracting filesystem from IPSW: 090-44532-001.dmg.aea',
  ...transfer('Extracting', [0, 50, 100]),
  'Getting ApNonce in recovery mode... 40 7e 3a 55 19 a8 8b 04 61 3c 0f 9e 2d 71 b6 c3 88 21 5a 47 90 1e c7 3d 64 0b f2 9a 16 5e d4 08',
  'Trying to fetch new SHSH blob',
  'Received SHSH blobs',
  ...progress(1, [0.25, 0.3]),
];
const ibec = [
  'Sending iBEC (1418224 bytes)...',
  ...transfer('Uploading', [0, 100]),
  'Waiting for device to disconnect...',
  'Waiting for device to reconnect in recovery mode...',
  ...progress(1, [0.5]),
];
const restoreMode = [
  'Sending RestoreLogo (30164 bytes)...',
  'Sending RestoreRamDisk (106577936 bytes)...',
  'Sending RestoreKernelCache (22020122 bytes)...',
  ...progress(1, [0.7, 0.9]),
  'Waiting for device to enter restore mode...',
  'Device 00008101-00177A3E3C02001E has successfully entered restore mode',
  'Hardware Information:',
  'BoardID: 12',
  'ChipID: 33025',
  ...progress(1, [1]),
  'About to restore device... ',
  'Connecting now...',
  'Connected to com.apple.mobile.restored, version 15',
  'Starting Reverse Proxy',
  'Starting FDR listener thread',
];
const sendFs = (upTo = 1) => ['About to send filesystem...', 'Connected to ASR', 'Validating the filesystem', 'Filesystem validated', 'Sending filesystem now...', ...progress(2, [0, 0.25, 0.5, 0.75, 1].filter((f) => f <= upTo))];
const finish = [
  'Done sending filesystem',
  'Verifying restore (14)',
  ...progress(3, [0, 0.5, 1]),
  'Checking filesystems (15)',
  'Mounting filesystems (16)',
  'Flashing firmware (18)',
  ...progress(4, [0, 0.5, 1]),
  'Updating baseband (19)',
  ...progress(5, [0, 1]),
  'Got status message',
  'Status: Restore Finished',
  ...progress(7, [1]),
  'Cleaning up...',
  'DONE',
];
const fail = (...lines) => [...lines, 'Unable to restore device', 'RESTORE FAILED'];

const scenarios = {
  success: { lines: [...detect, ...download, ...prepare, ...ibec, ...restoreMode, ...sendFs(), ...finish], code: 0 },
  'success-update': { lines: [...detect, ...prepare, ...ibec, ...restoreMode, ...sendFs(), ...finish], code: 0 },
  'fail-4013': { lines: [...detect, ...prepare, ...ibec, ...restoreMode, ...sendFs(0.5), 'ERROR: Could not read data (-256). Aborting.', ...fail()], code: 255 },
  'fail-9': { lines: [...detect, ...prepare, ...ibec, ...restoreMode, ...sendFs(0.25), 'Got status message', 'Unhandled status message (9)', 'ERROR: Unable to successfully restore device', ...fail()], code: 255 },
  'fail-14': { lines: [...detect, ...prepare, ...ibec, ...restoreMode, ...sendFs(), 'Done sending filesystem', 'Verifying restore (14)', 'Got status message', 'Status: Fail', 'ERROR: Unable to successfully restore device', ...fail()], code: 255 },
  'fail-2006': { lines: [...detect, ...prepare, 'Sending iBEC (1418224 bytes)...', ...transfer('Uploading', [0, 37.5]), 'ERROR: Unable to send iBEC component: Unable to upload data to device (AMRError: 2006)', 'ERROR: Unable to send iBEC', 'RESTORE FAILED'], code: 255 },
  'fail-21': { lines: [...detect, ...prepare, ...ibec, ...restoreMode, 'Got status message', 'Unhandled status message (21)', 'ERROR: Unable to successfully restore device', ...fail()], code: 255 },
  'fail-ibec': { lines: [...detect, ...prepare, 'Sending iBEC (1418224 bytes)...', 'ERROR: Unable to send iBEC component: Unable to upload data to device', 'ERROR: Unable to send iBEC', 'RESTORE FAILED'], code: 255 },
  'fail-restore-mode': { lines: [...detect, ...prepare, ...ibec, 'Sending RestoreRamDisk (106577936 bytes)...', 'Waiting for device to enter restore mode...', 'ERROR: Device failed to enter restore mode.', 'ERROR: Make sure that usbmuxd is running.', 'RESTORE FAILED'], code: 255 },
  'fail-not-signed': { lines: [...detect, 'IPSW Product Version: 17.5', 'Trying to fetch new SHSH blob', 'ERROR: This device isn\'t eligible for the requested build.', 'ERROR: Unable to get SHSH blobs for this device', 'RESTORE FAILED'], code: 255 },
  'no-device': { lines: ['idevicerestore 1.0.0-190-g405fcd1 (libirecovery 1.3.1, libtatsu 1.0.5)', 'ERROR: Unable to discover device mode. Please make sure a device is attached.'], code: 255 },
  hang: { lines: [...detect, ...prepare], code: null },
};

const name = process.env.FAKE_IDEVICERESTORE_SCENARIO ?? 'success';
const s = scenarios[name];
if (!s) {
  process.stderr.write(`fake idevicerestore: unknown scenario ${name}\n`);
  process.exit(99);
}
for (const line of s.lines) {
  // Errors go to stderr in red on a terminal; we are not one, so plain text with the old prefix.
  (line.startsWith('ERROR:') ? process.stderr : process.stdout).write(line + '\n');
}
if (s.code === null) {
  process.on('SIGINT', () => {
    process.stdout.write('Exiting...\n');
    process.exit(255);
  });
  setInterval(() => {}, 1000);
} else {
  process.exitCode = s.code;
}
