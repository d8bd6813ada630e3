import type { BranchInfo } from '../../billing/index.ts';

type T = (key: string, vars?: Record<string, string | number>) => string;

/** A moment as the branch's clock shows it: «23.11.2026» and «12:05» (rounded up to the minute). */
function branchClock(at: number, timeZone: string) {
  const minute = Math.ceil(at / 60_000) * 60_000;
  const parts = new Intl.DateTimeFormat('ru-RU', {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(minute));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${part('day')}.${part('month')}.${part('year')}`, time: `${part('hour')}:${part('minute')}` };
}

/**
 * «Слишком много неудачных попыток»: when the resident may try again, in the branch's time, and
 * the phone of the branch (or of every branch, while it is not known which one is theirs).
 */
export function lockoutText(t: T, until: number, branches: readonly Pick<BranchInfo, 'name' | 'phones' | 'timezone'>[]): string {
  const { date, time } = branchClock(until, branches[0]?.timezone ?? 'Europe/Moscow');
  const withPhones = branches.filter((b) => b.phones);
  const phones =
    withPhones.length === 1 && branches.length === 1
      ? withPhones[0]!.phones!
      : withPhones.map((b) => t('lockout-branch-phone', { branch: b.name, phones: b.phones! })).join('; ');
  return t('lockout', { date, time, phones: phones || 'none' });
}
