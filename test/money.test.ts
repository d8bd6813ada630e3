import { describe, expect, it } from 'vitest';
import { chargeFor, formatScaled, kopecksFrom, milliFrom, parseScaled } from '../src/money/exact.ts';

describe('exact money and volumes', () => {
  it('parses roubles with a point or a comma, with spaces, into kopecks', () => {
    expect(kopecksFrom('1141.42')).toBe(114142);
    expect(kopecksFrom('1 141,42')).toBe(114142);
    expect(kopecksFrom('-33.13')).toBe(-3313);
    expect(kopecksFrom('470.4')).toBe(47040);
    expect(kopecksFrom('0')).toBe(0);
    expect(kopecksFrom('1.230')).toBe(123); // trailing zeros beyond the scale are exact
  });

  it('refuses what is not exact', () => {
    expect(kopecksFrom('1.234')).toBeNull();
    expect(kopecksFrom('12a')).toBeNull();
    expect(kopecksFrom('')).toBeNull();
    expect(parseScaled('99999999999999999999', 2)).toBeNull();
  });

  it('formats back to the same decimal', () => {
    for (const text of ['0.00', '0.05', '-0.05', '1141.42', '-470.46', '123456789.01']) {
      expect(formatScaled(kopecksFrom(text)!, 2)).toBe(text);
    }
    expect(formatScaled(milliFrom('18,271')!, 3)).toBe('18.271');
    expect(milliFrom('18.2716')).toBeNull();
  });

  it('charges volume × tariff to the kopeck, rounding half up', () => {
    expect(chargeFor(4_500, 5_210)).toBe(23_445); // 4.5 m³ × 52.10 ₽ = 234.45 ₽
    expect(chargeFor(18_272, 4_814)).toBe(87_961); // 18.272 m³ × 48.14 ₽ = 879.61408 ₽
    expect(chargeFor(1_000, 1_005)).toBe(1_005);
    expect(chargeFor(500, 1)).toBe(1); // 0.5 kopeck rounds up
  });
});
