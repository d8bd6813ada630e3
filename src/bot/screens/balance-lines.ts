import type { Balance } from '../../billing/index.ts';
import { day, monthParts, rub } from '../../format.ts';

type T = (key: string, vars?: Record<string, string | number>) => string;

/** The money and verification lines of a balance, as the resident reads them (seed 000 §10). */
export function balanceLines(t: T, b: Pick<Balance, 'balance' | 'toPay' | 'asOfMonth' | 'verification'>): string[] {
  const lines: string[] = [];
  if (b.balance > 0) {
    lines.push(t('balance-debt', { amount: rub(b.balance) }));
    // «К оплате» only when it says something the debt line did not: no figure twice in a row.
    if (b.toPay !== b.balance) lines.push(t('balance-to-pay', { amount: rub(b.toPay) }));
  } else if (b.balance < 0) lines.push(t('balance-overpaid', { amount: rub(b.balance) }));
  else lines.push(t('balance-zero'));
  if (b.asOfMonth) lines.push(t('balance-as-of', monthParts(b.asOfMonth)));
  const v = b.verification;
  if (!v) lines.push(t('balance-no-meters'));
  else if (v.state === 'expired') lines.push(t('balance-verification-expired', { date: day(v.date) }));
  else if (v.state === 'due_soon') lines.push(t('balance-verification-soon', { date: day(v.date), days: v.daysLeft }));
  else lines.push(t('balance-verification', { date: day(v.date) }));
  return lines;
}
