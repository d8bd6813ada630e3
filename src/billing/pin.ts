import { createHmac, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

// The account PIN (seed 000 §4) is short; a salted scrypt keeps a leaked table from giving it away.
const PARAMS = { N: 4096, r: 8, p: 1 } as const;

const scryptAsync = (pin: string, salt: Buffer, length: number) =>
  new Promise<Buffer>((resolve, reject) => scrypt(pin.normalize('NFC'), salt, length, PARAMS, (e, key) => (e ? reject(e) : resolve(key))));

const format = (salt: Buffer, hash: Buffer) => `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;

function parse(stored: string | null | undefined): { salt: Buffer; expected: Buffer } | null {
  if (!stored) return null;
  const [scheme, saltB64, hashB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !hashB64) return null;
  return { salt: Buffer.from(saltB64, 'base64'), expected: Buffer.from(hashB64, 'base64') };
}

export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  return format(salt, scryptSync(pin.normalize('NFC'), salt, 32, PARAMS));
}

export function verifyPin(pin: string, stored: string | null | undefined): boolean {
  const s = parse(stored);
  if (!s) return false;
  return timingSafeEqual(scryptSync(pin.normalize('NFC'), s.salt, s.expected.length, PARAMS), s.expected);
}

/** `hashPin` on libuv's thread pool: the event loop goes on while the ~14 ms of scrypt run. */
export async function hashPinAsync(pin: string): Promise<string> {
  const salt = randomBytes(16);
  return format(salt, await scryptAsync(pin, salt, 32));
}

/** `verifyPin` on libuv's thread pool. */
export async function verifyPinAsync(pin: string, stored: string | null | undefined): Promise<boolean> {
  const s = parse(stored);
  if (!s) return false;
  return timingSafeEqual(await scryptAsync(pin, s.salt, s.expected.length), s.expected);
}

/**
 * A cheap keyed fingerprint of an account's PIN, kept beside its hash so that an import can tell
 * an unchanged PIN without running scrypt. HMAC-SHA256 under a key that is not in the database
 * (IMPORT_PIN_KEY): a copy of the table alone gives nothing to guess PINs against, and the account
 * number in the message makes equal PINs of two accounts differ. Only a match is trusted; anything
 * else (no key, another key, a changed PIN) falls back to scrypt.
 */
export function pinFingerprint(key: string, accountNumber: string, pin: string): string {
  return createHmac('sha256', key)
    .update(`${accountNumber}\u0000${pin.normalize('NFC')}`)
    .digest('base64');
}
