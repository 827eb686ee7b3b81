/**
 * How to put each family of devices into Recovery mode (both ways Apple describes: hold a button
 * while connecting a switched-off device, or a button sequence while connected) and into DFU mode
 * (not documented by Apple for consumers: the sequences widely used by repair shops and
 * Apple Configurator users). Our own wording of the facts in shared/APPLE-FACTS.md §1.4-§1.5.
 */
import type { DeviceKind, DeviceModel, RecoveryFamily } from '../models/models.js';
import { APPLE } from './sources.js';

export interface ModeInstructions {
  family: RecoveryFamily;
  /** which devices this family covers, for people who do not know their model */
  covers: string;
  turnOff: string;
  recovery: {
    /** Apple's forgot-passcode article: device off, hold one button, connect the cable */
    holdWhileConnecting: string[];
    /** Apple's restore article: the device is already connected */
    sequenceWhileConnected: string[];
    /** what the screen shows when it worked */
    screen: string;
  };
  dfu: {
    steps: string[];
    screen: string;
    /** true when Apple documents these steps; false for community sequences */
    documentedByApple: boolean;
  };
  source: string;
}

const RECOVERY_SCREEN = 'a picture of a computer and a cable (older models: a cable and the iTunes logo)';
const DFU_SCREEN = 'nothing: the screen stays black, yet the computer sees the device. If the Apple logo or the Recovery screen appears, you held a button too long: start again';

const FAMILIES: Record<RecoveryFamily, Omit<ModeInstructions, 'family' | 'source'>> = {
  'face-id-or-8': {
    covers: 'iPhone 8, 8 Plus, X and every later iPhone, including iPhone SE (2nd and 3rd generation)',
    turnOff: 'Hold the side button together with either volume button until the power-off slider appears, then drag it.',
    recovery: {
      holdWhileConnecting: [
        'Turn the {device} off and unplug it.',
        'Press and keep holding the side button.',
        'Still holding it, connect the {device} to the computer with the cable.',
        'Let go only when the Recovery Mode screen appears.',
      ],
      sequenceWhileConnected: [
        'Connect the {device} to the computer.',
        'Press and quickly release volume up.',
        'Press and quickly release volume down.',
        'Press and hold the side button; keep holding through the Apple logo until the Recovery Mode screen appears.',
      ],
      screen: RECOVERY_SCREEN,
    },
    dfu: {
      steps: [
        'Connect the {device} to the computer.',
        'Press and quickly release volume up, then volume down.',
        'Press and hold the side button for about 10 seconds, until the screen turns black.',
        'Keep holding the side button and also press and hold volume down for about 5 seconds.',
        'Release the side button but keep holding volume down for another 5 to 10 seconds.',
      ],
      screen: DFU_SCREEN,
      documentedByApple: false,
    },
  },
  'iphone-7': {
    covers: 'iPhone 7 and iPhone 7 Plus',
    turnOff: 'Hold the side button until the power-off slider appears, then drag it.',
    recovery: {
      holdWhileConnecting: [
        'Turn the {device} off and unplug it.',
        'Press and keep holding the volume down button.',
        'Still holding it, connect the {device} to the computer with the cable.',
        'Let go only when the Recovery Mode screen appears.',
      ],
      sequenceWhileConnected: [
        'Connect the {device} to the computer.',
        'Press and hold the side button and volume down together; keep holding through the Apple logo until the Recovery Mode screen appears.',
      ],
      screen: RECOVERY_SCREEN,
    },
    dfu: {
      steps: [
        'Connect the {device} to the computer.',
        'Press and hold the side button and volume down together for about 8 to 10 seconds.',
        'Release the side button but keep holding volume down for about 5 more seconds.',
      ],
      screen: DFU_SCREEN,
      documentedByApple: false,
    },
  },
  'home-button': {
    covers: 'iPhone 6s and earlier, and iPhone SE (1st generation)',
    turnOff: 'Hold the side button (top button on iPhone 5s and earlier, and on iPhone SE 1st generation) until the power-off slider appears, then drag it.',
    recovery: {
      holdWhileConnecting: [
        'Turn the {device} off and unplug it.',
        'Press and keep holding the Home button.',
        'Still holding it, connect the {device} to the computer with the cable.',
        'Let go only when the Recovery Mode screen appears.',
      ],
      sequenceWhileConnected: [
        'Connect the {device} to the computer.',
        'Press and hold the Home button and the side (or top) button together; keep holding through the Apple logo until the Recovery Mode screen appears.',
      ],
      screen: RECOVERY_SCREEN,
    },
    dfu: {
      steps: [
        'Connect the {device} to the computer.',
        'Press and hold the Home button and the side (or top) button together for about 8 to 10 seconds.',
        'Release the side (or top) button but keep holding Home until the computer reports a device in DFU mode.',
      ],
      screen: DFU_SCREEN,
      documentedByApple: false,
    },
  },
  'ipad-no-home': {
    covers: 'iPads without a Home button: Face ID models and those with Touch ID in the top button (iPad Air 4th generation and later, iPad mini 6th generation and later, iPad 10th generation and iPad A16)',
    turnOff: 'Hold the top button together with either volume button until the power-off slider appears, then drag it.',
    recovery: {
      holdWhileConnecting: [
        'Turn the {device} off and unplug it.',
        'Press and keep holding the top button.',
        'Still holding it, connect the {device} to the computer with the cable.',
        'Let go only when the Recovery Mode screen appears.',
      ],
      sequenceWhileConnected: [
        'Connect the {device} to the computer.',
        'Press and quickly release the volume button nearest the top button.',
        'Press and quickly release the other volume button.',
        'Press and hold the top button until the Recovery Mode screen appears.',
      ],
      screen: RECOVERY_SCREEN,
    },
    dfu: {
      steps: [
        'Connect the {device} to the computer.',
        'Press and quickly release the volume button nearest the top button, then the other volume button.',
        'Press and hold the top button until the screen turns black (about 10 seconds).',
        'Keep holding the top button and also press and hold the volume button farthest from it for about 5 seconds.',
        'Release the top button but keep holding the volume button for about 10 more seconds.',
      ],
      screen: DFU_SCREEN,
      documentedByApple: false,
    },
  },
  'ipad-home': {
    covers: 'iPads with a Home button',
    turnOff: 'Hold the top button until the power-off slider appears, then drag it.',
    recovery: {
      holdWhileConnecting: [
        'Turn the {device} off and unplug it.',
        'Press and keep holding the Home button.',
        'Still holding it, connect the {device} to the computer with the cable.',
        'Let go only when the Recovery Mode screen appears.',
      ],
      sequenceWhileConnected: [
        'Connect the {device} to the computer.',
        'Press and hold the Home button and the top button together until the Recovery Mode screen appears.',
      ],
      screen: RECOVERY_SCREEN,
    },
    dfu: {
      steps: [
        'Connect the {device} to the computer.',
        'Press and hold the Home button and the top button together for about 8 to 10 seconds.',
        'Release the top button but keep holding Home until the computer reports a device in DFU mode.',
      ],
      screen: DFU_SCREEN,
      documentedByApple: false,
    },
  },
};

export const RECOVERY_FAMILIES = Object.keys(FAMILIES) as RecoveryFamily[];

function deviceWord(kind: DeviceKind | undefined): string {
  return kind === 'iPad' ? 'iPad' : 'iPhone';
}

/** Replaces the {device} placeholder in knowledge-base text. */
export function fillDevice(text: string, kind: DeviceKind | undefined): string {
  return text.replaceAll('{device}', deviceWord(kind));
}

export function modeInstructions(family: RecoveryFamily, kind?: DeviceKind): ModeInstructions {
  const f = FAMILIES[family];
  const k = kind ?? (family.startsWith('ipad') ? 'iPad' : 'iPhone');
  const fill = (s: string) => fillDevice(s, k);
  return {
    family,
    covers: f.covers,
    turnOff: f.turnOff,
    recovery: {
      holdWhileConnecting: f.recovery.holdWhileConnecting.map(fill),
      sequenceWhileConnected: f.recovery.sequenceWhileConnected.map(fill),
      screen: f.recovery.screen,
    },
    dfu: { steps: f.dfu.steps.map(fill), screen: f.dfu.screen, documentedByApple: f.dfu.documentedByApple },
    source: k === 'iPad' ? APPLE.reviveRestore : APPLE.forgotPasscode,
  };
}

/** Instructions for a model from the table; undefined when its family is not known (provisional rows). */
export function modeInstructionsFor(model: DeviceModel): ModeInstructions | undefined {
  return model.recoveryFamily ? modeInstructions(model.recoveryFamily, model.kind) : undefined;
}
