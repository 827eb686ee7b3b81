/**
 * Public API of the device layer (re-exported by src/index.ts). Layers, each knowing only the one
 * below: usbmux → lockdown (plist framing, pairing, TLS) → device-link → services.
 */
export { listDevices, watchDevices, deviceInfo, enterRecovery, leaveRecovery, diagnosticsAction, modelLabel, ecidFromUdid } from './devices.js';
export type { DeviceSummary, DeviceMode, DeviceList, DeviceInfo, DeviceSources, DeviceChange } from './devices.js';
export { backupDevice, setBackupEncryption, infoPlistFromValues } from './backup.js';
export type { DeviceBackupOptions, DeviceBackupResult, EncryptionChange } from './backup.js';
export type { DeviceNotice, OnDeviceNotice } from './notices.js';
export { UsbmuxClient, UsbmuxError } from './usbmux/client.js';
export { resolveUsbmuxAddress, type UsbmuxAddress } from './usbmux/address.js';
export type { UsbmuxDevice, UsbmuxEvent } from './usbmux/messages.js';
export { LockdownClient, LOCKDOWN_PORT } from './lockdown/client.js';
export { openLockdown, pairDevice, type LockdownSession, type OpenLockdownOptions } from './lockdown/session.js';
export { generatePairRecord, type PairRecord } from './lockdown/pairing.js';
export { lockdownError, lockdownErrorMessage } from './lockdown/errors.js';
export { DiagnosticsClient, DIAGNOSTICS_SERVICE } from './services/diagnostics.js';
export { Mobilebackup2Client, Mobilebackup2Error, MOBILEBACKUP2_SERVICE } from './services/mobilebackup2.js';
export type { Connection } from './connection.js';
export type { UsbTransport, UsbDeviceRef, UsbHandle, UsbMode } from './usb/transport.js';
export { NodeUsbTransport, UsbUnavailableError } from './usb/node-usb.js';
export { parseIbootSerial, normalizeEcid, type IbootSerial } from './usb/serial.js';
export { listRecoveryDevices, exitRecovery, type RecoveryDevice } from './usb/recovery.js';
export { createLiveDeviceList, type LiveDeviceList, type LiveDeviceEvent, type DeviceWatchOptions } from './watch.js';
