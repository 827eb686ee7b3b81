/**
 * The lockout knowledge base: for each situation, Apple's official routes in order of preference,
 * with the conditions under which each applies, whether it keeps data, what it needs, the steps and
 * the Apple page it comes from. Facts from shared/APPLE-FACTS.md, written in our own words.
 * `{device}` is replaced by "iPhone" or "iPad". Bump KNOWLEDGE_VERSION whenever a fact changes.
 */
import { APPLE } from '../sources.js';

export const KNOWLEDGE_VERSION = '2026-11-25.1';

export const SITUATION_IDS = [
  'forgot-passcode',
  'unavailable',
  'screen-time',
  'backup-password',
  'apple-account',
  'activation-lock',
  'mdm',
  'stuck-recovery',
  'second-hand',
] as const;

export type SituationId = (typeof SITUATION_IDS)[number];

export interface RouteDef {
  id: string;
  title: string;
  keepsData: boolean;
  requires: string[];
  steps: string[];
  source: string;
  /** applies from this iOS version on ("17", "15.2") */
  minIos?: string;
  /** applies only below this iOS version */
  untilIos?: string;
  /** only these ProductTypes (features tied to hardware) */
  productTypes?: readonly string[];
  /** attach the model's Recovery/DFU instructions to this route */
  usesRecoveryMode?: boolean;
  notes?: string[];
}

/** Something irescue will never build, said plainly, with Apple's own way out. */
export interface NeverBuilt {
  id: string;
  what: string;
  why: string;
  instead: string[];
  source: string;
}

export interface SituationDef {
  id: SituationId;
  title: string;
  /** the question a person would recognise their problem in */
  question: string;
  summary: string;
  routes: string[];
  never?: string[];
  traps?: string[];
  /** show the failed-attempt delay table */
  showDelays?: boolean;
}

// Hardware that can be restored from a nearby iPhone or iPad (iOS/iPadOS 18 and later).
const NEARBY_RESTORE_TARGETS = [
  'iPhone16,1', 'iPhone16,2', 'iPhone17,1', 'iPhone17,2', 'iPhone17,3', 'iPhone17,4', 'iPhone17,5',
  'iPhone18,1', 'iPhone18,2', 'iPhone18,3', 'iPhone18,4', 'iPhone18,5',
  'iPad13,4', 'iPad13,5', 'iPad13,6', 'iPad13,7', 'iPad13,8', 'iPad13,9', 'iPad13,10', 'iPad13,11',
  'iPad13,16', 'iPad13,17', 'iPad14,3', 'iPad14,4', 'iPad14,5', 'iPad14,6',
  'iPad14,8', 'iPad14,9', 'iPad14,10', 'iPad14,11', 'iPad15,3', 'iPad15,4', 'iPad15,5', 'iPad15,6',
  'iPad15,7', 'iPad15,8', 'iPad16,1', 'iPad16,2', 'iPad16,3', 'iPad16,4', 'iPad16,5', 'iPad16,6',
  'iPad17,1', 'iPad17,2', 'iPad17,3', 'iPad17,4',
] as const;

const COMPUTER = 'a Mac (Finder), or a Windows PC with the Apple Devices app or iTunes; on Linux, `irescue restore`';
const ACCOUNT_AFTER = 'the Apple Account email and password afterwards, if Find My was on (Activation Lock)';

export const ROUTES: Record<string, RouteDef> = {
  'previous-passcode': {
    id: 'previous-passcode',
    title: 'Passcode Reset with the previous passcode (72 h)',
    keepsData: true,
    minIos: '17',
    requires: ['the passcode you used before the current one', 'the passcode was changed less than 72 hours ago'],
    steps: [
      'On the lock screen, enter a passcode until the {device} Unavailable screen shows "Forgot Passcode?" at the bottom.',
      'Tap "Forgot Passcode?", then "Enter Previous Passcode".',
      'Enter the old passcode and choose a new one. Nothing is erased.',
    ],
    notes: ['The window ends early if "Expire Previous Passcode Now" was tapped in Settings > Face ID (or Touch ID) & Passcode.'],
    source: APPLE.previousPasscode,
  },
  'start-reset': {
    id: 'start-reset',
    title: 'Start {device} Reset on the lock screen',
    keepsData: false,
    minIos: '17',
    requires: ['the Apple Account email and password used on the {device}', 'a Wi-Fi or cellular connection on the {device}'],
    steps: [
      'Enter a passcode until the {device} Unavailable (Security Lockout) screen shows "Forgot Passcode?".',
      'Tap "Forgot Passcode?", then "Start {device} Reset".',
      'Enter the Apple Account password: this signs the {device} out and turns off Activation Lock.',
      'With an eSIM, choose whether to keep it or erase it.',
      'When the {device} restarts, set it up and restore your latest backup.',
    ],
    source: APPLE.forgotPasscode,
  },
  'lock-screen-erase': {
    id: 'lock-screen-erase',
    title: 'Erase {device} on the Security Lockout screen',
    keepsData: false,
    minIos: '15.2',
    untilIos: '17',
    requires: ['the Apple Account email and password used on the {device}', 'a Wi-Fi or cellular connection on the {device}'],
    steps: [
      'Enter a passcode until the {device} Unavailable or Security Lockout screen shows "Erase {device}" at the bottom.',
      'Tap "Erase {device}", then again to confirm.',
      'Enter the Apple Account password: this signs the {device} out and turns off Activation Lock.',
      'When the {device} restarts, set it up and restore your latest backup.',
    ],
    source: APPLE.forgotPasscode,
  },
  'recovery-restore': {
    id: 'recovery-restore',
    title: 'Recovery Mode restore with a computer',
    keepsData: false,
    requires: [COMPUTER, 'a USB cable', 'an internet connection on the computer', ACCOUNT_AFTER],
    usesRecoveryMode: true,
    steps: [
      'Turn the {device} off and put it into Recovery Mode (instructions for your model below).',
      'On the computer, find the {device} in Finder, the Apple Devices app or iTunes, and choose Restore (Update does not remove a passcode). Or run `irescue restore`.',
      'Wait while the computer downloads the newest iOS Apple signs for the {device} and installs it.',
      'Set the {device} up and restore your latest backup.',
    ],
    source: APPLE.forgotPasscode,
  },
  'find-my-erase': {
    id: 'find-my-erase',
    title: 'Erase the {device} with Find My (iCloud.com or another Apple device)',
    keepsData: false,
    requires: ['Find My was on', 'the Apple Account email and password', 'the locked {device} is online (Wi-Fi or cellular)'],
    steps: [
      'Sign in at icloud.com/find, or open Find My on another Apple device signed in to the same account.',
      'Select the {device}, then "Erase This Device", and confirm.',
      'When it restarts, set it up with the same Apple Account and restore your latest backup.',
    ],
    notes: ['Choose "Remove from Account" only when you are giving the device away: it turns off Activation Lock.'],
    source: APPLE.findMy,
  },
  'wait-and-retry': {
    id: 'wait-and-retry',
    title: 'Wait for the timer, then enter the right passcode',
    keepsData: true,
    requires: ['you remember the passcode', 'the {device} still offers another attempt'],
    steps: [
      'Leave the {device} on and charging; do not restart it.',
      'When the timer ends, type the passcode slowly. Repeating the same wrong passcode does not use up an attempt.',
    ],
    source: APPLE.passcodeSecurity,
  },
  'screen-time-reset': {
    id: 'screen-time-reset',
    title: 'Reset the Screen Time passcode with your Apple Account',
    keepsData: true,
    minIos: '13.4',
    requires: ['the Apple Account email and password used when the Screen Time passcode was set (it may differ from the one signed in)'],
    steps: [
      'Open Settings > Screen Time.',
      'Tap "Change Screen Time Passcode", then "Change Screen Time Passcode" again.',
      'Tap "Forgot Passcode?", enter that Apple Account, and choose a new Screen Time passcode.',
    ],
    source: APPLE.screenTime,
  },
  'screen-time-family': {
    id: 'screen-time-family',
    title: 'The family organiser resets a child\'s Screen Time passcode',
    keepsData: true,
    minIos: '13.4',
    requires: ['the child is in Family Sharing', 'the organiser\'s own device with its Face ID, Touch ID or passcode'],
    steps: [
      'On the organiser\'s device, open Settings > Screen Time and choose the child.',
      'Tap "Change Screen Time Passcode" and confirm with Face ID, Touch ID or the device passcode.',
      'Enter a new Screen Time passcode for the child.',
    ],
    source: APPLE.screenTime,
  },
  'screen-time-erase': {
    id: 'screen-time-erase',
    title: 'Erase and set up again without the Screen Time passcode',
    keepsData: false,
    requires: ['the device passcode (to erase from Settings) or a computer (Recovery Mode restore)', 'a backup made before the Screen Time passcode was set, or none'],
    steps: [
      'Back up what you can first (photos and messages via iCloud).',
      'Erase from Settings > General > Transfer or Reset {device} > Erase All Content and Settings, or restore in Recovery Mode.',
      'Set up as new, or restore a backup made before the Screen Time passcode was set: a later backup brings the passcode back.',
    ],
    source: APPLE.screenTime,
  },
  'backup-password-search': {
    id: 'backup-password-search',
    title: 'Find the backup password: saved copies, likely candidates, `irescue recover`',
    keepsData: true,
    requires: ['the encrypted backup on this computer'],
    steps: [
      'On a Mac, open Keychain Access and search for "iOS Backup" or "iPhone Backup" (the account name is the device UDID); on Windows, backup tools such as iMazing may have stored it in Credential Manager.',
      'Try the passwords Apple suggests: blank, your Apple Account password, your computer login, email, Wi-Fi and old passwords, including ones from years ago.',
      'Remember that the password may come from an old device moved over by backup or Quick Start, or from a tool such as iMazing, 3uTools or idevicebackup2.',
      'Let irescue try your candidates and variations: `irescue recover <backup> --hint WORD --common` (see `irescue recover --help`).',
    ],
    source: APPLE.encryptedBackups,
  },
  'reset-all-settings': {
    id: 'reset-all-settings',
    title: 'Reset All Settings on the device to remove the backup password',
    keepsData: true,
    minIos: '11',
    requires: ['the device passcode'],
    steps: [
      'On the {device}, open Settings > General > Transfer or Reset {device} > Reset > Reset All Settings and enter the passcode.',
      'This keeps your data but resets settings such as wallpaper, layout, brightness and network settings, and removes the backup password.',
      'Make a new encrypted backup with a password you will remember (store it in a password manager).',
    ],
    notes: ['Backups already made with the old password stay unreadable without it.'],
    source: APPLE.encryptedBackups,
  },
  'forced-encryption': {
    id: 'forced-encryption',
    title: 'Check whether a profile forces backup encryption ("I never set a password")',
    keepsData: true,
    requires: ['the unlocked device'],
    steps: [
      'Open Settings > General > VPN & Device Management: a work, school or Exchange profile can force encrypted backups.',
      'If one is installed, the password may come from that organisation\'s policy: ask its IT support, or remove the profile if it is yours to remove.',
    ],
    source: APPLE.encryptedBackups,
  },
  'backup-password-erase-old-ios': {
    id: 'backup-password-erase-old-ios',
    title: 'Before iOS 11: erase the device to set a new backup password',
    keepsData: false,
    untilIos: '11',
    requires: ['the device passcode or a computer'],
    steps: [
      'Before iOS 11 the backup password could only be removed by erasing the device (or by remembering it).',
      'Erase in Settings > General > Reset > Erase All Content and Settings, or restore in Recovery Mode, then set up as new.',
    ],
    source: APPLE.encryptedBackups,
  },
  'account-reset-trusted-device': {
    id: 'account-reset-trusted-device',
    title: 'Reset the Apple Account password on a device you are signed in to',
    keepsData: true,
    requires: ['an iPhone, iPad or Mac signed in to the account, and its passcode or login password'],
    steps: [
      'On that device, open Settings > [your name] > Sign-In & Security > Change Password.',
      'Enter the device passcode, then choose a new Apple Account password.',
    ],
    source: APPLE.appleAccountPassword,
  },
  'account-reset-iforgot': {
    id: 'account-reset-iforgot',
    title: 'Reset the password at iforgot.apple.com (or the Apple Support app on a borrowed device)',
    keepsData: true,
    requires: ['the account email or phone number', 'access to a trusted phone number, or a recovery key or recovery contact'],
    steps: [
      'Go to iforgot.apple.com and enter the Apple Account email or phone number.',
      'Follow the steps: a code goes to a trusted phone number or device.',
      'If Apple cannot confirm you quickly it starts account recovery: a waiting period, after which you get instructions. Avoid using devices signed in to the account meanwhile, which can restart the wait.',
    ],
    source: APPLE.appleAccountPassword,
  },
  'legacy-contact': {
    id: 'legacy-contact',
    title: 'Deceased owner: Legacy Contact request, or a court order',
    keepsData: true,
    requires: ['the Legacy Contact access key the owner set up (iOS 15.2 or later), and a death certificate', 'otherwise: a court order naming you as heir'],
    steps: [
      'If the owner named you Legacy Contact, request access at digital-legacy.apple.com with the access key and the death certificate.',
      'Without a Legacy Contact, Apple asks for a court order to give access to data or to remove Activation Lock.',
    ],
    source: APPLE.legacyContact,
  },
  'activation-sign-in': {
    id: 'activation-sign-in',
    title: 'Sign in with the Apple Account that was on the device',
    keepsData: true,
    requires: ['the Apple Account email and password that were signed in (reset the password at iforgot.apple.com if needed)'],
    steps: [
      'On the Activation Lock screen, enter that Apple Account email and password (or the device passcode, where offered).',
      'Forgot the password? Reset it first (situation apple-account), then sign in.',
    ],
    source: APPLE.activationLock,
  },
  'activation-remove-from-account': {
    id: 'activation-remove-from-account',
    title: 'The account owner removes the device from Find My',
    keepsData: true,
    requires: ['the person whose Apple Account is shown, signed in at icloud.com/find or in Find My'],
    steps: [
      'The owner signs in at icloud.com/find (or Find My on their device) and selects the device.',
      'They choose "Remove from Account" (erase it first if it is still listed online).',
      'Restart the device and set it up again.',
    ],
    source: APPLE.activationLock,
  },
  'activation-lock-request': {
    id: 'activation-lock-request',
    title: 'Activation Lock support request with proof of purchase',
    keepsData: false,
    requires: ['proof of purchase naming the device (receipt with serial number or IMEI/MEID, place and date)', 'the device is not in Lost Mode', 'the device is not managed by a business or school'],
    steps: [
      'Start a request at support.apple.com/activation-lock with the serial number and the proof of purchase.',
      'Apple reviews it and emails you. If granted, Activation Lock is removed and the device is erased: back up first if you still can.',
    ],
    source: APPLE.activationLockRequest,
  },
  'organisation-release': {
    id: 'organisation-release',
    title: 'Organisation-owned device: its administrator releases it (Apple Business or School Manager, MDM)',
    keepsData: false,
    requires: ['contact with the organisation that owns or manages the device'],
    steps: [
      'Ask the organisation\'s IT administrator. In Apple Business Manager or Apple School Manager they can turn off Activation Lock, or their MDM can issue an Activation Lock bypass code.',
      'To take the device out of management for good, they release it from their Apple Business or School Manager account; then erase it and set it up.',
    ],
    source: APPLE.businessManager,
  },
  'remove-own-profile': {
    id: 'remove-own-profile',
    title: 'Remove a management profile you installed yourself',
    keepsData: true,
    requires: ['the device passcode', 'the profile was installed by hand (not by Apple Business or School Manager)'],
    steps: [
      'Open Settings > General > VPN & Device Management and select the profile.',
      'Tap "Remove Management" (or "Remove Profile") and enter the passcode. If there is no remove button, the organisation controls it: ask them.',
    ],
    source: APPLE.deployment,
  },
  'force-restart': {
    id: 'force-restart',
    title: 'Force restart the {device}',
    keepsData: true,
    requires: [],
    usesRecoveryMode: true,
    steps: [
      'Use the same buttons as the "already connected" Recovery Mode sequence for your model, but let go as soon as the Apple logo appears.',
      'If the {device} starts normally, update it from Settings when it has power and Wi-Fi.',
    ],
    source: APPLE.restoreRecoveryMode,
  },
  'recovery-update': {
    id: 'recovery-update',
    title: 'Update from Recovery Mode (reinstalls iOS, keeps data)',
    keepsData: true,
    requires: [COMPUTER, 'a USB cable', 'an internet connection on the computer'],
    usesRecoveryMode: true,
    steps: [
      'Connect the {device} and put it into Recovery Mode (instructions below).',
      'On the computer choose Update, not Restore (or run `irescue restore --update`). This reinstalls iOS without erasing your data.',
      'If the update fails again, use a Recovery Mode restore (erases the device).',
    ],
    source: APPLE.restoreRecoveryMode,
  },
  'nearby-restore': {
    id: 'nearby-restore',
    title: 'Restore from a nearby iPhone or iPad (no computer)',
    keepsData: false,
    productTypes: NEARBY_RESTORE_TARGETS,
    requires: ['another iPhone or iPad with iOS or iPadOS 18 or later, unlocked and on Wi-Fi (not a captive or 802.1X network)', 'both devices on power'],
    steps: [
      'Connect the stuck {device} to power and place it next to the working device.',
      'On the working device, tap Continue on the "Restore Nearby {device}" message.',
      'Enter the six-digit code shown on the stuck {device}; the working device shares its Wi-Fi and the restore runs.',
    ],
    source: APPLE.reviveRestore,
  },
  'dfu-restore': {
    id: 'dfu-restore',
    title: 'DFU restore when Recovery Mode restores keep failing',
    keepsData: false,
    requires: [COMPUTER, 'a USB cable, connected directly (no hub)', 'an internet connection on the computer', ACCOUNT_AFTER],
    usesRecoveryMode: true,
    steps: [
      'Put the {device} into DFU mode (instructions below: the screen stays black).',
      'Restore it from Finder, the Apple Devices app, iTunes, Apple Configurator, or `irescue restore`.',
      'If DFU restores fail too, try another cable, port and computer; repeated failures point to a hardware fault for Apple to check.',
    ],
    source: APPLE.reviveRestore,
  },
  'ask-seller': {
    id: 'ask-seller',
    title: 'Ask the seller to remove the device from their Apple Account',
    keepsData: true,
    requires: ['a way to contact the previous owner'],
    steps: [
      'Ask them to sign in at icloud.com/find, select the device and choose "Remove from Account" (or sign out on the device if they still have it).',
      'Restart the device and set it up with your own Apple Account.',
    ],
    source: APPLE.activationLock,
  },
  'return-to-seller': {
    id: 'return-to-seller',
    title: 'Return it for a refund',
    keepsData: true,
    requires: ['the sale is still within the seller\'s or marketplace\'s return or buyer-protection period'],
    steps: [
      'A device still linked to someone else\'s Apple Account, or managed by an organisation, cannot be activated by you. Ask for a refund or use the marketplace\'s buyer protection.',
      'Before buying a used device, check that it shows the Hello screen, not a request for someone else\'s Apple Account or a Remote Management screen.',
    ],
    source: APPLE.activationLock,
  },
};

export const NEVER_BUILT: Record<string, NeverBuilt> = {
  'lock-screen-exploit': {
    id: 'lock-screen-exploit',
    what: 'unlocking a screen passcode without erasing, or skipping the attempt timer',
    why: 'The passcode protects the data with keys held in the Secure Enclave; getting past it without the passcode needs a security hole, and tools that claim to do it either erase the device (as Apple\'s own routes do, for free) or exploit flaws on old models. irescue does not do either.',
    instead: ['the routes below: previous passcode within 72 hours (iOS 17+), then an erase and a restore from your backup'],
    source: APPLE.passcodeSecurity,
  },
  'activation-lock-bypass': {
    id: 'activation-lock-bypass',
    what: 'removing or bypassing Activation Lock',
    why: 'Activation Lock is what makes a stolen iPhone worthless; only the account owner or Apple can lift it.',
    instead: ['sign in with the account (reset its password at iforgot.apple.com)', 'the Activation Lock support request with proof of purchase', 'for organisation devices, Apple Business or School Manager', 'for a deceased owner, Legacy Contact or a court order'],
    source: APPLE.activationLock,
  },
  'apple-id-removal': {
    id: 'apple-id-removal',
    what: 'removing someone\'s Apple Account from a device without its password',
    why: 'The account ties the device and its data to its owner; only the owner can release it.',
    instead: ['account recovery at iforgot.apple.com', 'the previous owner removes the device at icloud.com/find', 'Digital Legacy for a deceased owner'],
    source: APPLE.appleAccountPassword,
  },
  'mdm-bypass': {
    id: 'mdm-bypass',
    what: 'bypassing Remote Management (MDM) or Apple Business/School Manager enrolment',
    why: 'The device belongs to, or is registered by, an organisation; a bypass would break at the next erase anyway and may be theft of its property.',
    instead: ['the organisation releases the device from Apple Business or School Manager', 'return the device to the seller if you bought it second-hand'],
    source: APPLE.businessManager,
  },
  'carrier-unlock': {
    id: 'carrier-unlock',
    what: 'carrier (SIM) unlocking',
    why: 'Only the carrier can unlock a device from its network.',
    instead: ['ask the carrier that sold the device to unlock it'],
    source: APPLE.activationLock,
  },
};

export const SITUATIONS: Record<SituationId, SituationDef> = {
  'forgot-passcode': {
    id: 'forgot-passcode',
    title: 'Forgot the screen passcode',
    question: 'I forgot the passcode that unlocks my {device}',
    summary: 'Every official route for a forgotten screen passcode erases the {device}, except the previous-passcode reset within 72 hours of a change on iOS 17 and later. Your data comes back from an iCloud or computer backup; Activation Lock asks for your Apple Account afterwards.',
    routes: ['previous-passcode', 'start-reset', 'lock-screen-erase', 'recovery-restore', 'find-my-erase'],
    never: ['lock-screen-exploit'],
    traps: ['restart-in-lockout', 'activation-lock-after-erase', 'signed-firmware-only', 'no-timer-bypass', 'recovery-timeout'],
    showDelays: true,
  },
  unavailable: {
    id: 'unavailable',
    title: '"{device} Unavailable" or Security Lockout',
    question: 'My {device} says "Unavailable", "Security Lockout" or "disabled"',
    summary: 'Too many wrong passcodes make the {device} wait longer after each attempt, then lock. If you remember the passcode, wait and retry; otherwise the routes are those for a forgotten passcode.',
    routes: ['wait-and-retry', 'previous-passcode', 'start-reset', 'lock-screen-erase', 'recovery-restore', 'find-my-erase'],
    never: ['lock-screen-exploit'],
    traps: ['restart-in-lockout', 'no-timer-bypass', 'activation-lock-after-erase', 'stolen-device-protection'],
    showDelays: true,
  },
  'screen-time': {
    id: 'screen-time',
    title: 'Forgot the Screen Time passcode',
    question: 'I forgot the Screen Time (Restrictions) passcode',
    summary: 'From iOS 13.4 the Screen Time passcode can be reset with the Apple Account used to set it, or by the family organiser for a child. Before that, only an erase removes it.',
    routes: ['screen-time-reset', 'screen-time-family', 'screen-time-erase'],
  },
  'backup-password': {
    id: 'backup-password',
    title: 'The backup asks for a password (forgotten, or never set)',
    question: 'Finder, iTunes or irescue asks for a backup password I don\'t know',
    summary: 'Encrypted backups cannot be opened without their password, and Apple cannot recover it. Look for saved copies and likely candidates; to make new backups, Reset All Settings (iOS 11 and later) removes the password from the device without erasing your data.',
    routes: ['backup-password-search', 'reset-all-settings', 'forced-encryption', 'backup-password-erase-old-ios'],
  },
  'apple-account': {
    id: 'apple-account',
    title: 'Forgot the Apple Account password',
    question: 'I forgot my Apple Account (Apple ID) password',
    summary: 'Reset it on a device already signed in, or at iforgot.apple.com; if Apple cannot confirm you, account recovery takes a waiting period. Nobody else can remove an Apple Account from your devices.',
    routes: ['account-reset-trusted-device', 'account-reset-iforgot', 'legacy-contact'],
    never: ['apple-id-removal'],
  },
  'activation-lock': {
    id: 'activation-lock',
    title: 'Activation Lock after an erase',
    question: 'After an erase my {device} asks for an Apple Account to activate',
    summary: 'Activation Lock survives every erase while Find My was on. It lifts when you sign in with that account, when its owner removes the device, or when Apple grants a request backed by proof of purchase.',
    routes: ['activation-sign-in', 'activation-remove-from-account', 'activation-lock-request', 'organisation-release', 'legacy-contact'],
    never: ['activation-lock-bypass'],
    traps: ['keychain-escrow-attempts'],
  },
  mdm: {
    id: 'mdm',
    title: 'Device managed by an organisation (Remote Management / MDM)',
    question: 'My {device} shows "Remote Management" or is managed by a company or school',
    summary: 'A device registered in Apple Business or School Manager enrols again after every erase. Only the organisation can release it.',
    routes: ['organisation-release', 'remove-own-profile', 'return-to-seller'],
    never: ['mdm-bypass'],
  },
  'stuck-recovery': {
    id: 'stuck-recovery',
    title: 'Stuck in Recovery Mode, on the Apple logo, or in a boot loop',
    question: 'My {device} is stuck on the Apple logo, restarts again and again, or shows the Recovery screen',
    summary: 'Try the routes that keep data first: a force restart, then an Update from Recovery Mode. A restore erases the {device} and is the last step.',
    routes: ['force-restart', 'recovery-update', 'nearby-restore', 'recovery-restore', 'dfu-restore'],
    traps: ['signed-firmware-only', 'recovery-timeout', 'activation-lock-after-erase'],
  },
  'second-hand': {
    id: 'second-hand',
    title: 'A second-hand device still linked to the previous owner',
    question: 'I bought a used {device} and it asks for someone else\'s Apple Account or passcode',
    summary: 'Only the previous owner (or the organisation that manages it) can release the device. Contact the seller; if they cannot or will not, return it.',
    routes: ['ask-seller', 'return-to-seller', 'activation-lock-request', 'organisation-release'],
    never: ['activation-lock-bypass', 'mdm-bypass', 'carrier-unlock'],
  },
};
