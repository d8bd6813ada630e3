import { InlineKeyboard } from 'grammy';
import { buttons } from '../src/bot/callback-data.ts';
import type { BotDeps, ConversationContext } from '../src/bot/context.ts';
import { balanceLines } from '../src/bot/screens/balance-lines.ts';
import { PUBLIC_LOOKUP } from '../src/bot/limits.ts';
import { ask, rows, type Conv } from './steps.ts';

/**
 * Seed 000 §10: debt and the nearest verification date by the 15-digit number, for anyone,
 * without consent or linking; the short number with its branch gives the 15-digit one (§4).
 */
export function publicBalance(deps: BotDeps) {
  return async function publicBalanceConversation(conversation: Conv, ctx: ConversationContext) {
    const userId = ctx.from!.id;
    let longNumber: string | null = null;
    while (!longNumber) {
      const answer = await ask(conversation, ctx, {
        text: true,
        buttons: buttons.publicBalance.short.filter,
        send: (x) =>
          x.reply(x.t('public-ask-number'), { reply_markup: new InlineKeyboard().text(x.t('public-short-number'), buttons.publicBalance.short.pack({})) }),
      });
      const allowed = await conversation.external(() => deps.limits.allow(`public:${userId}`, PUBLIC_LOOKUP.max, PUBLIC_LOOKUP.windowSeconds));
      if (!allowed) {
        await ctx.reply(ctx.t('public-limited'));
        return;
      }
      if (answer.kind === 'text') {
        const digits = answer.text.replace(/[\s-]/g, '');
        if (/^\d{15}$/.test(digits)) longNumber = digits;
        else await ctx.reply(ctx.t('link-bad-number'));
        continue;
      }
      const branches = await conversation.external(() => deps.billing.branches.list({}));
      if (!branches.ok) throw new Error('branches unavailable');
      const picked = await ask(conversation, ctx, {
        buttons: buttons.publicBalance.branch.filter,
        send: (x) =>
          x.reply(x.t('link-ask-branch-for-short'), {
            reply_markup: rows(
              new InlineKeyboard(),
              branches.value.map((b) => ({ label: b.name, data: buttons.publicBalance.branch.pack({ branch: b.code }) })),
            ),
          }),
      });
      const branchCode = (picked.kind === 'button' && buttons.publicBalance.branch.unpack(picked.data)?.branch) || '';
      const shortAnswer = await ask(conversation, ctx, { text: true, send: (x) => x.reply(x.t('link-ask-number')) });
      const shortNumber = shortAnswer.kind === 'text' ? shortAnswer.text.replace(/[\s-]/g, '') : '';
      const resolved = await conversation.external(() => deps.billing.accounts.resolveShortNumber({ branchCode, shortNumber }));
      if (!resolved.ok) {
        await ctx.reply(ctx.t('public-not-found'));
        continue;
      }
      longNumber = resolved.value.longNumber;
      await ctx.reply(ctx.t('public-resolved', { number: longNumber }));
    }
    const number = longNumber;
    const result = await conversation.external(() => deps.billing.balance.getPublic({ longNumber: number }));
    if (!result.ok) {
      await ctx.reply(ctx.t('public-not-found'), { reply_markup: new InlineKeyboard().text(ctx.t('link-try-again'), buttons.publicBalance.start.pack({})) });
      return;
    }
    await ctx.reply([ctx.t('public-result', { number }), ...balanceLines(ctx.t, result.value)].join('\n'));
  };
}
