/**
 * Known answers for the backup key derivation: DESIGN.md §3's synthetic lines from hashcat's module
 * tests, password `hashcat`. The tests check every engine against all three; the run-time self-test
 * uses the one with a small DPIC (1,000 SHA-256 rounds, then 10,000 SHA-1), which covers both
 * hashes in a few milliseconds.
 */

export const KNOWN_PASSWORD = 'hashcat';

/** iOS < 10.2 (SHA-1 only), iOS 10.2+ with DPIC 1,000, iOS 10.2+ with the real DPIC 10,000,000. */
export const DESIGN_LINES = [
  '$itunes_backup$*9*ebd7f9b33293b2511f0a4139d5b213feff51476968863cef60ec38d720497b6ff39a0bb63fa9f84e*10000*2202015774208421818002001652122401871832**',
  '$itunes_backup$*10*17a3b858e79bc273be43a9f113b71efe7ec8e7e401396b350180b4592ef45db67ffef7b2d64329a5*10000*2721336781705041205314422175267631184867*1000*99fafc983e732998adb9fadc162a2e382143f115',
  '$itunes_backup$*10*8b715f516ff8e64442c478c2d9abb046fc6979ab079007d3dbcef3ddd84217f4c3db01362d88fa68*10000*2353363784073608264337337723324886300850*10000000*425b4bb4e200b5fd4c66979c9caca31716052063',
] as const;

/** The small-DPIC line's fields, for the self-test: the key from KNOWN_PASSWORD unwraps `wpky`. */
export const SELF_TEST_VECTOR = {
  wpky: Buffer.from('17a3b858e79bc273be43a9f113b71efe7ec8e7e401396b350180b4592ef45db67ffef7b2d64329a5', 'hex'),
  salt: Buffer.from('2721336781705041205314422175267631184867', 'hex'),
  iterations: 10000,
  dpsl: Buffer.from('99fafc983e732998adb9fadc162a2e382143f115', 'hex'),
  dpic: 1000,
} as const;
