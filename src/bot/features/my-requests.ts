import { Composer, InlineKeyboard } from 'grammy';
import { hears } from '@grammyjs/i18n';
import type { BranchInfo, RequestSummary, RequestView } from '../../billing/index.ts';
import { actorOf } from '../actor.ts';
import { buttons } from '../callback-data.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { consentAgain, requireConsent } from '../screens/consent.ts';
import { moment, timezoneOf } from '../screens/requests.ts';

const PAGE = 5;

type T = BotContext['t'];

function summaryLines(t: T, r: RequestSummary, branches: readonly BranchInfo[]): string[] {
  const tz = timezoneOf(branches, r.branchCode);
  return [
    t('my-requests-item', { number: r.number, kind: t(`request-kind-${r.kind}`), date: moment(r.createdAt, tz).slice(0, 10) }),
    t('my-requests-item-status', { status: t(`request-status-${r.status}`), deadline: moment(r.deadlineAt, tz) }),
    ...(r.lastComment ? [t('my-requests-item-comment', { comment: r.lastComment })] : []),
  ];
}

/** What the request is about, in one line: the damage, the reason of the visit, the meters. */
function subjectOf(t: T, r: RequestView): string | null {
  const d = r.details as { damage?: { name?: string }; reason?: { name?: string }; meters?: unknown[] };
  if (d.damage?.name) return t('my-request-damage', { damage: d.damage.name });
  if (d.reason?.name) return t('my-request-reason', { reason: d.reason.name });
  if (Array.isArray(d.meters)) return t('my-request-meters', { count: d.meters.length });
  return null;
}

function viewScreen(t: T, r: RequestView, branches: readonly BranchInfo[]) {
  const tz = timezoneOf(branches, r.branchCode);
  const subject = subjectOf(t, r);
  const place = r.address ?? (r.location ? t('accident-point') : null);
  const lines = [
    t('my-request-title', { number: r.number, kind: t(`request-kind-${r.kind}`) }),
    t('my-request-created', { at: moment(r.createdAt, tz) }),
    t('my-request-status', { status: t(`request-status-${r.status}`), deadline: moment(r.deadlineAt, tz) }),
    ...(subject ? [subject] : []),
    ...(place ? [t('my-request-place', { place })] : []),
    ...(r.comment ? [t(r.kind === 'accident' ? 'my-request-description' : 'my-request-comment', { comment: r.comment })] : []),
    '',
    t('my-request-history'),
    ...r.history.map((h) =>
      t('my-request-event', {
        at: moment(h.at, tz),
        status: t(`request-status-${h.to}`),
        comment: h.by === 'system' && h.to === 'refused' ? t('my-request-no-answer') : (h.comment ?? 'none'),
        by: h.mine ? 'resident' : 'other',
      }),
    ),
  ];
  const keyboard = new InlineKeyboard();
  if (r.own && r.status === 'needs_info') keyboard.text(t('my-request-answer'), buttons.requests.answer.pack({ requestId: r.requestId })).row();
  if (r.own && r.status === 'done')
    keyboard
      .text(t('my-request-rate-good'), buttons.requests.rate.pack({ requestId: r.requestId, mark: 'good' }))
      .text(t('my-request-rate-bad'), buttons.requests.rate.pack({ requestId: r.requestId, mark: 'bad' }))
      .row();
  keyboard.text(t('my-request-back'), buttons.requests.list.pack({ offset: 0 }));
  return { text: lines.join('\n'), keyboard };
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
    const lines = [ctx.t('my-requests-title', { total: String(total), from: String(offset + 1), to: String(offset + requests.length) })];
    const keyboard = new InlineKeyboard();
    for (const r of requests) {
      lines.push('', ...summaryLines(ctx.t, r, branches));
      keyboard
        .text(
          ctx.t('my-requests-open', { number: r.number, status: ctx.t(`request-status-${r.status}`) }),
          buttons.requests.open.pack({ requestId: r.requestId }),
        )
        .row();
    }
    if (offset > 0) keyboard.text(ctx.t('my-requests-newer'), buttons.requests.list.pack({ offset: Math.max(0, offset - PAGE) }));
    if (offset + requests.length < total) keyboard.text(ctx.t('my-requests-older'), buttons.requests.list.pack({ offset: offset + PAGE }));
    return ctx.reply(lines.join('\n'), { reply_markup: keyboard });
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
    await ctx.reply(text, { reply_markup: keyboard });
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
    const rated = await deps.billing.requests.rate({ actor: actorOf(ctx), requestId, good: mark === 'good' });
    if (!rated.ok) {
      const code = rated.error.code;
      if (code === 'move_not_allowed') return ctx.answerCallbackQuery({ text: ctx.t('rate-already') });
      if (code === 'request_not_found' || code === 'resident_not_found') return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
      throw new Error(`rate: ${code}`);
    }
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.reply(ctx.t(mark === 'good' ? 'rate-good' : 'rate-bad', { number: rated.value.number }));
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
