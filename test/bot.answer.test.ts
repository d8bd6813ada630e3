import { describe, expect, it } from 'vitest';
import { viaTelegram } from '../src/billing/index.ts';
import { botWorld } from './support/bot-world.ts';
import { OPERATOR, message, requestsWorld, texts } from './support/requests-world.ts';

/* The answer to «На исправление» (conversations/answer-request.ts): its length, its files. */
const world = botWorld(8_750_000);
const { jobs } = requestsWorld(world);

async function needingAnswer() {
  const r = world.newResident();
  await r.say('/start');
  await r.tap(/Согласен/);
  const made = await world.kit.billing.requests.reportAccident({
    actor: viaTelegram(r.id),
    place: { kind: 'point', latitude: 44.06, longitude: 42.86 },
    damageCode: 'pipe_burst',
    description: 'Вода из-под асфальта',
    photos: [{ fileId: `f-${r.id}`, fileUniqueId: `u-${r.id}` }],
  });
  if (!made.ok) throw new Error(made.error.code);
  for (const [from, to, comment] of [
    ['sent', 'accepted'],
    ['accepted', 'needs_info', 'Уточните, у какого дома'],
  ] as const) {
    const moved = await world.kit.billing.requests.move({ actor: OPERATOR, requestId: made.value.requestId, from, to, ...(comment ? { comment } : {}) });
    if (!moved.ok) throw new Error(moved.error.code);
  }
  await r.press(`rq:ans:${made.value.requestId}`);
  return { r, ...made.value };
}

describe('the answer to «На исправление»', () => {
  it('counts the parts: one that would take the answer over 2000 characters is refused with what is left, the rest is sent', async () => {
    const { r, requestId, number } = await needingAnswer();
    let calls = await r.say('а'.repeat(2001));
    expect(texts(calls)).toEqual(['Ответ длиннее 2000 знаков — сократите его, пожалуйста.']);
    await r.say('б'.repeat(1500));
    calls = await r.say('в'.repeat(600));
    expect(texts(calls)).toEqual([
      'С этой частью ответ будет длиннее 2000 знаков: осталось 499. Сократите её или нажмите «Отправить» — уйдёт то, что уже записано.',
    ]);
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['✅ Отправить']);
    calls = await r.say('г'.repeat(499));
    expect(texts(calls)).toEqual(['Ответ записан. Можно дополнить или нажать «Отправить».']);
    jobs.splice(0);
    calls = await r.tap('✅ Отправить');
    expect(texts(calls)).toEqual([`Спасибо, ответ передан. Заявка ${number} снова в статусе «Принято».`]);
    expect(jobs).toEqual([{ name: 'request.card', payload: { requestId } }]);
    const view = await world.kit.billing.requests.get({ actor: viaTelegram(r.id), requestId });
    expect(view.ok && view.value.history.at(-1)!.comment).toBe(`${'б'.repeat(1500)}\n${'г'.repeat(499)}`);
  });

  it('an image sent as a file is kept as a document; one over 20 MB or of a type the store refuses is not taken', async () => {
    const { r, requestId } = await needingAnswer();
    const doc = (id: string, mime: string, size: number) =>
      message(r, { document: { file_id: id, file_unique_id: `u-${id}`, file_name: 'x', mime_type: mime, file_size: size } });
    let calls = await doc('big', 'image/png', 21 * 1024 * 1024);
    expect(texts(calls)).toEqual(['Файл больше 20 МБ — бот не сможет его сохранить. Пришлите снимок поменьше.']);
    calls = await doc('heic', 'image/heic', 1000);
    expect(texts(calls)).toEqual(['Пришлите ответ текстом или фото.']);
    await doc('ok', 'image/png', 1000);
    await r.say('Дом 7');
    await r.tap('✅ Отправить');
    const rows = await world.db.orm.em
      .getConnection()
      .execute(`select telegram_file_id, media from request_attachment where request_id = ? and role = 'answer'`, [requestId]);
    expect(rows).toEqual([{ telegram_file_id: 'ok', media: 'document' }]);
  });
});
