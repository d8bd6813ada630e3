import { InlineKeyboard } from 'grammy';
import { buttons } from '../src/bot/callback-data.ts';
import { viaTelegram } from '../src/billing/index.ts';
import type { BotDeps, ConversationContext } from '../src/bot/context.ts';
import { mainMenu } from '../src/bot/screens/menu.ts';
import { localDate } from '../src/format.ts';
import { formatPhone } from '../src/phone.ts';
import { accountLines, activeAccountFor, askPhone, handOver, requestRefusal, skipKeyboard, visitDay, visitHour } from './request-steps.ts';
import { ask, type Conv } from './steps.ts';

type T = ConversationContext['t'];

/** What a refused reading hands over: the meter, and why it was refused. */
export interface InspectorPreset {
  meterId: number;
  issue: 'expired' | 'below';
}

const ISSUE = { expired: 'verification_expired', below: 'below_previous' } as const;

/**
 * «Вызвать контролёра» (seed 000 §9) for the active account: the reason (from the dictionary,
 * those offered in the bot), a day and an hour the branch visits, a phone, a comment; a summary
 * to send. From a refused reading the reason and the meter come filled in.
 */
export function inspectorCall(deps: BotDeps) {
  return async function inspectorCallConversation(conversation: Conv, ctx: ConversationContext, preset?: InspectorPreset) {
    const actor = viaTelegram(ctx.from!.id);
    const account = await activeAccountFor(conversation, ctx, deps);
    if (!account) return;
    const accountId = account.accountId;
    const dictionaries = await conversation.external(() => deps.billing.requests.dictionaries({}));
    const reasons = dictionaries.ok ? dictionaries.value.reasons : [];
    if (reasons.length === 0) {
      await ctx.reply(ctx.t('inspector-no-reasons'), { reply_markup: mainMenu(ctx.t, true) });
      return;
    }
    const meter = preset ? account.meters.find((m) => m.meterId === preset.meterId) : undefined;
    const meterLine = (t: T) => (meter ? t('inspector-meter', { service: t(`service-${meter.service}`), serial: meter.serial }) : null);
    await ctx.reply([ctx.t('inspector-header'), accountLines(ctx.t, account), ...(meterLine(ctx.t) ? [meterLine(ctx.t)!] : [])].join('\n'));
    // A button of another account's meter (the active account changed since): asked as a plain call.
    if (preset && !meter) await ctx.reply(ctx.t('request-meter-not-found'));

    const askReason = async (): Promise<(typeof reasons)[number]> => {
      const a = await ask(conversation, ctx, {
        buttons: buttons.requests.reason.filter,
        send: (x) => {
          const k = new InlineKeyboard();
          for (const r of reasons) k.text(r.name, buttons.requests.reason.pack({ code: r.code })).row();
          return x.reply(x.t('inspector-ask-reason'), { reply_markup: k });
        },
      });
      const code = a.kind === 'button' ? buttons.requests.reason.unpack(a.data)?.code : undefined;
      const found = reasons.find((r) => r.code === code);
      if (found) return found;
      // A reason no longer offered (an old or forged button): the question again, not the first reason.
      await ctx.reply(ctx.t('inspector-reason-gone'));
      return askReason();
    };
    const filled = meter && preset ? reasons.find((r) => r.meterIssue === ISSUE[preset.issue]) : undefined;
    let reason = filled ?? (await askReason());
    if (filled) await ctx.reply(ctx.t('inspector-reason-filled', { reason: filled.name }));

    const slotsResult = await conversation.external(() => deps.billing.requests.visitSlots({ actor, accountId }));
    if (!slotsResult.ok) throw new Error(`inspector: slots ${slotsResult.error.code}`);
    let slots = slotsResult.value;

    const askDay = async (days: string[]) => {
      if (days.length === 0) return null;
      const a = await ask(conversation, ctx, {
        buttons: buttons.requests.day.filter,
        hint: 'inspector-day-hint',
        send: (x) => {
          const k = new InlineKeyboard();
          days.forEach((d, i) => {
            k.text(visitDay(x.t, d), buttons.requests.day.pack({ date: d }));
            if (i % 3 === 2) k.row();
          });
          return x.reply(x.t('inspector-ask-day'), { reply_markup: k });
        },
      });
      const date = a.kind === 'button' ? buttons.requests.day.unpack(a.data)?.date : undefined;
      if (date && days.includes(date)) return date;
      // A day no longer offered (an old button): the same question with today's days.
      await ctx.reply(ctx.t('inspector-day-unavailable'));
      return askDay(days);
    };
    const askHour = async (from: number, to: number): Promise<number> => {
      const a = await ask(conversation, ctx, {
        buttons: buttons.requests.hour.filter,
        hint: 'inspector-hour-hint',
        send: (x) => {
          const k = new InlineKeyboard();
          for (let h = from, i = 0; h < to; h++, i++) {
            k.text(visitHour(h), buttons.requests.hour.pack({ hour: h }));
            if (i % 4 === 3) k.row();
          }
          return x.reply(x.t('inspector-ask-hour'), { reply_markup: k });
        },
      });
      const hour = a.kind === 'button' ? buttons.requests.hour.unpack(a.data)?.hour : undefined;
      if (hour !== undefined && hour >= from && hour < to) return hour;
      await ctx.reply(ctx.t('inspector-hour-unavailable'));
      return askHour(from, to);
    };

    let date = await askDay(slots.days);
    if (date === null) {
      await ctx.reply(ctx.t('inspector-no-days'), { reply_markup: mainMenu(ctx.t, true) });
      return;
    }
    let hour = await askHour(slots.hourFrom, slots.hourTo);
    const saved = await conversation.external(async () => {
      const r = await deps.billing.residents.phone({ actor });
      return r.ok ? r.value : null;
    });
    let phone = (await askPhone(conversation, ctx, { question: 'request-ask-phone', saved }))!;
    const commentAnswer = await ask(conversation, ctx, {
      text: true,
      maxLength: 1000,
      tooLong: 'request-too-long',
      buttons: buttons.requests.skip.filter,
      send: (x) => x.reply(x.t('inspector-ask-comment'), { reply_markup: skipKeyboard(x.t) }),
    });
    const comment = commentAnswer.kind === 'text' ? commentAnswer.text : undefined;

    for (;;) {
      const summary = [
        ctx.t('request-summary'),
        accountLines(ctx.t, account),
        ...(meterLine(ctx.t) ? [meterLine(ctx.t)!] : []),
        ctx.t('inspector-summary', { reason: reason.name, day: visitDay(ctx.t, date!), hour: visitHour(hour), phone: formatPhone(phone) }),
        ...(comment ? [ctx.t('inspector-summary-comment', { comment })] : []),
      ].join('\n');
      await ask(conversation, ctx, {
        buttons: buttons.requests.send.filter,
        send: (x) => x.reply(summary, { reply_markup: new InlineKeyboard().text(x.t('request-send'), buttons.requests.send.pack({})) }),
      });
      const result = await conversation.external(() =>
        deps.billing.requests.callInspector({
          actor,
          accountId,
          reasonCode: reason.code,
          visit: { date: date!, hour },
          phone,
          ...(comment ? { comment } : {}),
          ...(meter ? { meterId: meter.meterId } : {}),
        }),
      );
      if (result.ok) {
        await handOver(conversation, deps, result.value.requestId);
        const sent = {
          number: result.value.number,
          day: visitDay(ctx.t, date!),
          hour: visitHour(hour),
          deadline: localDate(result.value.deadlineAt, slots.timezone),
        };
        await ctx.reply(ctx.t('inspector-sent', sent), {
          reply_markup: mainMenu(ctx.t, true),
        });
        return;
      }
      const e = result.error;
      // What the resident can put right is asked again; the rest ends the dialogue with its reason.
      if (e.code === 'visit_day_unavailable' || e.code === 'visit_hour_unavailable') {
        const again = await conversation.external(() => deps.billing.requests.visitSlots({ actor, accountId }));
        if (!again.ok) throw new Error(`inspector: slots ${again.error.code}`);
        slots = again.value;
        if (e.code === 'visit_day_unavailable') {
          await ctx.reply(ctx.t('inspector-day-unavailable'));
          date = await askDay(slots.days);
          if (date === null) {
            await ctx.reply(ctx.t('inspector-no-days'), { reply_markup: mainMenu(ctx.t, true) });
            return;
          }
        } else await ctx.reply(ctx.t('inspector-hour-unavailable'));
        hour = await askHour(slots.hourFrom, slots.hourTo);
        continue;
      }
      if (e.code === 'reason_not_found') {
        await ctx.reply(ctx.t('inspector-reason-gone'));
        reason = await askReason();
        continue;
      }
      if (e.code === 'invalid_input' && e.issues.some((i) => i.message === 'phone_invalid')) {
        await ctx.reply(ctx.t('request-phone-invalid'));
        phone = (await askPhone(conversation, ctx, { question: 'request-ask-phone', saved }))!;
        continue;
      }
      if (e.code === 'account_not_found' || e.code === 'not_permitted') {
        await ctx.reply(ctx.t('request-need-link'), { reply_markup: mainMenu(ctx.t, true) });
        return;
      }
      await ctx.reply(requestRefusal(ctx.t, e.code), { reply_markup: mainMenu(ctx.t, true) });
      return;
    }
  };
}
