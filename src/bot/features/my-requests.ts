import { Composer, GrammyError, InlineKeyboard } from 'grammy';
import { hears } from '@grammyjs/i18n';
import type { BranchInfo, RequestSummary, RequestView } from '../../billing/index.ts';
import { actorOf } from '../actor.ts';
import { buttons } from '../callback-data.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { consentAgain, requireConsent } from '../screens/consent.ts';
import { cut, localDateTime } from '../../format.ts';
import { timezoneOf } from '../screens/requests.ts';

const PAGE = 5;
/** A comment in the list: the first ~200 characters. */
const LIST_COMMENT = 200;
/** The events of an opened request shown: the last ten. */
const HISTORY = 10;
/** Telegram's limit for a message's text. */
const MESSAGE_LIMIT = 4096;

type T = BotContext['t'];

/** The deadline while the request is open: a closed or refused one has none pending. */
const deadlineOf = (r: RequestSummary, tz: string) => (r.status === 'closed' || r.status === 'refused' ? 'none' : localDateTime(r.deadlineAt, tz));

export function summaryLines(t: T, r: RequestSummary, branches: readonly BranchInfo[]): string[] {
  const tz = timezoneOf(branches, r.branchCode);
  return [
    t('my-requests-item', { number: r.number, kind: t(`request-kind-${r.kind}`), date: localDateTime(r.createdAt, tz).slice(0, 10) }),
    t('my-requests-item-status', { status: t(`request-status-${r.status}`), deadline: deadlineOf(r, tz) }),
    ...(r.lastComment ? [t('my-requests-item-comment', { comment: cut(r.lastComment, LIST_COMMENT) })] : []),
  ];
}

/** «Мои заявки (3)» on one page; «Мои заявки: 6–10 из 12» when there are more. */
function listTitle(t: T, total: number, offset: number, shown: number): string {
  if (offset === 0 && shown >= total) return t('my-requests-title', { total: String(total) });
  const vars = { total: String(total), from: String(offset + 1), to: String(offset + shown) };
  return t(shown === 1 ? 'my-requests-title-one' : 'my-requests-title-page', vars);
}

/** The list, within 4096 characters whatever the comments (five of at most ~200 each fit with room to spare). */
export function listText(t: T, total: number, offset: number, requests: readonly RequestSummary[], branches: readonly BranchInfo[]): string {
  const lines = [listTitle(t, total, offset, requests.length)];
  for (const r of requests) lines.push('', ...summaryLines(t, r, branches));
  return fitLines(lines);
}

/** Whole lines from the end until the text fits, «…» marking the cut. */
function fitLines(lines: string[]): string {
  const text = lines.join('\n');
  if (text.length <= MESSAGE_LIMIT) return text;
  const kept = [...lines];
  while (kept.length > 1 && `${kept.join('\n')}\n…`.length > MESSAGE_LIMIT) kept.pop();
  return cut(`${kept.join('\n')}\n…`, MESSAGE_LIMIT);
}

/** What the request is about, in one line: the damage, the reason of the visit, the meters. */
function subjectOf(t: T, r: RequestView): string | null {
  const d = r.details as { damage?: { name?: string }; reason?: { name?: string }; meters?: unknown[] };
  if (d.damage?.name) return t('my-request-damage', { damage: d.damage.name });
  if (d.reason?.name) return t('my-request-reason', { reason: d.reason.name });
  if (Array.isArray(d.meters)) return t('my-request-meters', { count: d.meters.length });
  return null;
}

/** How much of the long parts an opened request shows: its comment, the events' comments. */
interface Budget {
  comment: number;
  eventComment: number;
}
/** Tried in turn until the text fits Telegram's 4096 characters. */
const BUDGETS: Budget[] = [
  { comment: Number.POSITIVE_INFINITY, eventComment: Number.POSITIVE_INFINITY },
  { comment: Number.POSITIVE_INFINITY, eventComment: 300 },
  { comment: 1000, eventComment: 300 },
  { comment: 500, eventComment: 200 },
  { comment: 300, eventComment: 100 },
];

function viewLines(t: T, r: RequestView, tz: string, b: Budget): string[] {
  const subject = subjectOf(t, r);
  const place = r.address ?? (r.location ? t('accident-point') : null);
  const shown = r.history.slice(-HISTORY);
  const earlier = r.history.length - shown.length;
  return [
    t('my-request-title', { number: r.number, kind: t(`request-kind-${r.kind}`) }),
    t('my-request-created', { at: localDateTime(r.createdAt, tz) }),
    t('my-request-status', { status: t(`request-status-${r.status}`), deadline: deadlineOf(r, tz) }),
    ...(subject ? [subject] : []),
    ...(place ? [t('my-request-place', { place })] : []),
    ...(r.comment ? [t(r.kind === 'accident' ? 'my-request-description' : 'my-request-comment', { comment: cut(r.comment, b.comment) })] : []),
    '',
    t('my-request-history'),
    ...(earlier > 0 ? [t('my-request-history-earlier', { count: earlier })] : []),
    ...shown.map((h) =>
      t('my-request-event', {
        at: localDateTime(h.at, tz),
        status: t(`request-status-${h.to}`),
        comment: h.by === 'system' && h.to === 'refused' ? t('my-request-no-answer') : h.comment ? cut(h.comment, b.eventComment) : 'none',
        by: h.mine ? 'resident' : 'other',
      }),
    ),
  ];
}

/** An opened request: the last ten events, long comments shortened until it fits in one message. */
export function viewText(t: T, r: RequestView, branches: readonly BranchInfo[]): string {
  const tz = timezoneOf(branches, r.branchCode);
  for (const b of BUDGETS) {
    const text = viewLines(t, r, tz, b).join('\n');
    if (text.length <= MESSAGE_LIMIT) return text;
  }
  return fitLines(viewLines(t, r, tz, BUDGETS.at(-1)!));
}

function viewScreen(t: T, r: RequestView, branches: readonly BranchInfo[]) {
  const keyboard = new InlineKeyboard();
  if (r.own && r.status === 'needs_info') keyboard.text(t('request-answer'), buttons.requests.answer.pack({ requestId: r.requestId })).row();
  if (r.own && r.status === 'done')
    keyboard
      .text(t('request-rate-good'), buttons.requests.rate.pack({ requestId: r.requestId, mark: 'good' }))
      .text(t('request-rate-bad'), buttons.requests.rate.pack({ requestId: r.requestId, mark: 'bad' }))
      .row();
  keyboard.text(t('my-request-back'), buttons.requests.list.pack({ offset: 0 }));
  return { text: viewText(t, r, branches), keyboard };
}

const notModified = (err: unknown) => err instanceof GrammyError && err.error_code === 400 && /message is not modified/i.test(err.description);

/**
 * A screen of «Мои заявки»: from a button, in place of the message the button was on (paging,
 * opening one, back to the list); else, or when that message cannot be edited, a new message.
 */
async function show(ctx: BotContext, text: string, keyboard: InlineKeyboard) {
  if (ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(text, { reply_markup: keyboard });
      return;
    } catch (err) {
      if (notModified(err)) return;
      if (!(err instanceof GrammyError) || err.error_code !== 400) throw err;
    }
  }
  await ctx.reply(text, { reply_markup: keyboard });
}

/**
 * «Мои заявки»: the resident's requests (and the accidents they joined) page by page, one opened
 * with its history; the answer to «На исправление» and the rating after «Выполнено», also from
 * the buttons of the status notices.
 */
export function myRequestsFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  const branchList = async () => {
    const b = await deps.billing.branches.list({});
    return b.ok ? b.value : [];
  };

  const list = async (ctx: BotContext, offset: number) => {
    const [page, branches] = await Promise.all([deps.billing.requests.mine({ actor: actorOf(ctx), limit: PAGE, offset }), branchList()]);
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    if (!page.ok) return consentAgain(ctx);
    const { total, requests } = page.value;
    if (total === 0) return ctx.reply(ctx.t('my-requests-none'));
    const keyboard = new InlineKeyboard();
    for (const r of requests)
      keyboard
        .text(
          ctx.t('my-requests-open', { number: r.number, status: ctx.t(`request-status-${r.status}`) }),
          buttons.requests.open.pack({ requestId: r.requestId }),
        )
        .row();
    if (offset > 0) keyboard.text(ctx.t('my-requests-newer'), buttons.requests.list.pack({ offset: Math.max(0, offset - PAGE) }));
    if (offset + requests.length < total) keyboard.text(ctx.t('my-requests-older'), buttons.requests.list.pack({ offset: offset + PAGE }));
    return show(ctx, listText(ctx.t, total, offset, requests, branches), keyboard);
  };

  feature.command('requests', requireConsent, (ctx) => list(ctx, 0));
  feature.filter(hears('menu-requests'), requireConsent, (ctx) => list(ctx, 0));
  feature.callbackQuery(buttons.requests.list.filter, requireConsent, (ctx) => list(ctx, buttons.requests.list.unpack(ctx.callbackQuery.data)!.offset));

  feature.callbackQuery(buttons.requests.open.filter, requireConsent, async (ctx) => {
    const { requestId } = buttons.requests.open.unpack(ctx.callbackQuery.data)!;
    const [found, branches] = await Promise.all([deps.billing.requests.get({ actor: actorOf(ctx), requestId }), branchList()]);
    // Someone else's request (a forged or an old button) is not found: nothing of it is shown.
    if (!found.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    const { text, keyboard } = viewScreen(ctx.t, found.value, branches);
    await show(ctx, text, keyboard);
  });

  feature.callbackQuery(buttons.requests.answer.filter, requireConsent, async (ctx) => {
    const { requestId } = buttons.requests.answer.unpack(ctx.callbackQuery.data)!;
    const found = await deps.billing.requests.get({ actor: actorOf(ctx), requestId });
    if (!found.ok || !found.value.own) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    if (found.value.status !== 'needs_info')
      return ctx.answerCallbackQuery({
        text: ctx.t('answer-not-needed', { number: found.value.number, status: ctx.t(`request-status-${found.value.status}`) }),
      });
    await ctx.answerCallbackQuery();
    await ctx.conversation.exitAll();
    await ctx.conversation.enter('answer-request', requestId);
  });

  feature.callbackQuery(buttons.requests.rate.filter, requireConsent, async (ctx) => {
    const { requestId, mark } = buttons.requests.rate.unpack(ctx.callbackQuery.data)!;
    if (mark === 'bad') {
      // 👎 asks what went wrong first (rate-reason.ts); a request no longer «Выполнено» is told at once.
      const found = await deps.billing.requests.get({ actor: actorOf(ctx), requestId });
      if (!found.ok || !found.value.own) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
      if (found.value.status !== 'done') return ctx.answerCallbackQuery({ text: ctx.t('rate-already') });
      await ctx.answerCallbackQuery();
      await ctx.conversation.exitAll();
      await ctx.conversation.enter('rate-reason', requestId);
      return;
    }
    const rated = await deps.billing.requests.rate({ actor: actorOf(ctx), requestId, good: true });
    if (!rated.ok) {
      const code = rated.error.code;
      if (code === 'move_not_allowed') return ctx.answerCallbackQuery({ text: ctx.t('rate-already') });
      if (code === 'request_not_found' || code === 'resident_not_found') return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
      throw new Error(`rate: ${code}`);
    }
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.reply(ctx.t('rate-good', { number: rated.value.number }));
    for (const noticeId of rated.value.notices) await deps.jobs.send('notice', { noticeId });
    await deps.jobs.send('request.card', { requestId });
  });

  return feature;
}

/** «🚨 Сообщить об аварии»: with or without the consent, with or without a linked account. */
export function accidentFeature() {
  const feature = new Composer<BotContext>();
  const start = (ctx: BotContext) => ctx.conversation.enter('report-accident');
  feature.command('accident', start);
  feature.filter(hears('menu-accident'), start);
  return feature;
}
