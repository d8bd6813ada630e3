import { InlineKeyboard, Keyboard } from 'grammy';
import { viaTelegram, type BranchInfo } from '../src/billing/index.ts';
import { buttons } from '../src/bot/callback-data.ts';
import type { BotDeps, ConversationContext } from '../src/bot/context.ts';
import { cancelKeyboard, mainMenu } from '../src/bot/screens/menu.ts';
import { dispatcherLine, timezoneOf } from '../src/bot/screens/requests.ts';
import { localDateTime } from '../src/format.ts';
import { formatPhone } from '../src/phone.ts';
import { askPhone, handOver } from './request-steps.ts';
import { ask, fileOf, rows, type Conv, type SentFile } from './steps.ts';

/** At most this many photos with a report or an answer (the services' limit). */
export const MAX_PHOTOS = 10;
/** Reports without consent (nobody kept to count them in billing): per Telegram user, in Redis. */
export const ANONYMOUS_LIMIT = { max: 5, windowSeconds: 24 * 3600 };

type Place = { kind: 'point'; latitude: number; longitude: number } | { kind: 'address'; branchCode: string; address: string };
type KnownOutage = { outageId: number; kind: 'planned' | 'emergency'; reason: string; expectedEndAt: string; timezone: string; address: string | null };

/**
 * A water outage known at the resident's place or at their account's house, instead of a new
 * report: «Плановое отключение … до …; заявка не нужна», with «Это другое, сообщить». True: they
 * report anyway.
 */
async function offerOutages(conversation: Conv, ctx: ConversationContext, outages: KnownOutage[], consented: boolean): Promise<boolean> {
  const lines = outages.map((o) =>
    ctx.t('accident-outage-row', {
      kind: ctx.t(`outage-kind-${o.kind}`),
      where: o.address ? ctx.t('accident-outage-where', { address: o.address }) : '',
      to: localDateTime(o.expectedEndAt, o.timezone),
      reason: o.reason,
    }),
  );
  const answer = await ask(conversation, ctx, {
    buttons: new RegExp(`${buttons.accident.outageFine.filter.source}|${buttons.accident.outageReport.filter.source}`),
    send: (x) =>
      x.reply([...lines, x.t('accident-outage-no-report')].join('\n'), {
        reply_markup: new InlineKeyboard()
          .text(x.t('accident-outage-fine'), buttons.accident.outageFine.pack({}))
          .row()
          .text(x.t('accident-outage-report-anyway'), buttons.accident.outageReport.pack({})),
      }),
  });
  if (answer.kind === 'button' && buttons.accident.outageReport.filter.test(answer.data)) return true;
  await ctx.reply(ctx.t('accident-outage-thanks'), { reply_markup: mainMenu(ctx.t, consented) });
  return false;
}

/**
 * «Сообщить об аварии» on the street networks (seed 001 §4, seed 002): the dispatcher's phone
 * first, then photos, the place (a shared location or a typed address), an accident already known
 * nearby offered to join, the damage type, a short description, a phone (only with the consent),
 * the summary and the report. Needs no linked account and no consent.
 */
export function reportAccident(deps: BotDeps) {
  return async function reportAccidentConversation(conversation: Conv, ctx: ConversationContext) {
    const actor = viaTelegram(ctx.from!.id);
    const consented = await conversation.external((outside) => outside.session.consent === 'accepted');
    const listed = await conversation.external(() => deps.billing.branches.list({}));
    if (!listed.ok) throw new Error('accident: branches');
    const branches = listed.value;
    const active = consented ? await conversation.external(() => deps.billing.residents.activeAccount({ actor })) : null;
    const homeBranch = active?.ok ? active.value.branchCode : null;
    // The resident's own branch first: the accident is most often near home, but not always.
    const homeFirst = [...branches].sort((a, b) => Number(b.code === homeBranch) - Number(a.code === homeBranch));

    // Where the accident is, is not known yet: every branch's dispatcher.
    await ctx.reply([ctx.t('accident-intro'), '', dispatcherLine(ctx.t, homeFirst)].join('\n'), { reply_markup: cancelKeyboard(ctx.t) });

    // An outage known now at the resident's own house: no report needed (unless it is something else).
    const offered = new Set<number>();
    if (consented) {
      const atHome = await conversation.external(() => deps.billing.outages.known({ actor }));
      if (atHome.ok && atHome.value.outages.length) {
        for (const o of atHome.value.outages) offered.add(o.outageId);
        if (!(await offerOutages(conversation, ctx, atHome.value.outages, consented))) return;
      }
    }

    // 1. Photos: one or more, an album arrives as several messages of one media group.
    const photos: SentFile[] = [];
    const albums = new Set<string>();
    const doneKeyboard = (x: ConversationContext) => new InlineKeyboard().text(x.t('accident-photos-done'), buttons.accident.photosDone.pack({}));
    await ctx.reply(ctx.t('accident-ask-photos'));
    for (;;) {
      const next = await conversation.wait();
      const data = next.callbackQuery?.data;
      if (data !== undefined) {
        if (buttons.accident.photosDone.filter.test(data) && photos.length > 0) {
          await next.answerCallbackQuery();
          break;
        }
        await next.answerCallbackQuery({ text: next.t(buttons.accident.photosDone.filter.test(data) ? 'accident-photos-none' : 'stale-button') });
        continue;
      }
      const image = fileOf(next.message, 'image');
      if (image && !('refused' in image)) {
        const group = next.message?.media_group_id;
        const first = group === undefined || !albums.has(group);
        if (group !== undefined) albums.add(group);
        const fresh = !photos.some((p) => p.fileUniqueId === image.fileUniqueId);
        const room = photos.length < MAX_PHOTOS;
        if (fresh && room) photos.push(image);
        // An album: one answer for the whole group, not one per photo.
        if (!first) continue;
        const key = fresh && !room ? 'accident-photos-limit' : group !== undefined ? 'accident-album-added' : 'accident-photo-added';
        await next.reply(next.t(key, { count: photos.length }), { reply_markup: doneKeyboard(next) });
        continue;
      }
      const why = image ? (image.refused === 'too_big' ? 'accident-photo-too-big' : 'accident-photo-not-image') : 'accident-photo-expected';
      await next.reply(next.t(why), {
        ...(photos.length > 0 ? { reply_markup: doneKeyboard(next) } : {}),
      });
    }

    // 2. The place: a point on the map or a typed address (and then the branch, if not known).
    let place: Place | null = null;
    let branchCode = '';
    const placeKeyboard = (x: ConversationContext) =>
      new Keyboard().requestLocation(x.t('accident-send-location')).row().text(x.t('menu-cancel')).resized().persistent();
    await ctx.reply(ctx.t('accident-ask-place'), { reply_markup: placeKeyboard(ctx) });
    while (!place) {
      const next = await conversation.wait();
      if (next.callbackQuery) {
        await next.answerCallbackQuery({ text: next.t('stale-button') });
        continue;
      }
      const location = next.message?.location;
      if (location) {
        const at = await conversation.external(() => deps.billing.requests.branchAt({ latitude: location.latitude, longitude: location.longitude }));
        if (!at.ok) {
          await next.reply(next.t('accident-outside-area'), { reply_markup: placeKeyboard(next) });
          continue;
        }
        branchCode = at.value.branchCode;
        place = { kind: 'point', latitude: location.latitude, longitude: location.longitude };
        break;
      }
      const text = next.message?.text?.trim();
      if (!text) {
        await next.reply(next.t('accident-place-expected'), { reply_markup: placeKeyboard(next) });
        continue;
      }
      if (text.length < 5 || text.length > 300 || !/\p{L}/u.test(text)) {
        await next.reply(next.t('accident-address-unclear'), { reply_markup: placeKeyboard(next) });
        continue;
      }
      // A typed address says nothing of the town: the branch is asked whenever there is a choice.
      branchCode = branches.length === 1 ? branches[0]!.code : await pickBranch(conversation, next, homeFirst);
      place = { kind: 'address', branchCode, address: text };
    }
    const where = place.kind === 'address' ? place.address : ctx.t('accident-point');

    // An outage known at that place (its street and house, or a circle around the point), not offered yet.
    const atPlace = await conversation.external(() => deps.billing.outages.known({ actor, place: place! }));
    const fresh = atPlace.ok ? atPlace.value.outages.filter((o) => !offered.has(o.outageId)) : [];
    if (fresh.length && !(await offerOutages(conversation, ctx, fresh, consented))) return;

    // 3. Already known nearby: join it instead of a second report.
    const known = await conversation.external(() => deps.billing.requests.nearbyAccidents({ actor, place: place! }));
    if (!known.ok) throw new Error(`accident: nearby ${known.error.code}`);
    const timezone = timezoneOf(branches, branchCode);
    const dispatcher = dispatcherLine(ctx.t, branches, branchCode);
    await ctx.reply(ctx.t('accident-place-noted', { place: where }), { reply_markup: cancelKeyboard(ctx.t) });
    if (known.value.accidents.length > 0) {
      const accidents = known.value.accidents;
      const lines = [
        ctx.t('accident-known'),
        ...accidents.map((a) =>
          ctx.t('accident-known-row', {
            number: a.number,
            damage: a.damage ?? ctx.t('request-kind-accident'),
            place: a.address ?? ctx.t('accident-point'),
            at: localDateTime(a.reportedAt, timezone),
          }),
        ),
        '',
        ctx.t('accident-known-ask'),
      ];
      const answer = await ask(conversation, ctx, {
        buttons: new RegExp(`${buttons.requests.joinAccident.filter.source}|${buttons.accident.another.filter.source}`),
        send: (x) => {
          const keyboard = rows(
            new InlineKeyboard(),
            accidents.map((a) => ({ label: x.t('accident-join', { number: a.number }), data: buttons.requests.joinAccident.pack({ requestId: a.requestId }) })),
          ).text(x.t('accident-another'), buttons.accident.another.pack({}));
          return x.reply(lines.join('\n'), { reply_markup: keyboard });
        },
      });
      const join = answer.kind === 'button' ? buttons.requests.joinAccident.unpack(answer.data) : null;
      if (join) {
        const joined = await conversation.external(() => deps.billing.requests.joinAccident({ actor, requestId: join.requestId, place: place! }));
        if (joined.ok) {
          const text = [ctx.t(joined.value.followed ? 'accident-joined' : 'accident-joined-anonymous', { number: joined.value.number }), dispatcher].join('\n');
          await ctx.reply(text, { reply_markup: mainMenu(ctx.t, consented) });
          return;
        }
        await ctx.reply(ctx.t('accident-join-gone'));
      }
    }

    // 4. Damage type, description and (with the consent) a phone.
    const dictionaries = await conversation.external(() => deps.billing.requests.dictionaries({}));
    if (!dictionaries.ok) throw new Error('accident: dictionaries');
    const damages = dictionaries.value.damageTypes;
    if (damages.length === 0) {
      // Nothing to choose from (the list is being edited): no empty keyboard, the dispatcher instead.
      await ctx.reply([ctx.t('accident-no-damage-types'), dispatcher].join('\n'), { reply_markup: mainMenu(ctx.t, consented) });
      return;
    }
    let damage: (typeof damages)[number] | undefined;
    while (!damage) {
      const damageAnswer = await ask(conversation, ctx, {
        buttons: buttons.accident.damage.filter,
        send: (x) =>
          x.reply(x.t('accident-ask-damage'), {
            reply_markup: rows(
              new InlineKeyboard(),
              damages.map((d) => ({ label: d.name, data: buttons.accident.damage.pack({ code: d.code }) })),
            ),
          }),
      });
      const code = damageAnswer.kind === 'button' ? buttons.accident.damage.unpack(damageAnswer.data)?.code : undefined;
      damage = damages.find((d) => d.code === code);
      // A damage type no longer offered (an old or forged button): the question again.
      if (!damage) await ctx.reply(ctx.t('accident-damage-gone'));
    }
    const damageCode = damage.code;

    const description = await ask(conversation, ctx, {
      text: true,
      maxLength: 1000,
      tooLong: 'request-too-long',
      send: (x) => x.reply(x.t('accident-ask-description')),
    });
    const descriptionText = description.kind === 'text' ? description.text : '';

    let contact: string | null = null;
    if (consented) {
      const saved = await conversation.external(async () => {
        const r = await deps.billing.residents.phone({ actor });
        return r.ok ? r.value : null;
      });
      contact = await askPhone(conversation, ctx, { question: 'accident-ask-phone', optional: true, saved });
    } else await ctx.reply(ctx.t('accident-phone-not-asked'));

    // 5. The summary, then the report.
    const summary = ctx.t('accident-summary', {
      place: where,
      damage: damage.name,
      description: descriptionText,
      photos: photos.length,
      phone: contact ? formatPhone(contact) : 'none',
    });
    await ask(conversation, ctx, {
      buttons: buttons.accident.send.filter,
      send: (x) => x.reply(summary, { reply_markup: new InlineKeyboard().text(x.t('accident-send'), buttons.accident.send.pack({})) }),
    });
    let anonymous = !consented;
    const anonymousKey = `acc:${ctx.from!.id}`;
    let sent: Awaited<ReturnType<BotDeps['billing']['requests']['reportAccident']>>;
    for (;;) {
      // Without consent billing keeps nobody to count: 5 reports a day per Telegram user, counted in
      // Redis only, and only those the service accepted (a refusal spends nothing).
      if (anonymous && !(await conversation.external(() => deps.limits.hasRoom(anonymousKey, ANONYMOUS_LIMIT.max)))) {
        await ctx.reply([ctx.t('accident-refused-anonymous-limit'), dispatcher].join('\n'), { reply_markup: mainMenu(ctx.t, !anonymous) });
        return;
      }
      const phone = contact;
      sent = await conversation.external(() =>
        deps.billing.requests.reportAccident({ actor, place: place!, damageCode, description: descriptionText, photos, ...(phone ? { phone } : {}) }),
      );
      if (sent.ok || sent.error.code !== 'resident_not_found' || !contact) break;
      // The consent was withdrawn meanwhile (another device, the settings): the phone cannot be kept,
      // but the report need not be lost — offered without it.
      await ask(conversation, ctx, {
        buttons: buttons.accident.noPhone.filter,
        send: (x) =>
          x.reply(x.t('accident-consent-gone'), {
            reply_markup: new InlineKeyboard().text(x.t('accident-send-without-phone'), buttons.accident.noPhone.pack({})),
          }),
      });
      contact = null;
      anonymous = true;
    }
    if (!sent.ok) {
      const code = sent.error.code;
      if (code === 'too_many_requests' || code === 'duplicate_request' || code === 'outside_area' || code === 'resident_not_found') {
        await ctx.reply([ctx.t(`accident-refused-${code}`), dispatcher].join('\n'), { reply_markup: mainMenu(ctx.t, !anonymous) });
        return;
      }
      throw new Error(`accident: ${code}`);
    }
    if (anonymous) await conversation.external(() => deps.limits.use(anonymousKey, ANONYMOUS_LIMIT.windowSeconds));
    const r = sent.value;
    const phoneLine = r.dispatcherPhone ? ctx.t('accident-dispatcher', { phone: r.dispatcherPhone }) : dispatcher;
    await ctx.reply(
      [
        ctx.t('accident-sent', { number: r.number, deadline: localDateTime(r.deadlineAt, timezone) }),
        ctx.t(r.followed ? 'accident-sent-followed' : 'accident-sent-anonymous', { number: r.number }),
        phoneLine,
      ].join('\n'),
      { reply_markup: mainMenu(ctx.t, !anonymous) },
    );
    await handOver(conversation, deps, r.requestId);
  };
}

async function pickBranch(conversation: Conv, ctx: ConversationContext, branches: readonly BranchInfo[]): Promise<string> {
  const answer = await ask(conversation, ctx, {
    buttons: buttons.accident.branch.filter,
    send: (x) =>
      x.reply(x.t('accident-ask-branch'), {
        reply_markup: rows(
          new InlineKeyboard(),
          branches.map((b) => ({ label: b.name, data: buttons.accident.branch.pack({ branch: b.code }) })),
        ),
      }),
  });
  const code = answer.kind === 'button' ? buttons.accident.branch.unpack(answer.data)?.branch : undefined;
  const found = branches.find((b) => b.code === code);
  if (found) return found.code;
  // A branch no longer listed (an old or forged button): the question again, not the first branch.
  await ctx.reply(ctx.t('accident-branch-gone'));
  return pickBranch(conversation, ctx, branches);
}
