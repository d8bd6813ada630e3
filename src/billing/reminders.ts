import { z } from 'zod';
import { AccountLink, Branch, REMINDER_KINDS, ReminderOptOut, type ReminderKind } from '../../db/entities/index.ts';
import { loadAccounts, toRef } from './accounts.ts';
import { addDays, atLocalHour, todayIn } from './calendar.ts';
import { readingWindow } from './readings-rules.ts';
import { fail, ok } from './result.ts';
import { isoDate } from './schemas.ts';
import { defineAccountService, defineResidentService, defineSystemService } from './service.ts';

/*
 * Reminders (issue 12), planned as a pure function of the database and the date: each run works
 * out what is due on that date and inserts it into the outbox (`notice`) with ON CONFLICT DO
 * NOTHING on (resident, kind, subject) — the subject names the period and the occasion — so a
 * missed tick, a restart or a second instance only recomputes what is already there.
 */

/** The reading window's three occasions: it opens, two days before it closes, its last day (before noon). */
export type WindowOccasion = 'open' | 'closing' | 'last';

/** Which window reminder is due on `today` for a window opening and closing on those days (null: none). */
export function windowOccasion(today: string, opensOn: string, closesOn: string): WindowOccasion | null {
  if (today < opensOn || today > closesOn) return null;
  if (today === closesOn) return 'last';
  if (today >= addDays(closesOn, -2)) return 'closing';
  return 'open';
}

/** The hour the day's reminders go out (the end of the quiet hours), and the last day's by noon. */
const MORNING = 9;
const NOON = 12;

interface BranchPlan {
  branch_id: number;
  code: string;
  tz: string;
  today: string;
  /** The window's period ('YYYY-MM-01'), occasion and last day; null: no window reminder today. */
  period: string | null;
  occasion: WindowOccasion | null;
  last_day: string | null;
  due_at: string;
  window_expires: string | null;
}

export function branchPlans(branches: Branch[], on: string | undefined, now: Date): BranchPlan[] {
  return branches.map((b) => {
    const today = on ?? todayIn(b.timezone, now);
    const w = readingWindow(today, b.readingDayFrom, b.readingDayTo);
    const occasion = windowOccasion(today, w.opensOn, w.closesOn);
    const morning = atLocalHour(today, MORNING, b.timezone);
    const dueAt = morning > now ? morning : now;
    // The last day's reminder is worth sending only before noon; the others until the window closes (21:00 of its last day).
    const expires = occasion === 'last' ? atLocalHour(today, NOON, b.timezone) : occasion ? atLocalHour(w.closesOn, 21, b.timezone) : null;
    return {
      branch_id: b.id,
      code: b.code,
      tz: b.timezone,
      today,
      period: occasion ? w.period : null,
      occasion,
      last_day: occasion ? w.closesOn : null,
      due_at: dueAt.toISOString(),
      window_expires: expires?.toISOString() ?? null,
    };
  });
}

// Both kinds in one statement over the branches' plans (`p`, a JSON array): per linked account of
// a resident who has not blocked the bot and has not turned the kind off for it.
const DUE_SQL = `with p as (
    select * from jsonb_to_recordset(?::jsonb) as x(branch_id int, code text, tz text, today date, period date, occasion text, last_day date,
      due_at timestamptz, window_expires timestamptz)
  ),
  window_open as (select * from p where occasion is not null and window_expires > ?),
  passed as materialized (
    select distinct r.meter_id from window_open w join reading r on r.period = w.period and r.superseded_at is null
  ),
  missing as (
    select m.account_id, jsonb_agg(jsonb_build_object('meterId', m.id, 'serial', m.serial, 'service', s.code, 'place', m.place) order by m.id) as meters
    from window_open p join account a on a.branch_id = p.branch_id
      join meter m on m.account_id = a.id and m.status = 'active' and (m.verification_due is null or m.verification_due >= p.today)
      join service s on s.id = m.service_id
      left join passed x on x.meter_id = m.id
    where x.meter_id is null
    group by m.account_id
  ),
  verify_meter as (
    select m.account_id, m.id as meter_id, m.serial, s.code as service, m.place, m.verification_due as due, (m.verification_due - p.today) as days,
      case when m.verification_due - p.today > 30 then 'd60'
           when m.verification_due - p.today > 0 then 'd30'
           when m.verification_due > p.today - interval '1 month' then 'd0'
           else 'm' || (extract(year from age(p.today, m.verification_due)) * 12 + extract(month from age(p.today, m.verification_due)))::int end as occasion
    from p join account a on a.branch_id = p.branch_id
      join meter m on m.account_id = a.id and m.status = 'active' and m.verification_due is not null and m.verification_due <= p.today + 60
        and m.verification_due <= ?::date
      join service s on s.id = m.service_id
  ),
  verify_due as (
    select account_id, due, occasion, min(days) as days,
      jsonb_agg(jsonb_build_object('meterId', meter_id, 'serial', serial, 'service', service, 'place', place) order by meter_id) as meters
    from verify_meter group by account_id, due, occasion
  ),
  due as (
    select l.resident_id, 'reading_window' as kind, 'window:' || mi.account_id || ':' || to_char(p.period, 'YYYY-MM') || ':' || p.occasion as subject,
      mi.account_id, jsonb_build_object('period', to_char(p.period, 'YYYY-MM'), 'occasion', p.occasion, 'lastDay', to_char(p.last_day, 'YYYY-MM-DD'),
        'meters', mi.meters) as facts,
      p.code, p.tz, p.due_at, p.window_expires as expires_at
    from missing mi join account a on a.id = mi.account_id join p on p.branch_id = a.branch_id join account_link l on l.account_id = mi.account_id
    union all
    select l.resident_id, 'verification', 'verify:' || v.account_id || ':' || to_char(v.due, 'YYYY-MM-DD') || ':' || v.occasion,
      v.account_id, jsonb_build_object('due', to_char(v.due, 'YYYY-MM-DD'), 'occasion', v.occasion, 'days', v.days, 'meters', v.meters),
      p.code, p.tz, p.due_at, null::timestamptz
    from verify_due v join account a on a.id = v.account_id join p on p.branch_id = a.branch_id join account_link l on l.account_id = v.account_id
  ),
  reachable as (
    select d.resident_id, d.kind, d.subject, d.code, d.tz, d.due_at, d.expires_at,
      d.facts || jsonb_build_object('accountId', d.account_id, 'address', jsonb_build_object('settlement', se.name, 'street', st.name, 'house', bu.house,
        'flat', pr.flat, 'flatPrefix', pr.flat_prefix)) as payload
    from due d join resident r on r.id = d.resident_id and not r.blocked
      join account a on a.id = d.account_id join premise pr on pr.id = a.premise_id join building bu on bu.id = pr.building_id
      join street st on st.id = bu.street_id join settlement se on se.id = st.settlement_id
    where not exists (select 1 from reminder_opt_out o where o.resident_id = d.resident_id and o.account_id = d.account_id and o.kind = d.kind)
  )`;

/** Exported for the benchmark's EXPLAIN (test/bench/reminders.bench.ts). */
export const COUNT_SQL = `${DUE_SQL}
  select kind, code as branch, count(*)::int as due,
    count(*) filter (where not exists (select 1 from notice n where n.resident_id = reachable.resident_id and n.kind = reachable.kind and n.subject = reachable.subject))::int as new
  from reachable group by kind, code order by kind, code`;

const INSERT_SQL = `${DUE_SQL},
  inserted as (
    insert into notice (resident_id, kind, subject, payload, state, created_at, due_at, expires_at, timezone)
    select resident_id, kind, subject, payload, 'pending', ?, due_at, expires_at, tz from reachable
    on conflict (resident_id, kind, subject) do nothing
    returning kind, timezone
  )
  select kind, count(*)::int as n from inserted group by kind`;

export interface PlanCount {
  kind: ReminderKind;
  branch: string;
  /** Due on that date. */
  due: number;
  /** Of those, not yet in the outbox. */
  new: number;
}

/**
 * The reminders due on a date: `on` (the same date for every branch) or today in each branch's
 * timezone. `queue: false` only counts them by kind and branch (`npm run reminders -- plan`);
 * `queue: true` puts those not yet there into the outbox and says how many by kind.
 */
export const planReminders = defineSystemService(z.object({ on: isoDate.optional(), queue: z.boolean().default(false) }), async (input, { em, now }) => {
  const branches = await em.find(Branch, {}, { orderBy: { id: 'asc' } });
  const list = branchPlans(branches, input.on, now);
  // The latest date a verification reminder can be about (60 days after the latest today): the meters' index reads only those.
  const latest = list
    .map((b) => b.today)
    .sort()
    .at(-1);
  const plans = { json: JSON.stringify(list), horizon: latest ? addDays(latest, 60) : '0001-01-01' };
  // One statement over every account: compiling it (JIT) would cost more than running it.
  await em.execute('set local jit = off', [], 'run');
  if (!input.queue) {
    const rows = await em.execute<PlanCount[]>(COUNT_SQL, [plans.json, now, plans.horizon]);
    return ok({ counts: rows.map((r) => ({ ...r, due: Number(r.due), new: Number(r.new) })), queued: null });
  }
  // A commit lost in a crash is only planned again by the next tick: no need to wait for its flush.
  await em.execute('set local synchronous_commit = off', [], 'run');
  const rows = await em.execute<{ kind: ReminderKind; n: number }[]>(INSERT_SQL, [plans.json, now, plans.horizon, now]);
  const queued = { reading_window: 0, verification: 0 } as Record<ReminderKind, number>;
  for (const r of rows) queued[r.kind] = Number(r.n);
  return ok({ counts: null, queued });
});

const kind = z.enum(REMINDER_KINDS);

/** The resident's reminder settings, per linked account: each kind on unless turned off. */
export const reminderSettings = defineResidentService('read', {}, async (_input, { em, resident }) => {
  const found = await resident();
  if (!found) return fail({ code: 'resident_not_found' as const });
  const links = await em.find(AccountLink, { resident: found }, { orderBy: { linkedAt: 'asc' }, fields: ['account'] });
  const accounts = links.length ? await loadAccounts(em, { id: { $in: links.map((l) => l.account.id) } }) : [];
  const off = await em.find(ReminderOptOut, { resident: found });
  const byId = new Map(accounts.map((a) => [a.id, a]));
  return ok(
    links
      .map((l) => byId.get(l.account.id))
      .filter((a) => a !== undefined)
      .map((a) => ({
        ...toRef(a),
        on: Object.fromEntries(REMINDER_KINDS.map((k) => [k, !off.some((o) => o.account.id === a.id && o.kind === k)])) as Record<ReminderKind, boolean>,
      })),
  );
});

/** Turns one kind of reminder on or off for one of the resident's own linked accounts. */
export const setReminder = defineAccountService('write', { kind, on: z.boolean() }, async (input, { em, access }) => {
  // A resident's own choice, on their link: an operator cannot make it.
  if (access.by !== 'link' || access.residentId === null) return fail({ code: 'not_permitted' as const });
  const where = { resident: access.residentId, account: access.accountId, kind: input.kind };
  if (input.on) await em.nativeDelete(ReminderOptOut, where);
  else
    await em
      .createQueryBuilder(ReminderOptOut)
      .insert({ ...where, createdAt: new Date() })
      .onConflict(['resident', 'account', 'kind'])
      .ignore()
      .execute('run');
  return ok({ kind: input.kind, on: input.on });
});
