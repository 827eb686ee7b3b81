/**
 * --common: the bundled list of the most frequent passwords (data/common-passwords.txt, attributed
 * in data/README.md) interleaved with the most frequent 4- and 6-digit PINs, because people reuse
 * their device passcode as the backup password.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CorruptInputError } from '../../errors.js';
import { describeFsError } from '../../errors.js';
import { ListSource } from './list.js';
import { topPins } from './pins.js';

// src/recover/candidates -> repo root (and dist/recover/candidates the same way)
const DATA_FILE = fileURLToPath(new URL('../../../data/common-passwords.txt', import.meta.url));

export function loadCommonPasswords(file = DATA_FILE): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CorruptInputError(file, `bundled common-password list unreadable: ${describeFsError(e)}`);
  }
  return text.split('\n').map((l) => l.replace(/\r$/, '')).filter(Boolean);
}

/** Frequency order: the head of each list first, then the tails. */
function commonCandidates(passwords = loadCommonPasswords()): string[] {
  const pins4 = topPins(4, 200);
  const pins6 = topPins(6, 200);
  return [...passwords.slice(0, 100), ...pins4.slice(0, 50), ...pins6.slice(0, 50), ...passwords.slice(100), ...pins4.slice(50), ...pins6.slice(50)];
}

export function commonSource(): ListSource {
  return new ListSource('common', 'common passwords and PINs', commonCandidates(), false);
}
