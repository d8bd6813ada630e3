import { describe, expect, it } from 'vitest';
import { parseAreaLines, parseExpectedEnd, parseOutageTimes } from '../src/billing/outages/parse.ts';

const TZ = 'Europe/Moscow';
/** 22 November 2026, 12:00 in Moscow. */
const NOW = new Date('2026-11-22T09:00:00Z');
const iso = (r: { startsAt: Date; endsAt: Date } | null) => r && [r.startsAt.toISOString(), r.endsAt.toISOString()];

describe('what operators type at the desk', () => {
  it('streets with houses, one a line; «все» for every house; a street named with a number', () => {
    expect(parseAreaLines('Ермакова 7, 9, 12 к2\nПятигорская все\n8 Марта д. 5')).toEqual({
      ok: true,
      lines: [
        { line: 'Ермакова 7, 9, 12 к2', street: 'Ермакова', houses: ['7', '9', '12 к2'] },
        { line: 'Пятигорская все', street: 'Пятигорская', houses: null },
        { line: '8 Марта д. 5', street: '8 Марта', houses: ['5'] },
      ],
    });
    expect(parseAreaLines('Ермакова')).toEqual({ ok: false, line: 'Ермакова' });
    expect(parseAreaLines('  ')).toEqual({ ok: false, line: '' });
  });

  it('from–to in the branch’s time: with dates, today, «до …» from now, over midnight; nonsense is refused', () => {
    expect(iso(parseOutageTimes('02.12 09:00 – 02.12 18:00', TZ, NOW))).toEqual(['2026-12-02T06:00:00.000Z', '2026-12-02T15:00:00.000Z']);
    expect(iso(parseOutageTimes('13:00-17:30', TZ, NOW))).toEqual(['2026-11-22T10:00:00.000Z', '2026-11-22T14:30:00.000Z']);
    expect(iso(parseOutageTimes('до 18:00', TZ, NOW))).toEqual([NOW.toISOString(), '2026-11-22T15:00:00.000Z']);
    expect(iso(parseOutageTimes('с 22:00 до 06:00', TZ, NOW))).toEqual(['2026-11-22T19:00:00.000Z', '2026-11-23T03:00:00.000Z']);
    // Typed in late December: January is next year.
    expect(iso(parseOutageTimes('05.01 09:00 – 05.01 12:00', TZ, new Date('2026-12-28T09:00:00Z')))).toEqual([
      '2027-01-05T06:00:00.000Z',
      '2027-01-05T09:00:00.000Z',
    ]);
    for (const bad of ['завтра', '31.02 10:00 – 11:00', '25:00 – 26:00', '10:00', '']) expect(parseOutageTimes(bad, TZ, NOW), bad).toBeNull();
  });

  it('a new expected end: today, or tomorrow if that hour has passed', () => {
    expect(parseExpectedEnd('18:00', TZ, NOW)?.toISOString()).toBe('2026-11-22T15:00:00.000Z');
    expect(parseExpectedEnd('10:00', TZ, NOW)?.toISOString()).toBe('2026-11-23T07:00:00.000Z');
    expect(parseExpectedEnd('03.12 10:00', TZ, NOW)?.toISOString()).toBe('2026-12-03T07:00:00.000Z');
    expect(parseExpectedEnd('вечером', TZ, NOW)).toBeNull();
  });
});
