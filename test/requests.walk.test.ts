import { beforeAll, describe, expect, it } from 'vitest';
import { botWorld } from './support/bot-world.ts';
import { OPERATORS_GROUP } from './support/desk.ts';
import { seedRequests, sendPhoto, shareContact } from './support/requests.ts';
import { location } from './support/requests-world.ts';
import { type ApiCall, Operator, type Resident } from './support/telegram.ts';
import { messageIdOf, Transcript } from './support/transcript.ts';

/**
 * One request of each kind walked by hand, through the real bot on both sides: the resident in
 * a private chat from the first tap to «Выполнено» and the rating, the operators in their forum
 * group pressing the buttons the card shows. With WALK_TRANSCRIPT=<dir> each walk is written
 * there as walk-<kind>.txt, from the Bot API calls the bot made.
 */
// NOW is Sunday 22 November 2026, 12:00 (Moscow).
const GROUP = OPERATORS_GROUP;
const world = botWorld(8_950_000, { operatorsChatId: GROUP });
const DISPATCHER = '+7 (87934) 6-11-11';
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);

beforeAll(async () => {
  await seedRequests(world.db);
  await world.db.orm.em
    .getConnection()
    .execute(`update branch set area_latitude = 44.044, area_longitude = 42.86, area_radius_km = 12, dispatcher_phone = '${DISPATCHER}' where code = 'alpha'`);
});

const group = () => world.kit.api.calls.filter((c) => c.payload.chat_id === GROUP);
const inChat = (id: number) => world.kit.api.calls.filter((c) => c.payload.chat_id === id && (c.method === 'sendMessage' || c.method === 'editMessageText'));
const buttonsOf = (c: ApiCall): { text: string; callback_data: string }[] => (c.payload.reply_markup?.inline_keyboard ?? []).flat();
const labels = (c: ApiCall) => buttonsOf(c).map((b) => b.text);
/** How a notice's first line says a status. */
const TOLD: Record<string, string> = {
  принята: 'Принято',
  'взята в работу': 'В работу',
  'возвращена на исправление': 'На исправление',
  выполнена: 'Выполнено',
  закрыта: 'Закрыто',
};
/** The statuses a resident was told of for a request, in order. */
const statusesTold = (r: Resident, number: string) =>
  inChat(r.id)
    .filter((c) => c.method === 'sendMessage')
    .map((c) => TOLD[new RegExp(`^Заявка ${number} \\([^)]+\\) (${Object.keys(TOLD).join('|')})`).exec(c.payload.text)?.[1] ?? ''])
    .filter(Boolean);

/** A walk: the actions it makes go into the transcript before what the bot answered. */
function walk(kind: string) {
  const tx = new Transcript(world.kit.api, GROUP);
  const names = new Map<number, string>();
  const name = (r: Resident) => names.get(r.id) ?? 'resident';
  const files = (id: string) => world.kit.api.files.set(`photos/${id}.jpg`, JPEG);

  const w = {
    tx,
    save: () => tx.save(kind),
    resident(r: Resident, label: string) {
      names.set(r.id, label);
      tx.name(r.id, label);
      return r;
    },
    note: (line: string) => tx.note(line),
    say(r: Resident, text: string) {
      tx.note(`👤 ${name(r)}: ${text}`);
      return r.say(text);
    },
    /** Presses the button with this label in the newest message of the chat that has buttons, as the resident sees it. */
    tap(r: Resident, label: string | RegExp) {
      const message = inChat(r.id)
        .filter((c) => c.payload.reply_markup?.inline_keyboard)
        .at(-1);
      const button = message && buttonsOf(message).find((b) => (typeof label === 'string' ? b.text === label : label.test(b.text)));
      if (!message || !button) throw new Error(`no button ${label} among: ${message ? labels(message).join(' | ') : 'none'}`);
      tx.note(`👤 ${name(r)} presses «${button.text}» (under #${messageIdOf(message)})`);
      return r.press(button.callback_data, messageIdOf(message));
    },
    photo(r: Resident, fileId: string) {
      files(fileId);
      tx.note(`👤 ${name(r)} sends a photo (${fileId})`);
      return sendPhoto(r, fileId);
    },
    share(r: Resident, phone: string) {
      tx.note(`👤 ${name(r)} presses «📱 Поделиться номером» (${phone})`);
      return shareContact(r, phone);
    },
    locate(r: Resident, latitude: number, longitude: number) {
      tx.note(`👤 ${name(r)} presses «📍 Отправить местоположение» (${latitude}, ${longitude})`);
      return location(r, latitude, longitude);
    },
    /** The card of this request as the group shows it now: its message, topic and buttons. */
    card(number: string) {
      const shown = group().filter(
        (c) => (c.method === 'sendMessage' || c.method === 'editMessageText') && String(c.payload.text).startsWith(`<b>${number}</b>`),
      );
      const posted = shown.find((c) => c.method === 'sendMessage');
      if (!posted) throw new Error(`no card of ${number} in the group`);
      return { posted, now: shown.at(-1)!, messageId: messageIdOf(posted)!, threadId: posted.payload.message_thread_id as number | undefined };
    },
    /** An operator presses a button of the card, as the card shows it now. */
    async press(op: Operator, number: string, label: string) {
      const card = w.card(number);
      const button = buttonsOf(card.now).find((b) => b.text === label);
      if (!button) throw new Error(`no button ${label} on the card of ${number}: ${labels(card.now).join(' | ')}`);
      tx.note(`🧑‍💼 operator ${op.id} presses «${label}» on the card ${number} (#${card.messageId})`);
      const calls = await op.press(button.callback_data, card);
      return { calls, card };
    },
    /** An operator replies to the bot's newest force_reply prompt in the group. */
    reply(op: Operator, text: string) {
      const prompt = group()
        .filter((c) => c.method === 'sendMessage' && c.payload.reply_markup?.force_reply)
        .at(-1);
      if (!prompt) throw new Error('no prompt of the bot in the group');
      tx.note(`🧑‍💼 operator ${op.id} replies to #${messageIdOf(prompt)}: ${text}`);
      return op.reply(text, { messageId: messageIdOf(prompt)!, threadId: prompt.payload.message_thread_id });
    },
  };
  return w;
}
type Walk = ReturnType<typeof walk>;

/** A move from the card: the operator is told, the card is edited in place (never posted again) to the new status. */
async function move(w: Walk, op: Operator, number: string, label: string, then: string[]) {
  const { calls, card } = await w.press(op, number, label);
  expect(op.toasts(calls)).toEqual([`Готово: ${label}`]);
  expectCardEdited(calls, card.messageId, number, label, then);
  return calls;
}

function expectCardEdited(calls: ApiCall[], messageId: number, number: string, status: string, buttons: string[]) {
  const edits = calls.filter((c) => c.method === 'editMessageText' && c.payload.chat_id === GROUP);
  expect(edits.map((c) => c.payload.message_id)).toEqual([messageId]);
  expect(edits[0]!.payload.text).toContain(`Статус: <b>${status}</b>`);
  expect(labels(edits[0]!)).toEqual(buttons);
  const reposted = calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === GROUP && String(c.payload.text).startsWith(`<b>${number}</b>`));
  expect(reposted).toEqual([]);
}

const last = (r: Resident) => r.lastText();

describe('one request of each kind, walked from the first tap to «Выполнено» and the rating', () => {
  it('«Вызов контролёра»: the menu, a number, the card in its topic, three statuses once each, 👍 closes it, «Мои заявки» shows its history', async () => {
    const r = await world.newResident().agreeAndLink('002901800602302', '7', '30', 'Михайлова');
    const w = walk('inspector');
    w.resident(r, 'resident');
    const op = new Operator(world.kit, 901_001, GROUP);
    try {
      w.note('(the resident has given the consent and linked the account 002901800602302)');
      await w.say(r, '👷 Вызвать контролёра');
      expect(last(r)).toBe('Что нужно сделать?');
      await w.tap(r, '👷 Визит контролёра');
      expect(last(r)).toBe('Причина вызова:');
      await w.tap(r, 'Пломбировка счётчика');
      expect(last(r)).toBe('В какой день вам удобно принять контролёра?');
      await w.tap(r, 'пн, 23 ноя');
      await w.tap(r, '10:00');
      expect(last(r)).toMatch(/^Контактный телефон/);
      await w.share(r, '79281234567');
      expect(last(r)).toMatch(/^Комментарий для контролёра/);
      await w.say(r, 'Подъезд 2, домофон 30');
      expect(last(r)).toMatch(/^Проверьте заявку:\n/);
      await w.tap(r, '✅ Отправить');
      const number =
        /^Заявка (К-\d{6}) отправлена\. Желаемое время визита: пн, 23 ноя, около 10:00 — его подтвердят по телефону\. Срок выполнения — до 14\.12\.2026\./.exec(
          last(r),
        )?.[1];
      expect(number).toBeDefined();

      // The card is in the group, in the «Вызов контролёра» topic, with the first moves.
      const topic = group().find((c) => c.method === 'createForumTopic')!;
      expect(topic.payload.name).toBe('Вызов контролёра');
      const card = w.card(number!);
      expect(card.threadId).toBe(topic.result.message_thread_id);
      expect(card.posted.payload.text).toContain('Причина: Пломбировка счётчика');
      expect(card.posted.payload.text).toContain('Желаемое время визита: 23.11.2026 10:00');
      expect(card.posted.payload.text).toContain('Комментарий жителя: Подъезд 2, домофон 30');
      expect(labels(card.posted)).toEqual(['Принято', 'Отказано', '🔄 Обновить']);

      await move(w, op, number!, 'Принято', ['В работу', 'На исправление', 'Отказано', '🔄 Обновить']);
      expect(last(r)).toBe(`Заявка ${number} (вызов контролёра) принята. Мы её рассмотрим и сообщим о следующем шаге.`);
      await move(w, op, number!, 'В работу', expect.arrayContaining(['Выполнено', '🔄 Обновить']) as never);
      expect(last(r)).toBe(`Заявка ${number} (вызов контролёра) взята в работу: специалисты уже ею занимаются.`);
      await move(w, op, number!, 'Выполнено', expect.arrayContaining(['🔄 Обновить']) as never);
      expect(last(r)).toBe(`Заявка ${number} (вызов контролёра) выполнена.\nВсё ли сделано? Оцените, пожалуйста, работу.`);
      expect(statusesTold(r, number!)).toEqual(['Принято', 'В работу', 'Выполнено']);

      const rated = await w.tap(r, '👍 Всё хорошо');
      expect(rated.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === r.id).map((c) => c.payload.text)).toEqual([
        `Спасибо за оценку! Заявка ${number} закрыта.`,
      ]);
      // The rating's buttons are gone from the notice; the card shows the closed request and the rating.
      expect(rated.some((c) => c.method === 'editMessageReplyMarkup' && c.payload.chat_id === r.id)).toBe(true);
      expectCardEdited(rated, card.messageId, number!, 'Закрыто', ['🔄 Обновить']);
      expect(rated.find((c) => c.method === 'editMessageText')!.payload.text).toContain('Оценка жителя: 👍');
      expect(statusesTold(r, number!)).toEqual(['Принято', 'В работу', 'Выполнено']);

      await w.say(r, '📋 Мои заявки');
      // A closed request has no deadline pending.
      expect(last(r).split('\n').slice(-2)).toEqual([`${number} · Вызов контролёра · 22.11.2026`, 'Закрыто']);
      await w.tap(r, `${number} — Закрыто`);
      expect(last(r)).toMatch(new RegExp(`^Заявка ${number} — Вызов контролёра\n`));
      expect(last(r).split('История:\n')[1]!.split('\n')).toEqual([
        '22.11.2026 12:00 — Отправлено (вы)',
        '22.11.2026 12:00 — Принято',
        '22.11.2026 12:00 — В работу',
        '22.11.2026 12:00 — Выполнено',
        '22.11.2026 12:00 — Закрыто (вы)',
      ]);
    } finally {
      await w.save();
    }
  });

  it('«Ввод прибора учёта»: the entry screen to a number; «На исправление» answered back to «Принято»; 👎 reopens it, 👍 closes it', async () => {
    const r = await world.newResident().agreeAndLink('002901800602302', '7', '30', 'Михайлова');
    const w = walk('commissioning');
    w.resident(r, 'resident');
    const op = new Operator(world.kit, 901_002, GROUP);
    try {
      w.note('(the resident has given the consent and linked the account 002901800602302)');
      await w.say(r, '👷 Вызвать контролёра');
      await w.tap(r, '🔧 Ввод счётчика или опломбировка');
      expect(last(r)).toBe('Счётчик 1. Что нужно сделать?');
      await w.tap(r, 'Ввод в эксплуатацию');
      expect(last(r)).toBe('Какой счётчик?');
      await w.tap(r, /№ 17356088/);
      expect(last(r)).toMatch(/^Дата следующей поверки/);
      await w.tap(r, 'Та же: 01.02.2027');
      await w.say(r, '61,5');
      expect(last(r)).toMatch(/^Кто установил счётчик\?/);
      await w.tap(r, 'Установил сам');
      expect(last(r)).toMatch(/^Пришлите фото технического паспорта счётчика/);
      await w.photo(r, 'walk-passport');
      expect(last(r)).toBe('Пришлите фото свидетельства о поверке (снимком или файлом PDF).');
      await w.photo(r, 'walk-certificate');
      expect(last(r)).toBe('Один счётчик в заявке. Добавить ещё?');
      await w.tap(r, 'Дальше');
      await w.share(r, '79281234567');
      await w.tap(r, '✅ Принимаю условия');
      await w.tap(r, '✅ Обеспечу доступ');
      expect(last(r)).toMatch(/^Проверьте заявку:\n/);
      expect(last(r)).toContain('1. Ввод в эксплуатацию: Холодная вода (ХВС), № 17356088');
      await w.tap(r, '✅ Отправить');
      const number = /^Заявка (П-\d{6}) отправлена\./.exec(last(r))?.[1];
      expect(number).toBeDefined();

      const topic = group().find((c) => c.method === 'createForumTopic')!;
      expect(topic.payload.name).toBe('Ввод и опломбировка счётчиков');
      const card = w.card(number!);
      expect(card.threadId).toBe(topic.result.message_thread_id);
      const album = group().find((c) => c.method === 'sendMediaGroup')!;
      expect(album.payload.media.map((m: { media: string }) => m.media)).toEqual(['walk-passport', 'walk-certificate']);
      expect(card.posted.payload.text).toContain('1. ввод в эксплуатацию: Холодная вода (ХВС), № 17356088');
      expect(card.posted.payload.text).toContain('Фото и документы: 2 — над карточкой');
      // «Установил сам» is kept as a code and worded by the card's locale.
      expect(card.posted.payload.text).toContain('установил: собственник сам');

      await move(w, op, number!, 'Принято', ['В работу', 'На исправление', 'Отказано', '🔄 Обновить']);

      // «На исправление»: the comment by a reply to the bot's prompt in the topic.
      const asked = await w.press(op, number!, 'На исправление');
      expect(op.toasts(asked.calls)).toEqual(['Напишите комментарий ответом на сообщение бота']);
      const prompt = asked.calls.find((c) => c.method === 'sendMessage')!;
      expect(prompt.payload).toMatchObject({ chat_id: GROUP, message_thread_id: card.threadId, reply_markup: { force_reply: true } });
      const comment = 'Свидетельство о поверке нечитаемо: пришлите, пожалуйста, снимок получше';
      const replied = await w.reply(op, comment);
      expect(replied.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === GROUP).map((c) => c.payload.text)).toEqual(['Готово: На исправление']);
      expectCardEdited(replied, card.messageId, number!, 'На исправление', expect.arrayContaining(['🔄 Обновить']) as never);
      expect(last(r)).toBe(
        `Заявка ${number} (ввод счётчика или опломбировка) возвращена на исправление: нужно уточнение.\nЧто уточнить: ${comment}\nПожалуйста, дополните заявку: нажмите «Ответить» и напишите, что нужно.`,
      );

      // The resident answers from the notice's button: back to «Принято», and the operators see it on the card.
      await w.tap(r, '✏️ Ответить');
      expect(last(r)).toMatch(new RegExp(`^Заявка ${number}: нужно уточнение\\. Что уточнить: ${comment}`));
      await w.say(r, 'Пересняла при дневном свете, номер теперь виден');
      await w.photo(r, 'walk-certificate-2');
      const answered = await w.tap(r, '✅ Отправить');
      expect(last(r)).toBe(`Спасибо, ответ передан. Заявка ${number} снова в статусе «Принято».`);
      expectCardEdited(answered, card.messageId, number!, 'Принято', ['В работу', 'На исправление', 'Отказано', '🔄 Обновить']);
      expect(answered.find((c) => c.method === 'editMessageText')!.payload.text).toContain('Пересняла при дневном свете');
      // The answer's photo is shown to the operators as a reply to the card (Telegram puts a reply in the card's topic); it was not shown before.
      const answerPhotos = answered.filter((c) => c.method === 'sendPhoto' || c.method === 'sendMediaGroup');
      expect(answerPhotos.map((c) => [c.method, c.payload.chat_id, c.payload.reply_parameters?.message_id, c.payload.photo, c.payload.caption])).toEqual([
        ['sendPhoto', GROUP, card.messageId, 'walk-certificate-2', `${number}: житель дополнил заявку`],
      ]);

      await move(w, op, number!, 'В работу', expect.arrayContaining(['Выполнено']) as never);
      await move(w, op, number!, 'Выполнено', expect.arrayContaining(['🔄 Обновить']) as never);
      expect(statusesTold(r, number!)).toEqual(['Принято', 'На исправление', 'В работу', 'Выполнено']);

      // 👎 asks what went wrong; the answer reopens it («В работу»), the card shows it with the reason; the resident made the move and is not told it again.
      const why = await w.tap(r, '👎 Не выполнено');
      expect(why.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === r.id).map((c) => c.payload.text)).toEqual([
        'Что не так? Напишите коротко или нажмите «Пропустить».',
      ]);
      const bad = await w.say(r, 'Пломба на втором счётчике не стоит');
      expect(bad.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === r.id).map((c) => c.payload.text)).toEqual([
        `Жаль, что не получилось. Заявка ${number} возвращена в работу — специалисты разберутся.`,
      ]);
      expectCardEdited(bad, card.messageId, number!, 'В работу', expect.arrayContaining(['Выполнено']) as never);
      expect(bad.find((c) => c.method === 'editMessageText')!.payload.text).toContain('Оценка жителя: 👎 не выполнено — «Пломба на втором счётчике не стоит»');
      await move(w, op, number!, 'Выполнено', expect.arrayContaining(['🔄 Обновить']) as never);
      const good = await w.tap(r, '👍 Всё хорошо');
      expect(good.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === r.id).map((c) => c.payload.text)).toEqual([
        `Спасибо за оценку! Заявка ${number} закрыта.`,
      ]);
      expectCardEdited(good, card.messageId, number!, 'Закрыто', ['🔄 Обновить']);
      // Each move told once: the two «Выполнено» are two moves.
      expect(statusesTold(r, number!)).toEqual(['Принято', 'На исправление', 'В работу', 'Выполнено', 'Выполнено']);
    } finally {
      await w.save();
    }
  });

  it('«Авария» without a linked account: a number and the dispatcher; a neighbour joins it; both hear each status once; the author’s 👍 closes it', async () => {
    const consented = async () => {
      const r = world.newResident();
      await r.say('/start');
      await r.tap(/Согласен/);
      return r;
    };
    const a = await consented();
    const b = await consented();
    const w = walk('accident');
    w.resident(a, 'resident A');
    w.resident(b, 'resident B');
    const op = new Operator(world.kit, 901_003, GROUP);
    try {
      w.note('(residents A and B have given the consent; neither has linked an account)');
      await w.say(a, '🚨 Сообщить об аварии');
      expect(inChat(a.id).at(-2)!.payload.text).toContain(`Аварийно-диспетчерская служба, круглосуточно`);
      await w.photo(a, 'walk-accident-1');
      await w.tap(a, '✅ Готово');
      await w.locate(a, 44.0445, 42.8605);
      await w.tap(a, 'Порыв трубы');
      await w.say(a, 'Из-под люка бьёт вода, заливает дорогу');
      await w.share(a, '79051112233');
      expect(last(a)).toMatch(/^Проверьте сообщение об аварии:\n/);
      await w.tap(a, '✅ Отправить');
      const number = /^Заявка (А-\d{6}) зарегистрирована\. Срок реагирования — до 23\.11\.2026 12:00 \(24 часа\)\./.exec(last(a))?.[1];
      expect(number).toBeDefined();
      expect(last(a)).toContain(`Аварийно-диспетчерская служба, круглосуточно: ${DISPATCHER}`);

      // The operators see the photo, the point and the card in the «Аварии» topic.
      const inGroup = group().filter((c) => c.method !== 'answerCallbackQuery');
      expect(inGroup.map((c) => c.method)).toEqual(['createForumTopic', 'sendPhoto', 'sendLocation', 'sendMessage']);
      expect(inGroup[0]!.payload.name).toBe('Аварии');
      const card = w.card(number!);
      expect(card.posted.payload.text).toContain('Повреждение: Порыв трубы');

      // A neighbour 60 m away is offered the known accident and joins it.
      await w.say(b, '🚨 Сообщить об аварии');
      await w.photo(b, 'walk-accident-2');
      await w.tap(b, '✅ Готово');
      await w.locate(b, 44.045, 42.861);
      expect(last(b)).toMatch(new RegExp(`^Об аварии рядом уже сообщили:\n• ${number}, Порыв трубы`));
      await w.tap(b, `✅ Да, это ${number}`);
      expect(last(b)).toBe(
        `Спасибо, ваше подтверждение добавлено к заявке ${number}. Статусы по ней будут приходить сюда.\nАварийно-диспетчерская служба, круглосуточно: ${DISPATCHER}`,
      );

      await move(w, op, number!, 'Принято', ['В работу', 'На исправление', 'Отказано', '🔄 Обновить']);
      await move(w, op, number!, 'В работу', expect.arrayContaining(['Выполнено']) as never);
      await move(w, op, number!, 'Выполнено', expect.arrayContaining(['🔄 Обновить']) as never);
      for (const x of [a, b]) expect(statusesTold(x, number!)).toEqual(['Принято', 'В работу', 'Выполнено']);
      // Only the author is asked to rate it.
      expect(labels(inChat(a.id).at(-1)!)).toEqual(['👍 Всё хорошо', '👎 Не выполнено']);
      expect(inChat(b.id).at(-1)!.payload.text).toBe(`Заявка ${number} (авария) выполнена.`);
      expect(labels(inChat(b.id).at(-1)!)).toEqual([]);

      const good = await w.tap(a, '👍 Всё хорошо');
      expect(last(a)).toBe(`Спасибо за оценку! Заявка ${number} закрыта.`);
      expectCardEdited(good, card.messageId, number!, 'Закрыто', ['🔄 Обновить']);
      // The neighbour is told it is closed; the author, who closed it, is not told again.
      expect(statusesTold(a, number!)).toEqual(['Принято', 'В работу', 'Выполнено']);
      expect(statusesTold(b, number!)).toEqual(['Принято', 'В работу', 'Выполнено', 'Закрыто']);
    } finally {
      await w.save();
    }
  });
});
