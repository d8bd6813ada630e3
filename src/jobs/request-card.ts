import { GrammyError, InlineKeyboard, InputFile, type Api } from 'grammy';
import type { InputMediaDocument, InputMediaPhoto } from 'grammy/types';
import { operatorMoves, type Billing, type RequestView } from '../billing/index.ts';
import { buttons } from '../bot/callback-data.ts';
import { cut, day, localDateTime, m3 } from '../format.ts';
import type { Translate, Translator } from '../i18n.ts';
import type { FileStore } from '../files/store.ts';
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
  /** How long a group where no topic can be made is not asked again (an hour). */
  noForumMs?: number;
  /** The file store: what a resident uploaded on the web pages is sent from it (it has no Telegram file id). */
  files?: FileStore | null;
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

type CardRequest = RequestView & { branchName: string; timezone: string };

/** An attachment as the card job sees it (billing.requests.cardAttachments). */
export interface CardFile {
  attachmentId: number;
  /** Null for an upload on the web pages: then it is sent from the file store (`storedPath`). */
  telegramFileId: string | null;
  storedPath: string | null;
  media: 'photo' | 'document';
  role: string;
  stored: boolean;
  refused: string | null;
  posted: boolean;
}

/**
 * Where a file goes: the request's own photos right above the card; the rest (its documents,
 * what came with an answer) as replies to the card. A document is shown only once the file store
 * has kept it: its type is the sender's word until the store has looked inside; one refused is
 * never shown. A photo Telegram re-encoded itself, so it is shown as it is.
 */
const aboveCard = (a: Pick<CardFile, 'media' | 'role'>) => a.media === 'photo' && a.role !== 'answer';
const showable = (a: CardFile) => a.media === 'photo' || (a.stored && a.refused === null);
const refusedDocument = (a: Pick<CardFile, 'media' | 'refused'>) => a.media === 'document' && a.refused !== null;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/** Telegram's limit for a message's text. */
const MESSAGE_LIMIT = 4096;

/**
 * How much of the long parts a card holds: the last `history` events, their comments to
 * `eventComment` characters, the resident's comment (or description) to `comment`.
 */
interface Budget {
  history: number;
  eventComment: number;
  comment: number;
}
const FULL: Budget = { history: 5, eventComment: Number.POSITIVE_INFINITY, comment: Number.POSITIVE_INFINITY };
/** Tried in turn until the card fits: long comments to ~300 characters first, then the older events, then the resident's words. */
const BUDGETS: Budget[] = [
  FULL,
  { ...FULL, eventComment: 300 },
  { history: 3, eventComment: 300, comment: Number.POSITIVE_INFINITY },
  { history: 1, eventComment: 300, comment: Number.POSITIVE_INFINITY },
  { history: 1, eventComment: 300, comment: 300 },
  { history: 0, eventComment: 300, comment: 300 },
];

/** What the resident gave, particular to the kind. */
function givenLines(t: Translate, r: CardRequest, e: (s: string) => string, b: Budget): string[] {
  const d = r.details;
  const lines: string[] = [];
  const comment = r.comment ? e(cut(r.comment, b.comment)) : null;
  if (r.kind === 'inspector') {
    const reason = str(obj(d.reason).name);
    if (reason) lines.push(t('desk-card-reason', { reason: e(reason) }));
    const visit = str(d.visitAt);
    if (visit) lines.push(t('desk-card-visit', { at: localDateTime(visit, r.timezone) }));
    const serial = str(obj(d.meter).serial);
    if (serial) lines.push(t('desk-card-meter', { serial: e(serial) }));
    if (comment) lines.push(t('desk-card-comment', { text: comment }));
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
        obj(m.installer).self === true
          ? t('desk-meter-installer', { installer: t('request-installer-self') })
          : str(m.installer) && t('desk-meter-installer', { installer: e(str(m.installer)!) }),
      ].filter(Boolean);
      if (more.length) lines.push(`   ${more.join('; ')}`);
    });
    if (d.acceptedTerms && d.accessGiven) lines.push(t('desk-card-consents'));
    if (comment) lines.push(t('desk-card-comment', { text: comment }));
  } else {
    const damage = str(obj(d.damage).name);
    if (damage) lines.push(t('desk-card-damage', { damage: e(damage) }));
    if (comment) lines.push(t('desk-card-description', { text: comment }));
  }
  return lines;
}

type CardEvent = RequestView['history'][number];

/** What a resident's move says by itself: an answer to needs_info, a rating; null for the others (the request filed). */
function residentMove(ev: CardEvent): 'answered' | 'good' | 'bad' | null {
  if (ev.by !== 'resident') return null;
  if (ev.from === 'needs_info' && ev.to === 'accepted') return 'answered';
  if (ev.from === 'done') return ev.to === 'closed' ? 'good' : 'bad';
  return null;
}

/** Who made a move: an operator as a mention (a tap opens their profile), the resident, the clock. */
function whoOf(t: Translate, ev: CardEvent): string {
  if (ev.by !== 'operator') return t(`desk-by-${ev.by}`);
  return ev.byId && /^\d{1,20}$/.test(ev.byId) ? t('desk-by-operator', { id: ev.byId }) : t('desk-by-operator-unknown');
}

/** The card's lines, each whole HTML of its own (a tag never spans two lines), within a budget. */
function cardLines(t: Translate, r: CardRequest, b: Budget, files?: CardFile[]): string[] {
  const e = escapeHtml;
  const lines = [`<b>${e(r.number)}</b> · ${t(`request-kind-${r.kind}`)}`, t('desk-card-status', { status: `<b>${t(`request-status-${r.status}`)}</b>` })];
  // A closed or refused request's deadline is no longer pending: shown as it was.
  const settled = r.status === 'closed' || r.status === 'refused';
  lines.push(
    t('desk-card-created', { at: localDateTime(r.createdAt, r.timezone) }),
    t(settled ? 'desk-card-deadline-settled' : 'desk-card-deadline', { at: localDateTime(r.deadlineAt, r.timezone) }),
    '',
  );
  if (r.account) {
    lines.push(t('desk-card-account', { number: r.account.longNumber, owner: e(r.account.owner) }));
    lines.push(t('desk-card-address', { address: e(addressLine(t, r.account.address)) }));
  }
  if (r.kind === 'accident') {
    if (r.address) lines.push(t('desk-card-place-address', { address: e(r.address) }));
    else if (r.location) lines.push(t('desk-card-place-point', { latitude: r.location.latitude.toFixed(6), longitude: r.location.longitude.toFixed(6) }));
  } else if (!r.account) lines.push(t('desk-card-no-account'));
  lines.push(t('desk-card-branch', { branch: e(r.branchName) }), '');
  lines.push(...givenLines(t, r, e, b));
  lines.push(r.contactPhone ? t('desk-card-phone', { phone: e(r.contactPhone) }) : t('desk-card-no-phone'));
  // The request's own photos are right above the card; its documents and what came with an answer, in replies to it.
  const all: Pick<CardFile, 'media' | 'role' | 'refused'>[] = files ?? r.attachments.map((a) => ({ role: a.role, media: 'photo' as const, refused: null }));
  const shown = all.filter((a) => !refusedDocument(a));
  if (shown.length) {
    const above = shown.filter(aboveCard).length;
    lines.push(t('desk-card-attachments', { count: shown.length, above, later: shown.length - above }));
  }
  const refused = all.length - shown.length;
  if (refused) lines.push(t('desk-card-files-refused', { count: refused }));
  if (r.rating !== null) {
    // The resident's words with a 👎: the comment of their last move from done back to in_work.
    const reason = r.rating < 0 ? [...r.history].reverse().find((ev) => ev.by === 'resident' && ev.from === 'done' && ev.to === 'in_work')?.comment : null;
    lines.push(
      r.rating > 0
        ? t('desk-card-rating-good')
        : reason
          ? t('desk-card-rating-bad-why', { reason: e(cut(reason, b.eventComment)) })
          : t('desk-card-rating-bad'),
    );
  }
  const last = b.history > 0 ? r.history.slice(-b.history) : [];
  if (last.length) {
    lines.push('', t('desk-card-history'));
    for (const ev of last) {
      const at = localDateTime(ev.at, r.timezone);
      const status = t(`request-status-${ev.to}`);
      const move = residentMove(ev);
      const comment = ev.by === 'system' && ev.to === 'refused' ? t('desk-comment-no-answer') : ev.comment;
      lines.push(
        (move ? t('desk-card-event-resident', { at, move, status }) : t('desk-card-event', { at, status, who: whoOf(t, ev) })) +
          (comment ? ` ${t('desk-card-event-comment', { comment: e(cut(comment, b.eventComment)) })}` : ''),
      );
    }
  }
  return lines;
}

/**
 * The card: number, kind, status, account or place, what the resident gave, contact, deadline, the
 * last events. Within Telegram's 4096 characters: the plain parts are shortened before they are
 * escaped (long comments, then the older events), so a cut never falls inside a tag or an entity;
 * whatever still does not fit goes by whole lines from the end.
 */
export function cardText(t: Translate, r: CardRequest, files?: CardFile[]): string {
  for (const b of BUDGETS) {
    const text = cardLines(t, r, b, files).join('\n');
    if (text.length <= MESSAGE_LIMIT) return text;
  }
  const lines = cardLines(t, r, BUDGETS.at(-1)!, files);
  while (lines.length > 1 && `${lines.join('\n')}\n…`.length > MESSAGE_LIMIT) lines.pop();
  return `${lines.join('\n')}\n…`;
}

/** A button per move an operator may make now (request-status-*), and desk-refresh. */
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
/** The kind's topic was deleted in the group (or its id is no longer valid). */
const threadGone = (err: unknown) =>
  isBadRequest(err) && /message thread not found|topic_deleted|topic deleted|topic_id_invalid/i.test((err as GrammyError).description);

/** A topic of the group is gone: its row was dropped and the job is to be retried, which makes a new one. */
export class TopicGone extends Error {
  constructor(
    readonly chatId: number,
    readonly threadId: number,
  ) {
    super(`desk: the topic ${threadId} of ${chatId} is gone; forgotten, to be made again on the retry`);
    this.name = 'TopicGone';
  }
}

/** How long a group where no topic can be made (no forum, or no right to manage topics) is not asked again. */
const NO_FORUM_MS = 3_600_000;

/**
 * `request.card`: posts a request's card in its kind's topic of the operators' group, or edits
 * the card posted before. The group is the branch's own, else OPERATORS_CHAT_ID; with neither
 * there is no desk and nothing is done. What the resident sent is shown once per card: the
 * request's own photos and the point on the map right above it, the documents (once the file
 * store has kept them) and what came with an answer to needs_info as replies to it, in its
 * thread. A card posted again (the old one deleted in the group) shows them all again.
 */
export function requestCardJob(deps: RequestCardDeps): JobHandler<'request.card'> {
  const t = deps.translator('ru');
  const log = deps.log.child({ part: 'desk' });
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /**
   * Groups where a topic could not be made, until when they are not asked again: kept in this
   * instance's memory (each instance learns it once an hour; a group turned into a forum is
   * seen within the hour, or at a restart).
   */
  const noForum = new Map<number, number>();

  /** The topic of this kind in this group: made once (also with several instances), undefined: post in the general chat. */
  async function topicOf(chatId: number, kind: RequestView['kind']): Promise<number | undefined> {
    const until = noForum.get(chatId);
    if (until !== undefined && until > Date.now()) return undefined;
    noForum.delete(chatId);
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
          noForum.set(chatId, Date.now() + (deps.noForumMs ?? NO_FORUM_MS));
          log.warn(
            { err, chatId, purpose },
            'desk: cannot create a topic (is the group a forum, may the bot manage topics?); posting in the general chat, not asking again for an hour',
          );
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

  /**
   * The attachments as Telegram takes them: photos and documents apart (an album holds one or the
   * other), 2–10 in an album, one alone by sendPhoto / sendDocument. Each part shown is marked
   * posted; a part Telegram refuses (400) is logged and left for the next run. The first message's id.
   */
  /** What Telegram is given: the file id it holds, or the bytes the store keeps (an upload on the web pages). */
  async function fileOf(a: CardFile): Promise<string | InputFile> {
    if (a.telegramFileId) return a.telegramFileId;
    if (!deps.files || !a.storedPath) throw new Error(`desk: attachment ${a.attachmentId} has no Telegram file id and no file store`);
    return new InputFile(await deps.files.read(a.storedPath), a.storedPath.split('/').pop());
  }

  async function showAttachments(chatId: number, items: CardFile[], caption: string, other: Record<string, unknown>): Promise<number | undefined> {
    if (!items.length) return undefined;
    let firstId: number | undefined;
    let captioned = false;
    for (const type of ['photo', 'document'] as const) {
      const ofType = items.filter((a) => a.media === type);
      for (let i = 0; i < ofType.length; i += 10) {
        const chunk = ofType.slice(i, i + 10);
        const withCaption = !captioned ? { caption } : {};
        const send = async (as: 'photo' | 'document') => {
          const files = await Promise.all(chunk.map(fileOf));
          if (chunk.length === 1) {
            const sent =
              as === 'photo'
                ? await deps.api.sendPhoto(chatId, files[0]!, { ...other, ...withCaption })
                : await deps.api.sendDocument(chatId, files[0]!, { ...other, ...withCaption });
            return sent.message_id;
          }
          const media = chunk.map((_a, j) => ({ type: as, media: files[j]!, ...(j === 0 ? withCaption : {}) }));
          const sent = await deps.api.sendMediaGroup(chatId, media as InputMediaPhoto[] | InputMediaDocument[], other);
          return sent[0]?.message_id;
        };
        try {
          const id = await send(type).catch(async (err: unknown) => {
            // Until every dialogue says how Telegram holds a file, a document (a PDF passport) may be taken for a photo.
            if (type !== 'photo' || !isBadRequest(err) || threadGone(err)) throw err;
            return send('document');
          });
          firstId ??= id;
          captioned = true;
          const marked = await deps.billing.requests.attachmentsPosted({ attachmentIds: chunk.map((a) => a.attachmentId) });
          if (!marked.ok) throw new Error(`desk: attachmentsPosted ${marked.error.code}`);
        } catch (err) {
          if (!isBadRequest(err) || threadGone(err)) throw err;
          log.warn({ err, chatId, attachments: chunk.map((a) => a.attachmentId) }, 'desk: attachments could not be shown in the group');
        }
      }
    }
    return firstId;
  }

  async function filesOf(requestId: number): Promise<CardFile[]> {
    const found = await deps.billing.requests.cardAttachments({ requestId });
    if (!found.ok) throw new Error(`desk: cardAttachments ${found.error.code}`);
    return found.value;
  }

  /** The documents and the answers' files, as replies to the card in its thread (the request's own ones captioned apart from an answer's). */
  async function showReplies(chatId: number, card: { messageId: number; threadId: number | undefined }, items: CardFile[], number: string) {
    const where = {
      ...(card.threadId !== undefined ? { message_thread_id: card.threadId } : {}),
      reply_parameters: { message_id: card.messageId, allow_sending_without_reply: false },
    };
    await showAttachments(
      chatId,
      items.filter((a) => a.role !== 'answer'),
      t('desk-photos-caption', { number }),
      where,
    );
    await showAttachments(
      chatId,
      items.filter((a) => a.role === 'answer'),
      t('desk-photos-later-caption', { number }),
      where,
    );
  }

  /**
   * The thread a card posted before sits in: its kind's topic as it is now, if that topic was
   * made before the card (message ids grow in a group, a topic's id is its first message's); a
   * topic made later (the group turned into a forum since) is not the card's, and nothing is made.
   */
  async function threadOfCard(chatId: number, kind: RequestView['kind'], messageId: number): Promise<number | undefined> {
    const found = await deps.billing.operators.topicThread({ chatId, purpose: topicPurpose(kind) });
    if (!found.ok) throw new Error(`desk: topicThread ${found.error.code}`);
    return found.value !== null && found.value < messageId ? found.value : undefined;
  }

  return async (p) => {
    const found = await deps.billing.requests.forCard({ requestId: p.requestId });
    if (!found.ok) {
      if (found.error.code === 'request_not_found') return log.warn({ requestId: p.requestId }, 'desk: no such request for a card');
      throw new Error(`desk: forCard ${found.error.code}`);
    }
    const r = found.value;
    const files = await filesOf(r.requestId);
    const text = cardText(t, r, files);
    const reply_markup = cardKeyboard(t, r);

    if (r.card) {
      let shown = true;
      try {
        await deps.api.editMessageText(r.card.chatId, r.card.messageId, text, { parse_mode: 'HTML', reply_markup });
      } catch (err) {
        if (!notModified(err)) {
          if (!editGone(err)) throw err;
          log.warn({ requestId: r.requestId }, 'desk: the card was deleted in the group; posting it again');
          shown = false;
        }
      }
      if (shown) {
        // What is to be shown since (a document kept by the store, files with an answer): as replies to the card, in its thread.
        const later = files.filter((a) => showable(a) && !a.posted);
        if (later.length) {
          const threadId = await threadOfCard(r.card.chatId, r.kind, r.card.messageId);
          await showReplies(r.card.chatId, { messageId: r.card.messageId, threadId }, later, r.number);
        }
        return;
      }
    }

    const chatId = r.operatorsChatId ?? deps.operatorsChatId;
    if (chatId === null) return log.debug({ requestId: r.requestId }, 'desk: no operators group configured; no card');
    const threadId = await topicOf(chatId, r.kind);
    const where = threadId !== undefined ? { message_thread_id: threadId } : {};

    // A card posted again (the old one was deleted with what was above it) shows everything again.
    const again = r.card !== null;
    const due = files.filter((a) => showable(a) && (again || !a.posted));
    try {
      // Right before the card: the request's own photos, the point on the map.
      let firstId = await showAttachments(chatId, due.filter(aboveCard), t('desk-photos-caption', { number: r.number }), where);
      if (r.kind === 'accident' && r.location) {
        const point = await deps.api.sendLocation(chatId, r.location.latitude, r.location.longitude, where);
        firstId ??= point.message_id;
      }
      const reply = firstId !== undefined ? { reply_parameters: { message_id: firstId, allow_sending_without_reply: true } } : {};
      const posted = await deps.api.sendMessage(chatId, text, { parse_mode: 'HTML', reply_markup, ...where, ...reply });
      const saved = await deps.billing.requests.setCard({ requestId: r.requestId, chatId, messageId: posted.message_id });
      if (!saved.ok) throw new Error(`desk: setCard ${saved.error.code}`);
      // The documents and the answers' files: replies to the card, in the thread it was just posted in.
      await showReplies(
        chatId,
        { messageId: posted.message_id, threadId },
        due.filter((a) => !aboveCard(a)),
        r.number,
      );
    } catch (err) {
      if (threadId === undefined || !threadGone(err)) throw err;
      // The kind's topic was deleted in the group: forgotten, and the retry makes a new one.
      const forgot = await deps.billing.operators.forgetTopic({ chatId, purpose: topicPurpose(r.kind), threadId });
      if (!forgot.ok) throw new Error(`desk: forgetTopic ${forgot.error.code}`);
      log.warn({ chatId, threadId, requestId: r.requestId }, 'desk: the topic was deleted in the group; forgotten, a new one is made on the retry');
      throw new TopicGone(chatId, threadId);
    }
  };
}
