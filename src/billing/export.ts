import { z } from 'zod';
import { milliFrom, milliToDecimal } from '../money/exact.ts';
import { ok } from './result.ts';
import { month } from './schemas.ts';
import { defineSystemService } from './service.ts';

/**
 * One reading in the import format's `reading` record (src/billing/import/FORMAT.md): what the bot
 * hands back to the utility's billing. Every field is text, exactly as the file carries it.
 */
export interface ExportedReading {
  /** The account's 15-digit long number. */
  account: string;
  /** The meter's serial number. */
  meter: string;
  /** 'YYYY-MM-DD'. */
  taken_on: string;
  /** m³ with exactly 3 decimals, '.' as the separator: '61.000'. */
  value: string;
  /** `telegram` (the bot) or `portal` (the web pages). */
  source: 'telegram' | 'portal';
  /** The billing month, 'YYYY-MM'. */
  period: string;
}

/** The columns of the export, in the import's order for the `reading` record. */
export const READING_COLUMNS = ['account', 'meter', 'taken_on', 'value', 'source', 'period'] as const satisfies readonly (keyof ExportedReading)[];

const EXPORT_SQL = `select a.long_number as account, m.serial as meter, to_char(r.taken_on, 'YYYY-MM-DD') as taken_on,
    r.value::text as value, r.source, to_char(r.period, 'YYYY-MM') as period
  from reading r
  join meter m on m.id = r.meter_id
  join account a on a.id = m.account_id
  join branch b on b.id = a.branch_id
  where (r.source = 'telegram' or (r.source = 'portal' and r.submission is not null)) and r.superseded_at is null and r.period = ?::date and (?::text is null or b.code = ?::text)
  order by a.long_number collate "C", m.serial collate "C", r.taken_on, r.id`;

/**
 * Seed 000 §6, a reading becomes a document of the billing system: the readings residents passed
 * through the bot (source `telegram`) or the web pages (`portal`, passed here: billing's own portal
 * readings, loaded by the import, are not sent back) for one billing month, only those in force (a corrected one
 * gives way to its correction), ordered by account, meter and date. The same month asked twice
 * gives the same rows in the same order; loaded back with the import, they change nothing.
 */
export const exportPeriodReadings = defineSystemService(
  z.object({ period: month, branch: z.string().trim().min(1).max(32).optional() }),
  async (input, { em }) => {
    const branch = input.branch ?? null;
    const rows = await em.execute<{ account: string; meter: string; taken_on: string; value: string; source: 'telegram' | 'portal'; period: string }[]>(
      EXPORT_SQL,
      [`${input.period}-01`, branch, branch],
    );
    const readings: ExportedReading[] = rows.map((r) => {
      const milli = milliFrom(r.value);
      if (milli === null) throw new Error(`reading value is not exact: ${r.value}`);
      return { account: r.account, meter: r.meter, taken_on: r.taken_on, value: milliToDecimal(milli), source: r.source, period: r.period };
    });
    return ok({ period: input.period, readings });
  },
);

/** RFC 4180 quoting, as the import reads it: only where the value holds the delimiter, a quote or a line break. */
const csvField = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The import's CSV for readings: its header, `;` between fields, LF line ends, UTF-8 without BOM. */
export function readingsCsv(readings: readonly ExportedReading[]): string {
  const lines = [READING_COLUMNS.join(';'), ...readings.map((r) => READING_COLUMNS.map((c) => csvField(r[c])).join(';'))];
  return `${lines.join('\n')}\n`;
}

/** The import's JSON Lines: one `{"record":"reading",…}` object per line. */
export function readingsJsonl(readings: readonly ExportedReading[]): string {
  return readings.map((r) => `${JSON.stringify({ record: 'reading', ...Object.fromEntries(READING_COLUMNS.map((c) => [c, r[c]])) })}\n`).join('');
}

/**
 * One account's paper-receipt choice made in the bot (seed 002, the paper-receipt opt-out),
 * for the billing system: its `paper_receipt_opt_out` of the account record (src/billing/import/FORMAT.md).
 */
export interface ExportedPaperOptOut {
  account: string;
  /** 'true': the receipt goes only by e-mail; 'false': the paper receipt is back. */
  paper_receipt_opt_out: 'true' | 'false';
  /** The day of the choice in the branch's timezone, 'YYYY-MM-DD'. */
  changed_on: string;
}

export const PAPER_OPTOUT_COLUMNS = ['account', 'paper_receipt_opt_out', 'changed_on'] as const satisfies readonly (keyof ExportedPaperOptOut)[];

const PAPER_OPTOUT_SQL = `select a.long_number as account, a.paper_opt_out_chosen as on,
    to_char(a.paper_opt_out_changed_at at time zone b.timezone, 'YYYY-MM-DD') as changed_on
  from account a join branch b on b.id = a.branch_id
  where a.paper_opt_out_chosen is not null and (?::text is null or b.code = ?::text)
  order by a.long_number collate "C"`;

/**
 * Every account whose paper receipt was declined or brought back in the bot, with the current
 * choice: the same state gives the same rows in the same order.
 */
export const exportPaperOptOut = defineSystemService(z.object({ branch: z.string().trim().min(1).max(32).optional() }), async (input, { em }) => {
  const branch = input.branch ?? null;
  const rows = await em.execute<{ account: string; on: boolean; changed_on: string }[]>(PAPER_OPTOUT_SQL, [branch, branch]);
  return ok({
    accounts: rows.map((r): ExportedPaperOptOut => ({ account: r.account, paper_receipt_opt_out: r.on ? 'true' : 'false', changed_on: r.changed_on })),
  });
});

export function paperOptOutCsv(rows: readonly ExportedPaperOptOut[]): string {
  const lines = [PAPER_OPTOUT_COLUMNS.join(';'), ...rows.map((r) => PAPER_OPTOUT_COLUMNS.map((c) => csvField(r[c])).join(';'))];
  return `${lines.join('\n')}\n`;
}

export function paperOptOutJsonl(rows: readonly ExportedPaperOptOut[]): string {
  return rows.map((r) => `${JSON.stringify({ record: 'paper_optout', ...Object.fromEntries(PAPER_OPTOUT_COLUMNS.map((c) => [c, r[c]])) })}\n`).join('');
}
