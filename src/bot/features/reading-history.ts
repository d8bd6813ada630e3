import { Composer, InlineKeyboard } from 'grammy';
import { actorOf } from '../actor.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { day, m3, monthParts } from '../../format.ts';
import { buttons } from '../callback-data.ts';
import { requireConsent } from '../screens/consent.ts';

const PAGE = 10;

/** Seed 000 §7: every reading of a meter with its date, how it was passed and the volume. */
export function readingHistoryFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  feature.callbackQuery(buttons.history.meters.filter, requireConsent, async (ctx) => {
    const { accountId } = buttons.history.meters.unpack(ctx.callbackQuery.data)!;
    const summary = await deps.billing.accounts.summary({ actor: actorOf(ctx), accountId });
    if (!summary.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    // Billed by the norm: no meter, so no readings — said plainly instead of an empty choice.
    if (summary.value.meters.length === 0) return ctx.reply(ctx.t('history-no-meters'));
    const keyboard = new InlineKeyboard();
    for (const m of summary.value.meters) {
      keyboard.text(`${ctx.t(`service-${m.service}`)}, № ${m.serial}`, buttons.history.page.pack({ accountId, meterId: m.meterId, offset: 0 })).row();
    }
    await ctx.reply(ctx.t('history-pick'), { reply_markup: keyboard });
  });

  feature.callbackQuery(buttons.history.page.filter, requireConsent, async (ctx) => {
    const { accountId, meterId, offset } = buttons.history.page.unpack(ctx.callbackQuery.data)!;
    const page = await deps.billing.readings.history({ actor: actorOf(ctx), accountId, meterId, limit: PAGE, offset });
    if (!page.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    const { meter, items, total } = page.value;
    const lines = [ctx.t('history-title', { meter: `${ctx.t(`service-${meter.service}`)}, № ${meter.serial}` }), ''];
    if (items.length === 0) lines.push(ctx.t('history-none'));
    for (const r of items) {
      lines.push(
        ctx.t('history-row', {
          period: ctx.t('month-name', monthParts(r.period)),
          date: day(r.takenOn),
          recorded: day(r.recordedOn),
          value: m3(r.value),
          volume: r.volume === null ? 'none' : m3(r.volume),
          source: ctx.t(`source-${r.source}`),
          replaced: r.replacedOn ? 'yes' : 'no',
        }),
      );
    }
    const keyboard = new InlineKeyboard();
    if (offset + PAGE < total) keyboard.text(ctx.t('history-older'), buttons.history.page.pack({ accountId, meterId, offset: offset + PAGE }));
    await ctx.reply(lines.join('\n'), { reply_markup: keyboard });
  });

  return feature;
}
