/**
 * Failed-attempt delays and the traps people fall into while locked out. Apple's current table
 * (Apple Platform Security, "Passcodes and passwords"); older iOS versions started later, so the
 * table is presented as approximate, never as a promise for every version.
 */
import { APPLE } from './sources.js';
import { CURRENT_TRAPS } from './data/current-facts.js';

export interface AttemptDelay {
  /** failed attempt number, or the first of a range */
  attempt: number;
  /** last attempt of the range, when it is one */
  through?: number;
  /** minutes the lock screen waits before the next attempt; null = none */
  delayMinutes: number | null;
  note?: string;
}

export const ATTEMPT_DELAYS: readonly AttemptDelay[] = [
  { attempt: 1, through: 4, delayMinutes: null },
  { attempt: 5, delayMinutes: 1 },
  { attempt: 6, delayMinutes: 5 },
  { attempt: 7, through: 8, delayMinutes: 15 },
  { attempt: 9, delayMinutes: 60 },
  {
    attempt: 10,
    delayMinutes: null,
    note: 'the device shows "iPhone Unavailable" / "Security Lockout" (iOS 15.2 and later) or "iPhone is disabled, connect to iTunes" (earlier); with "Erase Data" turned on it erases itself',
  },
];

export const DELAYS_SOURCE = APPLE.passcodeSecurity;

export const DELAYS_NOTES: readonly string[] = [
  'The times are approximate and come from Apple\'s current table; older iOS versions started the delays later.',
  'Typing the same wrong passcode again does not count as a new failed attempt.',
  'On devices with a Secure Enclave the delays are enforced in hardware: no cable, computer or program can shorten them.',
];

export interface Trap {
  id: string;
  title: string;
  text: string;
  source: string;
}

/**
 * Where a warning belongs, so a person in a hurry reads it just before the step it is about:
 * before the first shown route it concerns ('erase': any route that erases), and only from the
 * iOS version where it is true. A warning with `before` whose routes are all excluded does not
 * apply and is left out; one without `before` is general and goes last ("Watch out").
 */
export interface TrapPlace {
  before?: 'erase' | readonly string[];
  minIos?: string;
}

const RECOVERY_ROUTES = ['recovery-update', 'recovery-restore', 'dfu-restore'] as const;

export const TRAP_PLACES: Readonly<Record<string, TrapPlace>> = {
  'locked-no-backup': { before: 'erase' },
  'no-backup-loses': { before: 'erase' },
  'activation-lock-after-erase': { before: 'erase' },
  // Route 4 starts with "Turn the device off": this is the step the warning is about.
  'restart-in-lockout': { before: ['recovery-restore'] },
  'signed-firmware-only': { before: RECOVERY_ROUTES },
  'recovery-timeout': { before: RECOVERY_ROUTES },
  'backup-overwrite': { before: ['reset-all-settings'] },
  'stolen-device-protection': { minIos: '17.3' },
};

/** What a person in a lockout does before anything else (the wizard's "Do this first" box says the same). */
export const LOCKOUT_FIRST: readonly string[] = [
  'Keep the {device} charging.',
  'Do not restart it or turn it off while it shows Security Lockout or {device} Unavailable, unless a step below tells you to.',
  'Have your Apple Account email and password ready: after any erase the {device} asks for them (Activation Lock).',
];

const BASE_TRAPS: readonly Trap[] = [
  {
    id: 'restart-in-lockout',
    title: 'Do not restart a device that shows Security Lockout',
    text: 'After a restart in Security Lockout the device cannot rejoin Wi-Fi until it is unlocked. Without cellular service, a Find My erase never reaches it and "Erase {device}" on the lock screen cannot sign out of the Apple Account; only a computer restore remains.',
    source: APPLE.forgotPasscode,
  },
  {
    id: 'signed-firmware-only',
    title: 'A restore installs only the iOS versions Apple still signs',
    text: 'Every restore (Finder, iTunes, Apple Devices, idevicerestore) asks Apple\'s signing server for permission, so it needs the internet and installs a current version. You cannot go back to an older iOS, and a device may end up on a newer major version than it had.',
    source: APPLE.restoreRecoveryMode,
  },
  {
    id: 'activation-lock-after-erase',
    title: 'After any erase, the device asks for the Apple Account that was signed in',
    text: 'If Find My was on, Activation Lock survives a restore. Know the Apple Account email and password before you erase, or keep the proof of purchase for Apple\'s Activation Lock support request.',
    source: APPLE.activationLock,
  },
  {
    id: 'keychain-escrow-attempts',
    title: 'Do not guess an old device\'s passcode when setting up iCloud Keychain',
    text: 'When a new device asks for the passcode of an old one to recover iCloud Keychain, Apple allows about 10 attempts; after that the escrowed keychain record is destroyed for good.',
    source: APPLE.platformSecurity,
  },
  {
    id: 'no-timer-bypass',
    title: 'No tool can skip the waiting time or unlock the screen',
    text: 'Programs that promise to "unlock" a forgotten screen passcode without erasing either erase the device themselves (what Apple\'s routes do for free) or rely on security holes. Every legitimate route for a forgotten passcode erases the device, except the previous-passcode reset within 72 hours on iOS 17 and later.',
    source: APPLE.passcodeSecurity,
  },
  {
    id: 'no-backup-loses',
    title: 'What an erase without a backup loses',
    text: 'An erase deletes everything on the {device}. Without a backup on a computer or in iCloud, what was only on the {device} is gone for good: photos and videos not in iCloud Photos, messages not kept in iCloud, notes saved "On My {device}", app data, and health data, call history and saved passwords that were not synced. What comes back when you sign in with your Apple Account: an iCloud Backup if you have one, and whatever was kept in iCloud (iCloud Photos, Contacts, Calendars, iCloud Notes, Messages in iCloud, iCloud Drive, iCloud Keychain). With Advanced Data Protection on, that iCloud data also needs another trusted device\'s passcode, a recovery contact or the recovery key.',
    source: APPLE.forgotPasscode,
  },
  {
    id: 'recovery-timeout',
    title: 'The device can leave Recovery mode during a long download',
    text: 'If the firmware download takes a long time the device may restart out of Recovery mode. Let the download finish, then put the device into Recovery mode again and choose Restore once more.',
    source: APPLE.forgotPasscode,
  },
  {
    id: 'stolen-device-protection',
    title: 'Stolen Device Protection can add a one-hour delay away from home',
    text: 'With Stolen Device Protection on (iOS 17.3 and later), changing the passcode or Apple Account password away from familiar places needs Face ID or Touch ID and a one-hour Security Delay. The forgotten-passcode routes still work: they use the Apple Account password, not biometrics.',
    source: APPLE.stolenDeviceProtection,
  },
];

/** The base warnings, with the current wording (data/current-facts.ts) replacing older entries of the same id. */
export const TRAPS: readonly Trap[] = [...BASE_TRAPS.filter((t) => !CURRENT_TRAPS.some((c) => c.id === t.id)), ...CURRENT_TRAPS];
