import type { SecretSpec } from '../schema';

/** Where random bytes come from: `crypto.randomBytes` in the CLI; injected so src/core stays pure. */
export type RandomBytes = (size: number) => Uint8Array;

const ALPHABETS: Record<NonNullable<SecretSpec['rotation']>['alphabet'], string> = {
  alphanumeric: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  hex: '0123456789abcdef',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  // printable ASCII without space, quotes and backslash, so the value survives shells and env files
  printable: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,-./:;<=>?@[]^_{|}~',
};

/**
 * A value of `length` characters drawn uniformly from the alphabet. Bytes at or above the
 * largest multiple of the alphabet size are rejected, so no character is more likely than
 * another (a plain `byte % n` would favour the first ones).
 */
export function generateSecretValue(length: number, alphabet: keyof typeof ALPHABETS, random: RandomBytes): Buffer {
  const chars = ALPHABETS[alphabet];
  const limit = 256 - (256 % chars.length);
  const out = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    for (const b of random(Math.max(16, (length - filled) * 2))) {
      if (b >= limit) continue;
      out[filled] = chars.charCodeAt(b % chars.length);
      filled += 1;
      if (filled === length) break;
    }
  }
  return out;
}

export function alphabetOf(name: keyof typeof ALPHABETS): string {
  return ALPHABETS[name];
}
