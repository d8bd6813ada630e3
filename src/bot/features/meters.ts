import { Composer, InlineKeyboard } from 'grammy';
import type { MeterCard } from '../../billing/index.ts';
import { day, m3 } from '../../format.ts';
import { actorOf } from '../actor.ts';
import { buttons } from '../callback-data.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { consentAgain, requireConsent } from '../screens/consent.ts';
import { linkFirst } from '../screens/link-first.ts';

type T = BotContext['t'];

/** One meter's block of the screen: what it is, where, its dates, status, last reading and average. */
function meterBlock(t: T, m: MeterCard): string {
  const lines = [t('meters-name', { service: t(`service-${m.service}`), serial: m.serial })];
  if (m.place) lines.push(t('meters-place', { place: m.place }));
  if (m.model) lines.push(t('meters-model', { model: m.model }));
  if (m.installedOn) lines.push(t('meters-installed', { date: day(m.installedOn) }));
  lines.push(
    m.verification
      ? t('meters-verification', { date: day(m.verification.date), state: m.verification.state, days: m.verification.daysLeft })
      : t('meters-verification-unknown'),
  );
  lines.push(t('meters-status', { status: m.status }));
  lines.push(
    m.lastReading
      ? t('meters-last', { value: m3(m.lastReading.value), date: day(m.lastReading.takenOn), source: t(`source-${m.lastReading.source}`) })
      : t('meters-last-none'),
  );
  if (m.average) lines.push(t('meters-average', { volume: m3(m.average.monthly), months: m.average.months }));
  return lines.join('\n');
}

/**
 * «Счётчики» (seeds 001/002 «Информация об ИПУ», seed 000 §5): every meter of an account on one
 * screen, with a button to pass its reading (the readings dialogue, that meter chosen) and one
 * to open its history (features/reading-history.ts).
 */
export function metersFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  const showMeters = async (ctx: BotContext, accountId: number) => {
    const found = await deps.billing.meters.ofAccount({ actor: actorOf(ctx), accountId });
    if (!found.ok) {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
      return;
    }
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    const { longNumber, meters } = found.value;
    if (meters.length === 0) return ctx.reply([ctx.t('meters-title', { number: longNumber }), '', ctx.t('meters-none')].join('\n'));
    const keyboard = new InlineKeyboard();
    for (const m of meters) {
      // A disconnected meter takes no readings; its history stays open.
      if (m.status === 'active') keyboard.text(ctx.t('meters-pass', { serial: m.serial }), buttons.meters.pass.pack({ accountId, meterId: m.meterId }));
      keyboard.text(ctx.t('meters-history', { serial: m.serial }), buttons.history.page.pack({ accountId, meterId: m.meterId, offset: 0 })).row();
    }
    await ctx.reply([ctx.t('meters-title', { number: longNumber }), ...meters.map((m) => `\n${meterBlock(ctx.t, m)}`)].join('\n'), {
      reply_markup: keyboard,
    });
  };

  feature.command('meters', requireConsent, async (ctx) => {
    const active = await deps.billing.residents.activeAccount({ actor: actorOf(ctx) });
    if (!active.ok) return active.error.code === 'resident_not_found' ? consentAgain(ctx) : linkFirst(ctx);
    await showMeters(ctx, active.value.accountId);
  });

  feature.callbackQuery(buttons.meters.show.filter, requireConsent, (ctx) => showMeters(ctx, buttons.meters.show.unpack(ctx.callbackQuery.data)!.accountId));

  // «Передать показания» of one meter: the readings dialogue for this account, this meter chosen.
  feature.callbackQuery(buttons.meters.pass.filter, requireConsent, async (ctx) => {
    const { accountId, meterId } = buttons.meters.pass.unpack(ctx.callbackQuery.data)!;
    const actor = actorOf(ctx);
    const found = await deps.billing.meters.ofAccount({ actor, accountId });
    const meter = found.ok ? found.value.meters.find((m) => m.meterId === meterId && m.status === 'active') : undefined;
    if (!meter) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    // The dialogue passes readings of the active account: this one becomes it.
    const active = await deps.billing.residents.activeAccount({ actor });
    if (!active.ok || active.value.accountId !== accountId) {
      const switched = await deps.billing.residents.setActiveAccount({ actor, accountId });
      if (!switched.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    }
    await ctx.answerCallbackQuery();
    await ctx.conversation.enter('submit-readings', { meterId });
  });

  return feature;
}
