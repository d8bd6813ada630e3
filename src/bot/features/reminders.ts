import { Composer, InlineKeyboard } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { ReminderKind } from '../../billing/index.ts';
import { addressLine } from '../../words.ts';
import { actorOf } from '../actor.ts';
import { buttons } from '../callback-data.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { consentAgain, requireConsent } from '../screens/consent.ts';

const KINDS: ReminderKind[] = ['reading_window', 'verification'];

/**
 * The buttons under a reminder the bot wrote first — pass the readings of that account, call the
 * inspector for that meter, «Не напоминать» — and Settings → «🔔 Напоминания», each kind on or
 * off per linked account. Whether the account is the resident's is for the services to say.
 */
export function remindersFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  /** The dialogues work on the active account: the reminder's becomes it (refused if it is not the resident's). */
  const makeActive = async (ctx: BotContext, accountId: number) => {
    const actor = actorOf(ctx);
    const active = await deps.billing.residents.activeAccount({ actor });
    if (active.ok && active.value.accountId === accountId) return true;
    return (await deps.billing.residents.setActiveAccount({ actor, accountId })).ok;
  };

  feature.callbackQuery(buttons.reminders.readings.filter, requireConsent, async (ctx) => {
    const { accountId } = buttons.reminders.readings.unpack(ctx.callbackQuery.data)!;
    if (!(await makeActive(ctx, accountId))) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    await ctx.conversation.exitAll();
    await ctx.conversation.enter('submit-readings');
  });

  feature.callbackQuery(buttons.reminders.inspector.filter, requireConsent, async (ctx) => {
    const { accountId, meterId } = buttons.reminders.inspector.unpack(ctx.callbackQuery.data)!;
    if (!(await makeActive(ctx, accountId))) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    await ctx.conversation.exitAll();
    await ctx.conversation.enter('inspector-call', { meterId, issue: 'expired' });
  });

  // «Не напоминать»: off in one tap; the button leaves the message, the others stay.
  feature.callbackQuery(buttons.reminders.off.filter, requireConsent, async (ctx) => {
    const { kind, accountId } = buttons.reminders.off.unpack(ctx.callbackQuery.data)!;
    const set = await deps.billing.reminders.set({ actor: actorOf(ctx), accountId, kind, on: false });
    if (!set.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery({ text: ctx.t('reminder-off-done'), show_alert: true });
    const markup = ctx.callbackQuery.message?.reply_markup;
    if (markup) {
      const rows = markup.inline_keyboard
        .map((row) => row.filter((b) => !('callback_data' in b) || b.callback_data !== ctx.callbackQuery.data))
        .filter((row) => row.length > 0);
      await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: rows } as InlineKeyboardMarkup }).catch(() => undefined);
    }
  });

  const screen = async (ctx: BotContext) => {
    const settings = await deps.billing.reminders.settings({ actor: actorOf(ctx) });
    if (!settings.ok) return null;
    if (settings.value.length === 0) return { text: ctx.t('reminders-settings-none') };
    const keyboard = new InlineKeyboard();
    const lines = [ctx.t('reminders-settings-title'), ''];
    for (const a of settings.value) {
      lines.push(ctx.t('reminders-settings-account', { number: a.longNumber, address: addressLine(ctx.t, a.address) }));
      for (const kind of KINDS) {
        const on = a.on[kind];
        keyboard
          .text(
            ctx.t(`reminders-kind-${kind}`, { on: on ? 'yes' : 'no', number: a.longNumber }),
            buttons.reminders.toggle.pack({ kind, on: on ? 'off' : 'on', accountId: a.accountId }),
          )
          .row();
      }
    }
    return { text: lines.join('\n'), reply_markup: keyboard };
  };

  feature.callbackQuery(buttons.settings.reminders.filter, requireConsent, async (ctx) => {
    await ctx.answerCallbackQuery();
    const shown = await screen(ctx);
    if (!shown) return consentAgain(ctx);
    await ctx.reply(shown.text, shown.reply_markup ? { reply_markup: shown.reply_markup } : {});
  });

  feature.callbackQuery(buttons.reminders.toggle.filter, requireConsent, async (ctx) => {
    const { kind, on, accountId } = buttons.reminders.toggle.unpack(ctx.callbackQuery.data)!;
    const set = await deps.billing.reminders.set({ actor: actorOf(ctx), accountId, kind, on: on === 'on' });
    if (!set.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    const shown = await screen(ctx);
    if (shown) await ctx.editMessageText(shown.text, shown.reply_markup ? { reply_markup: shown.reply_markup } : {}).catch(() => undefined);
  });

  return feature;
}

/**
 * Telegram tells the bot when a resident blocks it and unblocks it (my_chat_member in their
 * private chat). Unblocking — which a resident must do before writing again — clears the mark a
 * 403 set, so the outbox sends to them again: one write then, none on ordinary updates.
 */
export function reachabilityFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  feature.on('my_chat_member', async (ctx, next) => {
    if (ctx.chat.type !== 'private') return next();
    const status = ctx.myChatMember.new_chat_member.status;
    const telegramId = ctx.myChatMember.from.id;
    if (status === 'kicked') await deps.billing.residents.markBlocked({ telegramId });
    else if (status === 'member') await deps.billing.residents.clearBlocked({ telegramId });
    // The operators' chat says so in the resident's topic (features/operator-chat.ts).
    await next();
  });
  return feature;
}
