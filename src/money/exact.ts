/**
 * Exact decimal <-> integer conversion for money (kopecks, scale 2) and volumes
 * (thousandths of m³, scale 3). PostgreSQL returns `numeric` as a string; we never
 * let a value pass through a float on its way in or out.
 */
const DECIMAL = /^([+-]?)(\d+)(?:[.,](\d*))?$/;

/** Parse a decimal string into an integer of `scale` fractional digits; null if not exact. */
export function parseScaled(text: string, scale: number): number | null {
  const m = DECIMAL.exec(text.trim().replace(/[\s\u00a0]/g, ''));
  if (!m) return null;
  const [, sign, whole = '0', frac = ''] = m;
  if (frac.length > scale && /[^0]/.test(frac.slice(scale))) return null;
  const digits = whole + frac.slice(0, scale).padEnd(scale, '0');
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return null;
  return sign === '-' && value !== 0 ? -value : value;
}

/** Format an integer of `scale` fractional digits as a plain decimal string (`-1234.50`). */
export function formatScaled(value: number, scale: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an exact integer amount: ${value}`);
  const negative = value < 0;
  const digits = String(Math.abs(value)).padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${frac}` : ''}`;
}

export const KOPECKS = 2;
export const MILLI = 3;

export const kopecksFrom = (text: string) => parseScaled(text, KOPECKS);
export const milliFrom = (text: string) => parseScaled(text, MILLI);
export const kopecksToDecimal = (k: number) => formatScaled(k, KOPECKS);
export const milliToDecimal = (m: number) => formatScaled(m, MILLI);

/** volume (thousandths of m³) × price (kopecks per m³) → kopecks, rounded half up as billing does. */
export function chargeFor(volumeMilli: number, priceKopecks: number): number {
  const product = BigInt(volumeMilli) * BigInt(priceKopecks);
  const sign = product < 0n ? -1n : 1n;
  const abs = product * sign;
  return Number(sign * ((abs + 500n) / 1000n));
}
