import type { EntityManager } from '@mikro-orm/postgresql';
import { type Branch, Outage } from '../../../db/entities/index.ts';
import { addDays, todayIn } from '../calendar.ts';
import { localMoment } from '../requests/calendar.ts';

/** What changed with this version, for the words of its notice. */
export type OutageChange = 'announced' | 'updated' | 'resolved' | 'cancelled';

/** The hour, branch time, of the evening before a planned outage when its notice goes out. */
export const PLANNED_NOTICE_HOUR = 18;

/**
 * When residents are told of an outage they have not heard of: an emergency at once; a planned
 * one the day before it starts at 18:00 branch time, or at once if announced later than that.
 * Null: at once.
 */
export function noticeDueAt(o: Pick<Outage, 'kind' | 'startsAt'>, timezone: string, now: Date): Date | null {
  if (o.kind === 'emergency') return null;
  const due = localMoment(timezone, addDays(todayIn(timezone, o.startsAt), -1), PLANNED_NOTICE_HOUR);
  return due.getTime() > now.getTime() ? due : null;
}

const subjectOf = (o: Pick<Outage, 'id'>, version: number) => `outage:${o.id}:${version}`;
const subjectsOf = (o: Pick<Outage, 'id'>) => `outage:${o.id}:%`;

/** A version not yet told is dropped: those who would have got it get the newer one instead. */
const SUPERSEDED_SQL = `delete from notice where kind = 'outage' and subject like ? and subject <> ? and state = 'pending'`;

/**
 * Those told of an earlier version (sent, or claimed and maybe sent) hear of the change at once,
 * at the address they were told of, with the end they were told (`previousEndAt`).
 */
const TOLD_SQL = `insert into notice (resident_id, kind, subject, payload, state, created_at, due_at, timezone)
  select distinct on (n.resident_id) n.resident_id, 'outage', ?, ?::jsonb || jsonb_build_object('address', n.payload->'address', 'previousEndAt', n.payload->'expectedEndAt'), 'pending', ?, ?, ?
    from notice n
   where n.kind = 'outage' and n.subject like ? and n.subject <> ? and n.state in ('sent', 'sending')
   order by n.resident_id, n.id desc
  on conflict (resident_id, kind, subject) do nothing
  returning id, due_at`;

/**
 * Residents (a row exists only with their consent) linked to an account whose address is inside
 * the outage: a street of its list, and one of its houses or all of them. One notice per
 * resident, naming one of their addresses there.
 */
const TARGET_SQL = `insert into notice (resident_id, kind, subject, payload, state, created_at, due_at, timezone)
  select distinct on (l.resident_id) l.resident_id, 'outage', ?, ?::jsonb || jsonb_build_object('address', st.name || ', ' || bl.house), 'pending', ?, coalesce(?::timestamptz, ?::timestamptz), ?
    from outage o
    cross join lateral jsonb_to_recordset(o.streets) as s("streetId" int, houses jsonb)
    join street st on st.id = s."streetId"
    join building bl on bl.street_id = st.id
      and (s.houses is null or jsonb_typeof(s.houses) <> 'array' or s.houses @> to_jsonb(bl.house_key::text))
    join premise pr on pr.building_id = bl.id
    join account a on a.premise_id = pr.id and a.branch_id = o.branch_id
    join account_link l on l.account_id = a.id
   where o.id = ?
   order by l.resident_id, a.id
  on conflict (resident_id, kind, subject) do nothing
  returning id, due_at`;

export interface Notified {
  /** Notices to send now (queue their jobs). */
  now: number[];
  /** Notices made for later (the sweep sends them when due). */
  scheduled: number;
  /** When the scheduled ones go out (null: none). */
  dueAt: string | null;
}

/**
 * Makes the notices of the outage's current version, once: a second call for the same version
 * makes none (the unique (resident, kind, subject) decides). Who is told: those told of an
 * earlier version (the change, at once) and, while it is announced or updated and not over,
 * the residents inside it (the whole notice, on its schedule).
 */
export async function notifyOutage(em: EntityManager, o: Outage, branch: Pick<Branch, 'timezone'>, change: OutageChange, now: Date): Promise<Notified> {
  const subject = subjectOf(o, o.version);
  const base = {
    outageId: o.id,
    version: o.version,
    kind: o.kind,
    reason: o.reason,
    startsAt: o.startsAt.toISOString(),
    endsAt: o.endsAt.toISOString(),
    expectedEndAt: o.expectedEndAt.toISOString(),
    timezone: branch.timezone,
  };
  await em.execute(SUPERSEDED_SQL, [subjectsOf(o), subject], 'run');
  // Due at once (the outbox's quiet hours of the branch still apply), or at the planned hour.
  const told = await em.execute<{ id: number; due_at: Date }[]>(TOLD_SQL, [
    subject,
    JSON.stringify({ ...base, change }),
    now,
    now,
    branch.timezone,
    subjectsOf(o),
    subject,
  ]);
  const open = o.status === 'announced' || o.status === 'updated';
  const targeted =
    open && o.expectedEndAt.getTime() > now.getTime()
      ? await em.execute<{ id: number; due_at: Date }[]>(TARGET_SQL, [
          subject,
          JSON.stringify({ ...base, change: 'announced' }),
          now,
          noticeDueAt(o, branch.timezone, now),
          now,
          branch.timezone,
          o.id,
        ])
      : [];
  await em.nativeUpdate(Outage, { id: o.id }, { notifiedVersion: o.version });
  const all = [...told, ...targeted];
  const isLater = (n: { due_at: Date }) => new Date(n.due_at).getTime() > now.getTime();
  const later = all.filter(isLater);
  return {
    now: all.filter((n) => !isLater(n)).map((n) => Number(n.id)),
    scheduled: later.length,
    dueAt: later[0]?.due_at ? new Date(later[0].due_at).toISOString() : null,
  };
}
