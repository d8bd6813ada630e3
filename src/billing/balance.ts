import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, Charge, Meter, Payment, Statement } from '../../db/entities/index.ts';
import { daysBetween, monthOf, monthStart, nextMonthStart, todayIn } from './calendar.ts';
import { fail, ok } from './result.ts';
import { id, longNumber, month, page } from './schemas.ts';
import { defineService } from './service.ts';

/** How close a verification date may come before the resident is warned (days). */
export const VERIFICATION_WARNING_DAYS = 30;

export type VerificationState = 'expired' | 'due_soon' | 'ok';

export interface Verification {
  /** The nearest verification date over the account's active meters (seed 000 §10). */
  date: string;
  state: VerificationState;
  /** Days from today to the date; negative once passed. */
  daysLeft: number;
}

export interface Balance {
  /** Positive: debt; negative: overpayment; kopecks. */
  balance: number;
  /** What to pay now: the debt, or 0 when there is an overpayment. */
  toPay: number;
  /** The month of the latest statement the balance starts from, 'YYYY-MM'; null if none yet. */
  asOfMonth: string | null;
  /** Today in the branch's timezone. */
  today: string;
  verification: Verification | null;
}

async function balanceOf(em: EntityManager, account: { id: number; branch: { $: { timezone: string } } }, now: Date): Promise<Balance> {
  const today = todayIn(account.branch.$.timezone, now);
  const [last] = await em.find(Statement, { account: account.id }, { orderBy: { period: 'desc' }, limit: 1 });
  const asOfMonth = last ? monthOf(last.period) : null;
  const after = asOfMonth ? nextMonthStart(asOfMonth) : '0001-01-01';
  // What was charged or paid after the last closed month moves the balance on from its closing.
  const [charges, payments] = await Promise.all([
    em.find(Charge, { account: account.id, period: { $gte: after } }, { fields: ['amount'] }),
    em.find(Payment, { account: account.id, receivedOn: { $gte: after } }, { fields: ['amount'] }),
  ]);
  const balance =
    (last?.closing ?? 0) + charges.reduce((s, c) => s + c.amount, 0) - payments.reduce((s, p) => s + p.amount, 0);
  const [nearest] = await em.find(
    Meter,
    { account: account.id, status: 'active', verificationDue: { $ne: null } },
    { orderBy: { verificationDue: 'asc' }, limit: 1, fields: ['verificationDue'] },
  );
  let verification: Verification | null = null;
  if (nearest?.verificationDue) {
    const daysLeft = daysBetween(today, nearest.verificationDue);
    const state: VerificationState =
      daysLeft < 0 ? 'expired' : daysLeft <= VERIFICATION_WARNING_DAYS ? 'due_soon' : 'ok';
    verification = { date: nearest.verificationDue, state, daysLeft };
  }
  return { balance, toPay: Math.max(balance, 0), asOfMonth, today, verification };
}

/** Debt or overpayment now, and the nearest verification date. */
export const getBalance = defineService(z.object({ accountId: id }), async (input, { em, now }) => {
  const account = await em.findOne(Account, input.accountId, { populate: ['branch'] });
  if (!account) return fail({ code: 'account_not_found' as const });
  return ok(await balanceOf(em, account, now));
});

/**
 * Seed 000 §10: anyone who knows the 15-digit number may learn the debt and the nearest
 * verification date, and nothing else about the account.
 */
export const getPublicBalance = defineService(z.object({ longNumber }), async (input, { em, now }) => {
  const account = await em.findOne(Account, { longNumber: input.longNumber }, { populate: ['branch'] });
  if (!account) return fail({ code: 'account_not_found' as const });
  const { balance, toPay, asOfMonth, today, verification } = await balanceOf(em, account, now);
  return ok({ balance, toPay, asOfMonth, today, verification });
});

export interface StatementRow {
  month: string;
  opening: number;
  charged: number;
  recalculation: number;
  volume: number;
  benefits: number;
  paid: number;
  closing: number;
}

/**
 * Seed 000 §8: the month table, newest first. `before` pages back: the months strictly
 * before it; `from`/`to` bound the range.
 */
export const listStatements = defineService(
  z.object({
    accountId: id,
    from: month.optional(),
    to: month.optional(),
    before: month.optional(),
    limit: z.number().int().min(1).max(60).default(6),
  }),
  async (input, { em }) => {
    const account = await em.findOne(Account, input.accountId, { fields: ['id'] });
    if (!account) return fail({ code: 'account_not_found' as const });
    const period: Record<string, string> = {};
    if (input.from) period.$gte = monthStart(input.from);
    if (input.to) period.$lte = monthStart(input.to);
    if (input.before) period.$lt = monthStart(input.before);
    const rows = await em.find(
      Statement,
      { account, ...(Object.keys(period).length ? { period } : {}) },
      { orderBy: { period: 'desc' }, limit: input.limit + 1 },
    );
    const items = rows.slice(0, input.limit).map((s): StatementRow => ({
      month: monthOf(s.period),
      opening: s.opening,
      charged: s.charged,
      recalculation: s.recalculation,
      volume: s.volume,
      benefits: s.benefits,
      paid: s.paid,
      closing: s.closing,
    }));
    return ok({ items, hasMore: rows.length > input.limit });
  },
);

export interface PaymentRow {
  kind: string;
  receivedOn: string;
  processedOn: string | null;
  amount: number;
}

/** Seed 001 «История оплат», newest first. */
export const listPayments = defineService(z.object({ accountId: id, ...page }), async (input, { em }) => {
  const account = await em.findOne(Account, input.accountId, { fields: ['id'] });
  if (!account) return fail({ code: 'account_not_found' as const });
  const [rows, total] = await em.findAndCount(
    Payment,
    { account },
    { orderBy: { receivedOn: 'desc', id: 'desc' }, limit: input.limit, offset: input.offset },
  );
  return ok({
    items: rows.map((p): PaymentRow => ({
      kind: p.kind,
      receivedOn: p.receivedOn,
      processedOn: p.processedOn ?? null,
      amount: p.amount,
    })),
    total,
  });
});

