import { InlineKeyboard, Keyboard } from 'grammy';
import { buttons } from '../src/bot/callback-data.ts';
import { viaTelegram, type AccountSummary } from '../src/billing/index.ts';
import type { BotDeps, ConversationContext } from '../src/bot/context.ts';
import { consentScreen } from '../src/bot/screens/consent.ts';
import { linkFirst } from '../src/bot/screens/link-first.ts';
import { cancelKeyboard } from '../src/bot/screens/menu.ts';
import { formatPhone, normalizePhone } from '../src/phone.ts';
import { addressLine } from '../src/words.ts';
import { ask, type Conv } from './steps.ts';

type T = ConversationContext['t'];

interface PhoneOptions {
  /** The question (a key): why the phone is asked, in this dialogue's words. */
  question: string;
  /** `request-no-phone` is offered: the answer may be null. */
  optional?: boolean;
  /** The number the resident shared in the settings (`residents.phone`): offered first, as one button. */
  saved?: { phone: string | null; masked: string | null } | null;
}

/**
 * `request-ask-phone`: Telegram's share-contact button (`request-share-phone`) (a reply keyboard) or a typed number,
 * normalized by the one phone rule (src/phone.ts). A shared contact must be the resident's own
 * (Telegram names its user): someone else's is refused politely. With `optional`, `request-no-phone`
 * gives null. The keyboard is put back to `menu-cancel` after.
 */
export async function askPhone(conversation: Conv, ctx: ConversationContext, o: PhoneOptions): Promise<string | null> {
  const saved = o.saved?.phone && o.saved.masked ? { phone: o.saved.phone, masked: o.saved.masked } : null;
  const keyboard = (t: T) => {
    const k = new Keyboard();
    if (saved) k.text(t('request-use-saved-phone', { phone: saved.masked })).row();
    k.requestContact(t('request-share-phone')).row();
    if (o.optional) k.text(t('request-no-phone')).row();
    return k.text(t('menu-cancel')).resized().persistent();
  };
  const hint = o.optional ? 'request-phone-hint-optional' : 'request-phone-hint';
  let asked = false;
  for (;;) {
    const a = await ask(conversation, ctx, {
      text: true,
      contact: true,
      maxLength: 32,
      tooLong: 'request-phone-invalid',
      hint,
      asked,
      send: (x) => x.reply(x.t(o.question), { reply_markup: keyboard(x.t) }),
    });
    if (a.kind === 'contact' && !a.own) {
      await ctx.reply(ctx.t('request-phone-not-own'), { reply_markup: keyboard(ctx.t) });
      asked = true;
      continue;
    }
    if (saved && a.kind === 'text' && a.text === ctx.t('request-use-saved-phone', { phone: saved.masked })) {
      await ctx.reply(ctx.t('request-phone-taken', { phone: saved.masked }), { reply_markup: cancelKeyboard(ctx.t) });
      return saved.phone;
    }
    if (a.kind === 'text' && o.optional && a.text === ctx.t('request-no-phone')) {
      await ctx.reply(ctx.t('request-phone-skipped'), { reply_markup: cancelKeyboard(ctx.t) });
      return null;
    }
    const typed = a.kind === 'contact' ? (a.phone.startsWith('+') ? a.phone : `+${a.phone}`) : a.kind === 'text' ? a.text : null;
    const phone = typed ? normalizePhone(typed) : null;
    if (phone) {
      await ctx.reply(ctx.t('request-phone-taken', { phone: formatPhone(phone) }), { reply_markup: cancelKeyboard(ctx.t) });
      return phone;
    }
    await ctx.reply(ctx.t('request-phone-invalid'), { reply_markup: keyboard(ctx.t) });
    asked = true;
  }
}

/** The account a request is for, as the resident sees it: number, owner (masked), address, branch. */
export function accountLines(t: T, a: Pick<AccountSummary, 'longNumber' | 'owner' | 'address' | 'branchName'>): string {
  return t('request-account', { number: a.longNumber, owner: a.owner, address: addressLine(t, a.address), branch: a.branchName });
}

/** `request-skip` under a question. */
export const skipKeyboard = (t: T) => new InlineKeyboard().text(t('request-skip'), buttons.requests.skip.pack({}));

/** 'YYYY-MM-DD' → a short weekday, day and month. */
export function visitDay(t: T, date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return t('request-visit-day', { weekday: d.getUTCDay(), day: d.getUTCDate(), month: d.getUTCMonth() + 1 });
}

/** An hour → «10:00». */
export const visitHour = (hour: number) => `${hour}:00`;

/**
 * The active account a request is for, with its owner, address, branch and meters; null when
 * there is none (the resident has been told: link an account first, or give the consent again).
 */
export async function activeAccountFor(conversation: Conv, ctx: ConversationContext, deps: BotDeps): Promise<AccountSummary | null> {
  const actor = viaTelegram(ctx.from!.id);
  const active = await conversation.external(() => deps.billing.residents.activeAccount({ actor }));
  if (!active.ok) {
    if (active.error.code === 'resident_not_found') {
      await ctx.reply(ctx.t('consent-required'));
      await consentScreen(ctx);
    } else await linkFirst(ctx, 'request-need-link');
    return null;
  }
  const summary = await conversation.external(() => deps.billing.accounts.summary({ actor, accountId: active.value.accountId }));
  if (!summary.ok) {
    await linkFirst(ctx, 'request-need-link');
    return null;
  }
  return summary.value;
}

/** What a refusal of billing's request services means to the resident; null for those the dialogue handles itself. */
export function requestRefusal(t: T, code: string): string {
  switch (code) {
    case 'too_many_requests':
      return t('request-too-many');
    case 'duplicate_request':
      return t('request-duplicate');
    case 'meter_not_found':
      return t('request-meter-not-found');
    case 'resident_not_found':
      return t('request-consent-gone');
    default:
      // The dialogue is over: what was typed is not kept, so not the «nothing is lost» of error-generic.
      return t('request-not-sent');
  }
}

/**
 * After a request is made or answered: the notices of its move go out, its card for the operators
 * and its files for the store go to the job runner. The request is already kept; if the queue
 * cannot be reached now, the sweep posts the card later.
 */
export async function handOver(conversation: Conv, deps: BotDeps, requestId: number, o: { notices?: readonly number[]; files?: boolean } = {}) {
  await conversation.external(async () => {
    try {
      for (const noticeId of o.notices ?? []) await deps.jobs.send('notice', { noticeId });
      await deps.jobs.send('request.card', { requestId });
      if (o.files ?? true) await deps.jobs.send('request.files', { requestId });
    } catch (err) {
      deps.log.error({ err, requestId }, 'requests: could not hand the request to the job runner');
    }
  });
}
