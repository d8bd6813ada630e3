import { z } from 'zod';
import { Account, AccountLink, Resident } from '../../db/entities/index.ts';
import { ownershipProof, refOf, type AccountRef } from './accounts.ts';
import { proveUnderLimits } from './ownership-limits.ts';
import { residentKey, type ResidentActor } from './actor.ts';
import { endOptOutWithoutSubscription } from './email.ts';
import { maskPhone } from './masking.ts';
import { moverOf, phone as requestPhone } from './requests/common.ts';
import { fail, ok } from './result.ts';
import { defineAccountService, defineResidentService, defineService, type BatchLoad, type ServiceContext } from './service.ts';

export const LANGUAGES = ['ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const language = z.enum(LANGUAGES);
const languageOf = (value: string): Language => ((LANGUAGES as readonly string[]).includes(value) ? (value as Language) : 'ru');

export interface ResidentView {
  residentId: number;
  /** Null for a resident who signed up on the web pages. */
  telegramId: number | null;
  language: Language;
  consentVersion: string;
  consentAt: string;
  activeAccountId: number | null;
  /** Linked accounts, the active one first. */
  accounts: (AccountRef & { active: boolean })[];
}

/**
 * The resident with their linked accounts (oldest link first), as most screens need them: asked on
 * nearly every update of the bot, so one indexed statement of this service's own rather than the
 * ORM's joined hydration of six entities, which costs about ten times the CPU.
 */
const LINKED_SQL = `
  select r.id as resident_id, r.telegram_id, r.language, r.consent_version, r.consent_at, r.active_account_id,
    a.id as account_id, a.long_number, a.owner_full_name, b.code as branch_code,
    se.name as settlement, st.name as street, bl.house, p.flat, p.flat_prefix
  from resident r
  left join account_link l on l.resident_id = r.id
  left join account a on a.id = l.account_id
  left join branch b on b.id = a.branch_id
  left join premise p on p.id = a.premise_id
  left join building bl on bl.id = p.building_id
  left join street st on st.id = bl.street_id
  left join settlement se on se.id = st.settlement_id
  where r.telegram_id in (?) or r.id in (?)
  order by r.id, l.linked_at, l.id`;

interface LinkedRow {
  resident_id: number;
  telegram_id: string | null;
  language: string;
  consent_version: string;
  consent_at: string | Date;
  active_account_id: number | null;
  account_id: number | null;
  long_number: string;
  owner_full_name: string;
  branch_code: string;
  settlement: string;
  street: string;
  house: string;
  flat: string | null;
  flat_prefix: string | null;
}

export interface Linked {
  view: ResidentView;
  /** The account the resident works with now: the active one, else the first linked. */
  active: AccountRef | null;
}

/**
 * Rows of many residents at once (see `batched`), each asked by its key (`residentKey`: a Telegram
 * id or a resident id): the statement takes both lists, 0 standing for an empty one.
 */
async function byResidentKey<R extends { resident_id: number; telegram_id: string | null }>(
  keys: readonly string[],
  query: (telegramIds: number[], residentIds: number[]) => Promise<R[]>,
): Promise<(R[] | undefined)[]> {
  const ids = (prefix: string) => keys.filter((k) => k.startsWith(prefix)).map((k) => Number(k.slice(1)));
  const tids = ids('t');
  const rids = ids('r');
  const rows = await query(tids.length ? tids : [0], rids.length ? rids : [0]);
  const grouped = new Map<string, R[]>();
  const add = (key: string, r: R) => grouped.set(key, [...(grouped.get(key) ?? []), r]);
  for (const r of rows) {
    add(`r${Number(r.resident_id)}`, r);
    if (r.telegram_id !== null) add(`t${Number(r.telegram_id)}`, r);
  }
  return keys.map((k) => grouped.get(k));
}

const loadLinked: BatchLoad<string, LinkedRow[]> = (em, keys) => byResidentKey(keys, (t, r) => em.execute<LinkedRow[]>(LINKED_SQL, [t, r]));

/** The resident and their accounts, or null before consent. */
export async function linkedAccounts(ctx: Pick<ServiceContext, 'batched'>, actor: ResidentActor): Promise<Linked | null> {
  const rows = (await ctx.batched(loadLinked)(residentKey(actor))) ?? [];
  const first = rows[0];
  if (!first) return null;
  const refs = rows
    .filter((r) => r.account_id !== null)
    .map((r) =>
      refOf({
        id: Number(r.account_id),
        longNumber: r.long_number,
        ownerFullName: r.owner_full_name,
        branchCode: r.branch_code,
        address: { settlement: r.settlement, street: r.street, house: r.house, flat: r.flat, flatPrefix: r.flat_prefix },
      }),
    );
  const active = refs.find((a) => a.accountId === Number(first.active_account_id)) ?? refs[0] ?? null;
  const accounts = refs.map((a) => ({ ...a, active: a.accountId === active?.accountId }));
  return {
    active,
    view: {
      residentId: Number(first.resident_id),
      telegramId: first.telegram_id === null ? null : Number(first.telegram_id),
      language: languageOf(first.language),
      consentVersion: first.consent_version,
      consentAt: new Date(first.consent_at).toISOString(),
      activeAccountId: active?.accountId ?? null,
      accounts: accounts.sort((x, y) => Number(y.active) - Number(x.active)),
    },
  };
}

async function viewOf(ctx: Pick<ServiceContext, 'batched'>, actor: ResidentActor) {
  const linked = await linkedAccounts(ctx, actor);
  return linked ? ok(linked.view) : fail({ code: 'resident_not_found' as const });
}

/** The resident and their accounts; `resident_not_found` until they have given consent. */
export const getResident = defineResidentService('read', {}, (_input, ctx) => viewOf(ctx, ctx.actor));

/** The resident's consent as recorded, with how many accounts are linked; for many residents at once (see `batched`). */
const CONSENTS_SQL = `select r.telegram_id, r.id, r.id as resident_id, r.language, r.consent_version,
    (select count(*) from account_link l where l.resident_id = r.id) as linked
  from resident r where r.telegram_id in (?) or r.id in (?)`;
interface ConsentRow {
  telegram_id: string | null;
  id: number;
  resident_id: number;
  language: string;
  consent_version: string;
  linked: string;
}
const loadConsents: BatchLoad<string, ConsentRow> = async (em, keys) =>
  (await byResidentKey(keys, (t, r) => em.execute<ConsentRow[]>(CONSENTS_SQL, [t, r]))).map((rows) => rows?.[0]);

/**
 * 152-ФЗ: the consent, with the version of its text and the time, is what creates the resident.
 * A new text of the consent renews version and time; agreeing again to the same text writes
 * nothing (the first agreement's time stands). Also counts the linked accounts, so the front
 * door knows whether to offer linking.
 */
export const giveConsent = defineResidentService(
  'statements',
  { version: z.string().min(1).max(32), language: language.default('ru') },
  async (input, { em, now, actor, batched }) => {
    const read = () => batched(loadConsents)(residentKey(actor));
    let row = await read();
    // A resident of the web pages was created by their sign-up; one who is gone stays gone.
    if (!row) {
      if (actor.channel !== 'telegram') return fail({ code: 'resident_not_found' as const });
      const fresh = { telegramId: actor.telegramId, language: input.language, consentVersion: input.version, consentAt: now, blocked: false, createdAt: now };
      // Two first consents of one user at once: one insert wins, the other reads what it wrote.
      const inserted = await em.createQueryBuilder(Resident).insert(fresh).onConflict('telegramId').ignore().execute('run');
      if (inserted.affectedRows === 1) return ok({ language: input.language, consentVersion: input.version, linkedAccounts: 0 });
      row = await read();
      if (!row) throw new Error('consent not recorded');
    }
    if (row.consent_version !== input.version) await em.nativeUpdate(Resident, { id: row.id }, { consentVersion: input.version, consentAt: now });
    return ok({ language: languageOf(row.language), consentVersion: input.version, linkedAccounts: Number(row.linked) });
  },
);

/**
 * The consent given on the web pages (its own page, the same text version as the bot's) creates a
 * resident who has no Telegram id; the front door keeps the id in its signed session cookie until
 * the e-mail is confirmed, and later signs them in by a code sent to it.
 */
export const startOnWeb = defineService(z.object({ version: z.string().min(1).max(32), language: language.default('ru') }), async (input, { em, now }) => {
  const resident = em.create(Resident, {
    telegramId: null,
    language: input.language,
    consentVersion: input.version,
    consentAt: now,
    blocked: false,
    createdAt: now,
  });
  await em.flush();
  return ok({ residentId: resident.id });
});

/** Whether the user has agreed, and in which language they read: the bot asks it whenever a session was lost. */
export const getConsent = defineResidentService('read', {}, async (_input, { batched, actor }) => {
  const row = await batched(loadConsents)(residentKey(actor));
  return row ? ok({ language: languageOf(row.language), consentVersion: row.consent_version }) : fail({ code: 'resident_not_found' as const });
});

/**
 * Withdrawing consent forgets the resident: links, settings, the e-mail, the notices and the
 * accidents they joined go with the row. Their requests stay as the utility's record, but without
 * the person: the request no longer names them (`resident_id` set null) nor keeps the phone they
 * gave, and no status change in any history keeps their Telegram id (`by_id` 'telegram:<id>'
 * becomes null; the move stays a resident's); nor does a reading they passed (`sent_by`; its
 * source stays «Telegram»). What they wrote (a description, an answer) stays.
 */
export const withdrawConsent = defineResidentService('write', {}, async (_input, { em, now, resident, actor }) => {
  const found = await resident();
  if (!found) return fail({ code: 'resident_not_found' as const });
  await em.execute(`update service_request set contact_phone = null where resident_id = ? and contact_phone is not null`, [found.id], 'run');
  // Where the resident's channel id was kept as who did it: a status change, a reading passed. A
  // resident with a Telegram id may withdraw on the web pages (signed in through Telegram or by an
  // e-mail code): the ids of both channels go.
  const channelIds = [...new Set([moverOf(actor).byId, `web:${found.id}`, ...(found.telegramId != null ? [`telegram:${found.telegramId}`] : [])])];
  await em.execute(`update request_event set by_id = null where by_kind = 'resident' and by_id in (?)`, [channelIds], 'run');
  await em.execute(`update reading set sent_by = null where sent_by in (?)`, [channelIds], 'run');
  const links = await em.find(AccountLink, { resident: found }, { fields: ['account'] });
  await em.nativeDelete(AccountLink, { resident: found });
  await endOptOutWithoutSubscription(
    em,
    links.map((l) => l.account.id),
    now,
  );
  await em.nativeDelete(Resident, { id: found.id });
  return ok({ forgotten: true as const });
});

export const setLanguage = defineResidentService('write', { language }, async (input, { em, resident }) => {
  const found = await resident();
  if (!found) return fail({ code: 'resident_not_found' as const });
  found.language = input.language;
  await em.flush();
  return ok({ language: input.language });
});

/**
 * The resident's own phone (seeds 001/002, the change of phone number), kept for requests: the whole
 * number for the resident's own dialogues, and masked for screens.
 */
export const getPhone = defineResidentService('read', {}, async (_input, { resident }) => {
  const found = await resident();
  if (!found) return fail({ code: 'resident_not_found' as const });
  const phone = found.phone ?? null;
  return ok({ phone, masked: maskPhone(phone) });
});

/**
 * Keeps the number the resident shared with Telegram's contact button. The front door passes
 * only their own contact (Telegram's user id of the contact is the sender's); `own: false` is refused.
 */
export const setPhone = defineResidentService('write', { phone: requestPhone, own: z.literal(true) }, async (input, { em, resident }) => {
  const found = await resident();
  if (!found) return fail({ code: 'resident_not_found' as const });
  found.phone = input.phone;
  await em.flush();
  return ok({ masked: maskPhone(input.phone)! });
});

export const removePhone = defineResidentService('write', {}, async (_input, { em, resident }) => {
  const found = await resident();
  if (!found) return fail({ code: 'resident_not_found' as const });
  const had = found.phone != null;
  found.phone = null;
  await em.flush();
  return ok({ removed: had });
});

/**
 * Links the account the proof points at (by address or by number) and makes it the active one.
 * The failure is as uniform as the lookup's: it never says which field did not match.
 */
export const linkAccount = defineResidentService('write', { proof: ownershipProof }, async (input, { em, resident, actor, now }) => {
  const found = await resident();
  if (!found) return fail({ code: 'resident_not_found' as const });
  // The limits of failed checks (ownership-limits.ts), kept in PostgreSQL: checked before, counted after.
  const proven = await proveUnderLimits(em, actor, input.proof, now);
  if (!proven.ok) return proven;
  const account = em.getReference(Account, proven.value.accountId);
  const existing = await em.findOne(AccountLink, { resident: found, account });
  if (!existing) em.create(AccountLink, { resident: found, account, linkedAt: new Date() });
  found.activeAccount = account as never;
  await em.flush();
  return ok({ account: proven.value, alreadyLinked: existing !== null });
});

// Only the resident's own links can be switched to or removed: an operator has none.
export const setActiveAccount = defineAccountService('write', {}, async (_input, ctx) => {
  const { em, access } = ctx;
  if (access.residentId === null) return fail({ code: 'account_not_linked' as const });
  await em.nativeUpdate(Resident, { id: access.residentId }, { activeAccount: access.accountId });
  return viewOf(ctx, access.actor as ResidentActor);
});

export const unlinkAccount = defineAccountService('write', {}, async (_input, ctx) => {
  const { em, access } = ctx;
  if (access.residentId === null) return fail({ code: 'account_not_linked' as const });
  const resident = await em.findOneOrFail(Resident, access.residentId);
  await em.nativeDelete(AccountLink, { resident, account: access.accountId });
  // Its subscription went with the link; without any, the paper receipt is back.
  await endOptOutWithoutSubscription(em, [access.accountId], ctx.now);
  if (resident.activeAccount?.id === access.accountId) {
    const next = await em.findOne(AccountLink, { resident }, { orderBy: { linkedAt: 'asc', id: 'asc' } });
    resident.activeAccount = (next ? next.account : null) as never;
    await em.flush();
  }
  return viewOf(ctx, access.actor as ResidentActor);
});

/**
 * The account the resident works with now (the active one, else the first linked);
 * `resident_not_found` without consent, `account_not_linked` with consent and no account.
 */
export const getActiveAccount = defineResidentService('read', {}, async (_input, ctx) => {
  const linked = await linkedAccounts(ctx, ctx.actor);
  if (!linked) return fail({ code: 'resident_not_found' as const });
  return linked.active ? ok(linked.active) : fail({ code: 'account_not_linked' as const });
});
