import { describe, expect, it } from 'vitest';
import { localDate, localDateTime } from '../src/format.ts';
import { formatPhone, normalizePhone } from '../src/phone.ts';

describe('phones and moments as a resident reads them', () => {
  it('a normalized Russian number is shown «+7 928 123-45-67»; another country’s is left as kept', () => {
    expect(formatPhone(normalizePhone('8 (928) 123-45-67')!)).toBe('+7 928 123-45-67');
    expect(formatPhone('+380441234567')).toBe('+380441234567');
  });
  it('dates and times in the branch’s timezone', () => {
    expect(localDate('2026-12-14T20:59:59Z', 'Europe/Moscow')).toBe('14.12.2026');
    expect(localDate('2026-12-14T21:00:00Z', 'Europe/Moscow')).toBe('15.12.2026');
    expect(localDateTime('2026-11-22T21:05:00Z', 'Europe/Moscow')).toBe('23.11.2026 00:05');
  });
});
