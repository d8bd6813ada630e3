import { GrammyError, InlineKeyboard, type Api } from 'grammy';
import type { InputMediaDocument, InputMediaPhoto } from 'grammy/types';
import { operatorMoves, type Billing, type RequestView } from '../billing/index.ts';
import { buttons } from '../bot/callback-data.ts';
import { m3, day } from '../format.ts';
import type { Translate, Translator } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import { addressLine } from '../words.ts';
import type { JobHandler } from './handler.ts';

export interface RequestCardDeps {
  api: Api;
  billing: Billing;
  translator: Translator;
  log: Logger;
  /** OPERATORS_CHAT_ID: the group for the branches that name none. */
  operatorsChatId: number | null;
  /** How long to wait for a topic another job is creating before leaving it to a retry. */
  topicWaitMs?: number;
}

/**
 * The topics of an operators' group are per request KIND, not per request: a dispatcher works a
 * queue per kind (the inspectors' visits, the commissionings, the accidents), and a topic per
 * request would make hundreds of topics a month that nobody can scroll. The conversation with a
 * resident gets its own topic (issue 11); a request's card is one message in its kind's topic,
 * edited in place as the request moves.
 */
export const topicPurpose = (kind: RequestView['kind']) => `requests:${kind}`;

/** HTML of Telegram: what a resident typed goes into a card only escaped. */
export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** «12.12.2026 17:00» in the branch's time. */
export function localTime(iso: string, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('ru-RU', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}.${parts.month}.${parts.year} ${parts.hour}:${parts.minute}`;
}

type CardRequest = RequestView & { branchName: string; timezone: string };

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/** What the resident gave, particular to the kind. */
function givenLines(t: Translate, r: CardRequest, e: (s: string) => string): string[] {
  const d = r.details;
  const lines: string[] = [];
  if (r.kind === 'inspector') {
    const reason = str(obj(d.reason).name);
    if (reason) lines.push(t('desk-card-reason', { reason: e(reason) }));
    const visit = str(d.visitAt);
    if (visit) lines.push(t('desk-card-visit', { at: localTime(visit, r.timezone) }));
    const serial = str(obj(d.meter).serial);
    if (serial) lines.push(t('desk-card-meter', { serial: e(serial) }));
    if (r.comment) lines.push(t('desk-card-comment', { text: e(r.comment) }));
  } else if (r.kind === 'commissioning') {
    const meters = Array.isArray(d.meters) ? d.meters.map(obj) : [];
    if (meters.length) lines.push(t('desk-card-meters'));
    meters.forEach((m, i) => {
      const type = m.requestType === 'sealing' ? 'sealing' : 'commissioning';
      const service = str(m.service);
      lines.push(
        t('desk-card-meter-line', {
          index: String(i + 1),
          type: t(`desk-type-${type}`),
          service: service ? t(`service-${service}`) : '—',
          serial: e(str(m.serial) ?? '—'),
        }),
      );
      const more = [
        str(m.model) && t('desk-meter-model', { model: e(str(m.model)!) }),
        str(m.place) && t('desk-meter-place', { place: e(str(m.place)!) }),
        str(m.verificationDue) && t('desk-meter-due', { date: day(str(m.verificationDue)!) }),
        typeof m.reading === 'number' && t('desk-meter-reading', { reading: m3(m.reading) }),
        str(m.installer) && t('desk-meter-installer', { installer: e(str(m.installer)!) }),
      ].filter(Boolean);
      if (more.length) lines.push(`   ${more.join('; ')}`);
    });
    if (d.acceptedTerms && d.accessGiven) lines.push(t('desk-card-consents'));
    if (r.comment) lines.push(t('desk-card-comment', { text: e(r.comment) }));
  } else {
    const damage = str(obj(d.damage).name);
    if (damage) lines.push(t('desk-card-damage', { damage: e(damage) }));
    if (r.comment) lines.push(t('desk-card-description', { text: e(r.comment) }));
  }
  return lines;
}

/** The card: number, kind, status, account or place, what the resident gave, contact, deadline, the last events. */
export function cardText(t: Translate, r: CardRequest): string {
  const e = escapeHtml;
  const lines = [`<b>${e(r.number)}</b> · ${t(`request-kind-${r.kind}`)}`, t('desk-card-status', { status: `<b>${t(`request-status-${r.status}`)}</b>` })];
  lines.push(t('desk-card-created', { at: localTime(r.createdAt, r.timezone) }), t('desk-card-deadline', { at: localTime(r.deadlineAt, r.timezone) }), '');
  if (r.account) {
    lines.push(t('desk-card-account', { number: r.account.longNumber, owner: e(r.account.owner) }));
    lines.push(t('desk-card-address', { address: e(addressLine(t, r.account.address)) }));
  }
  if (r.kind === 'accident') {
    if (r.address) lines.push(t('desk-card-place-address', { address: e(r.address) }));
    else if (r.location) lines.push(t('desk-card-place-point', { latitude: r.location.latitude.toFixed(6), longitude: r.location.longitude.toFixed(6) }));
  } else if (!r.account) lines.push(t('desk-card-no-account'));
  lines.push(t('desk-card-branch', { branch: e(r.branchName) }), '');
  lines.push(...givenLines(t, r, e));
  lines.push(r.contactPhone ? t('desk-card-phone', { phone: e(r.contactPhone) }) : t('desk-card-no-phone'));
  if (r.attachments.length) lines.push(t('desk-card-attachments', { count: String(r.attachments.length) }));
  if (r.rating !== null) lines.push(t(r.rating > 0 ? 'desk-card-rating-good' : 'desk-card-rating-bad'));
  const last = r.history.slice(-5);
  if (last.length) {
    lines.push('', t('desk-card-history'));
    for (const ev of last) {
      const who = ev.by === 'operator' ? t('desk-by-operator', { id: e(ev.byId ?? '') }) : t(`desk-by-${ev.by}`);
      const comment = ev.by === 'system' && ev.to === 'refused' ? t('desk-comment-no-answer') : ev.comment;
      lines.push(
        t('desk-card-event', { at: localTime(ev.at, r.timezone), status: t(`request-status-${ev.to}`), who }) +
          (comment ? ` ${t('desk-card-event-comment', { comment: e(comment) })}` : ''),
      );
    }
  }
  // Telegram's limit for a message is 4096 characters; the history is the first to go.
  const text = lines.join('\n');
  return text.length <= 4096 ? text : `${text.slice(0, 4090)}…`;
}

/** A button per move an operator may make now, and «🔄 Обновить». */
export function cardKeyboard(t: Translate, r: Pick<RequestView, 'requestId' | 'status'>): InlineKeyboard {
  const kb = new InlineKeyboard();
  operatorMoves(r.status).forEach((to, i) => {
    kb.text(t(`request-status-${to}`), buttons.desk.move.pack({ requestId: r.requestId, from: r.status, to: to as never }));
    if (i % 2 === 1) kb.row();
  });
  return kb.row().text(t('desk-refresh'), buttons.desk.refresh.pack({ requestId: r.requestId }));
}

const isBadRequest = (err: unknown) => err instanceof GrammyError && err.error_code === 400;
const notModified = (err: unknown) => isBadRequest(err) && /message is not modified/i.test((err as GrammyError).description);
const editGone = (err: unknown) => isBadRequest(err) && /message to edit not found|message can't be edited/i.test((err as GrammyError).description);

/**
 * `request.card`: posts a request's card in its kind's topic of the operators' group, or edits
 * the card posted before. The group is the branch's own, else OPERATORS_CHAT_ID; with neither
 * there is no desk and nothing is done.
 */
export function requestCardJob(deps: RequestCardDeps): JobHandler<'request.card'> {
  const t = deps.translator('ru');
  const log = deps.log.child({ part: 'desk' });
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** The topic of this kind in this group: made once (also with several instances), undefined: post in the general chat. */
  async function topicOf(chatId: number, kind: RequestView['kind']): Promise<number | undefined> {
    const purpose = topicPurpose(kind);
    const deadline = Date.now() + (deps.topicWaitMs ?? 3_000);
    for (;;) {
      const claim = await deps.billing.operators.claimTopic({ chatId, purpose });
      if (!claim.ok) throw new Error(`desk: claimTopic ${claim.error.code}`);
      if (claim.value.state === 'exists') return claim.value.threadId;
      if (claim.value.state === 'claimed') {
        let threadId: number;
        try {
          threadId = (await deps.api.createForumTopic(chatId, t(`desk-topic-${kind}`))).message_thread_id;
        } catch (err) {
          // Not a forum, or the bot may not manage topics: the claim is let go and the card goes to the general chat.
          await deps.billing.operators.setTopic({ chatId, purpose, threadId: null });
          if (!isBadRequest(err)) throw err;
          log.warn({ err, chatId, purpose }, 'desk: cannot create a topic (is the group a forum, may the bot manage topics?); posting in the general chat');
          return undefined;
        }
        const set = await deps.billing.operators.setTopic({ chatId, purpose, threadId });
        if (!set.ok) throw new Error(`desk: setTopic ${set.error.code}`);
        return threadId;
      }
      // Another job is creating it right now: wait a little, else leave it to pg-boss's retry.
      if (Date.now() > deadline) throw new Error(`desk: the topic ${purpose} is being created by another job`);
      await wait(150);
    }
  }

  /** Attachments as albums of up to 10 (documents if Telegram refuses them as photos); the first message's id. */
  async function showFiles(chatId: number, files: RequestView['attachments'], caption: string, where: Record<string, unknown>): Promise<number | undefined> {
    let firstId: number | undefined;
    for (let i = 0; i < files.length; i += 10) {
      const chunk = files.slice(i, i + 10);
      const first = i === 0 ? { caption } : {};
      const media = (type: 'photo' | 'document') =>
        chunk.map((a, j) => ({ type, media: a.telegramFileId, ...(j === 0 ? first : {}) })) as InputMediaPhoto[] | InputMediaDocument[];
      try {
        const sent = await deps.api.sendMediaGroup(chatId, media('photo'), where).catch(async (err: unknown) => {
          // A file sent as a document (a scanned passport in PDF) cannot go in an album of photos.
          if (!isBadRequest(err)) throw err;
          return deps.api.sendMediaGroup(chatId, media('document'), where);
        });
        firstId ??= sent[0]?.message_id;
      } catch (err) {
        if (!isBadRequest(err)) throw err;
        log.warn({ err, chatId }, 'desk: the attachments could not be shown in the group');
      }
    }
    return firstId;
  }

  return async (p) => {
    const found = await deps.billing.requests.forCard({ requestId: p.requestId });
    if (!found.ok) {
      if (found.error.code === 'request_not_found') return log.warn({ requestId: p.requestId }, 'desk: no such request for a card');
      throw new Error(`desk: forCard ${found.error.code}`);
    }
    const r = found.value;
    const text = cardText(t, r);
    const reply_markup = cardKeyboard(t, r);

    if (r.card) {
      try {
        await deps.api.editMessageText(r.card.chatId, r.card.messageId, text, { parse_mode: 'HTML', reply_markup }).catch((err: unknown) => {
          if (!notModified(err)) throw err;
        });
        // What the resident added since (an answer's photos) goes under the card, in its topic, as a reply to it.
        const added = r.attachments.filter((a) => p.newFiles?.includes(a.telegramFileId));
        if (added.length) {
          const threadId = await topicOf(r.card.chatId, r.kind);
          const under = {
            ...(threadId !== undefined ? { message_thread_id: threadId } : {}),
            reply_parameters: { message_id: r.card.messageId, allow_sending_without_reply: true },
          };
          await showFiles(r.card.chatId, added, t('desk-answer-photos-caption', { number: r.number }), under);
        }
        return;
      } catch (err) {
        if (!editGone(err)) throw err;
        log.warn({ requestId: r.requestId }, 'desk: the card was deleted in the group; posting it again');
      }
    }

    const chatId = r.operatorsChatId ?? deps.operatorsChatId;
    if (chatId === null) return log.debug({ requestId: r.requestId }, 'desk: no operators group configured; no card');
    const threadId = await topicOf(chatId, r.kind);
    const where = threadId !== undefined ? { message_thread_id: threadId } : {};

    // What the resident sent, right before the card: the photos and documents as albums, the point on the map.
    let firstId: number | undefined;
    if (!r.card) {
      firstId = await showFiles(chatId, r.attachments, t('desk-photos-caption', { number: r.number }), where);
      if (r.kind === 'accident' && r.location) {
        const point = await deps.api.sendLocation(chatId, r.location.latitude, r.location.longitude, where);
        firstId ??= point.message_id;
      }
    }
    const reply = firstId !== undefined ? { reply_parameters: { message_id: firstId, allow_sending_without_reply: true } } : {};
    const posted = await deps.api.sendMessage(chatId, text, { parse_mode: 'HTML', reply_markup, ...where, ...reply });
    const saved = await deps.billing.requests.setCard({ requestId: r.requestId, chatId, messageId: posted.message_id });
    if (!saved.ok) throw new Error(`desk: setCard ${saved.error.code}`);
  };
}
