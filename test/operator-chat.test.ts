import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttons } from '../src/bot/callback-data.ts';
import { importFiles } from '../src/billing/import/index.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { OPERATORS_GROUP, residentOfAlla } from './support/desk.ts';
import { FIXTURE_DIR } from './support/fixture.ts';
import { BOT_INFO, createTestBot, Resident, type TestBot } from './support/telegram.ts';
import { Transcript } from './support/transcript.ts';

/*
 * «💬 Оператор» end to end: the resident's private chat and the conversation's topic in the
 * operators' forum group, through the real bot, the billing services, PostgreSQL and the job
 * runner, against the Bot API stand-in. NOW is Sunday 22 November 2026, 12:00 Moscow: outside
 * the branch's working hours (Mon–Fri 8–17).
 */
const GROUP = OPERATORS_GROUP;
/** A fast window for the group's limit, so a burst shows the pacing in seconds, not minutes. */
const LIMITS = { perWindow: 10, windowMs: 400 };

let db: TestDatabase;
let kit: TestBot;
let second: TestBot;

beforeAll(async () => {
  db = await freshDatabase();
  const report = await importFiles(db.orm, [FIXTURE_DIR]);
  if (report.errorCount) throw new Error('fixture import failed');
  kit = await createTestBot(db.orm, { operatorsChatId: GROUP, relayLimits: LIMITS, operatorSignatures: true });
  // The second instance of the same bot: its own Redis keys and job runner, the same Telegram and database.
  second = await createTestBot(db.orm, { operatorsChatId: GROUP, relayLimits: LIMITS, operatorSignatures: true, api: kit.api });
});
afterAll(async () => {
  await kit?.close();
  await second?.close();
  await db?.drop();
});

let nextId = 81_000;
let nextMessage = 5_000;
async function linkedResident(bot = kit) {
  const id = ++nextId;
  await residentOfAlla(kit.billing, id);
  const r = new Resident(bot, id);
  await r.say('/start');
  return r;
}

const from = (id: number) => ({ id, is_bot: false, first_name: 'Алла', language_code: 'ru' });
const dm = (id: number) => ({ id, type: 'private' as const, first_name: 'Алла' });
const group = { id: GROUP, type: 'supergroup' as const, title: 'Операторы', is_forum: true as const };
const operator = { id: 4242, is_bot: false, first_name: 'Ирина', language_code: 'ru' };
let updateId = 9_000_000;

async function deliver(update: Omit<Update, 'update_id'>, bots: TestBot[] = [kit], id = ++updateId) {
  await Promise.all(bots.map((b) => b.bot.handleUpdate({ update_id: id, ...update } as Update)));
  await kit.runner.drained();
}

/** A message of the resident in their private chat; returns its id. */
async function residentSends(id: number, content: Record<string, unknown>, bots: TestBot[] = [kit]) {
  const messageId = ++nextMessage;
  await deliver({ message: { message_id: messageId, date: 0, chat: dm(id), from: from(id), ...content } as never }, bots);
  return messageId;
}

/** An operator writes in a topic; returns the message id. */
async function operatorWrites(threadId: number, content: Record<string, unknown>, replyTo?: number) {
  const messageId = ++nextMessage;
  const thread = { message_thread_id: threadId, is_topic_message: true };
  await deliver({
    message: {
      message_id: messageId,
      date: 0,
      chat: group,
      from: operator,
      ...thread,
      ...content,
      ...(replyTo ? { reply_to_message: { message_id: replyTo, date: 0, chat: group, ...thread } } : {}),
    } as never,
  });
  return messageId;
}

const calls = (method: string, chatId?: number) => kit.api.calls.filter((c) => c.method === method && (chatId === undefined || c.payload.chat_id === chatId));
const topicsOf = (resident: number) =>
  calls('createForumTopic').filter((c) =>
    kit.api.calls.some((x) => x.payload.message_thread_id === c.result?.message_thread_id && x.payload.from_chat_id === resident),
  );
const threadOf = (resident: number) => topicsOf(resident).at(-1)?.result?.message_thread_id as number;
const copiesOf = (resident: number) => calls('copyMessage', GROUP).filter((c) => c.payload.from_chat_id === resident);
const textsTo = (id: number) => calls('sendMessage', id).map((c) => c.payload.text as string);
const command = (text: string) => ({ text, entities: [{ type: 'bot_command', offset: 0, length: text.length }] });

describe('the resident writes to an operator', () => {
  it('/operator says the hours (outside them, that the answer comes in working hours, with the phone); the first message makes one topic with the card', async () => {
    const r = await linkedResident();
    kit.api.clear();
    await r.say('/operator');
    expect(r.lastText()).toContain('Ессентукский «Водоканал»: операторы отвечают пн–пт с 8:00 до 17:00');
    expect(r.lastText()).toContain('Сейчас нерабочее время: ответ придёт в рабочие часы');
    expect(r.lastText()).toContain('(87934) 6-66-82');
    expect(r.lastMenu()).toContain('✖️ Завершить разговор');
    // /start and /operator made no topic: only a real message does.
    expect(calls('createForumTopic')).toHaveLength(0);

    const first = await residentSends(r.id, { text: 'Здравствуйте, в квитанции ошибка' });
    const topics = calls('createForumTopic', GROUP);
    expect(topics).toHaveLength(1);
    expect(topics[0]!.payload.name).toBe('Л/с 602302 · Ессентукский «Водоканал»');
    const thread = topics[0]!.result.message_thread_id;
    const card = calls('sendMessage', GROUP).find((c) => c.payload.message_thread_id === thread)!;
    expect(card.payload.text).toContain('👤 <b>Те***</b>, язык: ru');
    expect(card.payload.text).toContain('Лицевой счёт привязан');
    expect(card.payload.text).toContain('Лицевой счёт <b>002901800602302</b> (короткий 602302)');
    expect(card.payload.text).toContain('Филиал: Ессентукский «Водоканал»');
    expect(card.payload.text).toMatch(/Задолженность: |Переплата: |Задолженности нет/);
    expect(card.payload.text).toContain('Последние показания:');
    expect(card.payload.reply_markup.inline_keyboard.flat().map((b: { text: string }) => b.text)).toEqual(['🔄 Обновить', '📋 Заявки жителя']);
    expect(copiesOf(r.id).map((c) => c.payload)).toEqual([{ chat_id: GROUP, from_chat_id: r.id, message_id: first, message_thread_id: thread }]);

    // The next message goes to the same topic; a command and a menu button are not relayed, they do what they say.
    await residentSends(r.id, { text: 'Лицевой счёт 002901800602302' });
    const help = await r.say('/help');
    const balance = await r.say('💰 Баланс');
    expect(copiesOf(r.id)).toHaveLength(2);
    expect(calls('createForumTopic', GROUP)).toHaveLength(1);
    expect(help.find((c) => c.method === 'sendMessage')!.payload.text).toContain('Что умеет бот');
    expect(balance.find((c) => c.method === 'sendMessage')!.payload.text).toContain('002901800602302');
  });

  it('two first messages at once, taken by two instances, make one topic', async () => {
    const r = await linkedResident();
    await r.say('/operator');
    kit.api.delays.set('createForumTopic', 150);
    try {
      await Promise.all([residentSends(r.id, { text: 'Первое' }, [kit]), residentSends(r.id, { text: 'Второе' }, [second])]);
    } finally {
      kit.api.delays.delete('createForumTopic');
    }
    await kit.runner.drained();
    expect(topicsOf(r.id)).toHaveLength(1);
    expect(copiesOf(r.id)).toHaveLength(2);
    expect(new Set(copiesOf(r.id).map((c) => c.payload.message_thread_id)).size).toBe(1);
  });

  it('one update taken by both instances is relayed once', async () => {
    const r = await linkedResident();
    await r.say('/operator');
    const messageId = await residentSends(r.id, { text: 'Одно сообщение' }, [kit, second]);
    expect(copiesOf(r.id).filter((c) => c.payload.message_id === messageId)).toHaveLength(1);
  });

  it('an operator’s reply reaches the resident (signed), replies keep their thread both ways, notes and commands stay in the group', async () => {
    const r = await linkedResident();
    await r.say('/operator');
    const asked = await residentSends(r.id, { text: 'Когда придёт контролёр?' });
    const thread = threadOf(r.id);
    const copyInGroup = copiesOf(r.id).find((c) => c.payload.message_id === asked)!.result.message_id;

    await operatorWrites(thread, { text: 'Завтра с 9 до 12.' }, copyInGroup);
    const answer = calls('sendMessage', r.id).at(-1)!;
    expect(answer.payload.text).toBe('Завтра с 9 до 12.\n\n— Ирина, оператор');
    expect(answer.payload.reply_parameters).toEqual({ message_id: asked, allow_sending_without_reply: true });

    // The resident replies to the operator's message: in the group it is a reply to the operator's.
    const said = await operatorWrites(thread, { text: 'Что-нибудь ещё?' });
    const question = calls('sendMessage', r.id).at(-1)!;
    const before = kit.api.calls.length;
    await residentSends(r.id, { text: 'Нет, спасибо', reply_to_message: { message_id: question.result.message_id, date: 0, chat: dm(r.id) } });
    const copied = kit.api.calls.slice(before).find((c) => c.method === 'copyMessage')!;
    expect(copied.payload.reply_parameters).toEqual({ message_id: said, allow_sending_without_reply: true });

    // A photo is copied with the signature in its caption.
    await operatorWrites(thread, { photo: [{ file_id: 'scheme', file_unique_id: 'scheme', width: 1, height: 1 }], caption: 'Схема' });
    expect(calls('copyMessage', r.id).at(-1)!.payload.caption).toBe('Схема\n\n— Ирина, оператор');

    const count = calls('copyMessage', r.id).length + calls('sendMessage', r.id).length;
    await operatorWrites(thread, { text: '! житель звонил вчера' });
    await operatorWrites(thread, { text: '#note проверить пломбу' });
    await operatorWrites(thread, command('/whatever'));
    expect(calls('copyMessage', r.id).length + calls('sendMessage', r.id).length).toBe(count);
    expect(calls('sendMessage', GROUP).at(-1)!.payload.text).toContain('Это жителю не отправлено');
  });

  it('a reply to a resident who is away goes through the outbox: held by the quiet hours, sent in order when they come back, in its thread', async () => {
    const r = await linkedResident();
    await r.say('/operator');
    const asked = await residentSends(r.id, { text: 'Когда вернут воду?' });
    const thread = threadOf(r.id);
    const copyInGroup = copiesOf(r.id).find((c) => c.payload.message_id === asked)!.result.message_id;
    const sql = (q: string, p: unknown[] = []) => db.orm.em.fork().getConnection().execute(q, p);
    const replies = () =>
      sql(
        `select state, to_char(due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') as due from notice n join resident x on x.id = n.resident_id where x.telegram_id = ? and kind = 'operator_reply' order by n.id`,
        [r.id],
      );

    // Present (wrote a moment ago): the direct relay, as always.
    await operatorWrites(thread, { text: 'Уточняем у аварийной службы.' }, copyInGroup);
    expect(textsTo(r.id).at(-1)).toBe('Уточняем у аварийной службы.\n\n— Ирина, оператор');
    expect(await replies()).toEqual([]);

    // Away: the resident last wrote two hours ago; it is 01:00 in the branch (its timezone for this test).
    await sql(`update operator_chat set resident_seen_at = ? where telegram_id = ?`, [new Date(Date.parse('2026-11-22T07:00:00Z')), r.id]);
    const timezone = ((await sql(`select timezone from branch where code = 'alpha'`)) as { timezone: string }[])[0]!.timezone;
    await sql(`update branch set timezone = 'America/Los_Angeles' where code = 'alpha'`);
    const sentBefore = textsTo(r.id).length;
    try {
      const first = await operatorWrites(thread, { text: 'Воду дадут к 18:00.' }, copyInGroup);
      const second = await operatorWrites(thread, { text: 'Если нет — позвоните диспетчеру.' });
      expect(textsTo(r.id)).toHaveLength(sentBefore);
      // The first waits for 09:00 branch time (17:00 UTC): its job met the quiet hours; the second waits behind it.
      expect(await replies()).toEqual([
        { state: 'pending', due: '2026-11-22T17:00Z' },
        { state: 'pending', due: '2026-11-22T09:00Z' },
      ]);

      // Back: the resident writes, and what waited goes now, in order, threaded; the quiet hours do not hold one who is here.
      await residentSends(r.id, { text: 'Спасибо, жду.' });
      await kit.runner.drained();
      expect(textsTo(r.id).slice(sentBefore)).toEqual(['Воду дадут к 18:00.\n\n— Ирина, оператор', 'Если нет — позвоните диспетчеру.\n\n— Ирина, оператор']);
      expect(calls('sendMessage', r.id).at(-2)!.payload.reply_parameters).toEqual({ message_id: asked, allow_sending_without_reply: true });
      expect((await replies()).map((n) => (n as { state: string }).state)).toEqual(['sent', 'sent']);
      // Once: another delivery sends nothing more.
      await kit.runner.jobs.send('notices.deliver', {});
      await kit.runner.drained();
      expect(textsTo(r.id).slice(sentBefore)).toHaveLength(2);

      // The resident's reply to the reply from the outbox reaches the operator's message in the topic.
      const delivered = calls('sendMessage', r.id).at(-1)!.result.message_id as number;
      const before = kit.api.calls.length;
      await residentSends(r.id, { text: 'Хорошо', reply_to_message: { message_id: delivered, date: 0, chat: dm(r.id) } });
      const copied = kit.api.calls.slice(before).find((c) => c.method === 'copyMessage')!;
      expect(copied.payload.reply_parameters).toEqual({ message_id: second, allow_sending_without_reply: true });
      expect(first).toBeLessThan(second);
    } finally {
      await sql(`update branch set timezone = ? where code = 'alpha'`, [timezone]);
    }
  });

  it('an album goes as one album both ways (copyMessages)', async () => {
    const r = await linkedResident();
    await r.say('/operator');
    await residentSends(r.id, { text: 'Сейчас пришлю фото' });
    const album = [++nextMessage, ++nextMessage, ++nextMessage];
    // Telegram sends an album's parts as separate updates, close together.
    await Promise.all(
      album.map((messageId, i) =>
        kit.bot.handleUpdate({
          update_id: ++updateId,
          message: {
            message_id: messageId,
            date: 0,
            chat: dm(r.id),
            from: from(r.id),
            media_group_id: 'album-1',
            photo: [{ file_id: `ph${i}`, file_unique_id: `ph${i}`, width: 1, height: 1 }],
          },
        } as Update),
      ),
    );
    await kit.runner.drained();
    const copied = calls('copyMessages', GROUP).filter((c) => c.payload.from_chat_id === r.id);
    expect(copied).toHaveLength(1);
    expect(copied[0]!.payload.message_ids).toEqual(album);
    expect(copied[0]!.payload.message_thread_id).toBe(threadOf(r.id));

    const thread = threadOf(r.id);
    const parts = [++nextMessage, ++nextMessage];
    for (const [i, messageId] of parts.entries())
      await kit.bot.handleUpdate({
        update_id: ++updateId,
        message: {
          message_id: messageId,
          date: 0,
          chat: group,
          from: operator,
          message_thread_id: thread,
          is_topic_message: true,
          media_group_id: 'op-album',
          photo: [{ file_id: `op${i}`, file_unique_id: `op${i}`, width: 1, height: 1 }],
        },
      } as Update);
    await kit.runner.drained();
    expect(calls('copyMessages', r.id).map((c) => c.payload.message_ids)).toEqual([parts]);
  });

  it('an edited message is mirrored on the copy, both ways', async () => {
    const r = await linkedResident();
    await r.say('/operator');
    const messageId = await residentSends(r.id, { text: 'Показания 123' });
    const copy = copiesOf(r.id).find((c) => c.payload.message_id === messageId)!.result.message_id;
    await deliver({ edited_message: { message_id: messageId, date: 0, edit_date: 1, chat: dm(r.id), from: from(r.id), text: 'Показания 124' } as never });
    expect(calls('editMessageText', GROUP).at(-1)!.payload).toMatchObject({ chat_id: GROUP, message_id: copy, text: 'Показания 124' });

    const thread = threadOf(r.id);
    const said = await operatorWrites(thread, { text: 'Принято 124' });
    const answer = calls('sendMessage', r.id).at(-1)!;
    await deliver({
      edited_message: {
        message_id: said,
        date: 0,
        edit_date: 1,
        chat: group,
        from: operator,
        message_thread_id: thread,
        is_topic_message: true,
        text: 'Принято: 124',
      },
    } as never);
    expect(calls('editMessageText', r.id).at(-1)!.payload).toMatchObject({ chat_id: r.id, message_id: answer.result.message_id, text: 'Принято: 124' });
  });

  it('a topic deleted in the group is made again, with the card, and says so', async () => {
    const r = await linkedResident();
    await r.say('/operator');
    await residentSends(r.id, { text: 'Первое' });
    const old = threadOf(r.id);
    kit.api.failures.set('copyMessage', (p) =>
      p.message_thread_id === old ? { error_code: 400, description: 'Bad Request: message thread not found' } : undefined,
    );
    try {
      const messageId = await residentSends(r.id, { text: 'После удаления темы' });
      const fresh = threadOf(r.id);
      expect(fresh).not.toBe(old);
      const card = calls('sendMessage', GROUP).find((c) => c.payload.message_thread_id === fresh)!;
      expect(card.payload.text).toContain('Прежняя тема этого жителя была удалена — создана новая');
      expect(
        copiesOf(r.id)
          .filter((c) => c.payload.message_id === messageId)
          .at(-1)!.payload.message_thread_id,
      ).toBe(fresh);
    } finally {
      kit.api.failures.delete('copyMessage');
    }
  });

  it('without the right to manage topics the group is told once and the resident is told to call', async () => {
    const other = await createTestBot(db.orm, { operatorsChatId: GROUP, relayLimits: LIMITS, api: kit.api });
    kit.api.failures.set('createForumTopic', () => ({ error_code: 400, description: 'Bad Request: not enough rights to create a topic' }));
    try {
      const a = await linkedResident(other);
      const b = await linkedResident(other);
      await a.say('/operator');
      await b.say('/operator');
      kit.api.clear();
      await residentSends(a.id, { text: 'Есть кто?' }, [other]);
      await residentSends(a.id, { text: 'Ау' }, [other]);
      await residentSends(b.id, { text: 'Здравствуйте' }, [other]);
      await other.runner.drained();
      const told = calls('sendMessage', GROUP).filter((c) => c.payload.text.includes('нет права «Управление темами»'));
      expect(told).toHaveLength(1);
      expect(told[0]!.payload.message_thread_id).toBeUndefined();
      expect(textsTo(a.id).filter((t) => t.startsWith('Сейчас передать сообщение оператору не получается'))).toHaveLength(1);
      expect(textsTo(a.id).at(-1)).toContain('(87934) 6-66-82');
      expect(textsTo(b.id).filter((t) => t.startsWith('Сейчас передать сообщение оператору не получается'))).toHaveLength(1);
      expect(calls('copyMessage', GROUP)).toHaveLength(0);
    } finally {
      kit.api.failures.delete('createForumTopic');
      await other.close();
    }
  });

  it('a banned resident gets a polite fixed answer and nothing reaches the group; unban lets them write again', async () => {
    const r = await linkedResident();
    await r.say('/operator');
    await residentSends(r.id, { text: 'Грубость' });
    const thread = threadOf(r.id);
    await operatorWrites(thread, command('/ban'));
    expect(calls('sendMessage', GROUP).at(-1)!.payload.text).toContain('запретил жителю писать');
    const copies = copiesOf(r.id).length;
    await residentSends(r.id, { text: 'Ещё грубость' });
    expect(textsTo(r.id).at(-1)).toBe('Сообщения оператору в боте сейчас не принимаются. Позвоните, пожалуйста, в абонентский отдел.');
    await r.say('/operator');
    expect(r.lastText()).toContain('Написать оператору в боте сейчас нельзя');
    expect(copiesOf(r.id)).toHaveLength(copies);

    await operatorWrites(thread, command('/unban'));
    await r.say('/operator');
    await residentSends(r.id, { text: 'Извините' });
    expect(copiesOf(r.id)).toHaveLength(copies + 1);
  });

  it('close asks the resident to rate the conversation; the rating reaches the topic; reopen; the resident ends it', async () => {
    const r = await linkedResident();
    await r.say('/operator');
    await residentSends(r.id, { text: 'Вопрос решён?' });
    const thread = threadOf(r.id);
    await operatorWrites(thread, command('/close'));
    expect(r.lastText()).toBe('Оператор завершил разговор. Оцените, пожалуйста, как вам помогли:');
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['👍 Помогли', '👎 Не помогли']);
    // Closed: what the resident writes now is not relayed, and the operator is told to reopen first.
    const copies = copiesOf(r.id).length;
    await residentSends(r.id, { text: 'Ещё вопрос' });
    expect(copiesOf(r.id)).toHaveLength(copies);
    await operatorWrites(thread, { text: 'Дополню' });
    expect(calls('sendMessage', GROUP).at(-1)!.payload.text).toContain('/reopen');

    await r.press(buttons.chat.rate.pack({ mark: 'good' }));
    expect(textsTo(r.id).at(-1)).toBe('Спасибо за оценку!');
    expect(calls('sendMessage', GROUP).at(-1)!.payload).toMatchObject({ message_thread_id: thread, text: 'Житель оценил разговор: 👍 помогли.' });
    const again = await r.press(buttons.chat.rate.pack({ mark: 'bad' }));
    expect(r.toasts(again)).toEqual(['Оценка уже учтена, спасибо.']);

    await operatorWrites(thread, command('/reopen'));
    expect(textsTo(r.id).at(-1)).toBe('Оператор снова на связи — можно продолжать разговор.');
    expect(calls('sendMessage', GROUP).at(-1)!.payload.text).toContain('Разговор снова открыл');
    await r.say('✖️ Завершить разговор');
    expect(textsTo(r.id).at(-2)).toContain('Разговор с оператором завершён');
    expect(textsTo(r.id).at(-1)).toBe('Спасибо, что написали. Оцените, пожалуйста, разговор с оператором:');
    expect(calls('sendMessage', GROUP).some((c) => c.payload.message_thread_id === thread && c.payload.text === 'Житель завершил разговор.')).toBe(true);
    // Opened again by the resident: the operators see it in the same topic.
    await r.say('/operator');
    expect(calls('sendMessage', GROUP).at(-1)!.payload).toMatchObject({ message_thread_id: thread, text: 'Житель снова написал оператору.' });
    expect(topicsOf(r.id)).toHaveLength(1);
  });

  it('a resident without consent can write; the card says so', async () => {
    const id = ++nextId;
    const r = new Resident(kit, id);
    await r.say('/start');
    await r.tap(/Не согласен/);
    await r.say('/operator');
    await residentSends(id, { text: 'Без согласия' });
    const topic = topicsOf(id)[0]!;
    expect(topic.payload.name).toBe(`Те*** · без лицевого счёта · …${String(id).slice(-4)}`);
    const card = calls('sendMessage', GROUP).find((c) => c.payload.message_thread_id === topic.result.message_thread_id)!;
    expect(card.payload.text).toContain('Без согласия на обработку данных');
  });

  it('a resident who blocks the bot is marked, and the topic says so', async () => {
    const r = await linkedResident();
    await r.say('/operator');
    await residentSends(r.id, { text: 'Вопрос' });
    await deliver({
      my_chat_member: {
        chat: dm(r.id),
        from: from(r.id),
        date: 0,
        old_chat_member: { status: 'member', user: BOT_INFO },
        new_chat_member: { status: 'kicked', user: BOT_INFO, until_date: 0 },
      },
    } as never);
    expect(calls('sendMessage', GROUP).at(-1)!.payload).toMatchObject({
      message_thread_id: threadOf(r.id),
      text: '⛔ Житель заблокировал бота: ответы до него не дойдут.',
    });
    const rows = await db.orm.em.getConnection().execute('select blocked from resident where telegram_id = ?', [r.id]);
    expect(rows).toEqual([{ blocked: true }]);
  });

  it('a burst of 100 messages is delivered in order, never more than the limit in any window', async () => {
    const r = await linkedResident();
    await r.say('/operator');
    await residentSends(r.id, { text: 'Начало' });
    const start = kit.api.calls.length;
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) {
      const messageId = ++nextMessage;
      ids.push(messageId);
      await kit.bot.handleUpdate({
        update_id: ++updateId,
        message: { message_id: messageId, date: 0, chat: dm(r.id), from: from(r.id), text: `№${i + 1}` },
      } as Update);
    }
    await kit.runner.drained(undefined, 60_000);
    const sent = kit.api.calls.slice(start).filter((c) => c.payload.chat_id === GROUP);
    const copied = sent.filter((c) => c.method === 'copyMessage').map((c) => c.payload.message_id);
    expect(copied).toEqual(ids);
    const times = sent.map((c) => c.at!);
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + LIMITS.windowMs).length;
      expect(inWindow).toBeLessThanOrEqual(LIMITS.perWindow);
    }
  }, 60_000);
});

describe('a long queue into the group', () => {
  it('the resident is told once that the answer may take a while', async () => {
    const r = await linkedResident();
    await r.say('/operator');
    // Others' messages waiting for the group (queued, not yet drained).
    const others = await linkedResident();
    await others.say('/operator');
    for (let i = 0; i < 25; i++)
      await kit.billing.chats.relay({ actor: { kind: 'resident', channel: 'telegram', telegramId: others.id }, messageId: ++nextMessage });
    await residentSends(r.id, { text: 'Срочно' });
    await residentSends(r.id, { text: 'Очень срочно' });
    expect(textsTo(r.id).filter((t) => t.startsWith('Сейчас операторам пишут многие'))).toHaveLength(1);
    expect(copiesOf(r.id)).toHaveLength(2);
  }, 30_000);
});

describe('a conversation walked by hand', () => {
  it('writes what the resident and the operator saw (WALK_TRANSCRIPT)', async () => {
    const r = await linkedResident();
    const tx = new Transcript(kit.api, GROUP);
    tx.name(r.id, 'resident');
    /** The resident sends something: noted, and what it is told to the transcript for its copies. */
    const send = (what: string, content: Record<string, unknown>) => {
      tx.note(`👤 resident: ${what}`);
      tx.source(r.id, nextMessage + 1, what);
      return residentSends(r.id, content);
    };
    const write = (what: string, content: Record<string, unknown>, replyTo?: number) => {
      tx.note(`🧑‍💼 operator Ирина${replyTo ? ` (in reply to #${replyTo})` : ''}: ${what}`);
      tx.source(GROUP, nextMessage + 1, what);
      return operatorWrites(threadOf(r.id), content, replyTo);
    };
    tx.note('👤 resident: /operator');
    await r.say('/operator');
    const asked = await send('Здравствуйте! В квитанции за октябрь начислено больше, чем обычно.', {
      text: 'Здравствуйте! В квитанции за октябрь начислено больше, чем обычно.',
    });
    await send('📷 a photo of the meter, «Счётчик сейчас»', {
      photo: [{ file_id: 'meter', file_unique_id: 'meter', width: 1, height: 1 }],
      caption: 'Счётчик сейчас',
    });
    const copy = copiesOf(r.id).find((c) => c.payload.message_id === asked)!.result.message_id;
    await write('! проверить показания за октябрь', { text: '! проверить показания за октябрь' });
    await write('/requests', command('/requests'));
    await write(
      'Проверили: в октябре учтены показания за два месяца. Перерасчёт будет в ноябрьской квитанции.',
      { text: 'Проверили: в октябре учтены показания за два месяца. Перерасчёт будет в ноябрьской квитанции.' },
      copy,
    );
    const thanks = await send('Спасибо, понятно', { text: 'Спасибо, понятно' });
    tx.note('👤 resident edits it: «Спасибо, теперь понятно»');
    await deliver({
      edited_message: { message_id: thanks, date: 0, edit_date: 1, chat: dm(r.id), from: from(r.id), text: 'Спасибо, теперь понятно' } as never,
    });
    await write('/close', command('/close'));
    tx.note('👤 resident presses «👍 Помогли»');
    const ask = calls('sendMessage', r.id)
      .filter((c) => c.payload.reply_markup?.inline_keyboard)
      .at(-1)!;
    await r.press(buttons.chat.rate.pack({ mark: 'good' }), ask.result.message_id);
    const text = tx.render();
    expect(text).toContain('🤖 bot creates the topic «Л/с 602302 · Ессентукский «Водоканал»» in the group');
    expect(text).toContain(`(in reply to #${asked}) Проверили`);
    expect(text).toContain('Житель оценил разговор: 👍 помогли.');
    await tx.save('operator-chat');
  });
});
