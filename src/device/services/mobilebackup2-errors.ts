/**
 * The one table from mobilebackup2's final ErrorCode to a reason callers branch on and a sentence
 * an owner can act on. Codes as the devices send them (libimobiledevice and pymobiledevice3 issue
 * threads: #1380 for 208, pymobiledevice3#1879 for 105, libimobiledevice#1155 for 207).
 */
export type Mobilebackup2Reason = 'passcode-not-entered' | 'host-disk-full' | 'wrong-password' | 'other';

interface Entry {
  reason: Mobilebackup2Reason;
  message: string;
}

const TABLE: Record<number, Entry> = {
  208: {
    reason: 'passcode-not-entered',
    message: 'the iPhone did not start the backup because its passcode was not entered. Unlock the iPhone, run the backup again and enter the passcode on the iPhone when it asks',
  },
  105: {
    reason: 'host-disk-full',
    message: 'there is not enough free space on this computer for the backup. Free some space on the drive that holds the backup folder (or choose another folder) and run the backup again',
  },
  207: {
    reason: 'wrong-password',
    message: 'the device rejected the backup password',
  },
};

/**
 * `description` is used only when the code is unknown to the table and the request was about a
 * password (ChangePassword): devices seen so far say "password" there; the code is what we trust.
 */
export function classifyMobilebackup2(code: number, description: string | undefined, context: 'backup' | 'change-password'): Entry | undefined {
  const hit = TABLE[code];
  if (hit) return hit;
  if (context === 'change-password' && description && /password/i.test(description)) return { reason: 'wrong-password', message: 'the device rejected the backup password' };
  return undefined;
}
