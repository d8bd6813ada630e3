import { Composer, InlineKeyboard } from 'grammy';
import type { Message } from 'grammy/types';
import type { Redis } from 'ioredis';
import { operatorViaTelegram, type OperatorActor, type OutageView } from '../../billing/index.ts';
import { MAX_STREETS } from '../../billing/outages/common.ts';
import { parseAreaLines, parseExpectedEnd, parseOutageTimes } from '../../billing/outages/parse.ts';
import { localDateTime } from '../../format.ts';
import type { Translate } from '../../i18n.ts';
import { buttons } from '../callback-data.ts';
import type { BotContext, BotDeps } from '../context.ts';

type Kind = 'planned' | 'emergency';
type Street = { streetId: number; name: string; houses: string[] | null };

/**
 * An operator's outage in the making (/outage), or a new expected end asked for: per group and
 * operator; `prompt` is the bot's message the next reply must answer.
 */
export type Draft =
  | { step: 'kind'; prompt: number }
  | { step: 'branch'; prompt: number; kind: Kind }
  | { step: 'streets'; prompt: number; kind: Kind; branchCode: string }
  | { step: 'time'; prompt: number; kind: Kind; branchCode: string; streets: Street[] }
  | { step: 'reason'; prompt: number; kind: Kind; branchCode: string; streets: Street[]; startsAt: string; endsAt: string }
  | { step: 'confirm'; prompt: number; kind: Kind; branchCode: string; streets: Street[]; startsAt: string; endsAt: string; reason: string }
  | { step: 'end'; prompt: number; outageId: number; card: number };

export interface DraftStore {
  get(chatId: number, userId: number): Promise<Draft | null>;
  put(chatId: number, userId: number, draft: Draft): Promise<void>;
  drop(chatId: number, userId: number): Promise<void>;
}

const DRAFT_TTL_SECONDS = 3600;
/** Hash-tagged by the group, like the desk's prompts. */
const draftKey = (chatId: number, userId: number) => `desk:{${chatId}}:outage:${userId}`;

export function redisDrafts(redis: Redis): DraftStore {
  return {
    get: async (c, u) => {
      const v = await redis.get(draftKey(c, u));
      return v ? (JSON.parse(v) as Draft) : null;
    },
    put: async (c, u, d) => void (await redis.set(draftKey(c, u), JSON.stringify(d), 'EX', DRAFT_TTL_SECONDS)),
    drop: async (c, u) => void (await redis.del(draftKey(c, u))),
  };
}

export function memoryDrafts(): DraftStore {
  const map = new Map<string, { draft: Draft; until: number }>();
  return {
    get: async (c, u) => {
      const v = map.get(draftKey(c, u));
      return v && v.until >= Date.now() ? v.draft : null;
    },
    put: async (c, u, draft) => void map.set(draftKey(c, u), { draft, until: Date.now() + DRAFT_TTL_SECONDS * 1000 }),
    drop: async (c, u) => void map.delete(draftKey(c, u)),
  };
}

const REASON_MAX = 300;
const isGroup = (type: string | undefined) => type === 'group' || type === 'supergroup';

/**
 * Outages at the operators' desk: /outage in a group that serves branches starts a short dialogue
 * (kind, the branch if the group serves several, streets and houses, from–to, the reason, then
 * «Объявить»), each question answered by a reply to it; the announcement is posted with buttons
 * for a new expected end, «Вода есть» and cancelling. The operator is whoever acts there, for the
 * branches the group serves; the billing services record their Telegram id.
 */
export function outageDeskFeature(deps: BotDeps, o: { t: Translate; drafts: DraftStore }) {
  const { t, drafts } = o;
  const c = new Composer<BotContext>();
  const defaultChatId = deps.operatorsChatId ?? null;
  const now = deps.now ?? (() => new Date());

  async function operatorIn(chat: { id: number; type: string } | undefined, userId: number): Promise<OperatorActor | null> {
    if (!chat || !isGroup(chat.type)) return null;
    const branches = await deps.billing.operators.branchesOfDesk({ chatId: chat.id, defaultChatId });
    return branches.ok && branches.value.length ? operatorViaTelegram(userId, branches.value) : null;
  }

  async function branchesOf(codes: string[]) {
    const listed = await deps.billing.branches.list({});
    return listed.ok ? listed.value.filter((b) => codes.includes(b.code)) : [];
  }
  async function timezoneOf(code: string) {
    return (await branchesOf([code]))[0]?.timezone ?? 'Europe/Moscow';
  }

  const threadOf = (m: Message | undefined) => (m && 'message_thread_id' in m && m.is_topic_message ? { message_thread_id: m.message_thread_id! } : {});

  /** Asks the next question as a reply the operator must answer (group privacy: the bot sees replies to itself). */
  async function ask(ctx: BotContext, to: Message, text: string, keyboard?: InlineKeyboard): Promise<number> {
    const sent = await ctx.api.sendMessage(to.chat.id, text, {
      ...threadOf(to),
      reply_parameters: { message_id: to.message_id, allow_sending_without_reply: true },
      reply_markup: keyboard ?? { force_reply: true, selective: true },
    });
    return sent.message_id;
  }

  const whereOf = (streets: { name: string; houses: string[] | null }[]) =>
    streets.map((s) => `${s.name}, ${s.houses ? s.houses.join(', ') : t('outage-desk-all-houses')}`).join('; ');

  function cardText(v: OutageView, branchName: string) {
    return t('outage-desk-card', {
      id: v.outageId,
      status: t(`outage-status-${v.status}`),
      kind: t(`outage-kind-${v.kind}`),
      branch: branchName,
      where: [whereOf(v.streets), v.circle ? `${v.circle.latitude}, ${v.circle.longitude} (${v.circle.radiusKm} km)` : ''].filter(Boolean).join('; '),
      from: localDateTime(v.startsAt, v.timezone),
      to: localDateTime(v.expectedEndAt, v.timezone),
      reason: v.reason,
    });
  }
  const cardKeyboard = (v: OutageView) =>
    v.status === 'announced' || v.status === 'updated'
      ? new InlineKeyboard()
          .text(t('outage-desk-extend'), buttons.outages.extend.pack({ outageId: v.outageId }))
          .text(t('outage-desk-resolve'), buttons.outages.resolve.pack({ outageId: v.outageId }))
          .row()
          .text(t('outage-desk-cancel'), buttons.outages.cancel.pack({ outageId: v.outageId }))
      : undefined;

  function toldLine(n: { now: number[]; scheduled: number; dueAt: string | null }, timezone: string) {
    return n.scheduled && n.dueAt
      ? t('outage-desk-told', { now: n.now.length, later: n.scheduled, due: localDateTime(n.dueAt, timezone) })
      : t('outage-desk-told-now', { now: n.now.length });
  }
  async function queue(ids: number[]) {
    for (const noticeId of ids) await deps.jobs.send('notice', { noticeId });
  }

  /** The words of a refusal of the outage services. */
  function refusal(e: { code: string; status?: string }, outageId?: number): string {
    switch (e.code) {
      case 'not_permitted':
        return t('outage-desk-not-permitted');
      case 'outage_not_found':
        return t('outage-desk-not-found');
      case 'outage_closed':
      case 'outage_changed':
        return t('outage-desk-closed', { id: outageId ?? 0, status: t(`outage-status-${e.status ?? 'resolved'}`) });
      case 'ends_before_start':
      case 'already_over':
        return t('outage-desk-time-order');
      default:
        deps.log.warn({ code: e.code, outageId }, 'desk: an outage operation failed');
        return t('outage-desk-failed');
    }
  }

  c.chatType(['group', 'supergroup']).command('outage', async (ctx) => {
    const answer = { reply_parameters: { message_id: ctx.message!.message_id, allow_sending_without_reply: true } };
    if (ctx.message?.sender_chat) return ctx.reply(t('outage-desk-anonymous'), answer);
    const actor = await operatorIn(ctx.chat, ctx.from!.id);
    if (!actor) return ctx.reply(t('outage-desk-not-here'), answer);
    const keyboard = new InlineKeyboard()
      .text(t('outage-desk-kind-planned'), buttons.outages.kind.pack({ kind: 'planned' }))
      .text(t('outage-desk-kind-emergency'), buttons.outages.kind.pack({ kind: 'emergency' }))
      .row()
      .text(t('outage-desk-drop'), buttons.outages.drop.pack({}));
    const prompt = await ask(ctx, ctx.message!, t('outage-desk-start'), keyboard);
    await drafts.put(ctx.chat.id, ctx.from!.id, { step: 'kind', prompt });
  });

  // The dialogue's buttons: only the operator whose draft it is, on its current question.
  c.callbackQuery([buttons.outages.kind.filter, buttons.outages.branch.filter, buttons.outages.confirm.filter, buttons.outages.drop.filter], async (ctx) => {
    const message = ctx.callbackQuery.message;
    const actor = await operatorIn(message?.chat, ctx.from.id);
    if (!actor || !message) return ctx.answerCallbackQuery({ text: t('outage-desk-not-here'), show_alert: true });
    const draft = await drafts.get(message.chat.id, ctx.from.id);
    // Another operator's draft, an older question, or one already announced or dropped.
    if (!draft || draft.prompt !== message.message_id) return ctx.answerCallbackQuery({ text: t('outage-desk-no-draft') });
    const data = ctx.callbackQuery.data;
    if (buttons.outages.drop.filter.test(data)) {
      await drafts.drop(message.chat.id, ctx.from.id);
      await ctx.editMessageReplyMarkup().catch(() => undefined);
      await ctx.answerCallbackQuery();
      return ctx.api.sendMessage(message.chat.id, t('outage-desk-draft-dropped'), threadOf(message as Message));
    }
    const kind = buttons.outages.kind.unpack(data);
    if (kind && draft.step === 'kind') {
      await ctx.answerCallbackQuery();
      await ctx.editMessageReplyMarkup().catch(() => undefined);
      if (actor.branchCodes.length > 1) {
        const keyboard = new InlineKeyboard();
        for (const b of await branchesOf(actor.branchCodes)) keyboard.text(b.name, buttons.outages.branch.pack({ branch: b.code })).row();
        const prompt = await ask(ctx, message as Message, t('outage-desk-ask-branch'), keyboard);
        return drafts.put(message.chat.id, ctx.from.id, { step: 'branch', prompt, kind: kind.kind });
      }
      const prompt = await ask(ctx, message as Message, t('outage-desk-ask-streets'));
      return drafts.put(message.chat.id, ctx.from.id, { step: 'streets', prompt, kind: kind.kind, branchCode: actor.branchCodes[0]! });
    }
    const branch = buttons.outages.branch.unpack(data);
    if (branch && draft.step === 'branch') {
      if (!actor.branchCodes.includes(branch.branch)) return ctx.answerCallbackQuery({ text: t('outage-desk-not-permitted') });
      await ctx.answerCallbackQuery();
      await ctx.editMessageReplyMarkup().catch(() => undefined);
      const prompt = await ask(ctx, message as Message, t('outage-desk-ask-streets'));
      return drafts.put(message.chat.id, ctx.from.id, { step: 'streets', prompt, kind: draft.kind, branchCode: branch.branch });
    }
    if (buttons.outages.confirm.filter.test(data) && draft.step === 'confirm') {
      // Taken before the call: a double tap announces once.
      await drafts.drop(message.chat.id, ctx.from.id);
      await ctx.editMessageReplyMarkup().catch(() => undefined);
      const made = await deps.billing.outages.announce({
        actor,
        branchCode: draft.branchCode,
        kind: draft.kind,
        reason: draft.reason,
        startsAt: draft.startsAt,
        endsAt: draft.endsAt,
        streets: draft.streets.map((s) => ({ streetId: s.streetId, houses: s.houses })),
      });
      if (!made.ok) return ctx.answerCallbackQuery({ text: refusal(made.error), show_alert: true });
      await queue(made.value.notices.now);
      await ctx.answerCallbackQuery();
      const branchName = (await branchesOf([draft.branchCode]))[0]?.name ?? draft.branchCode;
      const v = made.value.outage;
      const keyboard = cardKeyboard(v);
      await ctx.api.sendMessage(message.chat.id, `${cardText(v, branchName)}\n\n${toldLine(made.value.notices, v.timezone)}`, {
        ...threadOf(message as Message),
        ...(keyboard ? { reply_markup: keyboard } : {}),
      });
      return;
    }
    return ctx.answerCallbackQuery({ text: t('outage-desk-no-draft') });
  });

  // The buttons under an announcement: any operator of the group's branches.
  c.callbackQuery(
    [buttons.outages.extend.filter, buttons.outages.resolve.filter, buttons.outages.cancel.filter, buttons.outages.cancelConfirmed.filter],
    async (ctx) => {
      const message = ctx.callbackQuery.message;
      const actor = await operatorIn(message?.chat, ctx.from.id);
      if (!actor || !message) return ctx.answerCallbackQuery({ text: t('outage-desk-not-here'), show_alert: true });
      const data = ctx.callbackQuery.data;
      const extend = buttons.outages.extend.unpack(data);
      if (extend) {
        const found = await deps.billing.outages.get({ actor, outageId: extend.outageId });
        if (!found.ok) return ctx.answerCallbackQuery({ text: refusal(found.error, extend.outageId) });
        if (found.value.status !== 'announced' && found.value.status !== 'updated')
          return ctx.answerCallbackQuery({ text: refusal({ code: 'outage_closed', status: found.value.status }, extend.outageId) });
        await ctx.answerCallbackQuery();
        const prompt = await ask(ctx, message as Message, t('outage-desk-ask-end', { id: extend.outageId }));
        return drafts.put(message.chat.id, ctx.from.id, { step: 'end', prompt, outageId: extend.outageId, card: message.message_id });
      }
      const cancel = buttons.outages.cancel.unpack(data);
      if (cancel) {
        // Cancelling tells residents: asked once more.
        await ctx.answerCallbackQuery();
        const keyboard = new InlineKeyboard().text(
          t('outage-desk-cancel'),
          buttons.outages.cancelConfirmed.pack({ outageId: cancel.outageId, card: message.message_id }),
        );
        return ask(ctx, message as Message, t('outage-desk-cancel-ask', { id: cancel.outageId }), keyboard);
      }
      const resolve = buttons.outages.resolve.unpack(data);
      const confirmed = buttons.outages.cancelConfirmed.unpack(data);
      const outageId = (resolve ?? confirmed)!.outageId;
      const done = resolve ? await deps.billing.outages.resolve({ actor, outageId }) : await deps.billing.outages.cancel({ actor, outageId });
      if (!done.ok) return ctx.answerCallbackQuery({ text: refusal(done.error, outageId) });
      await queue(done.value.notices.now);
      await ctx.answerCallbackQuery({ text: t(resolve ? 'outage-desk-resolved' : 'outage-desk-cancelled', { id: outageId }) });
      await ctx.editMessageReplyMarkup().catch(() => undefined);
      // Cancelled from the question under the announcement: the announcement's buttons go too.
      if (confirmed) await ctx.api.editMessageReplyMarkup(message.chat.id, confirmed.card).catch(() => undefined);
      await ctx.api.sendMessage(
        message.chat.id,
        `${t(resolve ? 'outage-desk-resolved' : 'outage-desk-cancelled', { id: outageId })}\n${toldLine(done.value.notices, done.value.outage.timezone)}`,
        threadOf(message as Message),
      );
    },
  );

  // The replies to the dialogue's questions.
  c.on('message', async (ctx, next) => {
    const replyTo = ctx.message.reply_to_message;
    if (!replyTo || replyTo.from?.id !== ctx.me.id || !isGroup(ctx.chat.type)) return next();
    const draft = await drafts.get(ctx.chat.id, ctx.from.id);
    if (!draft || draft.prompt !== replyTo.message_id) return next();
    const answer = { reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true } };
    if (ctx.message.sender_chat) return ctx.reply(t('outage-desk-anonymous'), answer);
    const actor = await operatorIn(ctx.chat, ctx.from.id);
    if (!actor) return next();
    const text = ctx.message.text?.trim();
    const again = async (words: string) => {
      const prompt = await ask(ctx, ctx.message, words);
      await drafts.put(ctx.chat.id, ctx.from.id, { ...draft, prompt });
    };
    if (!text) return again(t('outage-desk-text-expected'));

    if (draft.step === 'streets') {
      const parsed = parseAreaLines(text);
      if (!parsed.ok) return again(t('outage-desk-houses-missing', { line: parsed.line }));
      if (parsed.lines.length > MAX_STREETS) return again(t('outage-desk-too-many-streets', { max: MAX_STREETS }));
      const streets: Street[] = [];
      for (const line of parsed.lines) {
        const found = await deps.billing.accounts.searchStreets({ branchCode: draft.branchCode, query: line.street, limit: 6 });
        const list = found.ok ? found.value : [];
        const exact = list.filter((s) => s.name.toLocaleLowerCase() === line.street.toLocaleLowerCase());
        const pick = list.length === 1 ? list[0] : exact.length === 1 ? exact[0] : undefined;
        if (!pick) {
          if (!list.length) return again(t('outage-desk-street-unknown', { street: line.street }));
          return again(t('outage-desk-street-ambiguous', { street: line.street, options: list.map((s) => `«${s.name}» (${s.settlement})`).join(', ') }));
        }
        const same = streets.find((s) => s.streetId === pick.streetId);
        if (same) same.houses = same.houses && line.houses ? [...new Set([...same.houses, ...line.houses])] : null;
        else streets.push({ streetId: pick.streetId, name: pick.name, houses: line.houses });
      }
      const prompt = await ask(ctx, ctx.message, `${whereOf(streets)}\n\n${t('outage-desk-ask-time')}`);
      return drafts.put(ctx.chat.id, ctx.from.id, { step: 'time', prompt, kind: draft.kind, branchCode: draft.branchCode, streets });
    }

    if (draft.step === 'time') {
      const timezone = await timezoneOf(draft.branchCode);
      const times = parseOutageTimes(text, timezone, now());
      if (!times) return again(t('outage-desk-time-unclear'));
      if (times.endsAt.getTime() <= Math.max(times.startsAt.getTime(), now().getTime())) return again(t('outage-desk-time-order'));
      const prompt = await ask(ctx, ctx.message, t('outage-desk-ask-reason'));
      return drafts.put(ctx.chat.id, ctx.from.id, {
        step: 'reason',
        prompt,
        kind: draft.kind,
        branchCode: draft.branchCode,
        streets: draft.streets,
        startsAt: times.startsAt.toISOString(),
        endsAt: times.endsAt.toISOString(),
      });
    }

    if (draft.step === 'reason') {
      if (text.length > REASON_MAX) return again(t('outage-desk-reason-too-long', { max: REASON_MAX }));
      const timezone = await timezoneOf(draft.branchCode);
      const branchName = (await branchesOf([draft.branchCode]))[0]?.name ?? draft.branchCode;
      const summary = t('outage-desk-summary', {
        kind: t(`outage-kind-${draft.kind}`),
        branch: branchName,
        where: whereOf(draft.streets),
        from: localDateTime(draft.startsAt, timezone),
        to: localDateTime(draft.endsAt, timezone),
        reason: text,
      });
      const keyboard = new InlineKeyboard()
        .text(t('outage-desk-confirm'), buttons.outages.confirm.pack({}))
        .text(t('outage-desk-drop'), buttons.outages.drop.pack({}));
      const prompt = await ask(ctx, ctx.message, summary, keyboard);
      return drafts.put(ctx.chat.id, ctx.from.id, { ...draft, step: 'confirm', prompt, reason: text });
    }

    if (draft.step === 'end') {
      const found = await deps.billing.outages.get({ actor, outageId: draft.outageId });
      if (!found.ok) {
        await drafts.drop(ctx.chat.id, ctx.from.id);
        return ctx.reply(refusal(found.error, draft.outageId), answer);
      }
      const at = parseExpectedEnd(text, found.value.timezone, now());
      if (!at) return again(t('outage-desk-time-unclear'));
      const updated = await deps.billing.outages.update({ actor, outageId: draft.outageId, expectedEndAt: at.toISOString() });
      if (!updated.ok) {
        if (updated.error.code === 'ends_before_start') return again(t('outage-desk-time-order'));
        await drafts.drop(ctx.chat.id, ctx.from.id);
        return ctx.reply(refusal(updated.error, draft.outageId), answer);
      }
      await drafts.drop(ctx.chat.id, ctx.from.id);
      await queue(updated.value.notices.now);
      const v = updated.value.outage;
      const branchName = (await branchesOf([v.branchCode]))[0]?.name ?? v.branchCode;
      const keyboard = cardKeyboard(v);
      await ctx.api.editMessageText(ctx.chat.id, draft.card, cardText(v, branchName), keyboard ? { reply_markup: keyboard } : {}).catch(() => undefined);
      return ctx.reply(
        `${t('outage-desk-updated', { id: v.outageId, to: localDateTime(v.expectedEndAt, v.timezone) })}\n${toldLine(updated.value.notices, v.timezone)}`,
        answer,
      );
    }
    return next();
  });

  return c;
}
