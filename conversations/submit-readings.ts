import { InlineKeyboard } from 'grammy';
import { anyOf, buttons } from '../src/bot/callback-data.ts';
import { viaTelegram, type MeterForReading, type PlaceProof } from '../src/billing/index.ts';
import { compareWithPrevious, formatReadingValue, parseReadingInput, parseTakenOn } from '../src/billing/readings-rules.ts';
import type { BotDeps, ConversationContext } from '../src/bot/context.ts';
import { day, m3, monthParts, rub } from '../src/format.ts';
import { mainMenu } from '../src/bot/screens/menu.ts';
import { FileRejected, MAX_FILE_BYTES } from '../src/files/store.ts';
import { lockedOut, tellLockout } from './lockout.ts';
import { ask, type Conv } from './steps.ts';

type T = ConversationContext['t'];

/** The day the values were taken: today unless the resident changes it on the summary (seeds 001/002). */

const meterLabel = (t: T, m: MeterForReading) => t('readings-meter', { service: t(`service-${m.service}`), serial: m.serial, place: m.place ?? 'none' });

/**
 * the readings menu button for the active account: meter after meter, each value checked as it is
 * typed (format, not below the last one, «are you sure?» for an unusual volume), then a summary
 * to confirm; the billing service stores and charges it (seed 000 §6).
 */
export function submitReadings(deps: BotDeps) {
  /** `start.meterId`: that meter of the active account is chosen already (the the meters screen screen's button). */
  return async function submitReadingsConversation(conversation: Conv, ctx: ConversationContext, start?: { meterId?: number }) {
    const userId = ctx.from!.id;
    const actor = viaTelegram(userId);
    // The menu at the end is the one of the resident's consent: readings by number need none.
    const consented = await conversation.external((outside) => outside.session.consent === 'accepted');
    const active = await conversation.external(() => deps.billing.residents.activeAccount({ actor }));
    // The services check the right to the account each time: a live link, or (seeds 001/002,
    // without a linked account) the number with its house and flat.
    let account: { longNumber: string; access: { accountId: number } | { byPlace: PlaceProof } };
    if (active.ok) account = { longNumber: active.value.longNumber, access: { accountId: active.value.accountId } };
    else {
      const found = await findWithoutLinking(conversation, ctx, deps, userId);
      if (!found) return;
      account = found;
    }
    // The inspector can be called for a linked account only (the call is made for the active one).
    const linked = 'accountId' in account.access;
    const inspectorOffer = (t: T, meterId: number, issue: 'expired' | 'below') =>
      linked ? { reply_markup: new InlineKeyboard().text(t('inspector-for-meter'), buttons.requests.inspectorFor.pack({ meterId, issue })) } : undefined;
    const prepared = await conversation.external(() => deps.billing.readings.prepare({ actor, ...account.access }));
    if (!prepared.ok) throw new Error(`readings: ${prepared.error.code}`);
    const { today, window, meters } = prepared.value;
    let takenOn = today;
    const windowLine = window.open
      ? ctx.t('readings-window-open', { closes: day(window.closesOn) })
      : ctx.t('readings-window-later', { opens: day(window.opensOn), closes: day(window.closesOn) });
    await ctx.reply([ctx.t('readings-header', { number: account.longNumber }), windowLine].join('\n'));
    if (meters.length === 0) {
      await ctx.reply(ctx.t('readings-no-meters'));
      return;
    }

    // With several meters the resident may go through all of them or pick one.
    const given = meters.filter((m) => m.meterId === start?.meterId);
    let chosen = given.length ? given : meters;
    if (meters.length > 1 && !given.length) {
      const pick = await ask(conversation, ctx, {
        buttons: anyOf(buttons.readings.choose, buttons.readings.meter),
        send: (x) => {
          const keyboard = new InlineKeyboard().text(x.t('readings-all'), buttons.readings.choose.pack({ which: 'all' })).row();
          for (const m of meters) keyboard.text(meterLabel(x.t, m), buttons.readings.meter.pack({ meterId: m.meterId })).row();
          return x.reply(x.t('readings-pick'), { reply_markup: keyboard });
        },
      });
      const one = pick.kind === 'button' ? buttons.readings.meter.unpack(pick.data) : null;
      if (one) chosen = meters.filter((m) => m.meterId === one.meterId);
    }

    for (;;) {
      const values = new Map<number, number>();
      const photos = new Map<number, string>();
      const unusual: number[] = [];
      for (const meter of chosen) {
        const label = meterLabel(ctx.t, meter);
        if (meter.verificationState === 'expired') {
          await ctx.reply(ctx.t('readings-expired', { meter: label, date: day(meter.verificationDue!) }), inspectorOffer(ctx.t, meter.meterId, 'expired'));
          continue;
        }
        const example = formatReadingValue(meter.last ? meter.last.value + 1000 : 123_000, meter);
        const asked = meter.last
          ? ctx.t('readings-ask', {
              meter: label,
              last: ctx.t('readings-last', { value: formatReadingValue(meter.last.value, meter), date: day(meter.last.takenOn) }),
              example,
              volume: formatReadingValue(1000, meter),
            })
          : ctx.t('readings-ask-first', { meter: label, example });
        const question = meter.passedThisPeriod
          ? `${asked}\n${ctx.t('readings-already', { value: formatReadingValue(meter.passedThisPeriod.value, meter) })}`
          : asked;
        for (;;) {
          const answer = await ask(conversation, ctx, {
            text: true,
            photo: true,
            buttons: buttons.readings.skip.filter,
            send: (x) => x.reply(question, { reply_markup: new InlineKeyboard().text(x.t('readings-skip'), buttons.readings.skip.pack({})) }),
          });
          if (answer.kind === 'button') break;
          if (answer.kind === 'photo') {
            // An optional photo of the meter, kept with the reading for the operators.
            const kept = await keepPhoto(conversation, ctx, deps, answer);
            if (kept) photos.set(meter.meterId, kept);
            continue;
          }
          const typed = parseReadingInput(answer.text, meter);
          if (!typed.ok) {
            await ctx.reply(ctx.t(`readings-bad-${typed.error}`, { decimals: meter.digitsAfter, digits: meter.digitsBefore }));
            continue;
          }
          // «+2,5»: the volume since the last reading (seeds 001/002 a volume of change), added to it.
          if (typed.kind === 'volume' && !meter.last) {
            await ctx.reply(ctx.t('readings-volume-no-last'));
            continue;
          }
          const parsed = { milli: typed.kind === 'volume' ? meter.last!.value + typed.milli : typed.milli };
          const comparison = compareWithPrevious(parsed.milli, meter.last?.value ?? null, meter.usualMonthly);
          if (comparison.kind === 'below_previous') {
            await ctx.reply(
              ctx.t('readings-below', { value: formatReadingValue(parsed.milli, meter), previous: formatReadingValue(comparison.previous, meter) }),
              inspectorOffer(ctx.t, meter.meterId, 'below'),
            );
            continue;
          }
          if (comparison.kind === 'unusually_high') {
            const sure = await ask(conversation, ctx, {
              buttons: buttons.readings.sure.filter,
              send: (x) =>
                x.reply(x.t('readings-unusual', { volume: m3(comparison.volume), limit: m3(comparison.limit) }), {
                  reply_markup: new InlineKeyboard()
                    .text(x.t('readings-unusual-yes'), buttons.readings.sure.pack({ answer: 'sure' }))
                    .row()
                    .text(x.t('readings-unusual-fix'), buttons.readings.sure.pack({ answer: 'fix' })),
                }),
            });
            if (sure.kind === 'button' && buttons.readings.sure.unpack(sure.data)?.answer === 'fix') continue;
            unusual.push(meter.meterId);
          }
          values.set(meter.meterId, parsed.milli);
          break;
        }
      }
      if (values.size === 0) {
        await ctx.reply(ctx.t('readings-nothing'), { reply_markup: mainMenu(ctx.t, consented) });
        return;
      }
      const readable = meters.filter((m) => m.verificationState !== 'expired');
      const partial = readable.some((m) => !values.has(m.meterId));
      const rows = meters
        .filter((m) => values.has(m.meterId))
        .map((m) => {
          const v = values.get(m.meterId)!;
          return ctx.t('readings-summary-row', {
            meter: meterLabel(ctx.t, m),
            value: formatReadingValue(v, m),
            volume: m.last ? m3(v - m.last.value) : 'none',
          });
        });
      const summaryOf = (x: ConversationContext) =>
        [
          x.t('readings-summary'),
          ...rows,
          ...(takenOn !== today ? [x.t('readings-summary-date', { date: day(takenOn) })] : []),
          ...(partial ? ['', x.t('readings-summary-partial')] : []),
        ].join('\n');
      // The latest reading in force among the meters passed: the date taken may not go before it.
      const lastOn = meters
        .filter((m) => values.has(m.meterId) && m.last)
        .reduce<string | null>((max, m) => (max === null || m.last!.takenOn > max ? m.last!.takenOn : max), null);
      let result: Awaited<ReturnType<typeof deps.billing.readings.submit>> | undefined;
      for (;;) {
        const confirm = await ask(conversation, ctx, {
          buttons: anyOf(buttons.readings.confirm, buttons.readings.otherDate),
          send: (x) =>
            x.reply(summaryOf(x), {
              reply_markup: new InlineKeyboard()
                .text(x.t('readings-confirm'), buttons.readings.confirm.pack({ answer: 'ok' }))
                .row()
                .text(x.t('readings-change-date'), buttons.readings.otherDate.pack({}))
                .row()
                .text(x.t('readings-edit'), buttons.readings.confirm.pack({ answer: 'again' })),
            }),
        });
        const data = confirm.kind === 'button' ? confirm.data : undefined;
        if (buttons.readings.otherDate.filter.test(data ?? '')) {
          takenOn = await askTakenOn(conversation, ctx, today, lastOn);
          continue;
        }
        if (buttons.readings.confirm.unpack(data)?.answer === 'again') {
          result = undefined;
          break;
        }
        // One id per confirmed summary: a second tap or a re-delivered update stores nothing new.
        const submission = await conversation.external(() => `tg-${userId}-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`);
        const entries = [...values].map(([meterId, value]) => ({ meterId, value, ...(photos.has(meterId) ? { photoPath: photos.get(meterId)! } : {}) }));
        const chosenDay = takenOn;
        result = await conversation.external(() =>
          deps.billing.readings.submit({
            actor,
            ...account.access,
            submission,
            entries,
            confirmPartial: true,
            confirmUnusual: unusual,
            ...(chosenDay !== today ? { takenOn: chosenDay } : {}),
          }),
        );
        // The day may have turned, or a reading come in meanwhile: say so and show the summary again.
        if (!result.ok && result.error.code === 'taken_in_future') {
          await ctx.reply(ctx.t('readings-date-future', { today: day(result.error.today) }));
          takenOn = result.error.today;
          continue;
        }
        if (!result.ok && result.error.code === 'taken_before_last') {
          await ctx.reply(ctx.t('readings-date-before-last', { last: day(result.error.lastOn) }));
          continue;
        }
        break;
      }
      if (!result) continue;
      if (!result.ok) throw new Error(`readings: ${result.error.code}`);
      const outcome = result.value;
      if (outcome.status === 'refused') {
        const lines = outcome.refusals.map((r) => {
          const m = meters.find((x) => x.meterId === r.meterId)!;
          return r.reason === 'below_previous'
            ? ctx.t('readings-refused-below', { meter: meterLabel(ctx.t, m), previous: formatReadingValue(r.previous ?? 0, m) })
            : ctx.t('readings-refused-expired', { meter: meterLabel(ctx.t, m) });
        });
        // Each refused meter offers the inspector, with the reason and the meter filled in.
        const offer = linked ? new InlineKeyboard() : null;
        for (const r of outcome.refusals) {
          const m = meters.find((x) => x.meterId === r.meterId)!;
          const issue = r.reason === 'below_previous' ? 'below' : 'expired';
          offer?.text(ctx.t('inspector-for-meter-serial', { serial: m.serial }), buttons.requests.inspectorFor.pack({ meterId: m.meterId, issue })).row();
        }
        // The dialogue ends here: the refusal puts the main menu back, the offer follows with its own buttons.
        await ctx.reply(lines.join('\n'), { reply_markup: mainMenu(ctx.t, consented) });
        if (offer) await ctx.reply(ctx.t('readings-inspector-offer'), { reply_markup: offer });
        return;
      }
      if (outcome.status === 'needs_confirmation') throw new Error('readings: confirmation asked after it was given');
      const lines = [
        outcome.window.open ? ctx.t('readings-stored') : ctx.t('readings-stored-later', { opens: day(outcome.window.opensOn) }),
        ...(outcome.readings.some((r) => r.corrected) ? [ctx.t('readings-corrected')] : []),
        // Outside the window the charge is what will be charged: the balance takes it in when the window opens.
        ctx.t(outcome.window.open ? 'readings-charge' : 'readings-charge-later', {
          month: ctx.t('receipt-month', monthParts(outcome.charges.period.slice(0, 7))), // (the month in the genitive): mid-sentence, lower case
          water: rub(outcome.charges.water),
          sewage: rub(outcome.charges.sewage),
          total: rub(outcome.charges.total),
          opens: day(outcome.window.opensOn),
        }),
      ];
      await ctx.reply(lines.join('\n'), { reply_markup: mainMenu(ctx.t, consented) });
      return;
    }
  };
}

async function findWithoutLinking(conversation: Conv, ctx: ConversationContext, deps: BotDeps, userId: number) {
  const listed = await conversation.external(() => deps.billing.branches.list({}));
  const branches = listed.ok ? listed.value : [];
  // The tries are counted as in linking: a resident locked out is told so before the first question.
  if (await lockedOut(conversation, ctx, deps, { userId, branches })) return null;
  await ctx.reply(ctx.t('readings-unlinked-intro'));
  let longNumber = '';
  for (;;) {
    const typed = await ask(conversation, ctx, { text: true, send: (x) => x.reply(x.t('readings-ask-number')) });
    longNumber = typed.kind === 'text' ? typed.text.replace(/[\s-]/g, '') : '';
    if (/^\d{15}$/.test(longNumber)) break;
    await ctx.reply(ctx.t('readings-bad-number'));
  }
  const target = { longNumber };
  if (await lockedOut(conversation, ctx, deps, { userId, target, branches })) return null;
  const house = await ask(conversation, ctx, { text: true, maxLength: 32, send: (x) => x.reply(x.t('link-ask-house')) });
  const flat = await ask(conversation, ctx, {
    text: true,
    maxLength: 16,
    buttons: buttons.readings.privateHouse.filter,
    send: (x) => x.reply(x.t('link-ask-flat'), { reply_markup: new InlineKeyboard().text(x.t('link-private-house'), buttons.readings.privateHouse.pack({})) }),
  });
  if (await lockedOut(conversation, ctx, deps, { userId, target, branches })) return null;
  const byPlace: PlaceProof = { longNumber, house: house.kind === 'text' ? house.text : '', flat: flat.kind === 'text' ? flat.text : null };
  const found = await conversation.external(() => deps.billing.readings.findAccount({ actor: viaTelegram(userId), ...byPlace }));
  if (!found.ok) {
    // Counted by billing as it refused.
    if (found.error.code === 'ownership_locked') await tellLockout(ctx, found.error.until, branches);
    else await ctx.reply(ctx.t('readings-not-found'));
    return null;
  }
  return { longNumber: found.value.longNumber, access: { byPlace } };
}

/** another day: the day typed as DD.MM.YYYY, not after today nor before the last reading; `readings-date-today` goes back. */
async function askTakenOn(conversation: Conv, ctx: ConversationContext, today: string, lastOn: string | null): Promise<string> {
  let asked = false;
  for (;;) {
    const answer = await ask(conversation, ctx, {
      text: true,
      asked,
      buttons: buttons.readings.takenToday.filter,
      send: (x) =>
        x.reply(x.t('readings-ask-date', { today: day(today) }), {
          reply_markup: new InlineKeyboard().text(x.t('readings-date-today'), buttons.readings.takenToday.pack({})),
        }),
    });
    asked = true;
    if (answer.kind === 'button') return today;
    const typed = parseTakenOn(answer.text);
    if (!typed) await ctx.reply(ctx.t('readings-bad-date'));
    else if (typed > today) await ctx.reply(ctx.t('readings-date-future', { today: day(today) }));
    else if (lastOn && typed < lastOn) await ctx.reply(ctx.t('readings-date-before-last', { last: day(lastOn) }));
    else return typed;
  }
}

async function keepPhoto(conversation: Conv, ctx: ConversationContext, deps: BotDeps, photo: { fileId: string; size: number }) {
  if (photo.size > MAX_FILE_BYTES) {
    await ctx.reply(ctx.t('readings-photo-too-big'));
    return null;
  }
  const file = await ctx.api.getFile(photo.fileId);
  const saved = await conversation.external(async () => {
    try {
      if (!file.file_path) return { rejected: 'failed' };
      return { path: (await deps.files.save(deps.telegramFile(file.file_path), { kind: 'image' })).path };
    } catch (e) {
      return { rejected: e instanceof FileRejected ? e.reason : 'failed' };
    }
  });
  if ('path' in saved) {
    await ctx.reply(ctx.t('readings-photo-kept'));
    return saved.path;
  }
  await ctx.reply(ctx.t(saved.rejected === 'too_big' ? 'readings-photo-too-big' : 'readings-photo-failed'));
  return null;
}
