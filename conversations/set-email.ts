import { InlineKeyboard } from 'grammy';
import { anyOf, buttons } from '../src/bot/callback-data.ts';
import { viaTelegram } from '../src/billing/index.ts';
import { EMAIL_CODE } from '../src/billing/email.ts';
import type { BotDeps, ConversationContext } from '../src/bot/context.ts';
import { cancelKeyboard, mainMenu } from '../src/bot/screens/menu.ts';
import { ask, type Conv } from './steps.ts';

type Reply = (ctx: ConversationContext) => Promise<unknown>;

/**
 * The resident's e-mail address (seed 003, changing the e-mail): typed, then confirmed by the code sent
 * to it, before anything is mailed there. Entered at 'code' when a code is already on its way.
 * The code never passes through the bot's state: the mail service sends it and keeps its hash.
 */
export function setEmail(deps: BotDeps) {
  return async function setEmailConversation(conversation: Conv, ctx: ConversationContext, start: 'address' | 'code' = 'address') {
    const actor = viaTelegram(ctx.from!.id);
    const language = await ctx.i18n.getLocale();
    const codeButtons = (x: ConversationContext) =>
      new InlineKeyboard().text(x.t('email-resend'), buttons.email.resend.pack({})).row().text(x.t('email-other-address'), buttons.email.other.pack({}));
    const finish = (x: ConversationContext, key: string, vars?: Record<string, string | number>) =>
      x.reply(x.t(key, vars), { reply_markup: mainMenu(x.t, true) });

    let address: string | null = null;
    if (start === 'code') {
      const view = await conversation.external(() => deps.billing.email.get({ actor }));
      address = view.ok ? view.value.pending : null;
      if (!address) await ctx.reply(ctx.t('email-no-pending'));
    }

    /** Sends a new code to `to`; answers the prompt for the code, or null when the dialogue is over. */
    const sendCode = async (to: string): Promise<Reply | null | 'bad-address'> => {
      const sent = await conversation.external(() => deps.mail.sendCode({ actor, address: to, language }));
      if (sent.ok) {
        address = sent.value.address;
        const vars = { digits: EMAIL_CODE.digits, address: sent.value.address, minutes: sent.value.minutes };
        return (x) => x.reply(x.t('email-code-sent', vars), { reply_markup: codeButtons(x) });
      }
      switch (sent.error.code) {
        case 'invalid_input':
          return 'bad-address';
        case 'too_many_codes': {
          const hours = Math.max(1, Math.ceil((Date.parse(sent.error.retryAt) - Date.now()) / 3600_000));
          await finish(ctx, 'email-too-many', { hours });
          return null;
        }
        case 'mail_failed':
          await finish(ctx, 'email-send-failed');
          return null;
        default:
          throw new Error(`e-mail code: ${sent.error.code}`);
      }
    };

    // What was just said (a code sent, a wrong code…) carries the buttons; after a sticker or a
    // stale button the plain question is put again.
    let said = false;
    for (;;) {
      if (!address) {
        let bad = false;
        for (;;) {
          const answer = await ask(conversation, ctx, {
            text: true,
            maxLength: 254,
            asked: bad,
            send: (x) => x.reply(x.t('email-ask-address'), { reply_markup: cancelKeyboard(x.t) }),
          });
          if (answer.kind !== 'text') continue;
          const next = await sendCode(answer.text);
          if (next === null) return;
          if (next !== 'bad-address') {
            await next(ctx);
            said = true;
            break;
          }
          await ctx.reply(ctx.t('email-bad-address'), { reply_markup: cancelKeyboard(ctx.t) });
          bad = true;
        }
      }
      const pendingAddress = address!;
      const answer = await ask(conversation, ctx, {
        text: true,
        maxLength: 32,
        buttons: anyOf(buttons.email.resend, buttons.email.other),
        asked: said,
        send: (x) => x.reply(x.t('email-pending', { address: pendingAddress }), { reply_markup: codeButtons(x) }),
      });
      said = true;
      const say = (key: string, vars?: Record<string, string | number>) => ctx.reply(ctx.t(key, vars), { reply_markup: codeButtons(ctx) });
      if (answer.kind === 'button') {
        if (buttons.email.other.unpack(answer.data)) {
          address = null;
          continue;
        }
        const next = await sendCode(pendingAddress);
        if (next === null) return;
        if (next === 'bad-address') address = null;
        else await next(ctx);
        continue;
      }
      if (answer.kind !== 'text') continue;
      const code = answer.text.replace(/[\s-]/g, '');
      if (!new RegExp(`^\\d{${EMAIL_CODE.digits}}$`).test(code)) {
        await say('email-code-format', { digits: EMAIL_CODE.digits });
        continue;
      }
      const confirmed = await conversation.external(() => deps.billing.email.confirm({ actor, code }));
      if (confirmed.ok) {
        await finish(ctx, 'email-confirmed', { address: confirmed.value.address });
        return;
      }
      switch (confirmed.error.code) {
        case 'code_invalid':
          if (confirmed.error.attemptsLeft > 0) await say('email-code-wrong', { left: confirmed.error.attemptsLeft });
          else await say('email-code-expired');
          break;
        case 'code_expired':
          await say('email-code-expired');
          break;
        case 'no_pending_email':
          await ctx.reply(ctx.t('email-no-pending'));
          address = null;
          break;
        case 'email_taken':
          // One address signs one resident in on the web pages: another one is needed.
          await ctx.reply(ctx.t('email-taken'));
          address = null;
          break;
        default:
          throw new Error(`e-mail confirmation: ${confirmed.error.code}`);
      }
    }
  };
}
