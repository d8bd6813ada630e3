import { Charge, Meter, Norm, Payment, Statement } from '../../db/entities/index.ts';
import type { ServiceCode } from '../../db/entities/index.ts';
import { MILLI, parseScaled } from '../money/exact.ts';
import { monthOf, monthStart, todayIn } from './calendar.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { addressOf, loadAccounts, ownershipProof, type AddressParts } from './accounts.ts';
import { z } from 'zod';
import { fail, ok } from './result.ts';
import { month } from './schemas.ts';
import { defineAccountService, defineService } from './service.ts';
import { claimant } from './actor.ts';
import { proveUnderLimits } from './ownership-limits.ts';

/** A page of the months a receipt can be made for. */
export interface ReceiptMonthsPage {
  /** Months with a statement, newest first. */
  months: string[];
  /** Whether there are months with a statement before the oldest of this page. */
  hasOlder: boolean;
  /**
   * Whether there are months after the newest of this page; `newerBefore` is the cursor of that
   * newer page (null: it is the first, newest page).
   */
  hasNewer: boolean;
  newerBefore: string | null;
}

/**
 * Months a receipt can be made for: every month with a statement, newest first, `limit` a page.
 * `before` pages back: the months strictly before it.
 */
/** The picker's months in one statement: up to `limit + 1` before `before` (newest first), and up to `limit + 1` from it on (oldest first). */
const MONTHS_SQL = `select
  coalesce((select json_agg(x.period::text order by x.period desc) from (select s.period from statement s
    where s.account_id = ? and s.period < coalesce(?::date, 'infinity') order by s.period desc limit ?) x), '[]'::json) as older,
  coalesce((select json_agg(x.period::text order by x.period) from (select s.period from statement s
    where s.account_id = ? and ?::date is not null and s.period >= ?::date order by s.period asc limit ?) x), '[]'::json) as newer`;

export const listReceiptMonths = defineAccountService(
  'read',
  { before: month.optional(), limit: z.number().int().min(1).max(60).default(12) },
  async (input, { em, access }) => {
    const account = access.accountId;
    const before = input.before ? monthStart(input.before) : null;
    const [row] = await em.execute<{ older: string[]; newer: string[] }[]>(MONTHS_SQL, [
      account,
      before,
      input.limit + 1,
      account,
      before,
      before,
      input.limit + 1,
    ]);
    const rows = row?.older ?? [];
    const newer = row?.newer ?? [];
    // The newer page is the `limit` months from `before` on; its cursor is the month after them.
    const cursor = newer[input.limit];
    return ok<ReceiptMonthsPage>({
      months: rows.slice(0, input.limit).map(monthOf),
      hasOlder: rows.length > input.limit,
      hasNewer: newer.length > 0,
      newerBefore: cursor ? monthOf(cursor) : null,
    });
  },
);

export interface ReceiptLine {
  service: ServiceCode;
  serviceName: string;
  /** Thousandths of m³. */
  volume: number;
  /** Kopecks per m³. */
  tariff: number;
  charged: number;
  recalculation: number;
}

export interface ReceiptData {
  month: string;
  payer: { fullName: string; address: AddressParts; longNumber: string; shortNumber: string; residents: number; area: string | null };
  payee: {
    name: string | null;
    inn: string | null;
    kpp: string | null;
    bankName: string | null;
    bic: string | null;
    account: string | null;
    corrAccount: string | null;
    address: string | null;
    phones: string | null;
    hours: string | null;
    email: string | null;
  };
  lines: ReceiptLine[];
  opening: number;
  charged: number;
  recalculation: number;
  benefits: number;
  paid: number;
  closing: number;
  /** What to pay: the closing debt, or 0 with an overpayment. */
  toPay: number;
  /** The overpayment (аванс) at the end of the month: −closing when negative, else 0. */
  overpayment: number;
  /**
   * The latest payment received up to the issue date (the one seed 000 §9 prints as «Дата последней
   * оплаты»); it may fall after the month, when it counts in a later month's figures.
   */
  lastPayment: { date: string; amount: number } | null;
  /** The date the document is made: today in the branch's timezone. */
  issuedOn: string;
  readings: { serial: string; service: ServiceCode; previous: number | null; current: number | null; takenOn: string | null }[];
  norms: { service: ServiceCode; description: string; perPerson: number }[];
}

/**
 * Everything a платёжный документ shows for one month (ПП 354 п. 69, Минстрой 43/пр): payer,
 * payee with bank details, each service's volume × tariff, recalculation, opening balance, paid,
 * the total to pay or the overpayment, the last payment, the meter readings used and the norms, and
 * the date the document is made. The statement is the source of truth for the month's figures.
 */
export const getReceipt = defineAccountService('read', { month }, async (input, { em, access, now }) => receiptOf(em, access.accountId, input.month, now));

/**
 * Seed 003 «Расшифровка начислений за прошлый месяц без регистрации»: the last month's receipt of
 * the account the proof points at — by number or by address, with the owner's surname and the PIN
 * where the branch asks for it, the same proof as linking. The failure is as uniform as linking's.
 */
export const getLastReceiptByProof = defineService(z.object({ actor: claimant, proof: ownershipProof }), async (input, { em, now }) => {
  // The same proof as linking, and the same limits of failed tries (ownership-limits.ts).
  const proven = await proveUnderLimits(em, input.actor, input.proof, now);
  if (!proven.ok) return proven;
  const latest = await em.findOne(Statement, { account: proven.value.accountId }, { orderBy: { period: 'desc' }, fields: ['period'] });
  if (!latest) return fail({ code: 'statement_not_found' as const });
  return receiptOf(em, proven.value.accountId, monthOf(latest.period), now);
});

/** The reading in force of the month (the latest taken) and the latest of the months before, per meter of the account. */
const METER_READINGS_SQL = `select m.id, cur.value::text as current_value, cur.taken_on::text as current_taken_on, prev.value::text as previous_value
  from meter m
  left join lateral (select r.value, r.taken_on from reading r
    where r.meter_id = m.id and r.period = ? and r.superseded_at is null order by r.taken_on desc limit 1) cur on true
  left join lateral (select r.value from reading r
    where r.meter_id = m.id and r.period < ? and r.superseded_at is null order by r.taken_on desc limit 1) prev on true
  where m.account_id = ?`;
type MeterReadingsRow = { id: number; current_value: string | null; current_taken_on: string | null; previous_value: string | null };

const exact = (text: string, scale: number) => {
  const n = parseScaled(text, scale);
  if (n === null) throw new RangeError(`not an exact numeric value of scale ${scale}`);
  return n;
};

async function receiptOf(em: EntityManager, accountId: number, receiptMonth: string, now: Date) {
  const input = { month: receiptMonth };
  const [account] = await loadAccounts(em, { id: accountId });
  if (!account) return fail({ code: 'account_not_found' as const });
  const period = monthStart(input.month);
  const statement = await em.findOne(Statement, { account: account.id, period });
  if (!statement) return fail({ code: 'statement_not_found' as const });
  const charges = await em.find(Charge, { account: account.id, period }, { populate: ['service'], orderBy: { service: { id: 'asc' } } });
  const lines = new Map<ServiceCode, ReceiptLine>();
  for (const c of charges) {
    const code = c.service.$.code;
    const line = lines.get(code) ?? { service: code, serviceName: c.service.$.name, volume: 0, tariff: 0, charged: 0, recalculation: 0 };
    if (c.kind === 'accrual') {
      line.volume += c.volume;
      line.tariff = c.tariff;
      line.charged += c.amount;
    } else line.recalculation += c.amount;
    lines.set(code, line);
  }
  const meters = await em.find(Meter, { account: account.id }, { populate: ['service'], orderBy: { service: { id: 'asc' }, serial: 'asc' } });
  // Each meter's reading of the month and the one before it, for all meters in one statement (not two per meter).
  const byMeter = new Map(
    (meters.length ? await em.execute<MeterReadingsRow[]>(METER_READINGS_SQL, [period, period, account.id]) : []).map((r) => [Number(r.id), r]),
  );
  const readings = [];
  for (const m of meters) {
    const row = byMeter.get(m.id);
    const current = row?.current_value == null ? null : exact(row.current_value, MILLI);
    if (current === null && m.status !== 'active') continue;
    readings.push({
      serial: m.serial,
      service: m.service.$.code,
      previous: row?.previous_value == null ? null : exact(row.previous_value, MILLI),
      current,
      takenOn: current === null ? null : row!.current_taken_on,
    });
  }
  const norms = account.normCode
    ? await em.find(Norm, { branch: account.branch.id, code: account.normCode }, { populate: ['service'], orderBy: { service: { id: 'asc' } } })
    : [];
  const b = account.branch.$;
  const issuedOn = todayIn(b.timezone, now);
  const last = await em.findOne(
    Payment,
    { account: account.id, receivedOn: { $lte: issuedOn } },
    { orderBy: { receivedOn: 'desc', id: 'desc' }, fields: ['receivedOn', 'amount'] },
  );
  return ok<ReceiptData>({
    month: input.month,
    payer: {
      fullName: account.ownerFullName,
      address: addressOf(account),
      longNumber: account.longNumber,
      shortNumber: account.shortNumber,
      residents: account.residents,
      area: account.area ?? null,
    },
    payee: {
      name: b.payeeName ?? b.name,
      inn: b.payeeInn ?? null,
      kpp: b.payeeKpp ?? null,
      bankName: b.bankName ?? null,
      bic: b.bankBic ?? null,
      account: b.bankAccount ?? null,
      corrAccount: b.bankCorrAccount ?? null,
      address: b.address ?? null,
      phones: b.phones ?? null,
      hours: b.hours ?? null,
      email: b.email ?? null,
    },
    lines: [...lines.values()],
    opening: statement.opening,
    charged: statement.charged,
    recalculation: statement.recalculation,
    benefits: statement.benefits,
    paid: statement.paid,
    closing: statement.closing,
    toPay: Math.max(statement.closing, 0),
    overpayment: Math.max(-statement.closing, 0),
    lastPayment: last ? { date: last.receivedOn, amount: last.amount } : null,
    issuedOn,
    readings,
    norms: norms.map((n) => ({ service: n.service.$.code, description: n.description, perPerson: n.perPerson })),
  });
}
