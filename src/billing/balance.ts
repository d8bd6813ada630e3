import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Payment } from '../../db/entities/index.ts';
import { KOPECKS, kopecksFrom, MILLI, parseScaled } from '../money/exact.ts';
import { addMonths, daysBetween, monthOf, monthStart, todayIn } from './calendar.ts';
import { windowOpensOn } from './readings-rules.ts';
import { fail, ok } from './result.ts';
import { linkedAccounts } from './residents.ts';
import { longNumber, month, page } from './schemas.ts';
import { defineAccountService, defineQuery, defineResidentService, type BatchLoad, type ServiceContext } from './service.ts';

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

/** Where a verification date stands against today: passed, within the warning days, or later. */
export function verificationOf(today: string, due: string | null): Verification | null {
  if (!due) return null;
  const daysLeft = daysBetween(today, due);
  const state: VerificationState = daysLeft < 0 ? 'expired' : daysLeft <= VERIFICATION_WARNING_DAYS ? 'due_soon' : 'ok';
  return { date: due, state, daysLeft };
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

/**
 * Everything the balance needs in one round trip: the branch's timezone and window, the last
 * statement, what was charged after it (per period) and paid after it, and the nearest
 * verification date over active meters. The balance's own aggregate, so it is SQL; `?` binds the
 * account's id or number.
 */
const BALANCE_SQL = (where: 'a.id in (?)' | 'a.long_number = ?') => `
  select a.id, b.timezone, b.reading_day_from, last.period::text as last_period, last.closing::text as last_closing,
    (select coalesce(json_agg(json_build_object('period', x.period::text, 'amount', x.amount::text)), '[]'::json)
      from (select c.period, sum(c.amount) as amount from charge c
        where c.account_id = a.id and c.period >= coalesce(last.period + interval '1 month', '0001-01-01')
        group by c.period) x) as charged_after,
    (select coalesce(sum(p.amount), 0)::text from payment p
      where p.account_id = a.id and p.received_on >= coalesce(last.period + interval '1 month', '0001-01-01')) as paid_after,
    (select min(m.verification_due)::text from meter m
      where m.account_id = a.id and m.status = 'active') as nearest_due
  from account a join branch b on b.id = a.branch_id
  left join lateral (select s.period, s.closing from statement s where s.account_id = a.id order by s.period desc limit 1) last on true
  where ${where}`;
const BY_IDS = BALANCE_SQL('a.id in (?)');
const BY_NUMBER = BALANCE_SQL('a.long_number = ?');

interface BalanceRow {
  timezone: string;
  reading_day_from: number;
  last_period: string | null;
  last_closing: string | null;
  charged_after: { period: string; amount: string }[];
  paid_after: string;
  nearest_due: string | null;
}

/** Many accounts' balances at once (the balance screens of residents asking in the same turn, see `batched`). */
const loadBalances: BatchLoad<number, BalanceRow> = async (em, ids) => {
  const rows = await em.execute<(BalanceRow & { id: number })[]>(BY_IDS, [ids]);
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  return ids.map((id) => byId.get(id));
};

async function balanceOfAccount(ctx: Pick<ServiceContext, 'batched' | 'now'>, accountId: number): Promise<Balance | null> {
  const row = await ctx.batched(loadBalances)(accountId);
  return row ? balanceOf(row, ctx.now) : null;
}

async function balanceByNumber(em: EntityManager, longNumber: string, now: Date): Promise<Balance | null> {
  const [row] = await em.execute<BalanceRow[]>(BY_NUMBER, [longNumber]);
  return row ? balanceOf(row, now) : null;
}

function balanceOf(row: BalanceRow, now: Date): Balance {
  const today = todayIn(row.timezone, now);
  const money = (text: string | null) => (text === null ? 0 : kopecksFrom(text)!);
  const asOfMonth = row.last_period ? monthOf(row.last_period) : null;
  // A reading passed outside the window is kept for its period and counts from the day that
  // period's window opens (README, readings): its charge is stored at once, but the balance takes
  // in a period's charges only from that day, so it agrees with what the bot says of it (readings-stored-later), with the
  // month table and with the receipts, which show only the months billing has closed.
  const charged = row.charged_after.filter((c) => windowOpensOn(c.period, row.reading_day_from) <= today).reduce((sum, c) => sum + money(c.amount), 0);
  const balance = money(row.last_closing) + charged - money(row.paid_after);
  const verification = verificationOf(today, row.nearest_due);
  return { balance, toPay: Math.max(balance, 0), asOfMonth, today, verification };
}

/** Debt or overpayment now, and the nearest verification date. */
export const getBalance = defineAccountService('read', {}, async (_input, ctx) => {
  const balance = await balanceOfAccount(ctx, ctx.access.accountId);
  return balance ? ok(balance) : fail({ code: 'account_not_found' as const });
});

/**
 * The account the resident works with now (as `residents.activeAccount`) with its balance:
 * `resident_not_found` without consent, `account_not_linked` with none linked.
 */
export const getActiveBalance = defineResidentService('read', {}, async (_input, ctx) => {
  const linked = await linkedAccounts(ctx, ctx.actor);
  if (!linked) return fail({ code: 'resident_not_found' as const });
  if (!linked.active) return fail({ code: 'account_not_linked' as const });
  const balance = await balanceOfAccount(ctx, linked.active.accountId);
  return balance ? ok({ account: linked.active, balance }) : fail({ code: 'account_not_found' as const });
});

/**
 * Seed 000 §10: anyone who knows the 15-digit number may learn the debt and the nearest
 * verification date, and nothing else about the account.
 */
export const getPublicBalance = defineQuery(z.object({ longNumber }), async (input, { em, now }) => {
  const found = await balanceByNumber(em, input.longNumber, now);
  if (!found) return fail({ code: 'account_not_found' as const });
  const { balance, toPay, asOfMonth, today, verification } = found;
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
 * before it; `from`/`to` bound the range. `hasMore`: there are older months; `newerBefore`: the
 * `before` of the next newer page, null when there are no newer months.
 */
/**
 * The month table's page in one statement: the account's number (for the table's title), up to
 * `limit + 1` statements newest first within the bounds, and (paging with `before`) up to
 * `limit + 1` months from `before` on, for the newer page's cursor. Amounts come as text and are
 * read exactly (numeric, never a float).
 */
const STATEMENTS_SQL = `select a.long_number,
  coalesce((select json_agg(json_build_array(s.period::text, s.opening::text, s.charged::text, s.recalculation::text,
      s.volume::text, s.benefits::text, s.paid::text, s.closing::text) order by s.period desc)
    from (select * from statement s where s.account_id = a.id
      and s.period >= coalesce(?::date, '-infinity') and s.period <= coalesce(?::date, 'infinity') and s.period < coalesce(?::date, 'infinity')
      order by s.period desc limit ?) s), '[]'::json) as rows,
  coalesce((select json_agg(n.period::text order by n.period)
    from (select s.period from statement s where s.account_id = a.id and ?::date is not null
      and s.period >= ?::date and s.period <= coalesce(?::date, 'infinity')
      order by s.period asc limit ?) n), '[]'::json) as newer
from account a where a.id = ?`;

type StatementsRow = { long_number: string; rows: [string, string, string, string, string, string, string, string][]; newer: string[] };

const exact = (text: string, scale: number) => {
  const n = parseScaled(text, scale);
  if (n === null) throw new RangeError(`not an exact numeric value of scale ${scale}`);
  return n;
};

export const listStatements = defineAccountService(
  'read',
  {
    from: month.optional(),
    to: month.optional(),
    before: month.optional(),
    limit: z.number().int().min(1).max(60).default(6),
  },
  async (input, { em, access }) => {
    const from = input.from ? monthStart(input.from) : null;
    const to = input.to ? monthStart(input.to) : null;
    const before = input.before ? monthStart(input.before) : null;
    const [row] = await em.execute<StatementsRow[]>(STATEMENTS_SQL, [from, to, before, input.limit + 1, before, before, to, input.limit + 1, access.accountId]);
    if (!row) return fail({ code: 'account_not_found' as const });
    const items = row.rows.slice(0, input.limit).map(
      ([period, opening, charged, recalculation, volume, benefits, paid, closing]): StatementRow => ({
        month: monthOf(period),
        opening: exact(opening, KOPECKS),
        charged: exact(charged, KOPECKS),
        recalculation: exact(recalculation, KOPECKS),
        volume: exact(volume, MILLI),
        benefits: exact(benefits, KOPECKS),
        paid: exact(paid, KOPECKS),
        closing: exact(closing, KOPECKS),
      }),
    );
    // The newer page is the `limit` months from `before` on; its cursor is the month after them
    // (after the newest statement when that page is the newest), so paging forward is `before` too.
    const newer = row.newer;
    const cursor = newer[input.limit] ?? newer.at(-1);
    const newerBefore = !cursor ? null : newer.length > input.limit ? monthOf(cursor) : addMonths(monthOf(cursor), 1);
    return ok({ longNumber: row.long_number, items, hasMore: row.rows.length > input.limit, newerBefore });
  },
);

export interface PaymentRow {
  kind: string;
  receivedOn: string;
  processedOn: string | null;
  amount: number;
}

/** Seed 001's payment history, newest first. */
export const listPayments = defineAccountService('read', page, async (input, { em, access }) => {
  const account = access.accountId;
  const [rows, total] = await em.findAndCount(Payment, { account }, { orderBy: { receivedOn: 'desc', id: 'desc' }, limit: input.limit, offset: input.offset });
  return ok({
    items: rows.map(
      (p): PaymentRow => ({
        kind: p.kind,
        receivedOn: p.receivedOn,
        processedOn: p.processedOn ?? null,
        amount: p.amount,
      }),
    ),
    total,
  });
});
