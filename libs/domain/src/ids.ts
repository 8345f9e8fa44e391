import { type Clock, systemClock } from './clock';

/** Returns `count` random bytes. Injected so tests can make ids deterministic. */
export type RandomBytes = (count: number) => Uint8Array;

export const cryptoRandomBytes: RandomBytes = (count) =>
  globalThis.crypto.getRandomValues(new Uint8Array(count));

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/** What an id names; `file` is an uploaded or produced file (FileService, ADR 9). */
export type IdKind = 'job' | 'node' | 'tenant' | 'key' | 'file' | 'lease' | 'posting';

const PREFIX: Record<IdKind, string> = {
  job: 'job_',
  node: 'node_',
  tenant: 'ten_',
  key: 'key_',
  file: 'file_',
  lease: 'lease_',
  posting: 'post_',
};

/**
 * A ULID (48 bits of milliseconds, 80 random bits; 26 characters that sort by creation time)
 * with a prefix that says what it names: `job_01jd8z...`.
 */
export function newId(
  kind: IdKind,
  clock: Clock = systemClock,
  random: RandomBytes = cryptoRandomBytes,
): string {
  let time = clock.now();
  let timePart = '';
  for (let i = 0; i < 10; i++) {
    timePart = ALPHABET[time % 32]! + timePart;
    time = Math.floor(time / 32);
  }
  const bytes = random(10);
  let bits = 0;
  let value = 0;
  let randomPart = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      randomPart += ALPHABET[(value >> bits) & 31]!;
    }
    value &= (1 << bits) - 1;
  }
  return PREFIX[kind] + timePart + randomPart;
}

const ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{26}$/;

export function isId(kind: IdKind, value: string): boolean {
  const prefix = PREFIX[kind];
  return value.startsWith(prefix) && ID_PATTERN.test(value.slice(prefix.length));
}
