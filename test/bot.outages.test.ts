import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../src/billing/import/index.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { OPERATORS_GROUP, residentOfAlla } from './support/desk.ts';
import { FIXTURE_DIR } from './support/fixture.ts';
import { createTestBot, Operator, type ApiCall, type TestBot } from './support/telegram.ts';

const GROUP = OPERATORS_GROUP;
let db: TestDatabase;
let kit: TestBot;
let op: Operator;
let other: Operator;
const ALLA = 83_001;
const NO_DRAFT = 'Эти кнопки — для оператора, который начал это отключение, и только пока оно не объявлено. Новое отключение — командой /outage.';

beforeAll(async () => {
  db = await freshDatabase();
  const report = await importFiles(db.orm, [FIXTURE_DIR]);
  if (report.errorCount) throw new Error('fixture import failed');
  kit = await createTestBot(db.orm, { operatorsChatId: GROUP });
  await residentOfAlla(kit.billing, ALLA);
  op = new Operator(kit, 500_001, GROUP);
  other = new Operator(kit, 500_002, GROUP);
});
afterAll(async () => {
  await kit?.close();
  await db?.drop();
});

/** The bot's last message in the group: its text, id and buttons. */
function lastInGroup() {
  const m = kit.api.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === GROUP).at(-1)!;
  const keyboard: { text: string; callback_data: string }[] = (m.payload.reply_markup?.inline_keyboard ?? []).flat();
  return { text: m.payload.text as string, messageId: m.result.message_id as number, keyboard, forceReply: Boolean(m.payload.reply_markup?.force_reply) };
}
const button = (label: string) => {
  const m = lastInGroup();
  const b = m.keyboard.find((k) => k.text === label);
  if (!b) throw new Error(`no button ${label} among ${m.keyboard.map((k) => k.text).join(' | ')}`);
  return { data: b.callback_data, messageId: m.messageId };
};
const press = async (who: Operator, label: string) => {
  const b = button(label);
  return who.press(b.data, { messageId: b.messageId });
};
const answer = (text: string) => op.reply(text, { messageId: lastInGroup().messageId });
const toAlla = (calls: ApiCall[]) => calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === ALLA).map((c) => c.payload.text as string);

describe('outages from the operators’ group', () => {
  it('/outage: kind, branch, streets with a typo, bad time and reason answered clearly, then announced; residents told at once', async () => {
    await op.say('/outage');
    expect(lastInGroup().text).toBe('Новое отключение воды. Какое?');
    // Another operator's tap on this draft changes nothing.
    const taken = await press(other, 'Аварийное');
    expect(other.toasts(taken)).toEqual([NO_DRAFT]);
    await press(op, 'Аварийное');
    // The group serves both branches of the fixture: which one.
    expect(lastInGroup().text).toBe('Какой филиал?');
    await press(op, 'Ессентукский «Водоканал»');
    expect(lastInGroup().forceReply).toBe(true);
    await answer('Неизвестная 5');
    expect(lastInGroup().text).toBe('Улица «Неизвестная» не найдена. Проверьте написание и пришлите список ещё раз ответом на это сообщение.');
    await answer('Ермакова');
    expect(lastInGroup().text).toBe(
      'В строке «Ермакова» нет домов. Укажите номера через запятую или «все» и пришлите список ещё раз ответом на это сообщение.',
    );
    await answer('Ермокова 7, 9');
    expect(lastInGroup().text.split('\n')[0]).toBe('ул. Ермакова, 7, 9');
    await answer('завтра');
    expect(lastInGroup().text).toBe('Не удалось разобрать время. Пример: «02.12 09:00 – 02.12 18:00» или «до 18:00». Ответьте на это сообщение ещё раз.');
    await answer('до 18:00');
    expect(lastInGroup().text).toBe('Причина — ответом на это сообщение, например «ремонт водовода».');
    await answer('порыв водовода');
    expect(lastInGroup().text).toBe(
      'Проверьте отключение:\nАварийное отключение, Ессентукский «Водоканал»\nГде: ул. Ермакова, 7, 9\nС 22.11.2026 12:00 до 22.11.2026 18:00\nПричина: порыв водовода',
    );
    const confirm = button('✅ Объявить');
    const announced = await op.press(confirm.data, { messageId: confirm.messageId });
    const card = lastInGroup();
    expect(card.text).toMatch(/^Отключение № \d+ \(объявлено\)\nАварийное отключение, Ессентукский «Водоканал»\nГде: ул. Ермакова, 7, 9\n/);
    expect(card.text.endsWith('Уведомлений жителям: 1.')).toBe(true);
    expect(card.keyboard.map((k) => k.text)).toEqual(['🕑 Новое окончание', '💧 Вода есть', '✖️ Отменить']);
    expect(toAlla(announced)).toEqual([
      'Аварийное отключение воды по адресу ул. Ермакова, 7: с 22.11.2026 12:00, ориентировочно до 22.11.2026 18:00.\nПричина: порыв водовода.\nСпециалисты уже работают. Сообщать об этой аварии не нужно.',
    ]);
    // A double tap on «Объявить» announces nothing more.
    const again = await op.press(confirm.data, { messageId: confirm.messageId });
    expect(op.toasts(again)).toEqual([NO_DRAFT]);
    expect(toAlla(again)).toEqual([]);

    // A new expected end, then «Вода есть»: Алла hears each once.
    await press(op, '🕑 Новое окончание');
    expect(lastInGroup().text).toMatch(/новое ожидаемое окончание/);
    await answer('25:00');
    expect(lastInGroup().text).toBe('Не удалось разобрать время. Пример: «02.12 09:00 – 02.12 18:00» или «до 18:00». Ответьте на это сообщение ещё раз.');
    const extended = await answer('20:00');
    expect(lastInGroup().text).toMatch(/^Отключение № \d+: окончание — 22\.11\.2026 20:00\.\nУведомлений жителям: 1\.$/);
    expect(toAlla(extended)).toEqual([
      'Изменился срок отключения воды по адресу ул. Ермакова, 7: воду дадут ориентировочно к 22.11.2026 20:00 (ранее сообщали — к 22.11.2026 18:00).\nПричина: порыв водовода.',
    ]);
    const resolved = await op.press(card.keyboard.find((k) => k.text === '💧 Вода есть')!.callback_data, { messageId: card.messageId });
    expect(toAlla(resolved)).toEqual(['Вода есть: подача воды по адресу ул. Ермакова, 7 восстановлена. Спасибо за терпение.']);
    const twice = await op.press(card.keyboard.find((k) => k.text === '💧 Вода есть')!.callback_data, { messageId: card.messageId });
    expect(op.toasts(twice)[0]).toMatch(/^Отключение № \d+ уже закрыто \(вода есть\)\.$/);
    expect(toAlla(twice)).toEqual([]);
  });

  it('a planned outage from the group is told the evening before; cancelling asks once more', async () => {
    await op.say('/outage');
    await press(op, 'Плановое');
    await press(op, 'Ессентукский «Водоканал»');
    await answer('Ермакова все');
    await answer('25.11 09:00 – 25.11 17:00');
    await answer('замена задвижки');
    const announced = await press(op, '✅ Объявить');
    expect(toAlla(announced)).toEqual([]);
    const card = lastInGroup();
    expect(lastInGroup().text.endsWith('Уведомлений жителям: сейчас — 0, 24.11.2026 18:00 — 1.')).toBe(true);
    await press(op, '✖️ Отменить');
    expect(lastInGroup().text).toMatch(/^Отменить отключение № \d+\?/);
    const cancelled = await press(op, '✖️ Отменить');
    expect(lastInGroup().text).toMatch(/^Отключение № \d+ отменено\.\nУведомлений жителям: 0\.$/);
    expect(toAlla(cancelled)).toEqual([]);
    // The announcement's buttons are gone with it.
    expect(cancelled.some((c) => c.method === 'editMessageReplyMarkup' && c.payload.message_id === card.messageId)).toBe(true);
  });

  it('outside a desk group /outage is refused; a private chat does not know it', async () => {
    const stranger = new Operator(kit, 500_003, -1009999999999);
    await stranger.say('/outage');
    const refused = kit.api.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === -1009999999999).at(-1)!;
    expect(refused.payload.text).toBe('Эта команда работает только в группе операторов.');
  });
});
