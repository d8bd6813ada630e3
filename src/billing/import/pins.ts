import { hashPinAsync, pinFingerprint, verifyPinAsync } from '../pin.ts';
import { JSON_PARAM, jsonParam, type Exec } from './write.ts';

/** scrypt runs at most this many at once on libuv's thread pool (4 threads by default). */
const AT_ONCE = 8;

/**
 * The accounts of a batch with their PINs replaced by what is stored: `pin_hash` (null: no PIN
 * given, the stored one stays) and `pin_fp`, the PIN's keyed fingerprint (pin.ts). A PIN whose
 * fingerprint matches the stored one keeps its hash without scrypt; otherwise one that verifies
 * against the stored hash keeps it, and only a new or changed PIN is hashed anew. scrypt runs
 * on the thread pool, never on the event loop; the PIN itself goes nowhere.
 */
export async function checkPins(exec: Exec, accounts: Record<string, unknown>[], key: string | null): Promise<Record<string, unknown>[]> {
  const withPin = accounts.filter((a) => a.pin);
  const stored = new Map<string, { pin_hash: string | null; pin_fingerprint: string | null }>();
  if (withPin.length) {
    const found = await exec<{ long_number: string; pin_hash: string | null; pin_fingerprint: string | null }>(
      `select long_number, pin_hash, pin_fingerprint from account where long_number in (select json_array_elements_text(${JSON_PARAM}))`,
      jsonParam(withPin.map((a) => a.long_number)),
    );
    for (const f of found) stored.set(f.long_number, f);
  }
  const settle = async (a: Record<string, unknown>) => {
    const { pin, ...row } = a as { pin: string | null; long_number: string };
    if (!pin) return { ...row, pin_hash: null, pin_fp: null };
    const before = stored.get(row.long_number);
    const fp = key ? pinFingerprint(key, row.long_number, pin) : null;
    if (before?.pin_hash && fp !== null && before.pin_fingerprint === fp) return { ...row, pin_hash: before.pin_hash, pin_fp: fp };
    if (before?.pin_hash && (await verifyPinAsync(pin, before.pin_hash))) return { ...row, pin_hash: before.pin_hash, pin_fp: fp };
    return { ...row, pin_hash: await hashPinAsync(pin), pin_fp: fp };
  };
  const out: Record<string, unknown>[] = new Array(accounts.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: AT_ONCE }, async () => {
      while (next < accounts.length) {
        const i = next++;
        out[i] = await settle(accounts[i]!);
      }
    }),
  );
  return out;
}
