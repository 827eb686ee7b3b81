/**
 * The lockout knowledge base: for each situation, Apple's official routes in order of preference,
 * with the conditions under which each applies, whether it keeps data, what it needs, the steps and
 * the Apple page it comes from. Facts from shared/APPLE-FACTS.md, written in our own words.
 * `{device}` is replaced by "iPhone" or "iPad". Bump KNOWLEDGE_VERSION whenever a fact changes.
 */
import { APPLE } from '../sources.js';
import { ROUTES } from './routes.js';
import type { RouteText } from '../route-types.js';

export { ROUTES };

export const KNOWLEDGE_VERSION = '2026-12-02.1';

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

export interface RouteDef extends RouteText {
  /** applies from this iOS version on ("17", "15.2") */
  minIos?: string;
  /** applies only below this iOS version */
  untilIos?: string;
  /** only these ProductTypes (features tied to hardware) */
  productTypes?: readonly string[];
  /** attach the model's Recovery/DFU instructions to this route */
  usesRecoveryMode?: boolean;
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
  /** a lockout: open the answer with guide/lockout.ts's "Do this first" list */
  lockout?: boolean;
}

export const NEVER_BUILT: Record<string, NeverBuilt> = {
  'lock-screen-exploit': {
    id: 'lock-screen-exploit',
    what: 'unlocking a screen passcode without erasing, or skipping the attempt timer',
    why: 'The passcode protects the data with keys held in the Secure Enclave; getting past it without the passcode needs a security hole, and tools that claim to do it either erase the device (as Apple\'s own routes do, for free) or exploit flaws on old models. irescue does not do either.',
    instead: ['Apple\'s routes in this guide: the previous passcode within 72 hours (iOS 17+), then an erase and a restore from your backup'],
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
    traps: ['locked-no-backup', 'no-backup-loses', 'restart-in-lockout', 'activation-lock-after-erase', 'signed-firmware-only', 'recovery-timeout', 'no-timer-bypass', 'stolen-device-protection', 'put-data-back'],
    showDelays: true,
    lockout: true,
  },
  unavailable: {
    id: 'unavailable',
    title: '"{device} Unavailable" or Security Lockout',
    question: 'My {device} says "Unavailable", "Security Lockout" or "disabled"',
    summary: 'Too many wrong passcodes make the {device} wait longer after each attempt, then lock. If you remember the passcode, wait and retry; otherwise the routes are those for a forgotten passcode.',
    routes: ['wait-and-retry', 'previous-passcode', 'start-reset', 'lock-screen-erase', 'recovery-restore', 'find-my-erase'],
    never: ['lock-screen-exploit'],
    traps: ['locked-no-backup', 'no-backup-loses', 'restart-in-lockout', 'activation-lock-after-erase', 'signed-firmware-only', 'recovery-timeout', 'no-timer-bypass', 'stolen-device-protection', 'put-data-back'],
    showDelays: true,
    lockout: true,
  },
  'screen-time': {
    id: 'screen-time',
    title: 'Forgot the Screen Time passcode',
    question: 'I forgot the Screen Time (Restrictions) passcode',
    summary: 'From iOS 13.4 the Screen Time passcode can be reset with the Apple Account used to set it, or by the family organiser for a child. Before that, only an erase removes it.',
    routes: ['screen-time-from-backup', 'screen-time-reset', 'screen-time-family', 'screen-time-erase'],
    traps: ['no-backup-loses'],
  },
  'backup-password': {
    id: 'backup-password',
    title: 'The backup asks for a password (forgotten, or never set)',
    question: 'Finder, iTunes or irescue asks for a backup password I don\'t know',
    summary: 'Encrypted backups cannot be opened without their password, and Apple cannot recover it. Look for saved copies and likely candidates; to make new backups, Reset All Settings (iOS 11 and later) removes the password from the device without erasing your data.',
    routes: ['backup-password-search', 'reset-all-settings', 'forced-encryption', 'backup-password-erase-old-ios'],
    traps: ['backup-overwrite', 'no-backup-loses'],
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
    routes: ['force-restart', 'recovery-assistant', 'recovery-environment', 'recovery-update', 'nearby-restore', 'recovery-restore', 'dfu-restore'],
    traps: ['signed-firmware-only', 'recovery-timeout', 'no-backup-loses', 'activation-lock-after-erase', 'put-data-back'],
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
