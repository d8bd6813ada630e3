import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, todayIn } from '../src/billing/calendar.ts';
import {
  compareWithPrevious,
  formatReadingValue,
  parseReadingInput,
  parseReadingValue,
  parseTakenOn,
  PHYSICAL_CAP_MILLI_PER_MONTH,
  readingWindow,
} from '../src/billing/readings-rules.ts';

const meter = { digitsBefore: 5, digitsAfter: 3 };

describe('reading a typed value', () => {
  it('accepts the forms residents type', () => {
    expect(parseReadingValue('123', meter)).toEqual({ ok: true, milli: 123_000 });
    expect(parseReadingValue('123,45', meter)).toEqual({ ok: true, milli: 123_450 });
    expect(parseReadingValue('123.456', meter)).toEqual({ ok: true, milli: 123_456 });
    expect(parseReadingValue('00123,4', meter)).toEqual({ ok: true, milli: 123_400 });
    expect(parseReadingValue(' 1 234,5 ', meter)).toEqual({ ok: true, milli: 1_234_500 });
    expect(parseReadingValue('99999,999', meter)).toEqual({ ok: true, milli: 99_999_999 });
  });

  it('takes the unit typed after the value', () => {
    for (const typed of [
      '113,6 м3',
      '113.6 м³',
      '113,6 куб',
      '113,6м3.',
      '113,6 М3',
      '113,6 m3',
      '113,6 куб. м',
      '113,6 кубов',
      '113,6 кубометров',
      '113,600 м³',
    ])
      expect(parseReadingValue(typed, meter), typed).toEqual({ ok: true, milli: 113_600 });
    expect(parseReadingValue('м3', meter)).toEqual({ ok: false, error: 'empty' });
    expect(parseReadingValue('113,6 литров', meter)).toEqual({ ok: false, error: 'not_a_number' });
    expect(parseReadingValue('113,6 м3 м3', meter)).toEqual({ ok: false, error: 'not_a_number' });
    expect(parseReadingValue('-5 м3', meter)).toEqual({ ok: false, error: 'negative' });
  });

  it('refuses with a reason', () => {
    expect(parseReadingValue('12a', meter)).toEqual({ ok: false, error: 'not_a_number' });
    expect(parseReadingValue('сто', meter)).toEqual({ ok: false, error: 'not_a_number' });
    expect(parseReadingValue('-5', meter)).toEqual({ ok: false, error: 'negative' });
    expect(parseReadingValue('1,2345', meter)).toEqual({ ok: false, error: 'too_many_decimals' });
    expect(parseReadingValue('12,34', { digitsBefore: 5, digitsAfter: 1 })).toEqual({ ok: false, error: 'too_many_decimals' });
    expect(parseReadingValue('12,30', { digitsBefore: 5, digitsAfter: 1 })).toEqual({ ok: true, milli: 12_300 });
    expect(parseReadingValue('123456', meter)).toEqual({ ok: false, error: 'too_many_digits' });
    expect(parseReadingValue('', meter)).toEqual({ ok: false, error: 'empty' });
    expect(parseReadingValue('1,2,3', meter)).toEqual({ ok: false, error: 'not_a_number' });
  });

  it('reads back whatever it writes (property)', () => {
    const meters = fc.record({ digitsBefore: fc.integer({ min: 1, max: 8 }), digitsAfter: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(meters, fc.nat(), (m, seed) => {
        const unit = 10 ** (3 - m.digitsAfter);
        const max = 10 ** m.digitsBefore * 1000 - 1;
        const milli = Math.floor((seed % (max + 1)) / unit) * unit;
        const text = formatReadingValue(milli, m);
        expect(parseReadingValue(text, m)).toEqual({ ok: true, milli });
        expect(parseReadingValue(` 000${text.replace(',', '.')} `, m)).toEqual({ ok: true, milli });
      }),
    );
  });
});

describe('the window for passing readings', () => {
  it('counts inside the window for this month, after it for the next, before it once it opens', () => {
    expect(readingWindow('2026-11-22', 20, 25)).toEqual({ open: true, period: '2026-11-01', opensOn: '2026-11-20', closesOn: '2026-11-25' });
    expect(readingWindow('2026-11-26', 20, 25)).toEqual({ open: false, period: '2026-12-01', opensOn: '2026-12-20', closesOn: '2026-12-25' });
    expect(readingWindow('2026-11-05', 20, 25)).toEqual({ open: false, period: '2026-11-01', opensOn: '2026-11-20', closesOn: '2026-11-25' });
    expect(readingWindow('2026-12-30', 20, 25)).toEqual({ open: false, period: '2027-01-01', opensOn: '2027-01-20', closesOn: '2027-01-25' });
    expect(readingWindow('2027-02-28', 15, 31)).toEqual({ open: true, period: '2027-02-01', opensOn: '2027-02-15', closesOn: '2027-02-28' });
  });

  it('always points at this month or the next, across month and year ends (property)', () => {
    const day = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) }).map((t) => new Date(t).toISOString().slice(0, 10));
    const window = fc.integer({ min: 1, max: 31 }).chain((from) => fc.tuple(fc.constant(from), fc.integer({ min: from, max: 31 })));
    fc.assert(
      fc.property(day, window, (today, [from, to]) => {
        const w = readingWindow(today, from, to);
        const month = today.slice(0, 7);
        expect([month, addMonths(month, 1)]).toContain(w.period.slice(0, 7));
        expect(w.opensOn <= w.closesOn).toBe(true);
        expect(w.opensOn.slice(0, 7)).toBe(w.period.slice(0, 7));
        if (w.open) expect(w.opensOn <= today && today <= w.closesOn).toBe(true);
        else expect(today < w.opensOn).toBe(true); // it will count: the window is ahead
      }),
    );
  });

  it('takes "today" in the branch timezone', () => {
    const lateEvening = new Date('2026-11-25T21:30:00Z'); // 26 November in Moscow, still the 25th in London
    expect(readingWindow(todayIn('Europe/Moscow', lateEvening), 20, 25).period).toBe('2026-12-01');
    expect(readingWindow(todayIn('Europe/London', lateEvening), 20, 25)).toMatchObject({ open: true, period: '2026-11-01' });
  });
});

describe('a new value against the previous one', () => {
  it('is never below it, and an unusual volume asks for confirmation', () => {
    expect(compareWithPrevious(50_000, null, null)).toEqual({ kind: 'first' });
    expect(compareWithPrevious(53_000, 54_000, 4_000)).toEqual({ kind: 'below_previous', previous: 54_000 });
    expect(compareWithPrevious(58_000, 54_000, 4_000)).toEqual({ kind: 'ok', volume: 4_000 });
    expect(compareWithPrevious(70_000, 54_000, 4_000)).toEqual({ kind: 'unusually_high', volume: 16_000, limit: 12_000 });
    expect(compareWithPrevious(160_000, 100_000, null)).toEqual({ kind: 'unusually_high', volume: 60_000, limit: PHYSICAL_CAP_MILLI_PER_MONTH });
  });

  it('is monotonic: a larger value never turns an accepted one into a refused one (property)', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.nat(100_000), fc.nat(100_000), fc.option(fc.nat(30_000)), (previous, a, b, usual) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(compareWithPrevious(previous + low, previous, usual).kind).not.toBe('below_previous');
        const r = compareWithPrevious(previous + high, previous, usual);
        if (r.kind === 'ok') expect(compareWithPrevious(previous + low, previous, usual).kind).toBe('ok');
        expect(compareWithPrevious(previous - 1 - low, previous, usual).kind).toBe(previous - 1 - low < previous ? 'below_previous' : 'ok');
      }),
    );
  });
});

describe('parseTakenOn', () => {
  it('reads the day as residents type it', () => {
    expect(parseTakenOn('20.11.2026')).toBe('2026-11-20');
    expect(parseTakenOn('5.1.2026')).toBe('2026-01-05');
    expect(parseTakenOn('20.11.26')).toBe('2026-11-20');
    expect(parseTakenOn(' 20/11/2026 ')).toBe('2026-11-20');
    expect(parseTakenOn('20.11.2026 г.')).toBe('2026-11-20');
  });
  it('refuses what is not a calendar day', () => {
    expect(parseTakenOn('30.02.2026')).toBeNull();
    expect(parseTakenOn('вчера')).toBeNull();
    expect(parseTakenOn('2026-11-20')).toBeNull();
    expect(parseTakenOn('20.13.2026')).toBeNull();
  });
});

describe('parseReadingInput', () => {
  const meter = { digitsBefore: 5, digitsAfter: 3 };
  it('a plus sign gives the volume since the last reading, without it the value', () => {
    expect(parseReadingInput('+2,5', meter)).toEqual({ ok: true, kind: 'volume', milli: 2_500 });
    expect(parseReadingInput(' + 2,5 м3', meter)).toEqual({ ok: true, kind: 'volume', milli: 2_500 });
    expect(parseReadingInput('61,5', meter)).toEqual({ ok: true, kind: 'value', milli: 61_500 });
    expect(parseReadingInput('+2,5555', meter)).toEqual({ ok: false, error: 'too_many_decimals' });
    expect(parseReadingInput('+', meter)).toEqual({ ok: false, error: 'empty' });
  });
});
