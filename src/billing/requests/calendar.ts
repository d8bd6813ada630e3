import { addDays, atLocalHour } from '../calendar.ts';

/** A branch's visiting calendar: which days and hours an inspector comes. */
export interface VisitCalendar {
  timezone: string;
  /** ISO weekdays, 1 = Monday. */
  days: ReadonlySet<number>;
  hourFrom: number;
  hourTo: number;
  daysOff: ReadonlySet<string>;
}

export function visitCalendar(b: { timezone: string; visitDays: string; visitHourFrom: number; visitHourTo: number; daysOff?: string | null }): VisitCalendar {
  return {
    timezone: b.timezone,
    days: new Set([...b.visitDays].map(Number)),
    hourFrom: b.visitHourFrom,
    hourTo: b.visitHourTo,
    daysOff: new Set(
      (b.daysOff ?? '')
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean),
    ),
  };
}

const isoWeekday = (date: string): number => {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
};

export const isWorkingDay = (c: VisitCalendar, date: string): boolean => c.days.has(isoWeekday(date)) && !c.daysOff.has(date);

/** The next `n` working days after `today` (today itself excluded: a visit is arranged at least a day ahead). */
export function workingDaysAfter(c: VisitCalendar, today: string, n: number): string[] {
  const out: string[] = [];
  let d = today;
  for (let guard = 0; out.length < n && guard < 370; guard++) {
    d = addDays(d, 1);
    if (isWorkingDay(c, d)) out.push(d);
  }
  return out;
}

/** The moment a branch-local date and hour is: the one conversion of the house (billing/calendar.ts). */
export const localMoment = (timezone: string, date: string, hour: number): Date => atLocalHour(date, hour, timezone);
