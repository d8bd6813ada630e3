import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccountLink, EmailConfirmation, ReceiptSubscription, Resident, Statement } from '../../db/entities/index.ts';
import { fail, ok } from './result.ts';
import { id } from './schemas.ts';
import { defineAccountService, defineQuery, defineResidentService, defineService, defineSystemService } from './service.ts';

/** How long a code is good for, how many wrong tries it takes, how many codes a day. */
export const EMAIL_CODE = { ttlMinutes: 30, maxAttempts: 5, perDay: 5, digits: 6 } as const;

/** An address as typed: trimmed, the domain lower-cased (the local part is the mailbox's own). */
export const emailAddress = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'email_invalid' }))
  .transform((s) => {
    const at = s.lastIndexOf('@');
    return `${s.slice(0, at)}@${s.slice(at + 1).toLowerCase()}`;
  });

const hashCode = (residentId: number, code: string) => createHash('sha256').update(`${residentId}:${code}`).digest('hex');

export interface EmailView {
  /** The confirmed address, or null. */
  address: string | null;
  /** An address waiting for its code. */
  pending: string | null;
  /** Accounts whose monthly receipt is mailed. */
  subscribedAccountIds: number[];
  /** Of those, the accounts whose paper receipt is declined (seed 002, the paper-receipt opt-out). */
  paperOptOutAccountIds: number[];
}

/**
 * The resident's address, the one waiting for its code, and the subscribed accounts (with those
 * whose paper receipt is declined) in one statement: the receipt picker asks it on every visit.
 */
const EMAIL_SQL = (by: 'telegram_id' | 'id') => `select r.email,
  (select c.address from email_confirmation c where c.resident_id = r.id) as pending,
  coalesce((select json_agg(json_build_array(l.account_id, coalesce(a.paper_opt_out_chosen, false)) order by l.account_id)
    from receipt_subscription s join account_link l on l.id = s.link_id join account a on a.id = l.account_id
    where l.resident_id = r.id), '[]'::json) as subscribed
from resident r where r.${by} = ?`;
const EMAIL_BY_TELEGRAM = EMAIL_SQL('telegram_id');
const EMAIL_BY_ID = EMAIL_SQL('id');

export const getEmail = defineResidentService('read', {}, async (input, { em }) => {
  const a = input.actor;
  const [row] = await em.execute<{ email: string | null; pending: string | null; subscribed: [number, boolean][] }[]>(
    a.channel === 'telegram' ? EMAIL_BY_TELEGRAM : EMAIL_BY_ID,
    [a.channel === 'telegram' ? a.telegramId : a.residentId],
  );
  if (!row) return fail({ code: 'resident_not_found' as const });
  return ok<EmailView>({
    address: row.email ?? null,
    pending: row.pending ?? null,
    subscribedAccountIds: row.subscribed.map(([id]) => Number(id)),
    paperOptOutAccountIds: row.subscribed.filter(([, optedOut]) => optedOut).map(([id]) => Number(id)),
  });
});

/**
 * Starts confirming an address: a new random code replaces any earlier one. The code itself is
 * returned once, for the front door to send; only its hash is stored.
 */
export const requestEmailCode = defineResidentService('write', { address: emailAddress }, async (input, { em, now, resident: find }) => {
  const resident = await find();
  if (!resident) return fail({ code: 'resident_not_found' as const });
  return issueCode(em, now, resident, input.address);
});

/** A new code for `address`, replacing any earlier one of the resident; at most EMAIL_CODE.perDay a day. */
async function issueCode(em: EntityManager, now: Date, resident: Resident, address: string) {
  const input = { address };
  const code = String(randomInt(0, 10 ** EMAIL_CODE.digits)).padStart(EMAIL_CODE.digits, '0');
  const expiresAt = new Date(now.getTime() + EMAIL_CODE.ttlMinutes * 60_000);
  let pending = await em.findOne(EmailConfirmation, { resident }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (pending) {
    const windowEnds = new Date(pending.windowStartedAt.getTime() + 24 * 3600_000);
    if (windowEnds <= now) {
      pending.windowStartedAt = now;
      pending.codesSent = 0;
    }
    if (pending.codesSent >= EMAIL_CODE.perDay) return fail({ code: 'too_many_codes' as const, retryAt: windowEnds.toISOString() });
    Object.assign(pending, { address: input.address, codeHash: hashCode(resident.id, code), expiresAt, attempts: 0, codesSent: pending.codesSent + 1 });
  } else {
    pending = em.create(EmailConfirmation, {
      resident,
      address: input.address,
      codeHash: hashCode(resident.id, code),
      expiresAt,
      attempts: 0,
      codesSent: 1,
      windowStartedAt: now,
    });
  }
  await em.flush();
  return ok({ address: input.address, code, expiresAt: expiresAt.toISOString() });
}

/** The code from the letter: the address becomes the resident's. Wrong codes are counted. */
export const confirmEmail = defineResidentService(
  'write',
  {
    code: z
      .string()
      .trim()
      .regex(new RegExp(`^\\d{${EMAIL_CODE.digits}}$`), 'code_digits'),
  },
  async (input, { em, now, resident: find }) => {
    const resident = await find();
    if (!resident) return fail({ code: 'resident_not_found' as const });
    const checked = await checkCode(em, now, resident, input.code);
    if (!checked.ok) return checked;
    // One address is one resident's: the web pages sign in by it.
    const taken = await em.count(Resident, { email: checked.value.address, id: { $ne: resident.id } });
    if (taken) return fail({ code: 'email_taken' as const });
    resident.email = checked.value.address;
    em.remove(checked.value.pending);
    await em.flush();
    return ok({ address: resident.email });
  },
);

/**
 * The paper-receipt opt-out lives only with a receipt by e-mail: on the accounts given that no
 * longer have any subscription it is turned off. Answers how many accounts it was turned off on.
 */
export async function endOptOutWithoutSubscription(em: EntityManager, accountIds: number[], now: Date): Promise<number> {
  if (accountIds.length === 0) return 0;
  const result = await em.execute(
    `update account a set paper_opt_out_chosen = false, paper_opt_out_changed_at = ?
     where a.id in (?) and a.paper_opt_out_chosen
       and not exists (select 1 from receipt_subscription s join account_link l on l.id = s.link_id where l.account_id = a.id)`,
    [now.toISOString(), accountIds],
    'run',
  );
  return Number((result as { affectedRows?: number }).affectedRows ?? 0);
}

/** The resident's pending code checked; a wrong one is counted. */
async function checkCode(em: EntityManager, now: Date, resident: Resident, code: string) {
  const pending = await em.findOne(EmailConfirmation, { resident }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!pending) return fail({ code: 'no_pending_email' as const });
  if (pending.expiresAt <= now || pending.attempts >= EMAIL_CODE.maxAttempts) return fail({ code: 'code_expired' as const });
  const right = timingSafeEqual(Buffer.from(pending.codeHash, 'hex'), Buffer.from(hashCode(resident.id, code), 'hex'));
  if (!right) {
    pending.attempts += 1;
    await em.flush();
    return fail({ code: 'code_invalid' as const, attemptsLeft: EMAIL_CODE.maxAttempts - pending.attempts });
  }
  return ok({ address: pending.address, pending });
}

const signInCode = z
  .string()
  .trim()
  .regex(new RegExp(`^\\d{${EMAIL_CODE.digits}}$`), 'code_digits');

/**
 * The web pages' sign-in, step one: a code to the confirmed address of a resident. The code is
 * returned for the front door to send; an address nobody has confirmed gets `unknown_address`,
 * which the front door must answer exactly as a success («if the address is known, a code is on
 * its way»), so that the page tells nobody whose address it is.
 */
export const requestSignInCode = defineService(z.object({ address: emailAddress }), async (input, { em, now }) => {
  const resident = await em.findOne(Resident, { email: input.address });
  if (!resident) return fail({ code: 'unknown_address' as const });
  const issued = await issueCode(em, now, resident, input.address);
  return issued.ok ? ok({ ...issued.value, language: resident.language }) : issued;
});

/** Step two: the code from the letter gives the resident's id, for the front door's session. */
export const signInByCode = defineService(z.object({ address: emailAddress, code: signInCode }), async (input, { em, now }) => {
  const resident = await em.findOne(Resident, { email: input.address });
  if (!resident) return fail({ code: 'code_invalid' as const, attemptsLeft: 0 });
  const checked = await checkCode(em, now, resident, input.code);
  if (!checked.ok) return checked;
  if (checked.value.address !== input.address) return fail({ code: 'code_invalid' as const, attemptsLeft: 0 });
  em.remove(checked.value.pending);
  await em.flush();
  return ok({ residentId: resident.id, language: resident.language });
});

/** Forgets the address (confirmed or pending); the subscriptions, which need it, go with it. */
/** Forgets the address (confirmed or pending); the subscriptions, which need it, go with it, and so does the paper opt-out. */
export const removeEmail = defineResidentService('write', {}, async (_input, { em, now, resident: find }) => {
  const resident = await find();
  if (!resident) return fail({ code: 'resident_not_found' as const });
  const links = await em.find(AccountLink, { resident }, { fields: ['id', 'account'] });
  const unsubscribed = links.length ? await em.nativeDelete(ReceiptSubscription, { link: { $in: links.map((l) => l.id) } }) : 0;
  const paperBack = await endOptOutWithoutSubscription(
    em,
    links.map((l) => l.account.id),
    now,
  );
  await em.nativeDelete(EmailConfirmation, { resident });
  resident.email = null;
  await em.flush();
  return ok({ unsubscribed, paperBack: paperBack > 0 });
});

/** «Подписаться на рассылку»: the monthly receipt of a linked account, to the confirmed address. */
export const subscribeReceipts = defineAccountService('write', {}, async (_input, { em, access }) => {
  // A subscription is a resident's own, on their link: an operator cannot make one.
  const link =
    access.by === 'link'
      ? await em.findOne(AccountLink, { resident: access.residentId, account: access.accountId }, { populate: ['account', 'resident'] })
      : null;
  if (!link) return fail({ code: 'account_not_linked' as const });
  const resident = link.resident.$;
  if (!resident.email) return fail({ code: 'email_not_confirmed' as const });
  const longNumber = link.account.$.longNumber;
  const existing = await em.findOne(ReceiptSubscription, { link });
  if (existing) return ok({ address: resident.email, longNumber, alreadySubscribed: true });
  const [latest] = await em.find(Statement, { account: access.accountId }, { orderBy: { period: 'desc' }, limit: 1, fields: ['period'] });
  em.create(ReceiptSubscription, { link, token: randomBytes(32).toString('base64url'), sinceMonth: latest?.period ?? null, createdAt: new Date() });
  await em.flush();
  return ok({ address: resident.email, longNumber, alreadySubscribed: false });
});

export const unsubscribeReceipts = defineAccountService('write', {}, async (_input, { em, now, access }) => {
  const link =
    access.by === 'link' ? await em.findOne(AccountLink, { resident: access.residentId, account: access.accountId }, { populate: ['account'] }) : null;
  if (!link) return fail({ code: 'account_not_linked' as const });
  const removed = await em.nativeDelete(ReceiptSubscription, { link });
  const paperBack = (await endOptOutWithoutSubscription(em, [access.accountId], now)) > 0;
  return ok({ longNumber: link.account.$.longNumber, wasSubscribed: removed > 0, paperBack });
});

/**
 * The paper-receipt opt-out (seed 002): the receipt of the account comes only by e-mail.
 * Only with a confirmed address and the account's monthly receipt subscribed to by this resident;
 * `on: false` brings the paper receipt back. Exported for the billing system (`paper-optout`).
 */
export const setPaperOptOut = defineAccountService('write', { on: z.boolean() }, async (input, { em, now, access }) => {
  const link =
    access.by === 'link'
      ? await em.findOne(AccountLink, { resident: access.residentId, account: access.accountId }, { populate: ['account', 'resident'] })
      : null;
  if (!link) return fail({ code: 'account_not_linked' as const });
  const account = link.account.$;
  if (input.on) {
    if (!link.resident.$.email) return fail({ code: 'email_not_confirmed' as const });
    if (!(await em.findOne(ReceiptSubscription, { link }))) return fail({ code: 'not_subscribed' as const });
  }
  const changed = (account.paperOptOutChosen ?? false) !== input.on;
  if (changed) {
    account.paperOptOutChosen = input.on;
    account.paperOptOutChangedAt = now;
    await em.flush();
  }
  return ok({ longNumber: account.longNumber, on: input.on, changed });
});

const token = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'token');

/** What an unsubscribe link points at: for the page that asks «отписаться?». */
export const subscriptionByToken = defineQuery(z.object({ token }), async (input, { em }) => {
  const s = await em.findOne(ReceiptSubscription, { token: input.token }, { populate: ['link.account'] });
  if (!s) return fail({ code: 'subscription_not_found' as const });
  return ok({ longNumber: s.link.$.account.$.longNumber });
});

/** The unsubscribe link of a letter: works without logging in, and only for that subscription. */
export const unsubscribeByToken = defineService(z.object({ token }), async (input, { em, now }) => {
  const s = await em.findOne(ReceiptSubscription, { token: input.token }, { populate: ['link.account'] });
  if (!s) return fail({ code: 'subscription_not_found' as const });
  const account = s.link.$.account.$;
  em.remove(s);
  await em.flush();
  const paperBack = (await endOptOutWithoutSubscription(em, [account.id], now)) > 0;
  return ok({ longNumber: account.longNumber, paperBack });
});

// The monthly receipts into the outbox (kind `receipt_email`, channel `email`), one batch of
// subscriptions after the cursor in id order: each with only the newest statement of its account
// (one backward step of the (account_id, period) unique index), kept when that month is newer than
// the subscription. The unique (resident, kind, subject) of the outbox makes each letter once per
// resident, account and month whoever plans it; its claim makes it sent at most once (a claim whose
// outcome is unknown is not sent again). A resident who blocked the bot in Telegram still gets the
// letters: the e-mail is another channel.
const PLAN_SQL = `
  with batch as (select id from receipt_subscription where id > ? order by id limit ?),
  planned as (
    insert into notice (resident_id, kind, subject, payload, state, created_at, due_at, channel)
    select l.resident_id, 'receipt_email', 'receipt:' || l.account_id || ':' || to_char(st.period, 'YYYY-MM'),
      jsonb_build_object('accountId', l.account_id, 'month', to_char(st.period, 'YYYY-MM')), 'pending', ?::timestamptz, ?::timestamptz, 'email'
    from batch b
    join receipt_subscription s on s.id = b.id
    join account_link l on l.id = s.link_id
    join resident r on r.id = l.resident_id
    cross join lateral (select period from statement where account_id = l.account_id order by period desc limit 1) st
    where r.email is not null and (s.since_month is null or st.period > s.since_month)
      and not exists (
        select 1 from notice n where n.resident_id = l.resident_id and n.kind = 'receipt_email'
          and n.subject = 'receipt:' || l.account_id || ':' || to_char(st.period, 'YYYY-MM'))
    on conflict (resident_id, kind, subject) do nothing
    returning 1
  )
  select (select max(id) from batch) as last, (select count(*) from planned)::int as planned`;

/**
 * The monthly mailing's planning, one batch of subscriptions after `after` (in id order): the new
 * months' receipts into the outbox. `last`: the cursor for the next batch (null: no more).
 */
export const planReceiptMailings = defineSystemService(
  z.object({ after: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(20_000).default(5000) }),
  async (input, { em, now }) => {
    const [row] = await em.execute<{ last: number | null; planned: number }[]>(PLAN_SQL, [input.after, input.limit, now, now]);
    return ok({ last: row?.last == null ? null : Number(row.last), planned: Number(row?.planned ?? 0) });
  },
);

/** The subscription a monthly letter is sent under (its unsubscribe token); null: unsubscribed meanwhile, so it is not sent. */
export const mailingSubscription = defineSystemService(z.object({ residentId: id, accountId: id }), async (input, { em }) => {
  const s = await em.findOne(ReceiptSubscription, { link: { resident: input.residentId, account: input.accountId } }, { fields: ['token'] });
  return ok(s ? { token: s.token } : null);
});
