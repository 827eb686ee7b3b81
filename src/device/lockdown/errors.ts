/**
 * The one table that turns lockdownd's error strings into LockdownError with a message a person can
 * act on. Unknown strings still become LockdownError, naming the request and the device's word.
 */
import { LockdownError } from '../../errors.js';

const MESSAGES: Record<string, string> = {
  PasswordProtected: 'the device is locked with its passcode: unlock it (enter the passcode on the device) and try again',
  PairingDialogResponsePending: 'the device asks "Trust This Computer?": unlock it, tap Trust, enter the passcode, then try again',
  UserDeniedPairing: 'pairing was denied on the device ("Don\'t Trust"): unplug and replug it, then tap Trust',
  InvalidHostID: 'the device does not know this computer (its pair record is missing or was reset): pair again and tap Trust',
  InvalidPairRecord: 'the device rejected this computer\'s pair record: pair again and tap Trust',
  MissingPairRecord: 'no pair record for this device: pair first and tap Trust',
  PairingProhibitedOverThisConnection: 'the device refuses to pair over this connection: use a USB cable',
  MissingHostID: 'lockdownd needs a HostID: pair first',
  SessionInactive: 'this request needs a paired session: pair the device first (tap Trust)',
  InvalidSessionID: 'the lockdown session expired: try again',
  SessionActive: 'a lockdown session is already active on this connection',
  GetProhibited: 'the device does not give this value to an unpaired computer: pair it first (tap Trust)',
  SetProhibited: 'the device does not allow changing this value',
  MissingValue: 'the device has no such value',
  MissingKey: 'the request lacks a key lockdownd needs',
  InvalidService: 'the device does not offer this service (too old or too new iOS, or developer services not mounted)',
  MissingService: 'the request named no service',
  ServiceProhibited: 'the device refuses this service to this computer',
  ServiceLimit: 'the device has too many open service connections: unplug and replug it',
  EscrowLocked: 'the device has not been unlocked since it restarted: unlock it once with the passcode, then try again',
  MCProtected: 'a device management profile forbids this operation',
  MCChallengeRequired: 'the device management profile requires a challenge for pairing',
  FMiPProtected: 'Find My is on: this operation needs it turned off on the device',
  InvalidActivationRecord: 'the device\'s activation record is invalid',
  MissingActivationRecord: 'the device is not activated',
  InvalidResponse: 'lockdownd rejected the request as malformed',
};

export function lockdownErrorMessage(code: string): string | undefined {
  return MESSAGES[code];
}

/** `request` is the lockdownd request that failed (e.g. "Pair", "StartService com.apple.mobile.diagnostics_relay"). */
export function lockdownError(code: string, request: string, udid?: string): LockdownError {
  const text = MESSAGES[code] ?? `the device answered "${code}"`;
  const who = udid ? `device ${udid}` : 'device';
  return new LockdownError(code, `${who}: ${request} failed: ${text}`, { request, udid });
}

export const KNOWN_LOCKDOWN_ERRORS = Object.keys(MESSAGES);
