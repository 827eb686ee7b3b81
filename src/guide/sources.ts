/**
 * Apple's own pages that the knowledge base cites, by name. Article numbers are Apple's current IDs
 * (legacy HT numbers still redirect); each route's `source` is one of these.
 */
export const APPLE = {
  forgotPasscode: 'https://support.apple.com/118430',
  previousPasscode: 'https://support.apple.com/105039',
  appleAccountPassword: 'https://support.apple.com/102656',
  iforgot: 'https://iforgot.apple.com',
  screenTime: 'https://support.apple.com/102677',
  encryptedBackups: 'https://support.apple.com/108353',
  activationLock: 'https://support.apple.com/108794',
  activationLockRequest: 'https://support.apple.com/activation-lock',
  findMy: 'https://www.icloud.com/find',
  legacyContact: 'https://support.apple.com/HT208510',
  stolenDeviceProtection: 'https://support.apple.com/120340',
  /** "If you can't update or restore your iPhone or iPod touch" (was HT201263) */
  restoreRecoveryMode: 'https://support.apple.com/118106',
  /** "Restore your iPhone, iPad, or iPod to factory settings using a computer" */
  factoryRestoreComputer: 'https://support.apple.com/118107',
  /** "Restore your iPhone or iPad with a nearby device" (iOS/iPadOS 18 and later) */
  nearbyRestore: 'https://support.apple.com/121133',
  /** "If your iPhone is stuck on the Apple logo" */
  stuckAppleLogo: 'https://support.apple.com/102474',
  /** "If you can't remember the password for your encrypted backup" */
  forgottenBackupPassword: 'https://support.apple.com/108313',
  /** "How to use account recovery when you can't reset your Apple Account password" (was HT204921) */
  accountRecovery: 'https://support.apple.com/118574',
  restoreErrors: 'https://support.apple.com/HT201444',
  reviveRestore: 'https://support.apple.com/guide/platform-support/sup5ad76a73c/web',
  passcodeSecurity: 'https://support.apple.com/guide/security/sec20230a10d/web',
  platformSecurity: 'https://support.apple.com/guide/security/welcome/web',
  businessManager: 'https://support.apple.com/guide/apple-business-manager/welcome/web',
  deployment: 'https://support.apple.com/guide/deployment/welcome/web',
} as const;

export type AppleSource = (typeof APPLE)[keyof typeof APPLE];
