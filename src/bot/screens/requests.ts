import type { BranchInfo } from '../../billing/index.ts';

type T = (key: string, vars?: Record<string, string | number>) => string;

const formats = new Map<string, Intl.DateTimeFormat>();

/** An instant as the resident reads it in the branch's timezone: «23.11.2026 12:00». */
export function moment(iso: string, timezone: string): string {
  let f = formats.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    formats.set(timezone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.day}.${p.month}.${p.year} ${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}

/** The timezone of a branch by its code; the region's when the branch is unknown. */
export const timezoneOf = (branches: readonly BranchInfo[], code: string | null | undefined): string =>
  branches.find((b) => b.code === code)?.timezone ?? branches[0]?.timezone ?? 'Europe/Moscow';

/** The 24-hour dispatcher of a branch (its office phones when it names none). */
export const dispatcherOf = (b: Pick<BranchInfo, 'dispatcherPhone' | 'phones'>): string | null => b.dispatcherPhone ?? b.phones ?? null;

/** «Круглосуточная диспетчерская служба: …» for one branch, or for each when the place is not known yet. */
export function dispatcherLine(t: T, branches: readonly BranchInfo[], only?: string | null): string {
  const chosen = only ? branches.filter((b) => b.code === only) : branches;
  const known = chosen.map((b) => ({ name: b.name, phone: dispatcherOf(b) })).filter((b): b is { name: string; phone: string } => b.phone !== null);
  if (known.length === 0) return t('accident-dispatcher-unknown');
  if (known.length === 1) return t('accident-dispatcher', { phone: known[0]!.phone });
  return [t('accident-dispatchers'), ...known.map((b) => t('accident-dispatcher-of', { branch: b.name, phone: b.phone }))].join('\n');
}
