import type { Loaded } from '@mikro-orm/core';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, Branch, Meter, Norm, Reading } from '../../db/entities/index.ts';
import type { ReadingSource, ServiceCode } from '../../db/entities/index.ts';
import { flatKey, foldText, houseKey, maskOwnerName, streetKey, surnameKey } from './normalize.ts';
import { maskEmail, maskPhone } from './masking.ts';
import { verifyPin } from './pin.ts';
import { fail, ok } from './result.ts';
import { branchCode, id, longNumber, optionalText, shortNumber, text } from './schemas.ts';
import { defineAccountService, defineQuery } from './service.ts';

export interface AddressParts {
  settlement: string;
  street: string;
  house: string;
  flat: string | null;
  flatPrefix: string | null;
}

export interface AccountRef {
  accountId: number;
  longNumber: string;
  branchCode: string;
  /** Masked: first name and patronymic initial only. */
  owner: string;
  address: AddressParts;
}

const ADDRESS_POPULATE = ['branch', 'premise.building.street.settlement'] as const;
export type AccountWithAddress = Awaited<ReturnType<typeof loadAccounts>>[number];

export function loadAccounts(em: EntityManager, where: Parameters<EntityManager['find']>[1]) {
  return em.find(Account, where as never, { populate: ADDRESS_POPULATE, strategy: 'joined' });
}

export function addressOf(a: AccountWithAddress): AddressParts {
  const premise = a.premise.$;
  const building = premise.building.$;
  const street = building.street.$;
  return {
    settlement: street.settlement.$.name,
    street: street.name,
    house: building.house,
    flat: premise.flat ?? null,
    flatPrefix: premise.flatPrefix ?? null,
  };
}

/** What an account's reference is made of, however it was read (entities, or a service's own query). */
export interface AccountRefFields {
  id: number;
  longNumber: string;
  ownerFullName: string;
  branchCode: string;
  address: AddressParts;
}

/** The one mapping of an account to what residents and front doors see of it: the owner masked. */
export function refOf(f: AccountRefFields): AccountRef {
  return { accountId: f.id, longNumber: f.longNumber, branchCode: f.branchCode, owner: maskOwnerName(f.ownerFullName), address: f.address };
}

export function toRef(a: AccountWithAddress): AccountRef {
  return refOf({ id: a.id, longNumber: a.longNumber, ownerFullName: a.ownerFullName, branchCode: a.branch.$.code, address: addressOf(a) });
}

/**
 * The ownership check shared by both ways of linking: house, flat, surname and (where the
 * branch asks it) PIN must all match; a failure never says which.
 */
function checkOwnership(
  candidates: AccountWithAddress[],
  proof: { house: string; flat: string | null; flatPrefix: string | null; surname: string; pin: string | null },
) {
  const hk = houseKey(proof.house);
  const fk = flatKey(proof.flat, proof.flatPrefix);
  const sk = surnameKey(proof.surname);
  // A flat typed without its prefix finds a room of that number too; a flat's prefix and none are the same flat.
  const flatMatches = (p: AccountWithAddress['premise']['$']) => p.flatKey === fk || (!proof.flatPrefix && flatKey(p.flat) === fk && fk !== '');
  // Where the branch asks a PIN, it is asked before anything is compared: whether the house, the
  // flat or the surname were right is never told apart by a request for the PIN.
  if (candidates.some((a) => a.branch.$.requiresPin) && !proof.pin) return fail({ code: 'pin_required' as const });
  const matching = candidates.filter((a) => a.premise.$.building.$.houseKey === hk && flatMatches(a.premise.$) && a.ownerSurnameKey === sk);
  if (matching.length === 0) return fail({ code: 'account_not_found' as const });
  const proven = matching.find((a) => !a.branch.$.requiresPin || verifyPin(proof.pin ?? '', a.pinHash));
  return proven ? ok(toRef(proven)) : fail({ code: 'account_not_found' as const });
}

const proofFields = {
  house: text(32),
  flat: optionalText(16),
  flatPrefix: optionalText(16),
  surname: text(80),
  pin: optionalText(32),
};

export const addressProof = z
  .object({ branchCode, streetId: id.optional(), street: text(120).optional(), ...proofFields })
  .refine((v) => v.streetId !== undefined || v.street !== undefined, { message: 'street_required', path: ['street'] });
export const numberProof = z.union([z.object({ longNumber, ...proofFields }), z.object({ branchCode, shortNumber, ...proofFields })]);
/** The proof of linking, by address or by number (the resident's own surname and PIN in both). */
export const ownershipProof = z.union([z.object({ by: z.literal('address') }).and(addressProof), z.object({ by: z.literal('number') }).and(numberProof)]);
export type OwnershipProof = z.output<typeof ownershipProof>;
export type AddressProof = z.output<typeof addressProof>;
export type NumberProof = z.output<typeof numberProof>;

/** Finds the account the proof points at and checks it; the one rule behind every way of linking. */
export async function proveByAddress(em: EntityManager, input: AddressProof) {
  const streetWhere = input.streetId !== undefined ? { id: input.streetId } : { searchKey: streetKey(input.street!) };
  // The flat is compared by checkOwnership, which also accepts a room number without its prefix.
  const candidates = await loadAccounts(em, {
    branch: { code: input.branchCode },
    premise: { building: { houseKey: houseKey(input.house), street: streetWhere } },
  });
  return checkOwnership(candidates, input);
}

export async function proveByNumber(em: EntityManager, input: NumberProof) {
  const where = 'longNumber' in input ? { longNumber: input.longNumber } : { branch: { code: input.branchCode }, shortNumber: input.shortNumber };
  return checkOwnership(await loadAccounts(em, where), input);
}

/** Seed 000 §4: the short number within a branch gives the 15-digit one. */
export const resolveShortNumber = defineQuery(z.object({ branchCode, shortNumber }), async (input, { em }) => {
  const account = await em.findOne(Account, { branch: { code: input.branchCode }, shortNumber: input.shortNumber }, { fields: ['longNumber'] });
  return account ? ok({ longNumber: account.longNumber }) : fail({ code: 'account_not_found' as const });
});

export interface BranchInfo {
  code: string;
  name: string;
  timezone: string;
  readingDayFrom: number;
  readingDayTo: number;
  phones: string | null;
  /** The 24-hour dispatcher's phone (accidents). */
  dispatcherPhone: string | null;
  address: string | null;
  hours: string | null;
  email: string | null;
  requiresPin: boolean;
}

/** Every branch, by name: asked at the start of every linking dialogue, so one plain statement. */
const BRANCHES_SQL = `select code, name, timezone, reading_day_from, reading_day_to, phones, dispatcher_phone, address, hours, email, requires_pin
  from branch order by name`;

export const listBranches = defineQuery(z.object({}).default({}), async (_input, { em }) => {
  const branches =
    await em.execute<
      {
        code: string;
        name: string;
        timezone: string;
        reading_day_from: number;
        reading_day_to: number;
        phones: string | null;
        dispatcher_phone: string | null;
        address: string | null;
        hours: string | null;
        email: string | null;
        requires_pin: boolean;
      }[]
    >(BRANCHES_SQL);
  return ok(
    branches.map(
      (b): BranchInfo => ({
        code: b.code,
        name: b.name,
        timezone: b.timezone,
        readingDayFrom: b.reading_day_from,
        readingDayTo: b.reading_day_to,
        phones: b.phones ?? null,
        dispatcherPhone: b.dispatcher_phone ?? null,
        address: b.address ?? null,
        hours: b.hours ?? null,
        email: b.email ?? null,
        requiresPin: b.requires_pin,
      }),
    ),
  );
});

/** How alike a typed name must be to a street's (pg_trgm word similarity): one wrong vowel still finds it (test/billing.test.ts). */
const STREET_SIMILARITY = 0.3;

/**
 * Streets of a branch matching what a resident typed: the exact key first, then a prefix, then
 * every typed word found in the name; only when none is, the names merely alike (pg_trgm: a
 * typo, a letter missing), the most alike first. Numerals count as digits on both sides
 * (numerals as words are digits: see streetKey in normalize.ts). At most `limit`, so the bot can offer them as buttons.
 */
export const searchStreets = defineQuery(
  z.object({ branchCode, query: text(120), limit: z.number().int().min(1).max(20).default(8) }),
  async (input, { em }) => {
    const branch = await em.findOne(Branch, { code: input.branchCode });
    if (!branch) return fail({ code: 'branch_not_found' as const });
    const key = streetKey(input.query) || foldText(input.query);
    const words = key.split(' ').filter(Boolean);
    const like = (w: string) => `%${w.replace(/[%_\\]/g, '\\$&')}%`;
    const allWords = words.map(() => `st.search_key like ?`).join(' and ') || 'false';
    // The threshold is the operator's (`<%`, which the trigram index serves): set for this transaction only.
    const rows = await em.transactional(async (tx) => {
      await tx.execute(`select set_config('pg_trgm.word_similarity_threshold', ?, true)`, [String(STREET_SIMILARITY)]);
      return tx.execute<{ id: number; name: string; settlement: string; rank: number }[]>(
        `select st.id, st.name, se.name as settlement,
                case when st.search_key = ? then 0 when st.search_key like ? then 1 when (${allWords}) then 2 else 3 end as rank
           from street st join settlement se on se.id = st.settlement_id
          where se.branch_id = ? and ((${allWords}) or ? <% st.search_key)
          order by rank, word_similarity(?, st.search_key) desc, st.search_key collate "C", st.id
          limit ?`,
        [key, like(key).slice(1), ...words.map(like), branch.id, ...words.map(like), key, key, input.limit],
      );
    });
    const literal = rows.some((r) => r.rank < 3);
    return ok(rows.filter((r) => !literal || r.rank < 3).map((r) => ({ streetId: r.id, name: r.name, settlement: r.settlement })));
  },
);

/** What every screen of a meter shows of it (`meterFields`). */
export type MeterFields = ReturnType<typeof meterFields>;

export interface MeterInfo extends MeterFields {
  verificationDue: string | null;
  sealedOn: string | null;
  digitsBefore: number;
  lastReading: { value: number; takenOn: string; source: ReadingSource } | null;
}

/** What every screen of a meter shows of it: the one mapping of a meter row (the summary, the meters screen). */
export function meterFields(m: Loaded<Meter, 'service'>) {
  return {
    meterId: m.id,
    serial: m.serial,
    service: m.service.$.code,
    serviceName: m.service.$.name,
    model: m.model ?? null,
    place: m.place ?? null,
    status: m.status,
    installedOn: m.installedOn ?? null,
    digitsAfter: m.digitsAfter,
  };
}

export interface AccountSummary extends AccountRef {
  shortNumber: string;
  branchName: string;
  residents: number;
  area: string | null;
  paperReceiptOptOut: boolean;
  /** The phone on file for the account, masked («+7 *** ***-45-67»); the number itself never leaves billing. */
  phone: string | null;
  /** The e-mail on file for the account, masked («a***@mail.ru»). */
  email: string | null;
  /** The serving organisation (seed 004): the branch's office. */
  organisation: { name: string; address: string | null; hours: string | null; phones: string | null; dispatcherPhone: string | null; email: string | null };
  meters: MeterInfo[];
  norms: { service: ServiceCode; serviceName: string; description: string; perPerson: number }[];
}

/** Seed 000 §5: the account's general information page; with seed 004's serving organisation (the account card). */
export const getAccountSummary = defineAccountService('read', {}, async (_input, { em, access }) => {
  const [account] = await loadAccounts(em, { id: access.accountId });
  if (!account) return fail({ code: 'account_not_found' as const });
  const branch = account.branch.$;
  const meters = await em.find(Meter, { account }, { populate: ['service'], orderBy: { status: 'asc', service: { id: 'asc' }, serial: 'asc' } });
  const readings = meters.length
    ? await em.find(Reading, { meter: { $in: meters }, supersededAt: null }, { orderBy: { takenOn: 'desc', recordedAt: 'desc' } })
    : [];
  const lastByMeter = new Map<number, (typeof readings)[number]>();
  for (const r of readings) if (!lastByMeter.has(r.meter.id)) lastByMeter.set(r.meter.id, r);
  const norms = account.normCode
    ? await em.find(Norm, { branch: account.branch, code: account.normCode }, { populate: ['service'], orderBy: { service: { id: 'asc' } } })
    : [];
  return ok({
    ...toRef(account),
    shortNumber: account.shortNumber,
    branchName: account.branch.$.name,
    residents: account.residents,
    area: account.area ?? null,
    paperReceiptOptOut: account.paperReceiptOptOut,
    phone: maskPhone(account.phone),
    email: maskEmail(account.email),
    organisation: {
      name: branch.name,
      address: branch.address ?? null,
      hours: branch.hours ?? null,
      phones: branch.phones ?? null,
      dispatcherPhone: branch.dispatcherPhone ?? null,
      email: branch.email ?? null,
    },
    meters: meters.map((m): MeterInfo => {
      const last = lastByMeter.get(m.id);
      return {
        ...meterFields(m),
        verificationDue: m.verificationDue ?? null,
        sealedOn: m.sealedOn ?? null,
        digitsBefore: m.digitsBefore,
        lastReading: last ? { value: last.value, takenOn: last.takenOn, source: last.source } : null,
      };
    }),
    norms: norms.map((n) => ({
      service: n.service.$.code,
      serviceName: n.service.$.name,
      description: n.description,
      perPerson: n.perPerson,
    })),
  } satisfies AccountSummary);
});
