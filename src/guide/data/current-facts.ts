/**
 * The facts of late 2026 (shared/APPLE-FACTS.md §1.4, 1.9, 1.11, 1.13, 1.15, 1.16) that change
 * what the guide says: new routes (Recovery Assistant on iOS 26, the recovery environment on
 * iOS 27), new warnings (a locked phone cannot be backed up; the next backup overwrites the old
 * one), and the current wording of older warnings. Our own words; Apple's pages as sources.
 */
import { APPLE } from '../sources.js';
import type { RouteDef } from './knowledge.js';

/** Warnings, in the shape of guide/lockout.ts's Trap (that module merges them in). */
export const CURRENT_TRAPS = [
  {
    id: 'locked-no-backup',
    title: 'A locked {device} cannot be backed up without its passcode',
    text: 'Since iOS 15.7.1 and 16.1 every backup to a computer asks for the passcode on the {device} itself; without it the backup stops after a few minutes. No tool can back up an {device} whose passcode is forgotten: your data comes from a backup you already have (on a computer or in iCloud). Look for it before you erase: `irescue backups` lists the ones on this computer.',
    source: APPLE.forgotPasscode,
  },
  {
    id: 'backup-overwrite',
    title: 'The next backup overwrites the old one: keep a copy first',
    text: 'Finder, iTunes and Apple Devices keep one backup per {device}: the next backup replaces it, and turning encryption on re-encrypts it at once. If you still want to open an old encrypted backup (for example to search for its password), keep a copy before backing up again: `irescue backups keep <backup>` copies it beside itself as <UDID>-<date>. `irescue device backup` keeps the old one by itself.',
    source: APPLE.encryptedBackups,
  },
  {
    id: 'recovery-timeout',
    title: 'Recovery Mode ends after 15 minutes of download',
    text: 'If the computer takes more than 15 minutes to download the software, the {device} leaves Recovery Mode by itself. Let the download finish, put the {device} into Recovery Mode again and choose Restore once more.',
    source: APPLE.forgotPasscode,
  },
  {
    id: 'stolen-device-protection',
    title: 'Stolen Device Protection: a one-hour Security Delay away from home',
    text: 'Stolen Device Protection (iOS 17.3 and later, turned on for most people from iOS 26.4) asks for Face ID or Touch ID, with no passcode fallback, for some actions away from familiar places, such as Erase All Content and Settings, and adds a one-hour Security Delay before changing the passcode or the Apple Account password or turning off Find My. The forgotten-passcode routes still work: they use the Apple Account password, not biometrics.',
    source: APPLE.stolenDeviceProtection,
  },
  {
    id: 'put-data-back',
    title: 'After the erase: put your data back',
    text: 'During setup choose "From Mac or PC" (or "Restore from iCloud Backup"). From a computer, Finder, Apple Devices or iTunes restore it, or `irescue device restore <backup>` (any system, encrypted backups too). Turn Find My off on the {device} first if it asks: it refuses a restore while Find My is on.',
    source: APPLE.factoryRestoreComputer,
  },
] as const;

/** Routes added for iOS 26 and 27; situations list them by id in knowledge.ts. */
export const CURRENT_ROUTES: Record<string, RouteDef> = {
  'recovery-assistant': {
    id: 'recovery-assistant',
    title: 'Let Recovery Assistant run (iOS 26 and later)',
    keepsData: true,
    minIos: '26',
    requires: ['the {device} shows "This {device} encountered an issue while starting" after a failed start'],
    steps: [
      'When the {device} cannot start normally it opens Recovery Assistant by itself: let it look for problems and fix what it finds.',
      'Keep it on power and on Wi-Fi if it asks. It needs no computer.',
      'If it cannot fix the {device}, continue with an Update from Recovery Mode (keeps data).',
    ],
    source: APPLE.restoreRecoveryMode,
  },
  'recovery-environment': {
    id: 'recovery-environment',
    title: 'Use the recovery environment (iOS 27 and later)',
    keepsData: true,
    minIos: '27',
    requires: ['the {device} opens its recovery menu before iOS starts', 'a known Wi-Fi network for Software Update'],
    steps: [
      'From iOS 27 a recovery menu can load before iOS: Recovery Assistant, Software Update, Diagnostics, Erase All Content and Settings, and Recovery Mode.',
      'Try Recovery Assistant, then Software Update: both keep your data. Erase All Content and Settings erases it.',
      'Activation Lock still applies after an erase: know the Apple Account password first.',
    ],
    notes: ['How the menu opens on each model is not documented yet; if it does not show, use Recovery Mode with a computer.'],
    source: APPLE.restoreRecoveryMode,
  },
};
