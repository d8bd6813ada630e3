import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorViaTelegram, viaTelegram, type Billing } from '../src/billing/index.ts';
import { buttons } from '../src/bot/callback-data.ts';
import { createTranslator } from '../src/i18n.ts';
import { noticeJob, statusNotice } from '../src/jobs/notice.ts';
import { requestsSweepJob } from '../src/jobs/requests-sweep.ts';
import { createJobRunner, type JobRunner } from '../src/jobs/runner.ts';
import { createLogger } from '../src/logger.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { giveAlphaItsArea, inspectorCall, residentOfAlla } from './support/desk.ts';
import { NOW } from './support/fixture.ts';
import { ApiRecorder, createTestBot } from './support/telegram.ts';

const log = createLogger('silent');
const translator = createTranslator();
const operator = operatorViaTelegram(900_100, ['alpha']);
const DAY = 86_400_000;
const ACCEPTED = (number: string) => `Заявка ${number} (авария) принята. Мы её рассмотрим и сообщим о следующем шаге.`;
const IN_WORK = (number: string) => `Заявка ${number} (авария) взята в работу: специалисты уже ею занимаются.`;

let db: TestDatabase;
let billing: Billing;
let clock = NOW;
const runners: JobRunner[] = [];
const sql = (q: string, params: unknown[] = []) => db.orm.em.getConnection().execute(q, params);

beforeAll(async () => {
  ({ db, billing } = await openFixtureBilling(() => clock));
});
afterAll(async () => {
  for (const r of runners) await r.stop();
  await db.drop();
});

const apiOf = (rec: ApiRecorder) => new Api('7000001:TEST-TOKEN-FOR-VITEST-ONLY-xxxxxxxx', { fetch: rec.fetch });
const runner = () => {
  const r = createJobRunner({ url: db.url, poolMax: 2, log, pollingIntervalSeconds: 0.5, concurrency: { notice: 2 } });
  runners.push(r);
  return r;
};

let nextResident = 72_000;
async function request() {
  const tid = ++nextResident;
  const accountId = await residentOfAlla(billing, tid);
  const r = await inspectorCall(billing, tid, accountId);
  return { tid, ...r };
}
async function moveOk(requestId: number, from: string, to: string, comment?: string) {
  const moved = await billing.requests.move({ actor: operator, requestId, from: from as never, to: to as never, ...(comment ? { comment } : {}) });
  if (!moved.ok) throw new Error(`move: ${moved.error.code}`);
  return moved.value.notices;
}
const textsTo = (tid: number, ...recs: ApiRecorder[]) => recs.flatMap((r) => r.calls).filter((c) => c.method === 'sendMessage' && c.payload.chat_id === tid);

describe('notices of a status change', () => {
  it('«Выполнено» asks for a rating, once; a second job for the same notice sends nothing', async () => {
    const rec = new ApiRecorder();
    const job = noticeJob({ api: apiOf(rec), billing, translator, log });
    const r = await request();
    await moveOk(r.requestId, 'sent', 'accepted');
    await moveOk(r.requestId, 'accepted', 'in_work');
    const [noticeId] = await moveOk(r.requestId, 'in_work', 'done', 'Пломба установлена');
    await job({ noticeId: noticeId! }, { retried: false, jobId: '1' });
    await job({ noticeId: noticeId! }, { retried: true, jobId: '2' });
    const sent = textsTo(r.tid, rec);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.payload.text).toBe(
      `Заявка ${r.number} (вызов контролёра) выполнена.\nКомментарий: Пломба установлена\nВсё ли сделано? Оцените, пожалуйста, работу.`,
    );
    expect(sent[0]!.payload.reply_markup.inline_keyboard.flat()).toEqual([
      { text: '👍 Всё хорошо', callback_data: buttons.requests.rate.pack({ requestId: r.requestId, mark: 'good' }) },
      { text: '👎 Не выполнено', callback_data: buttons.requests.rate.pack({ requestId: r.requestId, mark: 'bad' }) },
    ]);
    expect(await sql(`select state from notice where id = ?`, [noticeId])).toEqual([{ state: 'sent' }]);
  });

  it('says what the request was, what its status means and what comes next', () => {
    const t = translator('ru');
    const say = (status: string, comment: string | null = null, kind: string | null = 'inspector') =>
      statusNotice(t, { requestId: 7, number: 'К-000001', status, comment, ...(kind ? { kind } : {}), by: 'operator', own: true }).text;
    expect(say('accepted')).toBe('Заявка К-000001 (вызов контролёра) принята. Мы её рассмотрим и сообщим о следующем шаге.');
    expect(say('in_work', null, 'accident')).toBe('Заявка К-000001 (авария) взята в работу: специалисты уже ею занимаются.');
    expect(say('refused', 'Счётчик не опломбирован', 'commissioning')).toBe(
      'По заявке К-000001 (ввод счётчика или опломбировка) отказано.\nПричина: Счётчик не опломбирован',
    );
    expect(say('needs_info', 'Уточните подъезд')).toBe(
      'Заявка К-000001 (вызов контролёра) возвращена на исправление: нужно уточнение.\nЧто уточнить: Уточните подъезд\nПожалуйста, дополните заявку: нажмите «Ответить» и напишите, что нужно.',
    );
    expect(say('closed')).toBe('Заявка К-000001 (вызов контролёра) закрыта.');
    // A notice queued before the kind was in the payload.
    expect(say('accepted', null, null)).toBe('Заявка К-000001 принята. Мы её рассмотрим и сообщим о следующем шаге.');
    expect(statusNotice(t, { requestId: 7, number: 'К-000001', status: 'needs_info', comment: null, own: true }).reply_markup?.inline_keyboard.flat()).toEqual([
      { text: '✏️ Ответить', callback_data: buttons.requests.answer.pack({ requestId: 7 }) },
    ]);
  });

  it('in the resident’s language', async () => {
    const rec = new ApiRecorder();
    const r = await request();
    await sql(`update resident set language = 'en' where telegram_id = ?`, [r.tid]);
    const [noticeId] = await moveOk(r.requestId, 'sent', 'accepted');
    await noticeJob({ api: apiOf(rec), billing, translator, log })({ noticeId: noticeId! }, { retried: false, jobId: '1' });
    expect(textsTo(r.tid, rec).map((c) => c.payload.text)).toEqual([
      `Request ${r.number} (inspector visit) has been accepted. We will look into it and let you know the next step.`,
    ]);
  });

  it('a resident who blocked the bot: the notice is failed and the resident marked blocked', async () => {
    const rec = new ApiRecorder();
    const r = await request();
    rec.failures.set('sendMessage', (p) => (p.chat_id === r.tid ? { error_code: 403, description: 'Forbidden: bot was blocked by the user' } : undefined));
    const [noticeId] = await moveOk(r.requestId, 'sent', 'accepted');
    await noticeJob({ api: apiOf(rec), billing, translator, log })({ noticeId: noticeId! }, { retried: false, jobId: '1' });
    expect(await sql(`select state from notice where id = ?`, [noticeId])).toEqual([{ state: 'failed' }]);
    expect(await sql(`select blocked from resident where telegram_id = ?`, [r.tid])).toEqual([{ blocked: true }]);
  });

  it('one who joined an accident is told its statuses without the author’s buttons or the request to add to it', async () => {
    await giveAlphaItsArea(db.orm);
    const rec = new ApiRecorder();
    const job = noticeJob({ api: apiOf(rec), billing, translator, log });
    const author = ++nextResident;
    const follower = ++nextResident;
    for (const tid of [author, follower]) expect((await billing.residents.giveConsent({ actor: viaTelegram(tid), version: 't' })).ok).toBe(true);
    const place = { kind: 'point' as const, latitude: 44.05, longitude: 42.87 };
    const made = await billing.requests.reportAccident({
      actor: viaTelegram(author),
      place,
      damageCode: 'pipe_burst',
      description: 'Порыв у остановки',
      photos: [{ fileId: 'f', fileUniqueId: 'u' }],
    });
    if (!made.ok) throw new Error(made.error.code);
    const { requestId, number } = made.value;
    expect((await billing.requests.joinAccident({ actor: viaTelegram(follower), requestId, place })).ok).toBe(true);
    const send = async (ids: number[]) => {
      for (const noticeId of ids) await job({ noticeId }, { retried: false, jobId: '1' });
    };
    await send(await moveOk(requestId, 'sent', 'accepted'));
    await send(await moveOk(requestId, 'accepted', 'needs_info', 'Уточните адрес'));
    await send(await moveOk(requestId, 'needs_info', 'accepted'));
    await send(await moveOk(requestId, 'accepted', 'in_work'));
    await send(await moveOk(requestId, 'in_work', 'done'));
    const shown = (tid: number) =>
      textsTo(tid, rec)
        .slice(1)
        .map((c) => ({ text: c.payload.text, buttons: (c.payload.reply_markup?.inline_keyboard ?? []).flat().map((b: { text: string }) => b.text) }));
    expect(shown(author)).toEqual([
      {
        text: `Заявка ${number} (авария) возвращена на исправление: нужно уточнение.\nЧто уточнить: Уточните адрес\nПожалуйста, дополните заявку: нажмите «Ответить» и напишите, что нужно.`,
        buttons: ['✏️ Ответить'],
      },
      { text: ACCEPTED(number), buttons: [] },
      { text: IN_WORK(number), buttons: [] },
      { text: `Заявка ${number} (авария) выполнена.\nВсё ли сделано? Оцените, пожалуйста, работу.`, buttons: ['👍 Всё хорошо', '👎 Не выполнено'] },
    ]);
    // «На исправление» is a question to the author: one who joined is not asked it, nor told the operator's words.
    expect(shown(follower)).toEqual([
      { text: ACCEPTED(number), buttons: [] },
      { text: IN_WORK(number), buttons: [] },
      { text: `Заявка ${number} (авария) выполнена.`, buttons: [] },
    ]);
  });

  it('Telegram could not take it now (429, 5xx): put back to pending and the job fails, so that it is retried and sent once', async () => {
    for (const failure of [
      { error_code: 429, description: 'Too Many Requests: retry after 5', parameters: { retry_after: 5 } },
      { error_code: 502, description: 'Bad Gateway' },
    ]) {
      const rec = new ApiRecorder();
      const job = noticeJob({ api: apiOf(rec), billing, translator, log });
      const r = await request();
      rec.failures.set('sendMessage', (p) => (p.chat_id === r.tid ? failure : undefined));
      const [noticeId] = await moveOk(r.requestId, 'sent', 'accepted');
      await expect(job({ noticeId: noticeId! }, { retried: false, jobId: '1' }), String(failure.error_code)).rejects.toThrow();
      expect(await sql(`select state from notice where id = ?`, [noticeId])).toEqual([{ state: 'pending' }]);
      expect(await sql(`select blocked from resident where telegram_id = ?`, [r.tid])).toEqual([{ blocked: false }]);
      rec.failures.delete('sendMessage');
      await job({ noticeId: noticeId! }, { retried: true, jobId: '2' });
      await job({ noticeId: noticeId! }, { retried: true, jobId: '3' });
      expect(textsTo(r.tid, rec)).toHaveLength(2);
      expect(await sql(`select state from notice where id = ?`, [noticeId])).toEqual([{ state: 'sent' }]);
    }
  });

  it('a resident marked blocked is sent nothing more until they unblock the bot; then the next notice goes', async () => {
    const rec = new ApiRecorder();
    const job = noticeJob({ api: apiOf(rec), billing, translator, log });
    const r = await request();
    rec.failures.set('sendMessage', (p) => (p.chat_id === r.tid ? { error_code: 403, description: 'Forbidden: bot was blocked by the user' } : undefined));
    const [first] = await moveOk(r.requestId, 'sent', 'accepted');
    await job({ noticeId: first! }, { retried: false, jobId: '1' });
    expect(await sql(`select blocked from resident where telegram_id = ?`, [r.tid])).toEqual([{ blocked: true }]);
    rec.failures.delete('sendMessage');
    const [second] = await moveOk(r.requestId, 'accepted', 'in_work');
    await job({ noticeId: second! }, { retried: false, jobId: '2' });
    // Not even tried: the resident is unreachable.
    expect(textsTo(r.tid, rec)).toHaveLength(1);
    expect(await sql(`select state, outcome from notice where id = ?`, [second])).toEqual([{ state: 'failed', outcome: 'blocked' }]);
    // Unblocking the bot (Telegram's my_chat_member, features/reminders.ts) clears the mark.
    expect(await billing.residents.clearBlocked({ telegramId: r.tid })).toEqual({ ok: true, value: { cleared: true } });
    const [third] = await moveOk(r.requestId, 'in_work', 'done');
    await job({ noticeId: third! }, { retried: false, jobId: '3' });
    expect(await sql(`select state from notice where id = ?`, [third])).toEqual([{ state: 'sent' }]);
    expect(textsTo(r.tid, rec)).toHaveLength(2);
  });

  it('two bot instances on one database and one Telegram: each status change reaches the resident exactly once, through the queue', async () => {
    // Two instances of the bot, each with its own job runner (pg-boss on the same database), talking to the same Telegram.
    const a = await createTestBot(db.orm, { now: () => clock });
    const b = await createTestBot(db.orm, { now: () => clock, api: a.api });
    try {
      // Slow to send, so that the two runners' jobs overlap.
      a.api.delays.set('sendMessage', 40);
      const made = await Promise.all(Array.from({ length: 6 }, () => request()));
      const expected = new Map<number, string[]>();
      const notices: number[] = [];
      for (const r of made) {
        for (const [from, to] of [
          ['sent', 'accepted'],
          ['accepted', 'in_work'],
          ['in_work', 'done'],
        ] as const) {
          notices.push(...(await moveOk(r.requestId, from, to)));
          expected.set(r.tid, [...(expected.get(r.tid) ?? []), to]);
        }
      }
      a.api.clear();
      // Each instance is handed every notice (as after a move on one and the sweep on the other); only the queue delivers them.
      await Promise.all(notices.flatMap((noticeId) => [a.runner.jobs.send('notice', { noticeId }), b.runner.jobs.send('notice', { noticeId })]));
      await Promise.all([a.runner.drained(['notice'], 30_000), b.runner.drained(['notice'], 30_000)]);

      const names: Record<string, string> = {
        accepted: 'принята. Мы её рассмотрим и сообщим о следующем шаге.',
        in_work: 'взята в работу: специалисты уже ею занимаются.',
        done: 'выполнена.',
      };
      for (const r of made) {
        const got = textsTo(r.tid, a.api).map((c) => (c.payload.text as string).split('\n')[0]);
        expect(got.sort()).toEqual(
          expected
            .get(r.tid)!
            .map((s) => `Заявка ${r.number} (вызов контролёра) ${names[s]}`)
            .sort(),
        );
      }
      expect(await sql(`select state, count(*)::int n from notice where id = any(?::int[]) group by state`, [`{${notices.join(',')}}`])).toEqual([
        { state: 'sent', n: notices.length },
      ]);
    } finally {
      a.api.delays.clear();
      await a.close();
      await b.close();
    }
  });
});

describe('the requests’ sweep', () => {
  it('closes «Выполнено» after 7 days and refuses «На исправление» unanswered for 3, telling the residents; lost notices are sent again', async () => {
    const rec = new ApiRecorder();
    const r = runner();
    const cards: number[] = [];
    const notice = noticeJob({ api: apiOf(rec), billing, translator, log });
    await r.start({
      notice,
      'requests.sweep': requestsSweepJob({ billing, jobs: r.jobs, log }),
      'request.card': async (p) => void cards.push(p.requestId),
    });
    try {
      // The front door hands each move's notices over at once (sent here directly).
      const told = async (ids: number[]) => {
        for (const noticeId of ids) await notice({ noticeId }, { retried: false, jobId: 'front' });
      };
      const done = await request();
      await told(await moveOk(done.requestId, 'sent', 'accepted'));
      await told(await moveOk(done.requestId, 'accepted', 'in_work'));
      await told(await moveOk(done.requestId, 'in_work', 'done'));
      const asked = await request();
      await told(await moveOk(asked.requestId, 'sent', 'accepted'));
      await told(await moveOk(asked.requestId, 'accepted', 'needs_info', 'Пришлите фото пломбы'));
      const before = { done: textsTo(done.tid, rec).length, asked: textsTo(asked.tid, rec).length };
      // A notice whose job was lost (the instance died before handing it over).
      const lost = await request();
      const [lostNotice] = await moveOk(lost.requestId, 'sent', 'accepted');

      // Four days on: the unanswered correction is refused; the done one is not yet closed.
      clock = new Date(NOW.getTime() + 4 * DAY);
      await r.jobs.send('requests.sweep', {});
      await r.drained();
      const status = async (id: number) => ((await sql(`select status from service_request where id = ?`, [id])) as { status: string }[])[0]!.status;
      expect(await status(asked.requestId)).toBe('refused');
      expect(await status(done.requestId)).toBe('done');
      expect(
        textsTo(asked.tid, rec)
          .slice(before.asked)
          .map((c) => c.payload.text),
      ).toEqual([
        `По заявке ${asked.number} (вызов контролёра) отказано.\nМы не получили ответа в течение 3 дней, поэтому в заявке отказано. Если помощь ещё нужна, подайте, пожалуйста, новую.`,
      ]);
      expect(textsTo(lost.tid, rec).map((c) => c.payload.text)).toEqual([
        `Заявка ${lost.number} (вызов контролёра) принята. Мы её рассмотрим и сообщим о следующем шаге.`,
      ]);
      expect(await sql(`select state from notice where id = ?`, [lostNotice])).toEqual([{ state: 'sent' }]);
      expect(cards).toEqual([asked.requestId]);

      // Eight days on: closed, told, the card edited; a sweep again changes nothing more.
      clock = new Date(NOW.getTime() + 8 * DAY);
      await r.jobs.send('requests.sweep', {});
      await r.drained();
      expect(await status(done.requestId)).toBe('closed');
      expect(
        textsTo(done.tid, rec)
          .slice(before.done)
          .map((c) => c.payload.text),
      ).toEqual([`Заявка ${done.number} (вызов контролёра) закрыта.`]);
      expect(await sql(`select by_kind from request_event where request_id = ? and to_status = 'closed'`, [done.requestId])).toEqual([{ by_kind: 'system' }]);
      // (The earlier tests' «Выполнено» are closed by the same sweep.)
      expect(cards.slice(1)).toContain(done.requestId);
      const shown = cards.length;
      await r.jobs.send('requests.sweep', {});
      await r.drained();
      expect(cards).toHaveLength(shown);
      expect(textsTo(done.tid, rec)).toHaveLength(before.done + 1);
    } finally {
      clock = NOW;
      await r.stop();
    }
  });

  it('queues the files job again of a request whose attachments were neither copied nor refused (its job lost)', async () => {
    const r = runner();
    const files: number[] = [];
    await r.start({
      'requests.sweep': requestsSweepJob({ billing, jobs: r.jobs, log, copiesFiles: true }),
      'request.files': async (p) => void files.push(p.requestId),
      'request.card': async () => {},
    });
    let house = 60;
    const accident = async () => {
      const tid = ++nextResident;
      await residentOfAlla(billing, tid);
      const made = await billing.requests.reportAccident({
        actor: viaTelegram(tid),
        place: { kind: 'address', branchCode: 'alpha', address: `ул. Ермакова, д. ${++house}` },
        damageCode: 'pipe_burst',
        description: `Вода во дворе у дома ${house}`,
        photos: [1, 2].map((i) => ({ fileId: `sweep-${house}-${i}`, fileUniqueId: `sw${house}${i}` })),
      });
      if (!made.ok) throw new Error(made.error.code);
      return made.value.requestId;
    };
    try {
      clock = NOW;
      const lost = await accident();
      const done = await accident();
      const [kept, refused] = ((await billing.requests.pendingAttachments({ requestId: done })) as { ok: true; value: { attachmentId: number }[] }).value;
      await billing.requests.attachmentStored({ attachmentId: kept!.attachmentId, path: '2026/12/x.jpg', mime: 'image/jpeg', size: 8 });
      await billing.requests.attachmentRefused({ attachmentId: refused!.attachmentId, reason: 'wrong_type' });
      clock = new Date(NOW.getTime() + 10 * 60_000);
      const young = await accident();
      clock = new Date(NOW.getTime() + 11 * 60_000);
      await r.jobs.send('requests.sweep', {});
      await r.drained();
      expect(files).toContain(lost);
      expect(files).not.toContain(done);
      expect(files).not.toContain(young);
      expect(new Set(files).size).toBe(files.length);
    } finally {
      clock = NOW;
      await r.stop();
    }
  });

  it('queues the card again of a request whose card was never posted, where a group is there for it', async () => {
    const r = runner();
    const cards: number[] = [];
    await r.start({
      'requests.sweep': requestsSweepJob({ billing, jobs: r.jobs, log, operatorsChatId: -100_555 }),
      'request.card': async (p) => void cards.push(p.requestId),
    });
    try {
      clock = NOW;
      const lost = await request();
      const posted = await request();
      await billing.requests.setCard({ requestId: posted.requestId, chatId: -100_555, messageId: 9 });
      clock = new Date(NOW.getTime() + 10 * 60_000);
      const young = await request();
      clock = new Date(NOW.getTime() + 11 * 60_000);
      await r.jobs.send('requests.sweep', {});
      await r.drained();
      expect(cards).toContain(lost.requestId);
      expect(cards).not.toContain(posted.requestId);
      expect(cards).not.toContain(young.requestId);
      expect(new Set(cards).size).toBe(cards.length);
    } finally {
      clock = NOW;
      await r.stop();
    }
  });
});
