import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, AccountLink, Resident } from '../../db/entities/index.ts';
import { addressProof, loadAccounts, numberProof, proveByAddress, proveByNumber, toRef, type AccountRef } from './accounts.ts';
import { maskOwnerName } from './normalize.ts';
import { fail, ok } from './result.ts';
import { id, telegramId } from './schemas.ts';
import { defineQuery, defineService, defineStatement } from './service.ts';

export const LANGUAGES = ['ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const language = z.enum(LANGUAGES);
const languageOf = (value: string): Language => ((LANGUAGES as readonly string[]).includes(value) ? (value as Language) : 'ru');

export interface ResidentView {
  telegramId: number;
  language: Language;
  consentVersion: string;
  consentAt: string;
  activeAccountId: number | null;
  /** Linked accounts, the active one first. */
  accounts: (AccountRef & { active: boolean })[];
}

async function view(em: EntityManager, resident: Resident): Promise<ResidentView> {
  const links = await em.find(AccountLink, { resident }, { orderBy: { linkedAt: 'asc' } });
  const accounts = links.length ? await loadAccounts(em, { id: { $in: links.map((l) => l.account.id) } }) : [];
  const order = new Map(links.map((l, i) => [l.account.id, i]));
  const activeId = resident.activeAccount?.id ?? null;
  return {
    telegramId: resident.telegramId,
    language: (LANGUAGES as readonly string[]).includes(resident.language) ? (resident.language as Language) : 'ru',
    consentVersion: resident.consentVersion,
    consentAt: resident.consentAt.toISOString(),
    activeAccountId: activeId,
    accounts: accounts
      .map((a) => ({ ...toRef(a), active: a.id === activeId }))
      .sort((x, y) => Number(y.active) - Number(x.active) || order.get(x.accountId)! - order.get(y.accountId)!),
  };
}

const findResident = (em: EntityManager, tid: number) => em.findOne(Resident, { telegramId: tid });

/** The resident and their accounts; `resident_not_found` until they have given consent. */
export const getResident = defineQuery(z.object({ telegramId }), async (input, { em }) => {
  const resident = await findResident(em, input.telegramId);
  return resident ? ok(await view(em, resident)) : fail({ code: 'resident_not_found' as const });
});

// One statement whatever the case: a new resident is inserted; a new text of the consent renews
// version and time; agreeing again to the same text writes nothing (the first agreement's time
// stands). Also counts the linked accounts, so the bot knows whether to offer linking. For many
// residents at once (see Sql.byKey): $1 the Telegram ids, then language, version and time each.
const GIVE_CONSENT_SQL = `
  with input as (
    select * from unnest($1::bigint[], $2::varchar[], $3::varchar[], $4::timestamptz[]) as i(telegram_id, language, version, at)
  ), found as (
    select r.id, r.telegram_id, r.language, r.consent_version from resident r join input i on i.telegram_id = r.telegram_id
  ), added as (
    insert into resident (telegram_id, language, consent_version, consent_at, blocked, created_at)
    select i.telegram_id, i.language, i.version, i.at, false, i.at from input i
    where not exists (select 1 from found f where f.telegram_id = i.telegram_id)
    on conflict (telegram_id) do nothing
    returning id, telegram_id, language, consent_version
  ), renewed as (
    update resident r set consent_version = i.version, consent_at = i.at
    from found f join input i on i.telegram_id = f.telegram_id
    where r.id = f.id and f.consent_version <> i.version
    returning r.id, r.telegram_id, r.language, r.consent_version
  )
  select x.telegram_id, x.language, x.consent_version, (select count(*)::int from account_link l where l.resident_id = x.id) as linked
  from (
    select * from added union all select * from renewed
    union all select * from found f where not exists (select 1 from renewed n where n.id = f.id)
  ) x`;

/** 152-ФЗ: the consent, with the version of its text and the time, is what creates the resident. */
export const giveConsent = defineStatement(
  z.object({ telegramId, version: z.string().min(1).max(32), language: language.default('ru') }),
  async (input, { sql, now }) => {
    type Row = { telegram_id: string; language: string; consent_version: string; linked: number };
    const give = () => sql.byKey<Row>('give_consent', GIVE_CONSENT_SQL, 'telegram_id', input.telegramId, [input.language, input.version, now]);
    // No row only when a concurrent first consent of the same user won the insert: then it is there.
    const row = (await give()) ?? (await give());
    if (!row) throw new Error('consent not recorded');
    return ok({ language: languageOf(row.language), consentVersion: row.consent_version, linkedAccounts: row.linked });
  },
);

/** Withdrawing consent forgets the resident: links and settings go with the row. */
export const withdrawConsent = defineService(z.object({ telegramId }), async (input, { em }) => {
  const resident = await findResident(em, input.telegramId);
  if (!resident) return fail({ code: 'resident_not_found' as const });
  await em.nativeDelete(AccountLink, { resident });
  await em.nativeDelete(Resident, { id: resident.id });
  return ok({ forgotten: true as const });
});

export const setLanguage = defineService(z.object({ telegramId, language }), async (input, { em }) => {
  const resident = await findResident(em, input.telegramId);
  if (!resident) return fail({ code: 'resident_not_found' as const });
  resident.language = input.language;
  await em.flush();
  return ok({ language: input.language });
});

/**
 * Links the account the proof points at (by address or by number) and makes it the active one.
 * The failure is as uniform as the lookup's: it never says which field did not match.
 */
export const linkAccount = defineService(
  z.object({ telegramId, proof: z.union([z.object({ by: z.literal('address') }).and(addressProof), z.object({ by: z.literal('number') }).and(numberProof)]) }),
  async (input, { em }) => {
    const resident = await findResident(em, input.telegramId);
    if (!resident) return fail({ code: 'resident_not_found' as const });
    const proven = input.proof.by === 'address' ? await proveByAddress(em, input.proof) : await proveByNumber(em, input.proof);
    if (!proven.ok) return proven;
    const account = em.getReference(Account, proven.value.accountId);
    const existing = await em.findOne(AccountLink, { resident, account });
    if (!existing) em.create(AccountLink, { resident, account, linkedAt: new Date() });
    resident.activeAccount = account as never;
    await em.flush();
    return ok({ account: proven.value, alreadyLinked: existing !== null });
  },
);

async function linkedOrFail(em: EntityManager, tid: number, accountId: number) {
  const resident = await findResident(em, tid);
  if (!resident) return { error: fail({ code: 'resident_not_found' as const }) };
  const link = await em.findOne(AccountLink, { resident, account: accountId });
  if (!link) return { error: fail({ code: 'account_not_linked' as const }) };
  return { resident, link };
}

export const setActiveAccount = defineService(z.object({ telegramId, accountId: id }), async (input, { em }) => {
  const found = await linkedOrFail(em, input.telegramId, input.accountId);
  if ('error' in found) return found.error!;
  found.resident.activeAccount = em.getReference(Account, input.accountId) as never;
  await em.flush();
  return ok(await view(em, found.resident));
});

export const unlinkAccount = defineService(z.object({ telegramId, accountId: id }), async (input, { em }) => {
  const found = await linkedOrFail(em, input.telegramId, input.accountId);
  if ('error' in found) return found.error!;
  const { resident, link } = found;
  em.remove(link);
  if (resident.activeAccount?.id === input.accountId) {
    const next = await em.findOne(AccountLink, { resident, id: { $ne: link.id } }, { orderBy: { linkedAt: 'asc' } });
    resident.activeAccount = (next ? next.account : null) as never;
  }
  await em.flush();
  return ok(await view(em, resident));
});

/** Whether the account is one of the resident's: every screen about an account asks this first. */
export const assertLinked = defineQuery(z.object({ telegramId, accountId: id }), async (input, { em }) => {
  const found = await linkedOrFail(em, input.telegramId, input.accountId);
  return 'error' in found ? found.error! : ok({ accountId: input.accountId });
});

/**
 * The account a resident works with now: the active one, else the first linked. Joined after
 * `resident r`; leaves `a` null when none is linked, so that "not linked" and "no consent" differ.
 */
export const ACTIVE_ACCOUNT_JOINS = `
  left join lateral (
    select l.account_id from account_link l
    where l.resident_id = r.id
    order by (l.account_id = r.active_account_id) desc nulls last, l.linked_at asc
    limit 1
  ) pick on true
  left join account a on a.id = pick.account_id
  left join lateral (
    select se.name as settlement, st.name as street, bl.house, p.flat, p.flat_prefix
    from premise p join building bl on bl.id = p.building_id join street st on st.id = bl.street_id
    join settlement se on se.id = st.settlement_id
    where p.id = a.premise_id
  ) addr on true`;

/** The columns `accountRefOf` reads, given ACTIVE_ACCOUNT_JOINS. */
export const ACCOUNT_REF_COLUMNS = `a.id, a.long_number, a.owner_full_name,
  (select b.code from branch b where b.id = a.branch_id) as branch_code,
  addr.settlement, addr.street, addr.house, addr.flat, addr.flat_prefix`;

export type AccountRefRow = Record<'id' | 'long_number' | 'owner_full_name' | 'branch_code' | 'settlement' | 'street' | 'house' | 'flat' | 'flat_prefix', string | number | null>;

export function accountRefOf(row: AccountRefRow): AccountRef {
  return {
    accountId: Number(row.id),
    longNumber: String(row.long_number),
    branchCode: String(row.branch_code),
    owner: maskOwnerName(String(row.owner_full_name)),
    address: {
      settlement: String(row.settlement),
      street: String(row.street),
      house: String(row.house),
      flat: row.flat === null ? null : String(row.flat),
      flatPrefix: row.flat_prefix === null ? null : String(row.flat_prefix),
    },
  };
}

// A prepared statement, so the plan of these joins is made once per connection; for many
// residents at once (see Sql.byKey).
const ACTIVE_ACCOUNT_SQL = `select r.telegram_id, ${ACCOUNT_REF_COLUMNS} from resident r ${ACTIVE_ACCOUNT_JOINS}
  where r.telegram_id = any($1::bigint[])`;

/**
 * The account the resident works with now (the active one, else the first linked), in one query;
 * `resident_not_found` without consent, `account_not_linked` with consent and no account.
 */
export const getActiveAccount = defineStatement(z.object({ telegramId }), async (input, { sql }) => {
  const row = await sql.byKey<AccountRefRow & { telegram_id: string }>('active_account', ACTIVE_ACCOUNT_SQL, 'telegram_id', input.telegramId);
  if (!row) return fail({ code: 'resident_not_found' as const });
  if (row.id === null) return fail({ code: 'account_not_linked' as const });
  return ok(accountRefOf(row));
});

/** Whether the Telegram user has agreed (and in which language they read): one indexed lookup. */
export const getConsent = defineStatement(z.object({ telegramId }), async (input, { sql }) => {
  const row = await sql.byKey<{ telegram_id: string; language: string; consent_version: string }>(
    'consent',
    'select telegram_id, language, consent_version from resident where telegram_id = any($1::bigint[])',
    'telegram_id',
    input.telegramId,
  );
  if (!row) return fail({ code: 'resident_not_found' as const });
  return ok({ language: languageOf(row.language), consentVersion: row.consent_version });
});
