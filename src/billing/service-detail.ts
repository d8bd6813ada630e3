import { Account, Charge, ServiceStatement, Statement } from '../../db/entities/index.ts';
import type { ServiceCode } from '../../db/entities/index.ts';
import { monthOf, monthStart, todayIn } from './calendar.ts';
import { fail, ok } from './result.ts';
import { month } from './schemas.ts';
import { defineAccountService } from './service.ts';

export interface ServiceDetailRow {
  service: ServiceCode;
  /** Positive debt, negative overpayment; kopecks. */
  opening: number;
  charged: number;
  /** The part of `charged` that recalculates earlier months, with the months it covers (from the charges). */
  recalculation: number;
  recalcFrom: string | null;
  recalcTo: string | null;
  benefits: number;
  paid: number;
  closing: number;
}

export interface ServiceDetail {
  month: string;
  rows: ServiceDetailRow[];
  /** The sums over the services. */
  total: Omit<ServiceDetailRow, 'service' | 'recalcFrom' | 'recalcTo'>;
  /** The nearest month with a detail before and after this one, 'YYYY-MM', or null. */
  older: string | null;
  newer: string | null;
}

const SERVICE_ORDER: ServiceCode[] = ['cold_water', 'hot_water', 'sewerage'];

/**
 * The detail by service (seeds 001/002, 004): one month's balance per service as the billing
 * system imported it (`service_statement`); the newest month when none is asked. `month_not_found`
 * for a month without a detail.
 */
export const getServiceDetail = defineAccountService('read', { month: month.optional() }, async (input, { em, access }) => {
  const account = access.accountId;
  const latest = input.month ? null : await em.findOne(ServiceStatement, { account }, { orderBy: { period: 'desc' }, fields: ['period'] });
  const period = input.month ? monthStart(input.month) : latest?.period;
  if (!period) return fail({ code: 'month_not_found' as const });
  const [found, recalcs, older, newer] = await Promise.all([
    em.find(ServiceStatement, { account, period }, { populate: ['service'] }),
    em.find(Charge, { account, period, kind: 'recalculation' }, { populate: ['service'] }),
    em.findOne(ServiceStatement, { account, period: { $lt: period } }, { orderBy: { period: 'desc' }, fields: ['period'] }),
    em.findOne(ServiceStatement, { account, period: { $gt: period } }, { orderBy: { period: 'asc' }, fields: ['period'] }),
  ]);
  if (found.length === 0) return fail({ code: 'month_not_found' as const });
  const rows = found
    .map((s): ServiceDetailRow => {
      const code = s.service.$.code;
      const recalc = recalcs.filter((c) => c.service.$.code === code);
      const froms = recalc
        .map((c) => c.recalcFrom)
        .filter((d): d is string => !!d)
        .sort();
      const tos = recalc
        .map((c) => c.recalcTo)
        .filter((d): d is string => !!d)
        .sort();
      return {
        service: code,
        opening: s.opening,
        charged: s.charged,
        recalculation: s.recalculation,
        recalcFrom: froms[0] ? monthOf(froms[0]) : null,
        recalcTo: tos.at(-1) ? monthOf(tos.at(-1)!) : null,
        benefits: s.benefits,
        paid: s.paid,
        closing: s.closing,
      };
    })
    .sort((a, b) => SERVICE_ORDER.indexOf(a.service) - SERVICE_ORDER.indexOf(b.service));
  const sum = (k: keyof ServiceDetail['total']) => rows.reduce((acc, r) => acc + r[k], 0);
  return ok<ServiceDetail>({
    month: monthOf(period),
    rows,
    total: {
      opening: sum('opening'),
      charged: sum('charged'),
      recalculation: sum('recalculation'),
      benefits: sum('benefits'),
      paid: sum('paid'),
      closing: sum('closing'),
    },
    older: older ? monthOf(older.period) : null,
    newer: newer ? monthOf(newer.period) : null,
  });
});

export interface ReconciliationMonth {
  month: string;
  charged: number;
  recalculation: number;
  benefits: number;
  paid: number;
}

export interface Reconciliation {
  from: string;
  to: string;
  /** The balance at the start of the first month with a statement in the range; positive debt. */
  opening: number;
  months: ReconciliationMonth[];
  charged: number;
  recalculation: number;
  benefits: number;
  paid: number;
  /** The balance at the end of the last month with a statement in the range. */
  closing: number;
  /** Today in the branch's timezone: the day the document is made. */
  today: string;
}

/** The longest range a reconciliation covers, in months. */
export const RECONCILIATION_MAX_MONTHS = 36;

/**
 * The reconciliation (seed 003): from one month to another, the opening balance, each
 * month's charges, recalculation, benefits and payments, and the closing balance, from the
 * monthly statements. `no_statements` when the range has none.
 */
export const getReconciliation = defineAccountService('read', { from: month, to: month }, async (input, { em, now, access }) => {
  if (input.from > input.to) return fail({ code: 'range_reversed' as const });
  const [fy, fm] = input.from.split('-').map(Number) as [number, number];
  const [ty, tm] = input.to.split('-').map(Number) as [number, number];
  if ((ty - fy) * 12 + (tm - fm) + 1 > RECONCILIATION_MAX_MONTHS) return fail({ code: 'range_too_long' as const, max: RECONCILIATION_MAX_MONTHS });
  const rows = await em.find(
    Statement,
    { account: access.accountId, period: { $gte: monthStart(input.from), $lte: monthStart(input.to) } },
    { orderBy: { period: 'asc' } },
  );
  if (rows.length === 0) return fail({ code: 'no_statements' as const });
  const account = await em.findOneOrFail(Account, access.accountId, { populate: ['branch'] });
  const months = rows.map(
    (s): ReconciliationMonth => ({
      month: monthOf(s.period),
      charged: s.charged,
      recalculation: s.recalculation,
      benefits: s.benefits,
      paid: s.paid,
    }),
  );
  const total = (k: keyof Omit<ReconciliationMonth, 'month'>) => months.reduce((acc, r) => acc + r[k], 0);
  return ok<Reconciliation>({
    from: input.from,
    to: input.to,
    opening: rows[0]!.opening,
    months,
    charged: total('charged'),
    recalculation: total('recalculation'),
    benefits: total('benefits'),
    paid: total('paid'),
    closing: rows.at(-1)!.closing,
    today: todayIn(account.branch.$.timezone, now),
  });
});
