import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Account, AccountLink, Resident } from '../../db/entities/index.ts';
import { addressProof, numberProof, proveByAddress, proveByNumber, toRef, type AccountRef, type AccountWithAddress } from './accounts.ts';
import { residentWhere, type ResidentActor } from './actor.ts';
import { fail, ok } from './result.ts';
import { defineAccountService, defineResidentService } from './service.ts';

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

/** The resident's links with their accounts and addresses, oldest first: one query. */
export function linksOf(em: EntityManager, actor: ResidentActor) {
  return em.find(AccountLink, { resident: residentWhere(actor) }, {
    populate: ['resident', 'account.branch', 'account.premise.building.street.settlement'],
    strategy: 'joined',
    orderBy: { linkedAt: 'asc', id: 'asc' },
  });
}
type LinkWithAccount = Awaited<ReturnType<typeof linksOf>>[number];

/** The account a resident works with now: the active one, else the first linked. */
export function activeOf(resident: Resident, links: LinkWithAccount[]): AccountWithAddress | null {
  const link = links.find((l) => l.account.id === resident.activeAccount?.id) ?? links[0];
  return link ? (link.account.$ as AccountWithAddress) : null;
}

/** Without links, whether the resident exists at all tells "not linked" from "no consent". */
export async function noLinks(em: EntityManager, actor: ResidentActor) {
  const resident = await em.findOne(Resident, residentWhere(actor), { fields: ['id'] });
  return fail({ code: resident ? ('account_not_linked' as const) : ('resident_not_found' as const) });
}

function view(resident: Resident, links: LinkWithAccount[]): ResidentView {
  const active = activeOf(resident, links);
  const accounts = links.map((l) => ({ ...toRef(l.account.$ as AccountWithAddress), active: l.account.id === active?.id }));
  return {
    telegramId: resident.telegramId,
    language: languageOf(resident.language),
    consentVersion: resident.consentVersion,
    consentAt: resident.consentAt.toISOString(),
    activeAccountId: active?.id ?? null,
    accounts: accounts.sort((x, y) => Number(y.active) - Number(x.active)),
  };
}

async function viewOf(em: EntityManager, actor: ResidentActor) {
  const links = await linksOf(em, actor);
  if (links.length) return ok(view(links[0]!.resident.$ as Resident, links));
  const resident = await em.findOne(Resident, residentWhere(actor));
  return resident ? ok(view(resident, [])) : fail({ code: 'resident_not_found' as const });
}

/** The resident and their accounts; `resident_not_found` until they have given consent. */
export const getResident = defineResidentService('read', {}, (_input, { em, actor }) => viewOf(em, actor));

/**
 * 152-ФЗ: the consent, with the version of its text and the time, is what creates the resident.
 * A new text of the consent renews version and time; agreeing again to the same text writes
 * nothing (the first agreement's time stands). Also counts the linked accounts, so the front
 * door knows whether to offer linking.
 */
export const giveConsent = defineResidentService(
  'write',
  { version: z.string().min(1).max(32), language: language.default('ru') },
  async (input, { em, now, actor }) => {
    let resident = await em.findOne(Resident, residentWhere(actor));
    if (!resident) {
      const fresh = { ...residentWhere(actor), language: input.language, consentVersion: input.version, consentAt: now, blocked: false, createdAt: now };
      // Two first consents of one user at once: one insert wins, the other reads what it wrote.
      const inserted = await em.createQueryBuilder(Resident).insert(fresh).onConflict('telegramId').ignore().execute('run');
      if (inserted.affectedRows === 1) return ok({ language: input.language, consentVersion: input.version, linkedAccounts: 0 });
      resident = await em.findOneOrFail(Resident, residentWhere(actor));
    }
    if (resident.consentVersion !== input.version) {
      resident.consentVersion = input.version;
      resident.consentAt = now;
      await em.flush();
    }
    return ok({ language: languageOf(resident.language), consentVersion: resident.consentVersion, linkedAccounts: await em.count(AccountLink, { resident }) });
  },
);

/** Whether the user has agreed (and in which language they read): one indexed lookup. */
export const getConsent = defineResidentService('read', {}, async (_input, { em, actor }) => {
  const resident = await em.findOne(Resident, residentWhere(actor), { fields: ['language', 'consentVersion'] });
  return resident ? ok({ language: languageOf(resident.language), consentVersion: resident.consentVersion }) : fail({ code: 'resident_not_found' as const });
});

/** Withdrawing consent forgets the resident: links and settings go with the row. */
export const withdrawConsent = defineResidentService('write', {}, async (_input, { em, resident }) => {
  const found = await resident();
  if (!found) return fail({ code: 'resident_not_found' as const });
  await em.nativeDelete(AccountLink, { resident: found });
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
 * Links the account the proof points at (by address or by number) and makes it the active one.
 * The failure is as uniform as the lookup's: it never says which field did not match.
 */
export const linkAccount = defineResidentService(
  'write',
  { proof: z.union([z.object({ by: z.literal('address') }).and(addressProof), z.object({ by: z.literal('number') }).and(numberProof)]) },
  async (input, { em, resident }) => {
    const found = await resident();
    if (!found) return fail({ code: 'resident_not_found' as const });
    const proven = input.proof.by === 'address' ? await proveByAddress(em, input.proof) : await proveByNumber(em, input.proof);
    if (!proven.ok) return proven;
    const account = em.getReference(Account, proven.value.accountId);
    const existing = await em.findOne(AccountLink, { resident: found, account });
    if (!existing) em.create(AccountLink, { resident: found, account, linkedAt: new Date() });
    found.activeAccount = account as never;
    await em.flush();
    return ok({ account: proven.value, alreadyLinked: existing !== null });
  },
);

export const setActiveAccount = defineAccountService('write', {}, async (_input, { em, access }) => {
  // Only the resident's own links can be switched to or removed: an operator has none.
  const resident = access.resident;
  if (!resident || access.by !== 'link') return fail({ code: 'account_not_linked' as const });
  resident.activeAccount = em.getReference(Account, access.accountId) as never;
  await em.flush();
  return viewOf(em, access.actor as ResidentActor);
});

export const unlinkAccount = defineAccountService('write', {}, async (_input, { em, access }) => {
  // Only the resident's own links can be switched to or removed: an operator has none.
  const resident = access.resident;
  if (!resident || access.by !== 'link') return fail({ code: 'account_not_linked' as const });
  await em.nativeDelete(AccountLink, { resident, account: access.accountId });
  if (resident.activeAccount?.id === access.accountId) {
    const next = await em.findOne(AccountLink, { resident }, { orderBy: { linkedAt: 'asc', id: 'asc' } });
    resident.activeAccount = (next ? next.account : null) as never;
    await em.flush();
  }
  return viewOf(em, access.actor as ResidentActor);
});

/**
 * The account the resident works with now (the active one, else the first linked);
 * `resident_not_found` without consent, `account_not_linked` with consent and no account.
 */
export const getActiveAccount = defineResidentService('read', {}, async (_input, { em, actor }) => {
  const links = await linksOf(em, actor);
  const active = links.length ? activeOf(links[0]!.resident.$ as Resident, links) : null;
  return active ? ok(toRef(active)) : noLinks(em, actor);
});
