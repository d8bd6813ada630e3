import { Composer, InlineKeyboard } from 'grammy';
import { actorOf } from '../actor.ts';
import { hears } from '@grammyjs/i18n';
import type { AccountSummary, ResidentView } from '../../billing/index.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { addressLine } from '../../words.ts';
import { m3 } from '../../format.ts';
import { buttons } from '../callback-data.ts';
import { consentAgain, requireConsent } from '../screens/consent.ts';
import { linkButton } from '../screens/link-first.ts';

function listScreen(ctx: BotContext, resident: ResidentView) {
  if (resident.accounts.length === 0) {
    return { text: ctx.t('accounts-none'), keyboard: linkButton(ctx.t) };
  }
  const lines = [ctx.t('accounts-list'), ''];
  const keyboard = new InlineKeyboard();
  for (const a of resident.accounts) {
    lines.push(ctx.t('accounts-item', { active: a.active ? 'yes' : 'no', number: a.longNumber, address: addressLine(ctx.t, a.address) }));
    keyboard.text(ctx.t('accounts-card', { number: a.longNumber }), buttons.accounts.card.pack({ accountId: a.accountId })).row();
    if (!a.active) keyboard.text(ctx.t('accounts-make-active', { number: a.longNumber }), buttons.accounts.use.pack({ accountId: a.accountId })).row();
    keyboard.text(ctx.t('accounts-unlink', { number: a.longNumber }), buttons.accounts.unlink.pack({ accountId: a.accountId })).row();
  }
  linkButton(ctx.t, keyboard);
  return { text: lines.join('\n'), keyboard };
}

/** The account card (seed 000 §5, 004): what the utility has on file, masked, and who serves the account. */
function cardText(ctx: BotContext, s: AccountSummary, ownPhone: string | null): string {
  const t = ctx.t;
  const lines = [
    t('account-card-title', { number: s.longNumber }),
    t('account-card-owner', { owner: s.owner }),
    t('account-card-address', { address: addressLine(t, s.address) }),
    t('account-card-residents', { residents: s.residents }),
  ];
  if (s.area) lines.push(t('account-card-area', { area: s.area.replace('.', ',') }));
  lines.push(t('account-card-phone', { phone: s.phone ?? 'none' }), t('account-card-email', { email: s.email ?? 'none' }));
  // The number the resident shared in the bot (settings), masked as the one on file is.
  if (ownPhone) lines.push(t('account-card-own-phone', { phone: ownPhone }));
  if (s.norms.length) {
    lines.push('', t('account-card-norms'));
    const categories = [...new Set(s.norms.map((n) => n.description))];
    for (const category of categories) {
      if (category) lines.push(category);
      for (const n of s.norms.filter((x) => x.description === category)) {
        lines.push(t('account-card-norm', { service: t(`service-${n.service}`), volume: m3(n.perPerson) }));
      }
    }
  }
  const o = s.organisation;
  lines.push('', t('account-card-organisation', { name: o.name }));
  if (o.address) lines.push(t('account-card-org-address', { address: o.address }));
  if (o.hours) lines.push(t('account-card-org-hours', { hours: o.hours }));
  if (o.phones) lines.push(t('account-card-org-phones', { phones: o.phones }));
  if (o.dispatcherPhone) lines.push(t('account-card-org-dispatcher', { phone: o.dispatcherPhone }));
  if (o.email) lines.push(t('account-card-org-email', { email: o.email }));
  return lines.join('\n');
}

/** «Мои счета»: list, the account card, switch the active account, unlink with confirmation, link another. */
export function accountsFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  const show = async (ctx: BotContext, edit = false) => {
    const resident = await deps.billing.residents.get({ actor: actorOf(ctx) });
    if (!resident.ok) {
      // The consent was withdrawn elsewhere: ask again. Not through requireConsent, which would
      // answer a callback query that the caller has already answered (Telegram refuses that).
      return consentAgain(ctx);
    }
    const { text, keyboard } = listScreen(ctx, resident.value);
    if (edit) await ctx.editMessageText(text, { reply_markup: keyboard }).catch(() => ctx.reply(text, { reply_markup: keyboard }));
    else await ctx.reply(text, { reply_markup: keyboard });
  };

  feature.command('accounts', requireConsent, (ctx) => show(ctx));
  feature.filter(hears('menu-accounts'), requireConsent, (ctx) => show(ctx));
  feature.callbackQuery(buttons.accounts.list.filter, requireConsent, async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, true);
  });

  feature.callbackQuery(buttons.accounts.link.filter, requireConsent, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.conversation.exitAll();
    await ctx.conversation.enter('link-account');
  });

  feature.callbackQuery(buttons.accounts.use.filter, requireConsent, async (ctx) => {
    const { accountId } = buttons.accounts.use.unpack(ctx.callbackQuery.data)!;
    const result = await deps.billing.residents.setActiveAccount({ actor: actorOf(ctx), accountId });
    if (!result.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    const active = result.value.accounts.find((a) => a.active);
    await ctx.answerCallbackQuery({ text: ctx.t('accounts-switched', { number: active?.longNumber ?? '' }) });
    await show(ctx, true);
  });

  feature.callbackQuery(buttons.accounts.card.filter, requireConsent, async (ctx) => {
    const { accountId } = buttons.accounts.card.unpack(ctx.callbackQuery.data)!;
    const actor = actorOf(ctx);
    const [summary, phone] = await Promise.all([deps.billing.accounts.summary({ actor, accountId }), deps.billing.residents.phone({ actor })]);
    if (!summary.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    const text = cardText(ctx, summary.value, phone.ok ? phone.value.masked : null);
    const keyboard = new InlineKeyboard().text(ctx.t('back'), buttons.accounts.list.pack({}));
    await ctx.editMessageText(text, { reply_markup: keyboard }).catch(() => ctx.reply(text, { reply_markup: keyboard }));
  });

  feature.callbackQuery(buttons.accounts.unlink.filter, requireConsent, async (ctx) => {
    const { accountId } = buttons.accounts.unlink.unpack(ctx.callbackQuery.data)!;
    const resident = await deps.billing.residents.get({ actor: actorOf(ctx) });
    const account = resident.ok ? resident.value.accounts.find((a) => a.accountId === accountId) : undefined;
    if (!account) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t('accounts-unlink-confirm', { number: account.longNumber, address: addressLine(ctx.t, account.address) }), {
      reply_markup: new InlineKeyboard()
        .text(ctx.t('accounts-unlink-yes'), buttons.accounts.unlinkConfirmed.pack({ accountId }))
        .text(ctx.t('back'), buttons.accounts.list.pack({})),
    });
  });

  feature.callbackQuery(buttons.accounts.unlinkConfirmed.filter, requireConsent, async (ctx) => {
    const { accountId } = buttons.accounts.unlinkConfirmed.unpack(ctx.callbackQuery.data)!;
    const before = await deps.billing.residents.get({ actor: actorOf(ctx) });
    const number = before.ok ? before.value.accounts.find((a) => a.accountId === accountId)?.longNumber : undefined;
    const result = await deps.billing.residents.unlinkAccount({ actor: actorOf(ctx), accountId });
    if (!result.ok || !number) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery({ text: ctx.t('accounts-unlinked', { number }) });
    await show(ctx, true);
  });

  return feature;
}
