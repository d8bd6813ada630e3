import { viaTelegram, type Billing } from '../../src/billing/index.ts';
import type { Orm } from '../../src/db/orm.ts';

/** An operators' forum supergroup for all branches (OPERATORS_CHAT_ID) in the tests. */
export const OPERATORS_GROUP = -1001000000001;

/** A resident with consent and Алла's account (002901800602302, branch alpha) linked; returns the account id. */
export async function residentOfAlla(billing: Billing, telegramId: number) {
  const actor = viaTelegram(telegramId);
  const consent = await billing.residents.giveConsent({ actor, version: 't', language: 'ru' });
  if (!consent.ok) throw new Error(`consent: ${consent.error.code}`);
  const linked = await billing.residents.linkAccount({
    actor,
    proof: { by: 'number', longNumber: '002901800602302', house: '7', flat: '30', flatPrefix: null, surname: 'михайлова', pin: null },
  });
  if (!linked.ok) throw new Error(`link: ${linked.error.code}`);
  return linked.value.account.accountId;
}

let comment = 0;

/** «Вызов контролёра» by this resident on their account, through the billing service (each with its own comment). */
export async function inspectorCall(billing: Billing, telegramId: number, accountId: number, text = `Счётчик подтекает, заявка ${++comment}`) {
  const actor = viaTelegram(telegramId);
  const slots = await billing.requests.visitSlots({ actor, accountId });
  if (!slots.ok) throw new Error(`slots: ${slots.error.code}`);
  const made = await billing.requests.callInspector({
    actor,
    accountId,
    reasonCode: 'seal',
    visit: { date: slots.value.days[0]!, hour: slots.value.hourFrom },
    phone: '+7 905 214-57-80',
    comment: text,
  });
  if (!made.ok) throw new Error(`inspector call: ${made.error.code}`);
  return made.value;
}

/** Gives alpha its area (until the import's fixture has it), so that a point finds its branch. */
export const giveAlphaItsArea = (orm: Orm) =>
  orm.em
    .getConnection()
    .execute(`update branch set area_latitude = 44.044, area_longitude = 42.86, area_radius_km = 12, dispatcher_phone = '+78793466682' where code = 'alpha'`);
