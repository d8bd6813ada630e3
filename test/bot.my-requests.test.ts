import { describe, expect, it } from 'vitest';
import { viaTelegram } from '../src/billing/index.ts';
import { botWorld } from './support/bot-world.ts';
import { OPERATOR, requestsWorld, texts } from './support/requests-world.ts';

const world = botWorld(8_700_000);
const { jobs } = requestsWorld(world);

const STALE = 'Эта кнопка уже не действует. Выберите действие заново.';

async function consented() {
  const r = world.newResident();
  await r.say('/start');
  await r.tap(/Согласен/);
  return r;
}

/** An accident report of this resident, filed through the service (the dialogue has its own tests). */
async function reported(telegramId: number, description: string, latitude = 44.05) {
  const made = await world.kit.billing.requests.reportAccident({
    actor: viaTelegram(telegramId),
    place: { kind: 'point', latitude, longitude: 42.86 },
    damageCode: 'pipe_burst',
    description,
    photos: [{ fileId: `f-${description.length}`, fileUniqueId: `u-${description.length}` }],
  });
  if (!made.ok) throw new Error(made.error.code);
  return made.value;
}

async function move(requestId: number, steps: [string, string, string?][]) {
  for (const [from, to, comment] of steps) {
    const moved = await world.kit.billing.requests.move({ actor: OPERATOR, requestId, from: from as never, to: to as never, ...(comment ? { comment } : {}) });
    if (!moved.ok) throw new Error(moved.error.code);
  }
}

describe('«Мои заявки»', () => {
  it('lists them newest first, five a page, and opens one with its history; the menu and /requests lead there', async () => {
    const r = await consented();
    expect(r.lastMenu()).toContain('📋 Мои заявки');
    let calls = await r.say('📋 Мои заявки');
    expect(texts(calls)).toEqual(['Заявок пока нет. Здесь появятся вызовы контролёра, заявки на ввод счётчика и сообщения об авариях.']);

    const made: Awaited<ReturnType<typeof reported>>[] = [];
    for (let i = 1; i <= 6; i++) made.push(await reported(r.id, `Течёт вода, случай ${'№'.repeat(i)}`, 44.05 + i * 0.01));
    await move(made[5]!.requestId, [['sent', 'accepted', 'Бригада выехала']]);

    calls = await r.say('/requests');
    const [page] = texts(calls);
    const lines = page!.split('\n');
    expect(lines[0]).toBe('Мои заявки: 1–5 из 6');
    expect(lines.slice(1, 5)).toEqual(['', `${made[5]!.number} · Авария · 22.11.2026`, 'Принято, срок до 23.11.2026 12:00', 'Комментарий: Бригада выехала']);
    expect(lines.slice(5, 8)).toEqual(['', `${made[4]!.number} · Авария · 22.11.2026`, 'Отправлено, срок до 23.11.2026 12:00']);
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual([
      `${made[5]!.number} — Принято`,
      ...[4, 3, 2, 1].map((i) => `${made[i]!.number} — Отправлено`),
      'Раньше →',
    ]);
    // Paging edits the list in place.
    calls = await r.tap('Раньше →');
    expect(calls.filter((c) => c.method === 'sendMessage')).toEqual([]);
    expect(calls.filter((c) => c.method === 'editMessageText').map((c) => c.payload.text.split('\n')[0])).toEqual(['Мои заявки: 6 из 6']);
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual([`${made[0]!.number} — Отправлено`, '← Новее']);

    calls = await r.tap('← Новее');
    expect(calls.filter((c) => c.method === 'editMessageText').map((c) => c.payload.text.split('\n')[0])).toEqual(['Мои заявки: 1–5 из 6']);
    calls = await r.tap(`${made[5]!.number} — Принято`);
    expect(calls.filter((c) => c.method === 'sendMessage')).toEqual([]);
    expect(texts(calls)).toEqual([
      [
        `Заявка ${made[5]!.number} — Авария`,
        'Создана: 22.11.2026 12:00',
        'Статус: Принято, срок до 23.11.2026 12:00',
        'Повреждение: Порыв трубы',
        'Место: точка на карте',
        'Описание: Течёт вода, случай №№№№№№',
        '',
        'История:',
        '22.11.2026 12:00 — Отправлено (вы)',
        '22.11.2026 12:00 — Принято: Бригада выехала',
      ].join('\n'),
    ]);
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['← К списку заявок']);

    // Someone else pressing a forged «open» of this request sees nothing of it.
    const stranger = await consented();
    calls = await stranger.press(`rq:o:${made[5]!.requestId}`);
    expect(stranger.toasts(calls)).toEqual([STALE]);
    expect(texts(calls)).toEqual([]);
    calls = await stranger.press(`rq:rate:${made[5]!.requestId}:good`);
    expect(stranger.toasts(calls)).toEqual([STALE]);
    // Without consent the list is not shown: the consent screen is.
    const anonymous = world.newResident();
    calls = await anonymous.say('/requests');
    expect(texts(calls)[0]).toBe('Для этого нужно согласие на обработку персональных данных.');
  });

  it('answers «На исправление» from the notice’s button: text and a photo, back to «Принято»; a second press is told', async () => {
    const r = await consented();
    const { requestId, number } = await reported(r.id, 'Вода на проезжей части', 44.1);
    await move(requestId, [
      ['sent', 'accepted'],
      ['accepted', 'needs_info', 'Уточните, у какого дома'],
    ]);
    let calls = await r.press(`rq:ans:${requestId}`);
    expect(texts(calls)).toEqual([
      `Заявка ${number}: нужно уточнение. Что уточнить: Уточните, у какого дома\nНапишите ответ, при необходимости приложите фото и нажмите «Отправить».`,
    ]);
    calls = await r.press('ans:send');
    expect(r.toasts(calls)).toEqual(['Сначала напишите ответ текстом.']);
    calls = await r.sticker();
    expect(texts(calls)).toEqual(['Пришлите ответ текстом или фото.']);
    calls = await r.say('У дома 7 по ул. Ермакова, напротив аптеки');
    expect(texts(calls)).toEqual(['Ответ записан. Можно дополнить или нажать «Отправить».']);
    calls = await r.photo('answer-photo');
    expect(texts(calls)).toEqual(['Ответ записан, фото: 1. Можно дополнить или нажать «Отправить».']);
    jobs.splice(0);
    calls = await r.tap('✅ Отправить');
    expect(texts(calls)).toEqual([`Спасибо, ответ передан. Заявка ${number} снова в статусе «Принято».`]);
    expect(jobs).toEqual([
      { name: 'request.card', payload: { requestId } },
      { name: 'request.files', payload: { requestId } },
    ]);
    const view = await world.kit.billing.requests.get({ actor: viaTelegram(r.id), requestId });
    expect(view.ok && view.value.status).toBe('accepted');
    expect(view.ok && view.value.history.at(-1)).toMatchObject({
      from: 'needs_info',
      to: 'accepted',
      by: 'resident',
      comment: 'У дома 7 по ул. Ермакова, напротив аптеки',
    });
    expect(view.ok && view.value.attachments.filter((a) => a.role === 'answer').map((a) => a.telegramFileId)).toEqual(['answer-photo']);

    calls = await r.press(`rq:ans:${requestId}`);
    expect(r.toasts(calls)).toEqual([`Ответ уже не нужен: заявка ${number} в статусе «Принято».`]);
  });

  it('rates «Выполнено»: good closes it, bad reopens it; a second press is told the rating is counted', async () => {
    const r = await consented();
    const good = await reported(r.id, 'Течь у колодца, двор', 44.11);
    const bad = await reported(r.id, 'Провал у люка, дорога', 44.12);
    for (const x of [good, bad])
      await move(x.requestId, [
        ['sent', 'accepted'],
        ['accepted', 'in_work'],
        ['in_work', 'done', 'Течь устранена'],
      ]);

    await r.say('📋 Мои заявки');
    await r.tap(`${good.number} — Выполнено`);
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['👍 Всё хорошо', '👎 Не выполнено', '← К списку заявок']);
    jobs.splice(0);
    let calls = await r.tap('👍 Всё хорошо');
    expect(texts(calls)).toEqual([`Спасибо за оценку! Заявка ${good.number} закрыта.`]);
    expect(jobs).toEqual([{ name: 'request.card', payload: { requestId: good.requestId } }]);
    calls = await r.press(`rq:rate:${good.requestId}:bad`);
    expect(r.toasts(calls)).toEqual(['Оценка уже учтена.']);
    expect(texts(calls)).toEqual([]);

    // 👎 asks what went wrong; nothing is recorded until the answer; a second 👎 meanwhile is told to answer.
    calls = await r.press(`rq:rate:${bad.requestId}:bad`);
    expect(texts(calls)).toEqual(['Что не так? Напишите коротко или нажмите «Пропустить».']);
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['Пропустить']);
    calls = await r.press(`rq:rate:${bad.requestId}:bad`);
    expect(r.toasts(calls)).toEqual(['Ждём вашего ответа: что не так?']);
    expect(texts(calls)).toEqual([]);
    calls = await r.sticker();
    expect(texts(calls)).toEqual(['Напишите, пожалуйста, текстом или нажмите «Пропустить».']);
    calls = await r.say('ы'.repeat(1001));
    expect(texts(calls)).toEqual(['Слишком длинно: не больше 1000 знаков (сейчас 1001). Напишите, пожалуйста, короче.']);
    const pending = await world.kit.billing.requests.get({ actor: viaTelegram(r.id), requestId: bad.requestId });
    expect(pending.ok && pending.value.status).toBe('done');
    jobs.splice(0);
    calls = await r.say('Провал так и не засыпали');
    expect(texts(calls)).toEqual([`Жаль, что не получилось. Заявка ${bad.number} возвращена в работу — специалисты разберутся.`]);
    expect(calls.some((c) => c.method === 'editMessageReplyMarkup')).toBe(true);
    expect(jobs).toEqual([{ name: 'request.card', payload: { requestId: bad.requestId } }]);
    calls = await r.press(`rq:rate:${bad.requestId}:bad`);
    expect(r.toasts(calls)).toEqual(['Оценка уже учтена.']);
    expect(texts(calls)).toEqual([]);
    const views = await Promise.all([good, bad].map((x) => world.kit.billing.requests.get({ actor: viaTelegram(r.id), requestId: x.requestId })));
    expect(views.map((v) => v.ok && [v.value.status, v.value.rating])).toEqual([
      ['closed', 1],
      ['in_work', -1],
    ]);
    const reopened = views[1]!.ok ? views[1]!.value.history.at(-1) : null;
    expect(reopened).toMatchObject({ from: 'done', to: 'in_work', by: 'resident', comment: 'Провал так и не засыпали' });
  });

  it('«Пропустить» rates 👎 without a reason; 👍 pressed meanwhile leaves the question and closes it', async () => {
    const r = await consented();
    const skipped = await reported(r.id, 'Лужа у подъезда 3', 44.14);
    const changed = await reported(r.id, 'Лужа у подъезда 4', 44.15);
    for (const x of [skipped, changed])
      await move(x.requestId, [
        ['sent', 'accepted'],
        ['accepted', 'in_work'],
        ['in_work', 'done'],
      ]);
    await r.press(`rq:rate:${skipped.requestId}:bad`);
    let calls = await r.tap('Пропустить');
    expect(texts(calls)).toEqual([`Жаль, что не получилось. Заявка ${skipped.number} возвращена в работу — специалисты разберутся.`]);
    const view = await world.kit.billing.requests.get({ actor: viaTelegram(r.id), requestId: skipped.requestId });
    expect(view.ok && [view.value.status, view.value.rating, view.value.history.at(-1)!.comment]).toEqual(['in_work', -1, null]);
    // A «Пропустить» pressed again is an old button.
    calls = await r.press(`rq:rs:${skipped.requestId}`);
    expect(r.toasts(calls)).toEqual([STALE]);

    await r.press(`rq:rate:${changed.requestId}:bad`);
    calls = await r.press(`rq:rate:${changed.requestId}:good`);
    expect(texts(calls)).toEqual([`Спасибо за оценку! Заявка ${changed.number} закрыта.`]);
    expect(await world.kit.redis.keys(`conv:{${r.id}}`)).toEqual([]);
    // The text after it is no reason of a rating.
    calls = await r.say('Провал так и не засыпали');
    expect(texts(calls).join('\n')).not.toMatch(/Жаль/);
  });

  it('stays within Telegram’s 4096: comments of the list cut to ~200 characters, the opened one shows the last 10 events', async () => {
    const r = await consented();
    const x = await reported(r.id, 'Д'.repeat(1000), 44.03);
    const long = (i: number) => `${i}: ${'😀'.repeat(600)}`;
    const steps: [string, string, string?][] = [['sent', 'accepted', long(1)]];
    for (let i = 2; i <= 12; i += 2) steps.push(['accepted', 'needs_info', long(i)], ['needs_info', 'accepted', long(i + 1)]);
    await move(x.requestId, steps);

    let calls = await r.say('📋 Мои заявки');
    const [list] = texts(calls);
    expect(list!.split('\n')[0]).toBe('Мои заявки (1)');
    const comment = list!.split('\n').find((l) => l.startsWith('Комментарий: '))!;
    // Whole characters (an emoji is two UTF-16 units), «…» marking the cut.
    expect(Array.from(comment.slice('Комментарий: '.length))).toHaveLength(200);
    expect(comment.endsWith('😀…')).toBe(true);

    calls = await r.tap(`${x.number} — Принято`);
    const [opened] = texts(calls);
    expect(opened!.length).toBeLessThanOrEqual(4096);
    const history = opened!.split('История:\n')[1]!.split('\n');
    expect(history[0]).toBe('…и ещё 4 раньше');
    expect(history.slice(1)).toHaveLength(10);
    expect(history.at(-1)).toMatch(/^22\.11\.2026 12:00 — Принято: 13: (?:😀)+…$/u);
    // No emoji cut in half: no lone surrogate.
    expect(opened).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('a notice’s button pressed in the middle of another dialogue is answered: the dialogue is left for it', async () => {
    const r = await consented();
    const x = await reported(r.id, 'Открыт люк у дома 7', 44.13);
    await move(x.requestId, [
      ['sent', 'accepted'],
      ['accepted', 'in_work'],
      ['in_work', 'done', 'Люк закрыт'],
    ]);
    await r.say('/readings');
    const calls = await r.press(`rq:rate:${x.requestId}:good`);
    expect(texts(calls)).toEqual([`Спасибо за оценку! Заявка ${x.number} закрыта.`]);
    expect(await world.kit.redis.keys(`conv:{${r.id}}`)).toEqual([]);
  });
});
