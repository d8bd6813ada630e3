import { Writable } from 'node:stream';
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorViaTelegram, viaTelegram } from '../src/billing/index.ts';
import { buttons } from '../src/bot/callback-data.ts';
import { checkOperatorsGroups } from '../src/bot/operators-group.ts';
import { createTranslator } from '../src/i18n.ts';
import { cardText, requestCardJob, TopicGone } from '../src/jobs/request-card.ts';
import { requestFilesJob } from '../src/jobs/request-files.ts';
import { createLogger } from '../src/logger.ts';
import { importFiles } from '../src/billing/import/index.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { giveAlphaItsArea, inspectorCall, OPERATORS_GROUP, residentOfAlla } from './support/desk.ts';
import { FIXTURE_DIR } from './support/fixture.ts';
import { ApiRecorder, BOT_INFO, createTestBot, Operator, Resident, type ApiCall, type TestBot } from './support/telegram.ts';

const GROUP = OPERATORS_GROUP;
const BETA_GROUP = -1001000000002;
const translator = createTranslator();
const quiet = createLogger('silent');

let db: TestDatabase;
let kit: TestBot;
let second: TestBot;
let alla: number;
const sql = (q: string, params: unknown[] = []) => db.orm.em.getConnection().execute(q, params);

beforeAll(async () => {
  db = await freshDatabase();
  const report = await importFiles(db.orm, [FIXTURE_DIR]);
  if (report.errorCount) throw new Error('fixture import failed');
  await giveAlphaItsArea(db.orm);
  kit = await createTestBot(db.orm, { operatorsChatId: GROUP });
  // The second instance of the same bot: its own Redis keys and job runner, the same Telegram.
  second = await createTestBot(db.orm, { operatorsChatId: GROUP, api: kit.api });
});
afterAll(async () => {
  await kit?.close();
  await second?.close();
  await db?.drop();
});

let nextResident = 71_000;
async function newResident() {
  const id = ++nextResident;
  alla = await residentOfAlla(kit.billing, id);
  return id;
}

/** The card job through the runner, as the bot hands it over after a request. */
async function postCard(requestId: number) {
  await kit.runner.jobs.send('request.card', { requestId });
  await kit.runner.drained();
}

async function cardOf(requestId: number) {
  const r = await kit.billing.requests.forCard({ requestId });
  if (!r.ok || !r.value.card) throw new Error('no card');
  const posted = kit.api.calls.find(
    (c) => c.method === 'sendMessage' && c.payload.chat_id === r.value.card!.chatId && c.result?.message_id === r.value.card!.messageId,
  );
  return { messageId: r.value.card.messageId, threadId: posted?.payload.message_thread_id as number | undefined, status: r.value.status, view: r.value };
}

const buttonsOf = (call: ApiCall) => (call.payload.reply_markup?.inline_keyboard ?? []).flat().map((b: { text: string }) => b.text);
const toResident = (id: number, ...kits: TestBot[]) =>
  [...new Set(kits.map((k) => k.api))]
    .flatMap((a) => a.calls)
    .filter((c) => c.method === 'sendMessage' && c.payload.chat_id === id)
    .map((c) => c.payload.text as string);
const move = (requestId: number, from: string, to: string) => buttons.desk.move.pack({ requestId, from: from as never, to: to as never });

describe('the start-up check of the operators’ groups', () => {
  function captured() {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    return { lines, log: createLogger('debug', sink) };
  }
  const api = (rec: ApiRecorder) => new Api('7000001:TEST-TOKEN-FOR-VITEST-ONLY-xxxxxxxx', { fetch: rec.fetch });

  it('says once that operators are not connected when no group is configured, and asks Telegram nothing', async () => {
    const rec = new ApiRecorder();
    const { lines, log } = captured();
    expect(await checkOperatorsGroups({ api: api(rec), billing: kit.billing, botId: BOT_INFO.id, defaultChatId: null, log })).toEqual([]);
    expect(lines.filter((l) => l.includes('operators are not connected'))).toHaveLength(1);
    expect(rec.calls).toEqual([]);
  });

  it('names what the bot lacks in a group, and never throws', async () => {
    const rec = new ApiRecorder();
    rec.member = { status: 'member' };
    rec.forum = false;
    const { lines, log } = captured();
    const [check] = await checkOperatorsGroups({ api: api(rec), billing: kit.billing, botId: BOT_INFO.id, defaultChatId: GROUP, log });
    expect(check).toEqual({ chatId: GROUP, branches: ['*'], missing: ['not_admin', 'cannot_manage_topics', 'not_a_forum'] });
    expect(lines.join('')).toContain('the bot is not an administrator; the bot lacks the right to manage topics; the group has no topics');
    expect(rec.calls.find((c) => c.method === 'getChatMember')?.payload).toEqual({ chat_id: GROUP, user_id: BOT_INFO.id });

    const unreachable = new ApiRecorder();
    unreachable.failures.set('getChatMember', () => ({ error_code: 400, description: 'Bad Request: chat not found' }));
    const [gone] = await checkOperatorsGroups({ api: api(unreachable), billing: kit.billing, botId: BOT_INFO.id, defaultChatId: GROUP, log });
    expect(gone!.missing).toEqual(['not_reachable']);

    const fine = new ApiRecorder();
    const [ready] = await checkOperatorsGroups({ api: api(fine), billing: kit.billing, botId: BOT_INFO.id, defaultChatId: GROUP, log });
    expect(ready!.missing).toEqual([]);
  });
});

describe('request cards in the operators’ group', () => {
  it('posts a card in its kind’s topic, made once even when two card jobs run at once, and reuses the topic', async () => {
    const tid = await newResident();
    const a = await inspectorCall(kit.billing, tid, alla, 'Пломба сорвана <b>сама</b> & течёт');
    const b = await inspectorCall(kit.billing, tid, alla);
    kit.api.clear();
    kit.api.delays.set('createForumTopic', 300);
    // Two instances' card jobs at once: one creates the topic, the other waits for it.
    const job = () => requestCardJob({ api: kit.bot.api, billing: kit.billing, translator, log: quiet, operatorsChatId: GROUP });
    await Promise.all([job()({ requestId: a.requestId }, { retried: false, jobId: 'a' }), job()({ requestId: b.requestId }, { retried: false, jobId: 'b' })]);
    kit.api.delays.clear();
    const topics = kit.api.calls.filter((c) => c.method === 'createForumTopic');
    expect(topics.map((c) => c.payload)).toEqual([{ chat_id: GROUP, name: 'Вызов контролёра' }]);
    const cards = kit.api.calls.filter((c) => c.method === 'sendMessage');
    expect(cards).toHaveLength(2);
    const thread = cards[0]!.payload.message_thread_id;
    expect(thread).toBeGreaterThan(0);
    expect(cards.map((c) => [c.payload.chat_id, c.payload.message_thread_id, c.payload.parse_mode])).toEqual([
      [GROUP, thread, 'HTML'],
      [GROUP, thread, 'HTML'],
    ]);
    const card = cards.find((c) => c.payload.text.includes(a.number))!;
    const text: string = card.payload.text;
    expect(text.split('\n').slice(0, 2)).toEqual([`<b>${a.number}</b> · Вызов контролёра`, 'Статус: <b>Отправлено</b>']);
    expect(text).toContain('Лицевой счёт: 002901800602302, владелец Алла М.');
    expect(text).toContain('Адрес: г. Ессентуки, ул. Ермакова, д. 7, кв. 30');
    expect(text).toContain('Филиал: Ессентукский «Водоканал»');
    expect(text).toContain('Причина: Пломбировка счётчика');
    expect(text).toMatch(/Желаемое время визита: \d\d\.\d\d\.2026 08:00/);
    expect(text).toContain('Комментарий жителя: Пломба сорвана &lt;b&gt;сама&lt;/b&gt; &amp; течёт');
    expect(text).toContain('Телефон: +79052145780');
    expect(text).toMatch(/Срок: до \d\d\.\d\d\.\d{4} 17:00/);
    expect(text).toMatch(/Последние события:\n\d\d\.\d\d\.2026 \d\d:\d\d — Отправлено, житель/);
    expect(buttonsOf(card)).toEqual(['Принято', 'Отказано', '🔄 Обновить']);
    expect((await cardOf(a.requestId)).messageId).toBe(card.result!.message_id);

    // The next request of the kind goes to the same topic, without a new one.
    kit.api.clear();
    const c = await inspectorCall(kit.billing, tid, alla);
    await postCard(c.requestId);
    expect(kit.api.calls.filter((x) => x.method === 'createForumTopic')).toEqual([]);
    expect(kit.api.calls.filter((x) => x.method === 'sendMessage').map((x) => x.payload.message_thread_id)).toEqual([thread]);
  });

  it('shows an accident’s photos as an album and its point on the map right before the card, in the «Аварии» topic', async () => {
    const tid = await newResident();
    const made = await kit.billing.requests.reportAccident({
      actor: viaTelegram(tid),
      place: { kind: 'point', latitude: 44.0441, longitude: 42.8612 },
      damageCode: 'pipe_burst',
      description: 'Из люка бьёт вода',
      phone: '+79051112233',
      photos: [
        { fileId: 'acc-photo-1', fileUniqueId: 'u1' },
        { fileId: 'acc-photo-2', fileUniqueId: 'u2' },
      ],
    });
    if (!made.ok) throw new Error(made.error.code);
    kit.api.clear();
    await postCard(made.value.requestId);
    const calls = kit.api.calls.filter((c) => c.payload.chat_id === GROUP);
    expect(calls.map((c) => c.method)).toEqual(['createForumTopic', 'sendMediaGroup', 'sendLocation', 'sendMessage']);
    expect(calls[0]!.payload.name).toBe('Аварии');
    const thread = calls[1]!.payload.message_thread_id;
    expect(calls.slice(1).every((c) => c.payload.message_thread_id === thread)).toBe(true);
    expect(calls[1]!.payload.media.map((m: { type: string; media: string }) => [m.type, m.media])).toEqual([
      ['photo', 'acc-photo-1'],
      ['photo', 'acc-photo-2'],
    ]);
    expect(calls[1]!.payload.media[0].caption).toBe(`${made.value.number}: фото и документы жителя`);
    expect([calls[2]!.payload.latitude, calls[2]!.payload.longitude]).toEqual([44.0441, 42.8612]);
    const text: string = calls[3]!.payload.text;
    expect(text.split('\n')[0]).toBe(`<b>${made.value.number}</b> · Авария`);
    expect(text).toContain('Место: точка на карте 44.044100, 42.861200 (выше)');
    expect(text).toContain('Повреждение: Порыв трубы');
    expect(text).toContain('Описание: Из люка бьёт вода');
    expect(text).toContain('Фото и документы: 2 — над карточкой');
    expect(calls[3]!.payload.reply_parameters).toEqual({ message_id: calls[1]!.result![0].message_id, allow_sending_without_reply: true });
    expect(await sql(`select count(*)::int n from request_attachment where request_id = ? and posted_at is not null`, [made.value.requestId])).toEqual([
      { n: 2 },
    ]);
  });

  it('shows a commissioning’s meters with every field the resident gave, in the «Ввод и опломбировка счётчиков» topic', async () => {
    const tid = await newResident();
    const made = await kit.billing.requests.commissionMeters({
      actor: viaTelegram(tid),
      accountId: alla,
      meters: [
        {
          requestType: 'commissioning',
          service: 'cold_water',
          serial: 'ВК-123456',
          model: 'СВК-15',
          place: 'кухня',
          verificationDue: '2032-05-01',
          reading: 12_345,
          installer: 'ООО «Сантех»',
          passport: { fileId: 'pass-1', fileUniqueId: 'p1' },
        },
      ],
      phone: '89051234567',
      acceptTerms: true,
      giveAccess: true,
    });
    if (!made.ok) throw new Error(made.error.code);
    kit.api.clear();
    await postCard(made.value.requestId);
    expect(kit.api.calls.find((c) => c.method === 'createForumTopic')!.payload.name).toBe('Ввод и опломбировка счётчиков');
    const text: string = kit.api.calls.find((c) => c.method === 'sendMessage')!.payload.text;
    expect(text.split('\n')[0]).toBe(`<b>${made.value.number}</b> · Ввод счётчика или опломбировка`);
    expect(text).toContain(
      'Приборы учёта:\n1. ввод в эксплуатацию: Холодная вода (ХВС), № ВК-123456\n   модель СВК-15; место: кухня; поверка до 01.05.2032; показания 12,345 м³; установил: ООО «Сантех»',
    );
    expect(text).toContain('Житель согласен с условиями и обеспечит доступ.');
    expect(text).toContain('Телефон: +79051234567');
  });

  it('posts in the general chat when the group is no forum (and keeps no topic)', async () => {
    const tid = await newResident();
    const r = await inspectorCall(kit.billing, tid, alla);
    const rec = new ApiRecorder();
    rec.failures.set('createForumTopic', () => ({ error_code: 400, description: 'Bad Request: the chat is not a forum' }));
    const other = -1001000000099;
    const job = requestCardJob({ api: new Api('7000001:TEST', { fetch: rec.fetch }), billing: kit.billing, translator, log: quiet, operatorsChatId: other });
    await job({ requestId: r.requestId }, { retried: false, jobId: 'x' });
    const sent = rec.calls.find((c) => c.method === 'sendMessage')!;
    expect([sent.payload.chat_id, sent.payload.message_thread_id]).toEqual([other, undefined]);
    expect(await sql(`select count(*)::int n from operator_topic where chat_id = ?`, [other])).toEqual([{ n: 0 }]);

    // The next cards within the hour: the group is not asked for a topic again (nor warned about), they go to the general chat.
    const r2 = await inspectorCall(kit.billing, tid, alla);
    const r3 = await kit.billing.requests.reportAccident({
      actor: viaTelegram(tid),
      place: { kind: 'address', branchCode: 'alpha', address: 'ул. Ермакова, д. 3' },
      damageCode: 'pipe_burst',
      description: 'Течёт из-под асфальта у подъезда',
      photos: [{ fileId: 'noforum-1', fileUniqueId: 'nf1' }],
    });
    if (!r3.ok) throw new Error(r3.error.code);
    await job({ requestId: r2.requestId }, { retried: false, jobId: 'y' });
    await job({ requestId: r3.value.requestId }, { retried: false, jobId: 'z' });
    expect(rec.calls.filter((c) => c.method === 'createForumTopic')).toHaveLength(1);
    expect(rec.calls.filter((c) => c.method === 'sendMessage').map((c) => [c.payload.chat_id, c.payload.message_thread_id])).toEqual([
      [other, undefined],
      [other, undefined],
      [other, undefined],
    ]);

    // Once the hour is over it is asked again (the group may have turned on topics).
    const soon = requestCardJob({
      api: new Api('7000001:TEST', { fetch: rec.fetch }),
      billing: kit.billing,
      translator,
      log: quiet,
      operatorsChatId: other,
      noForumMs: 1,
    });
    await sql(`update service_request set card_chat_id = null, card_message_id = null where id in (?, ?)`, [r.requestId, r2.requestId]);
    await soon({ requestId: r.requestId }, { retried: false, jobId: 'u' });
    expect(rec.calls.filter((c) => c.method === 'createForumTopic')).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await soon({ requestId: r2.requestId }, { retried: false, jobId: 'v' });
    expect(rec.calls.filter((c) => c.method === 'createForumTopic')).toHaveLength(3);
  });

  it('a deleted topic is forgotten and the retry makes a new one for the card', async () => {
    const tid = await newResident();
    const rec = new ApiRecorder();
    const other = -1001000000098;
    const job = requestCardJob({ api: new Api('7000001:TEST', { fetch: rec.fetch }), billing: kit.billing, translator, log: quiet, operatorsChatId: other });
    const first = await inspectorCall(kit.billing, tid, alla);
    await job({ requestId: first.requestId }, { retried: false, jobId: 'a' });
    const old = rec.calls.find((c) => c.method === 'createForumTopic')!.result.message_thread_id as number;
    expect(rec.calls.find((c) => c.method === 'sendMessage')!.payload.message_thread_id).toBe(old);

    // An operator deletes the topic «Вызов контролёра».
    rec.failures.set('sendMessage', (p) =>
      p.message_thread_id === old ? { error_code: 400, description: 'Bad Request: message thread not found' } : undefined,
    );
    const next = await inspectorCall(kit.billing, tid, alla);
    await expect(job({ requestId: next.requestId }, { retried: false, jobId: 'b' })).rejects.toBeInstanceOf(TopicGone);
    expect(await sql(`select count(*)::int n from operator_topic where chat_id = ?`, [other])).toEqual([{ n: 0 }]);
    // pg-boss's retry: a new topic, and the card in it.
    rec.clear();
    await job({ requestId: next.requestId }, { retried: true, jobId: 'b' });
    const made = rec.calls.filter((c) => c.method === 'createForumTopic');
    expect(made.map((c) => c.payload.name)).toEqual(['Вызов контролёра']);
    const fresh = made[0]!.result.message_thread_id as number;
    expect(fresh).not.toBe(old);
    expect(rec.calls.filter((c) => c.method === 'sendMessage').map((c) => c.payload.message_thread_id)).toEqual([fresh]);
    const saved = await kit.billing.requests.forCard({ requestId: next.requestId });
    expect(saved.ok && saved.value.card?.chatId).toBe(other);
  });

  it('sends photos and documents as Telegram takes them: one alone, an album of one type', async () => {
    const tid = await newResident();
    const report = async (photos: string[], address: string) => {
      const made = await kit.billing.requests.reportAccident({
        actor: viaTelegram(tid),
        place: { kind: 'address', branchCode: 'alpha', address },
        damageCode: 'pipe_burst',
        description: `Вода во дворе, ${address}`,
        photos: photos.map((f) => ({ fileId: f, fileUniqueId: f })),
      });
      if (!made.ok) throw new Error(made.error.code);
      return made.value;
    };
    // One photo: sendPhoto (an album needs 2–10).
    const one = await report(['single-1'], 'ул. Ермакова, д. 41');
    kit.api.clear();
    await postCard(one.requestId);
    // (The «Аварии» topic is made here when this test runs alone.)
    const calls = kit.api.calls.filter((c) => c.payload.chat_id === GROUP && c.method !== 'createForumTopic');
    expect(calls.map((c) => c.method)).toEqual(['sendPhoto', 'sendMessage']);
    expect(calls[0]!.payload).toMatchObject({ photo: 'single-1', caption: `${one.number}: фото и документы жителя` });
    expect(calls[1]!.payload.reply_parameters.message_id).toBe(calls[0]!.result.message_id);

    // Two photos and two files sent as documents: an album of the photos right above the card. A document is
    // shown only once the store has kept it (its declared type is the sender's word): then as a reply to the card.
    const mixed = await report(['mixed-1', 'mixed-2', 'mixed-doc', 'mixed-fake'], 'ул. Ермакова, д. 43');
    await sql(`update request_attachment set media = 'document' where telegram_file_id in ('mixed-doc', 'mixed-fake')`);
    kit.api.clear();
    await postCard(mixed.requestId);
    const sent = kit.api.calls.filter((c) => c.payload.chat_id === GROUP);
    expect(sent.map((c) => c.method)).toEqual(['sendMediaGroup', 'sendMessage']);
    expect(sent[0]!.payload.media.map((m: { type: string; media: string }) => [m.type, m.media])).toEqual([
      ['photo', 'mixed-1'],
      ['photo', 'mixed-2'],
    ]);
    expect(sent[0]!.payload.media[0].caption).toBe(`${mixed.number}: фото и документы жителя`);
    expect(sent[1]!.payload.text).toContain('Фото и документы: 4 — 2 над карточкой, 2 в ответах на неё');
    const card = await cardOf(mixed.requestId);
    expect(sent.every((c) => c.payload.message_thread_id === card.threadId)).toBe(true);

    // The files job: «mixed-fake» is no picture (refused), «mixed-doc» is kept; the card job is queued again.
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 5, 5, 5, 5]);
    for (const f of ['mixed-1', 'mixed-2', 'mixed-doc']) kit.api.files.set(`photos/${f}.jpg`, jpeg);
    kit.api.files.set('photos/mixed-fake.jpg', Buffer.from('#!/bin/sh\necho not a picture'));
    kit.api.clear();
    await kit.runner.jobs.send('request.files', { requestId: mixed.requestId });
    await kit.runner.drained();
    await kit.runner.drained();
    const later = kit.api.calls.filter((c) => c.payload.chat_id === GROUP);
    expect(later.map((c) => c.method)).toEqual(['editMessageText', 'sendDocument']);
    expect(later[0]!.payload.text).toContain('Фото и документы: 3 — 2 над карточкой, 1 в ответах на неё\n1 файл не показан');
    expect(later[1]!.payload).toMatchObject({
      document: 'mixed-doc',
      caption: `${mixed.number}: фото и документы жителя`,
      message_thread_id: card.threadId,
      reply_parameters: { message_id: card.messageId },
    });
    expect(kit.api.calls.some((c) => JSON.stringify(c.payload).includes('mixed-fake') && c.method !== 'getFile')).toBe(false);
    // Each shown one is marked posted; the refused one is never shown.
    expect(
      await sql(`select telegram_file_id f, posted_at is not null posted from request_attachment where request_id = ? order by id`, [mixed.requestId]),
    ).toEqual([
      { f: 'mixed-1', posted: true },
      { f: 'mixed-2', posted: true },
      { f: 'mixed-doc', posted: true },
      { f: 'mixed-fake', posted: false },
    ]);
  });

  it('photos sent later with an answer go to the operators as a reply to the card, once', async () => {
    const tid = await newResident();
    const r = await inspectorCall(kit.billing, tid, alla);
    await postCard(r.requestId);
    const card = await cardOf(r.requestId);
    const actor = operatorViaTelegram(900_041, ['alpha']);
    expect((await kit.billing.requests.move({ actor, requestId: r.requestId, from: 'sent', to: 'accepted' })).ok).toBe(true);
    expect((await kit.billing.requests.move({ actor, requestId: r.requestId, from: 'accepted', to: 'needs_info', comment: 'Пришлите фото пломбы' })).ok).toBe(
      true,
    );
    const answered = await kit.billing.requests.answer({
      actor: viaTelegram(tid),
      requestId: r.requestId,
      text: 'Вот фото пломбы',
      files: [
        { fileId: 'answer-1', fileUniqueId: 'ans1' },
        { fileId: 'answer-2', fileUniqueId: 'ans2' },
      ],
    });
    expect(answered.ok).toBe(true);
    kit.api.clear();
    await postCard(r.requestId);
    const calls = kit.api.calls.filter((c) => c.payload.chat_id === GROUP);
    expect(calls.map((c) => c.method)).toEqual(['editMessageText', 'sendMediaGroup']);
    expect(calls[0]!.payload.message_id).toBe(card.messageId);
    expect(calls[1]!.payload.reply_parameters).toEqual({ message_id: card.messageId, allow_sending_without_reply: false });
    expect(calls[1]!.payload.message_thread_id).toBe(card.threadId);
    expect(calls[1]!.payload.media.map((m: { media: string }) => m.media)).toEqual(['answer-1', 'answer-2']);
    expect(calls[1]!.payload.media[0].caption).toBe(`${r.number}: житель дополнил заявку`);
    expect(await sql(`select count(*)::int n from request_attachment where request_id = ? and posted_at is null`, [r.requestId])).toEqual([{ n: 0 }]);

    // The next run edits the card only.
    kit.api.clear();
    await postCard(r.requestId);
    expect(kit.api.calls.filter((c) => c.payload.chat_id === GROUP).map((c) => c.method)).toEqual(['editMessageText']);
  });

  it('a card deleted in the group is posted again whole: its photos and point above it, its files as replies, in its thread', async () => {
    const tid = await newResident();
    const made = await kit.billing.requests.reportAccident({
      actor: viaTelegram(tid),
      place: { kind: 'point', latitude: 44.045, longitude: 42.861 },
      damageCode: 'pipe_burst',
      description: 'Фонтан из люка',
      photos: ['again-1', 'again-2', 'again-doc'].map((f) => ({ fileId: f, fileUniqueId: f })),
    });
    if (!made.ok) throw new Error(made.error.code);
    const requestId = made.value.requestId;
    await sql(`update request_attachment set media = 'document', stored_path = '2026/12/again.jpg' where telegram_file_id = 'again-doc'`);
    await postCard(requestId);
    const first = await cardOf(requestId);

    // An operator deletes the card (and what was above it).
    kit.api.failures.set('editMessageText', (p) =>
      p.message_id === first.messageId ? { error_code: 400, description: 'Bad Request: message to edit not found' } : undefined,
    );
    kit.api.clear();
    await postCard(requestId);
    kit.api.failures.clear();
    const calls = kit.api.calls.filter((c) => c.payload.chat_id === GROUP && c.method !== 'editMessageText');
    expect(calls.map((c) => c.method)).toEqual(['sendMediaGroup', 'sendLocation', 'sendMessage', 'sendDocument']);
    expect(calls[0]!.payload.media.map((m: { media: string }) => m.media)).toEqual(['again-1', 'again-2']);
    const again = await cardOf(requestId);
    expect(again.messageId).toBe(calls[2]!.result.message_id);
    expect(calls[2]!.payload.text).toContain('Фото и документы: 3 — 2 над карточкой, 1 в ответах на неё');
    expect(calls[3]!.payload).toMatchObject({ document: 'again-doc', reply_parameters: { message_id: again.messageId } });
    expect(calls.every((c) => c.payload.message_thread_id === first.threadId)).toBe(true);
  });

  it('later files go into the thread the card sits in, never into a topic made after it', async () => {
    const tid = await newResident();
    const r = await inspectorCall(kit.billing, tid, alla);
    const rec = new ApiRecorder();
    rec.failures.set('createForumTopic', () => ({ error_code: 400, description: 'Bad Request: the chat is not a forum' }));
    const other = -1001000000097;
    const job = requestCardJob({ api: new Api('7000001:TEST', { fetch: rec.fetch }), billing: kit.billing, translator, log: quiet, operatorsChatId: other });
    await job({ requestId: r.requestId }, { retried: false, jobId: 'g' });
    const card = rec.calls.find((c) => c.method === 'sendMessage')!;
    expect(card.payload.message_thread_id).toBeUndefined();
    // The group turns on topics; another instance makes the «Вызов контролёра» topic for another card.
    rec.failures.clear();
    await kit.billing.operators.claimTopic({ chatId: other, purpose: 'requests:inspector' });
    await kit.billing.operators.setTopic({ chatId: other, purpose: 'requests:inspector', threadId: card.result.message_id + 5 });
    // The resident answers with a photo.
    const actor = operatorViaTelegram(900_051, ['alpha']);
    expect((await kit.billing.requests.move({ actor, requestId: r.requestId, from: 'sent', to: 'accepted' })).ok).toBe(true);
    expect((await kit.billing.requests.move({ actor, requestId: r.requestId, from: 'accepted', to: 'needs_info', comment: 'Фото пломбы' })).ok).toBe(true);
    const answered = await kit.billing.requests.answer({
      actor: viaTelegram(tid),
      requestId: r.requestId,
      text: 'Вот',
      files: [{ fileId: 'general-1', fileUniqueId: 'g1' }],
    });
    expect(answered.ok).toBe(true);
    // The answer's card job runs on another instance (which has not learnt that the group was no forum).
    const elsewhere = requestCardJob({
      api: new Api('7000001:TEST', { fetch: rec.fetch }),
      billing: kit.billing,
      translator,
      log: quiet,
      operatorsChatId: other,
    });
    rec.clear();
    await elsewhere({ requestId: r.requestId }, { retried: false, jobId: 'h' });
    expect(rec.calls.map((c) => c.method)).toEqual(['editMessageText', 'sendPhoto']);
    expect(rec.calls[1]!.payload.message_thread_id).toBeUndefined();
    expect(rec.calls[1]!.payload.reply_parameters.message_id).toBe(card.result.message_id);
  });

  it('keeps a card within 4096 characters by shortening plain parts, never cutting a tag or an entity', async () => {
    const tid = await newResident();
    const r = await inspectorCall(kit.billing, tid, alla, `${'<&>'.repeat(331)} конец`);
    kit.api.clear();
    await postCard(r.requestId);
    const text: string = kit.api.calls.find((c) => c.method === 'sendMessage')!.payload.text;
    expect(text.length).toBeLessThanOrEqual(4096);
    // Every & starts an entity, every tag is a whole <b> or </b>.
    expect(text.replace(/&(amp|lt|gt);/g, '')).not.toMatch(/&/);
    expect(text.replace(/<\/?b>/g, '')).not.toMatch(/[<>]/);
    expect(text).toContain(`Комментарий жителя: ${'&lt;&amp;&gt;'.repeat(99)}&lt;&amp;…\nТелефон: +79052145780`);
    expect(text).toMatch(/Последние события:\n.*Отправлено, житель$/);

    // A long history: comments to ~300 characters first, then only the last events; the resident's words kept whole.
    const view = (await kit.billing.requests.forCard({ requestId: r.requestId })) as { ok: true; value: Parameters<typeof cardText>[1] };
    const short = { ...view.value, comment: 'Пломба сорвана' };
    const event = (i: number) => ({
      from: 'accepted' as const,
      to: 'in_work' as const,
      by: 'operator' as const,
      byId: '900001',
      comment: `${i}:${'&'.repeat(999)}`,
      at: view.value.createdAt,
      mine: false,
    });
    const card = cardText(translator('ru'), { ...short, history: [1, 2, 3, 4, 5, 6].map(event) });
    expect(card.length).toBeLessThanOrEqual(4096);
    expect(card).toContain('Комментарий жителя: Пломба сорвана');
    expect(card.match(/— В работу, <a href="tg:\/\/user\?id=900001">оператор<\/a> «6:(&amp;){297}…»/g)).toHaveLength(1);
    expect(card).not.toContain('«1:');
    expect(card.replace(/&(amp|lt|gt);/g, '')).not.toMatch(/&/);
  });

  it('copies each attachment on its own: one too big for Telegram or of another type is marked refused and not fetched again', async () => {
    const tid = await newResident();
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 9, 9, 9]);
    kit.api.files.set('photos/files-ok.jpg', jpeg);
    kit.api.files.set('photos/files-text.jpg', Buffer.from('not a picture at all'));
    kit.api.files.set('photos/files-later.jpg', jpeg);
    const made = await kit.billing.requests.reportAccident({
      actor: viaTelegram(tid),
      place: { kind: 'address', branchCode: 'alpha', address: 'ул. Ермакова, д. 22' },
      damageCode: 'pipe_burst',
      description: 'Лужа у колодца',
      photos: ['files-big', 'files-text', 'files-ok', 'files-flaky', 'files-later'].map((f) => ({ fileId: f, fileUniqueId: f })),
    });
    if (!made.ok) throw new Error(made.error.code);
    const api = kit.bot.api;
    const job = requestFilesJob({
      api,
      billing: kit.billing,
      jobs: { send: async () => {} },
      files: kit.files,
      fileUrl: (filePath) => ({ url: `https://api.telegram.org/file/bot${api.token}/${filePath}` }),
      log: quiet,
    });
    kit.api.failures.set('getFile', (p) => (p.file_id === 'files-big' ? { error_code: 400, description: 'Bad Request: file is too big' } : undefined));
    kit.api.clear();
    // One failed otherwise (its download answered 404): the others are done, and the job fails to be retried.
    await expect(job({ requestId: made.value.requestId }, { retried: false, jobId: 'f' })).rejects.toThrow(/1 of 5/);
    const rows = () =>
      sql(`select telegram_file_id f, refused, stored_path is not null stored from request_attachment where request_id = ? order by id`, [
        made.value.requestId,
      ]);
    expect(await rows()).toEqual([
      { f: 'files-big', refused: 'too_big', stored: false },
      { f: 'files-text', refused: 'wrong_type', stored: false },
      { f: 'files-ok', refused: null, stored: true },
      { f: 'files-flaky', refused: null, stored: false },
      { f: 'files-later', refused: null, stored: true },
    ]);

    // The retry asks Telegram only for the one not done.
    kit.api.failures.clear();
    kit.api.files.set('photos/files-flaky.jpg', jpeg);
    kit.api.clear();
    await job({ requestId: made.value.requestId }, { retried: true, jobId: 'f' });
    expect(kit.api.calls.filter((c) => c.method === 'getFile').map((c) => c.payload.file_id)).toEqual(['files-flaky']);
    expect((await rows()).map((r) => r.stored)).toEqual([false, false, true, true, true]);
    expect(await kit.billing.requests.pendingAttachments({ requestId: made.value.requestId })).toEqual({ ok: true, value: [] });
  });

  it('copies a request’s photos to the file store', async () => {
    const tid = await newResident();
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    kit.api.files.set('photos/store-1.jpg', jpeg);
    const made = await kit.billing.requests.reportAccident({
      actor: viaTelegram(tid),
      place: { kind: 'address', branchCode: 'alpha', address: 'ул. Ермакова, д. 20' },
      damageCode: 'pipe_burst',
      description: 'Вода на тротуаре',
      photos: [{ fileId: 'store-1', fileUniqueId: 's1' }],
    });
    if (!made.ok) throw new Error(made.error.code);
    await kit.runner.jobs.send('request.files', { requestId: made.value.requestId });
    await kit.runner.drained();
    const [row] = await sql(`select stored_path, mime, size from request_attachment where request_id = ?`, [made.value.requestId]);
    expect(row).toMatchObject({ mime: 'image/jpeg', size: jpeg.length });
    expect(row!.stored_path).toMatch(/^\d{4}\/\d\d\/[0-9a-f-]{36}\.jpg$/);
  });
});

describe('operators move requests from the card', () => {
  const op = () => new Operator(kit, 900_001, GROUP);

  it('words the resident’s moves, the 👎 reason, where the files are and a settled deadline as operators read them', async () => {
    const tid = await newResident();
    const r = await inspectorCall(kit.billing, tid, alla);
    const found = (await kit.billing.requests.forCard({ requestId: r.requestId })) as { ok: true; value: Parameters<typeof cardText>[1] };
    const v = found.value;
    const at = v.createdAt;
    const ev = (from: string | null, to: string, by: 'resident' | 'operator' | 'system', comment: string | null = null, byId: string | null = null) => ({
      from: from as never,
      to: to as never,
      by,
      byId,
      comment,
      at,
      mine: false,
    });
    const file = (id: number, role: string) => ({ id, role, meterIndex: null, telegramFileId: `f${id}`, storedPath: null });
    const t = translator('ru');
    const inWork = cardText(t, {
      ...v,
      status: 'in_work',
      rating: -1,
      attachments: [file(1, 'photo'), file(2, 'photo'), file(3, 'answer')],
      history: [
        ev(null, 'sent', 'resident'),
        ev('sent', 'needs_info', 'operator', 'Какой подъезд?', '900001'),
        ev('needs_info', 'accepted', 'resident', 'Второй <подъезд>'),
        ev('in_work', 'done', 'operator', null, '900001'),
        ev('done', 'in_work', 'resident', 'Пломбу так и не поставили'),
      ],
    });
    expect(inWork).toContain('Фото и документы: 3 — 2 над карточкой, 1 в ответах на неё');
    expect(inWork).toContain('Оценка жителя: 👎 не выполнено — «Пломбу так и не поставили»');
    expect(inWork).toMatch(/Срок: до \d\d\.\d\d\.\d{4}/);
    const history = inWork
      .split('Последние события:\n')[1]!
      .split('\n')
      .map((l) => l.replace(/^[\d. :]+— /, ''));
    expect(history).toEqual([
      'Отправлено, житель',
      'На исправление, <a href="tg://user?id=900001">оператор</a> «Какой подъезд?»',
      'житель ответил → Принято «Второй &lt;подъезд&gt;»',
      'Выполнено, <a href="tg://user?id=900001">оператор</a>',
      'житель: 👎 не выполнено → В работу «Пломбу так и не поставили»',
    ]);

    const answeredOnly = cardText(t, { ...v, attachments: [file(4, 'answer')] });
    expect(answeredOnly).toContain('Фото и документы: 1 — в ответах на карточку');
    for (const status of ['closed', 'refused'] as const) {
      const settled = cardText(t, {
        ...v,
        status,
        rating: status === 'closed' ? 1 : null,
        history: [ev(null, 'sent', 'resident'), ev('done', 'closed', 'resident')],
      });
      expect(settled).toMatch(/\nСрок был: до \d\d\.\d\d\.\d{4} \d\d:\d\d\n/);
      expect(settled).not.toMatch(/\nСрок: до/);
    }
    const closed = cardText(t, { ...v, status: 'closed', rating: 1, history: [ev('done', 'closed', 'resident')] });
    expect(closed).toContain('Оценка жителя: 👍 всё хорошо');
    expect(closed).toMatch(/— житель подтвердил выполнение → Закрыто$/);
  });

  it('«Принято» in the group: the resident is told once, the card shows the next moves, the operator’s id is recorded', async () => {
    const tid = await newResident();
    const r = await inspectorCall(kit.billing, tid, alla);
    await postCard(r.requestId);
    const card = await cardOf(r.requestId);
    const calls = await op().press(move(r.requestId, 'sent', 'accepted'), card);
    expect(op().toasts(calls)).toEqual(['Готово: Принято']);
    expect(toResident(tid, kit, second)).toEqual([`Заявка ${r.number} (вызов контролёра) принята. Мы её рассмотрим и сообщим о следующем шаге.`]);
    const edit = calls.find((c) => c.method === 'editMessageText')!;
    expect([edit.payload.chat_id, edit.payload.message_id]).toEqual([GROUP, card.messageId]);
    expect(edit.payload.text).toContain('Статус: <b>Принято</b>');
    // The operator as a mention: a tap opens their profile.
    expect(edit.payload.text).toMatch(/— Принято, <a href="tg:\/\/user\?id=900001">оператор<\/a>/);
    expect(buttonsOf(edit)).toEqual(['В работу', 'На исправление', 'Отказано', '🔄 Обновить']);
    expect(await sql(`select by_kind, by_id from request_event where request_id = ? and to_status = 'accepted'`, [r.requestId])).toEqual([
      { by_kind: 'operator', by_id: '900001' },
    ]);

    // The same button again (stale: the request is no longer «Отправлено»): told, nothing moves, nobody is told again.
    const again = await op().press(move(r.requestId, 'sent', 'accepted'), card);
    expect(op().toasts(again)).toEqual(['Статус заявки уже изменился: «Принято»']);
    const stale = await op().press(move(r.requestId, 'sent', 'refused'), card);
    expect(op().toasts(stale)).toEqual(['Статус заявки уже изменился: «Принято»']);
    expect(stale.filter((c) => c.method === 'sendMessage')).toEqual([]);
    expect(toResident(tid, kit, second)).toHaveLength(1);

    // «🔄 Обновить» edits the card again («not modified» is no error).
    kit.api.failures.set('editMessageText', () => ({ error_code: 400, description: 'Bad Request: message is not modified' }));
    const refreshed = await op().press(buttons.desk.refresh.pack({ requestId: r.requestId }), card);
    kit.api.failures.clear();
    expect(op().toasts(refreshed)).toEqual(['Обновляю карточку']);
    expect(refreshed.filter((c) => c.method === 'editMessageText')).toHaveLength(1);
  });

  it('«На исправление» asks the operator for a comment by force_reply in the topic; the reply completes it', async () => {
    const tid = await newResident();
    const r = await inspectorCall(kit.billing, tid, alla);
    await postCard(r.requestId);
    await op().press(move(r.requestId, 'sent', 'accepted'), await cardOf(r.requestId));
    const card = await cardOf(r.requestId);
    const calls = await op().press(move(r.requestId, 'accepted', 'needs_info'), card);
    expect(op().toasts(calls)).toEqual(['Напишите комментарий ответом на сообщение бота']);
    const prompt = calls.find((c) => c.method === 'sendMessage')!;
    expect(prompt.payload).toMatchObject({
      chat_id: GROUP,
      message_thread_id: card.threadId,
      text: `Напишите комментарий для жителя ответом на это сообщение (заявка ${r.number} → На исправление)`,
      reply_markup: { force_reply: true },
    });
    expect((await cardOf(r.requestId)).status).toBe('accepted');

    // A sticker is no comment: asked again, the prompt stays.
    const promptAt = { messageId: prompt.result!.message_id, threadId: card.threadId };
    const empty = await op().reply('   ', promptAt);
    expect(empty.find((c) => c.method === 'sendMessage')!.payload.text).toBe('Нужен текст комментария: ответьте на сообщение бота текстом.');

    // Another operator's reply does not complete a prompt asked of the one who pressed: told so, the prompt stays.
    const other = await new Operator(kit, 900_002, GROUP).reply('Отказать', promptAt);
    expect(other.filter((c) => c.method === 'sendMessage').map((c) => c.payload.text)).toEqual([
      'Этот комментарий ждут от оператора, который нажал кнопку. Чтобы написать свой, нажмите, пожалуйста, кнопку на карточке сами.',
    ]);
    expect((await cardOf(r.requestId)).status).toBe('accepted');

    const done = await op().reply('Пришлите, пожалуйста, фото счётчика с показаниями', promptAt);
    expect(done.find((c) => c.method === 'sendMessage' && c.payload.chat_id === GROUP)!.payload).toMatchObject({
      text: 'Готово: На исправление',
      message_thread_id: card.threadId,
    });
    const told = kit.api.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === tid);
    expect(told.at(-1)!.payload.text).toBe(
      `Заявка ${r.number} (вызов контролёра) возвращена на исправление: нужно уточнение.\nЧто уточнить: Пришлите, пожалуйста, фото счётчика с показаниями\nПожалуйста, дополните заявку: нажмите «Ответить» и напишите, что нужно.`,
    );
    expect(told.at(-1)!.payload.reply_markup.inline_keyboard.flat()).toEqual([
      { text: '✏️ Ответить', callback_data: buttons.requests.answer.pack({ requestId: r.requestId }) },
    ]);
    expect(await sql(`select by_id, comment from request_event where request_id = ? and to_status = 'needs_info'`, [r.requestId])).toEqual([
      { by_id: '900001', comment: 'Пришлите, пожалуйста, фото счётчика с показаниями' },
    ]);
    // The prompt is used up: another reply to it moves nothing.
    const late = await op().reply('ещё раз', promptAt);
    expect(late.filter((c) => c.method === 'sendMessage')).toEqual([]);
  });

  it('a comment from an anonymous administrator or over 1000 characters is refused with a reason; the prompt stays', async () => {
    const tid = await newResident();
    const r = await inspectorCall(kit.billing, tid, alla);
    await postCard(r.requestId);
    const card = await cardOf(r.requestId);
    const asked = await op().press(move(r.requestId, 'sent', 'refused'), card);
    const prompt = asked.find((c) => c.method === 'sendMessage')!;
    const promptAt = { messageId: prompt.result!.message_id, threadId: card.threadId };
    const group = { id: GROUP, type: 'supergroup' as const, title: 'Операторы', is_forum: true as const };
    const thread = { message_thread_id: card.threadId, is_topic_message: true };
    const anonymous = await op().send({
      message: {
        message_id: 88_001,
        date: 0,
        chat: group,
        from: { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' },
        sender_chat: group,
        text: 'Дубль заявки',
        ...thread,
        reply_to_message: { message_id: promptAt.messageId, date: 0, chat: group, from: BOT_INFO, text: '', ...thread },
      } as never,
    });
    expect(anonymous.find((c) => c.method === 'sendMessage')!.payload.text).toBe(
      'Пожалуйста, ответьте от своего имени, а не от имени группы: переход записывается за оператором.',
    );
    const long = await op().reply('а'.repeat(1001), promptAt);
    expect(long.find((c) => c.method === 'sendMessage')!.payload.text).toBe(
      'Комментарий длиннее 1000 знаков (сейчас 1001). Сократите его, пожалуйста, и ответьте на сообщение бота ещё раз.',
    );
    expect((await cardOf(r.requestId)).status).toBe('sent');
    expect(await sql(`select count(*)::int n from request_event where request_id = ?`, [r.requestId])).toEqual([{ n: 1 }]);

    const done = await op().reply('Дубль заявки', promptAt);
    expect(done.find((c) => c.method === 'sendMessage' && c.payload.chat_id === GROUP)!.payload.text).toBe('Готово: Отказано');
    expect(await sql(`select by_id, comment from request_event where request_id = ? and to_status = 'refused'`, [r.requestId])).toEqual([
      { by_id: '900001', comment: 'Дубль заявки' },
    ]);
  });

  it('two operators on two instances pressing different moves at once: one wins, the other is told', async () => {
    const tid = await newResident();
    const r = await inspectorCall(kit.billing, tid, alla);
    await postCard(r.requestId);
    const card = await cardOf(r.requestId);
    const a = new Operator(kit, 900_011, GROUP);
    const b = new Operator(second, 900_012, GROUP);
    const asked = await b.press(move(r.requestId, 'sent', 'refused'), card);
    const prompt = asked.find((c) => c.method === 'sendMessage')!;
    const before = toResident(tid, kit, second).length;
    const [pressed, replied] = await Promise.all([
      a.press(move(r.requestId, 'sent', 'accepted'), card),
      b.reply('Дубль заявки К-000001', { messageId: prompt.result!.message_id, threadId: card.threadId }),
    ]);
    const answers = [...a.toasts(pressed), replied.find((c) => c.method === 'sendMessage' && c.payload.chat_id === GROUP)!.payload.text];
    const status = (await cardOf(r.requestId)).status;
    expect(['accepted', 'refused']).toContain(status);
    expect(answers.sort()).toEqual(
      (status === 'accepted'
        ? ['Готово: Принято', 'Статус заявки уже изменился: «Принято»']
        : ['Готово: Отказано', 'Статус заявки уже изменился: «Отказано»']
      ).sort(),
    );
    const told = toResident(tid, kit, second).slice(before);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(
      new RegExp(status === 'accepted' ? `^Заявка ${r.number} \\(вызов контролёра\\) принята\\.` : `^По заявке ${r.number} \\(вызов контролёра\\) отказано\\.`),
    );
    expect(await sql(`select count(*)::int n from request_event where request_id = ?`, [r.requestId])).toEqual([{ n: 2 }]);
  });

  it('a desk button pressed outside the operators’ group is refused', async () => {
    const tid = await newResident();
    const r = await inspectorCall(kit.billing, tid, alla);
    const elsewhere = await new Operator(kit, 900_021, -1001000000555).press(move(r.requestId, 'sent', 'accepted'));
    expect(op().toasts(elsewhere)).toEqual(['Эти кнопки работают только в группе операторов.']);
    const resident = new Resident(kit, tid);
    const inPrivate = await resident.press(move(r.requestId, 'sent', 'accepted'));
    expect(resident.toasts(inPrivate)).toEqual(['Эти кнопки работают только в группе операторов.']);
    expect((await kit.billing.requests.forCard({ requestId: r.requestId })).ok && (await cardOfStatus(r.requestId))).toBe('sent');
  });

  it('an operator of a group serving only beta cannot move an alpha request', async () => {
    await sql(`update branch set operators_chat_id = ? where code = 'beta'`, [BETA_GROUP]);
    try {
      const tid = await newResident();
      const r = await inspectorCall(kit.billing, tid, alla);
      const calls = await new Operator(kit, 900_031, BETA_GROUP).press(move(r.requestId, 'sent', 'accepted'));
      expect(op().toasts(calls)).toEqual(['Эта заявка другого филиала: в этой группе её не ведут.']);
      const comment = await new Operator(kit, 900_031, BETA_GROUP).press(move(r.requestId, 'sent', 'refused'));
      expect(op().toasts(comment)).toEqual(['Эта заявка другого филиала: в этой группе её не ведут.']);
      expect(await cardOfStatus(r.requestId)).toBe('sent');
    } finally {
      await sql(`update branch set operators_chat_id = null where code = 'beta'`);
    }
  });
});

async function cardOfStatus(requestId: number) {
  const r = await kit.billing.requests.forCard({ requestId });
  return r.ok ? r.value.status : null;
}
