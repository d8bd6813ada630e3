import { foldText, houseKey, streetKey } from '../normalize.ts';
import { ok } from '../result.ts';
import { DISTANCE, place } from '../requests/create.ts';
import { defineResidentService } from '../service.ts';
import { telegramIdOf } from '../actor.ts';

const KNOWN_COLUMNS = `o.id, o.kind, o.reason, o.starts_at, o.expected_end_at, b.code as branch_code, b.timezone`;
const OPEN = `o.status in ('announced', 'updated') and o.starts_at <= ? and o.expected_end_at > ?`;

/** Outages in force now at one of the resident's linked accounts' houses (the resident by Telegram id, or by row for the web pages). */
const AT_ACCOUNTS_SQL = `select distinct ${KNOWN_COLUMNS}, st.name || ', ' || bl.house as address
  from resident r
  join account_link l on l.resident_id = r.id
  join account a on a.id = l.account_id
  join premise pr on pr.id = a.premise_id
  join building bl on bl.id = pr.building_id
  join street st on st.id = bl.street_id
  join outage o on o.branch_id = a.branch_id
  join branch b on b.id = o.branch_id
  cross join lateral jsonb_to_recordset(o.streets) as s("streetId" int, houses jsonb)
  where (r.telegram_id = ? or r.id = ?) and ${OPEN} and s."streetId" = st.id
    and (s.houses is null or jsonb_typeof(s.houses) <> 'array' or s.houses @> to_jsonb(bl.house_key::text))`;

/** Outages in force now at a typed address (street key and house key, within the branch). */
const AT_ADDRESS_SQL = `select distinct ${KNOWN_COLUMNS}, null as address
  from outage o
  join branch b on b.id = o.branch_id
  cross join lateral jsonb_to_recordset(o.streets) as s("streetId" int, houses jsonb)
  join street st on st.id = s."streetId"
  where b.code = ? and ${OPEN} and st.search_key = ?
    and (s.houses is null or jsonb_typeof(s.houses) <> 'array' or s.houses @> to_jsonb(?::text))`;

/** Outages in force now whose circle holds the point. */
const AT_POINT_SQL = `select ${KNOWN_COLUMNS}, null as address
  from outage o join branch b on b.id = o.branch_id
  where ${OPEN} and o.radius_km is not null and ${DISTANCE('o.centre_latitude', 'o.centre_longitude')} <= o.radius_km * 1000`;

type Row = {
  id: number;
  kind: 'planned' | 'emergency';
  reason: string;
  starts_at: Date;
  expected_end_at: Date;
  branch_code: string;
  timezone: string;
  address: string | null;
};

/** «ул. Ермакова, д. 7» → the street's key and the house's key; null when no house number is seen. */
function streetAndHouse(address: string): { street: string; house: string } | null {
  const folded = foldText(address).replace(/[.,;]/g, ' ');
  const m = /^(.*?)(?:\s+(?:д|дом)\s*)?\s+(\d+\s*[а-яa-z]?(?:\s*(?:к|корп|корпус|стр)\s*\d+)?)\s*$/i.exec(folded.trim());
  return m ? { street: streetKey(m[1] ?? ''), house: houseKey(m[2] ?? '') } : null;
}

/**
 * The outages known now at the resident's place (a point, a typed address) and at the houses of
 * their linked accounts: the accident report offers them instead of a new report.
 */
export const knownOutages = defineResidentService('read', { place: place.nullable().default(null) }, async (input, { em, now, actor }) => {
  const rows: Row[] = [...(await em.execute<Row[]>(AT_ACCOUNTS_SQL, [telegramIdOf(actor), actor.channel === 'web' ? actor.residentId : null, now, now]))];
  const p = input.place;
  if (p?.kind === 'point') {
    const args = [p.latitude, p.latitude, p.longitude];
    rows.push(...(await em.execute<Row[]>(AT_POINT_SQL, [now, now, ...args])));
  } else if (p?.kind === 'address') {
    const parts = streetAndHouse(p.address);
    if (parts) rows.push(...(await em.execute<Row[]>(AT_ADDRESS_SQL, [p.branchCode, now, now, parts.street, parts.house])));
  }
  const seen = new Set<number>();
  const outages = rows
    .filter((r) => !seen.has(Number(r.id)) && seen.add(Number(r.id)))
    .map((r) => ({
      outageId: Number(r.id),
      kind: r.kind,
      reason: r.reason,
      startsAt: new Date(r.starts_at).toISOString(),
      expectedEndAt: new Date(r.expected_end_at).toISOString(),
      branchCode: r.branch_code,
      timezone: r.timezone,
      address: r.address,
    }));
  return ok({ outages });
});
