import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botWorld } from './support/bot-world.ts';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.ts';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => smtp.close());

const world = botWorld(8_600_000, () => ({ smtpUrl: smtp.url }));

const linkedAlla = () => world.newResident().agreeAndLink('002901800602302', '7', '30', 'Михайлова');
const codeIn = (subject: string | undefined) => /(\d{6})$/.exec(subject ?? '')?.[1] ?? '';

/** Settings → e-mail → address → the code from the letter. */
async function confirmAddress(r: Awaited<ReturnType<typeof linkedAlla>>, address: string) {
  await r.say('⚙️ Настройки');
  await r.tap('✉️ Электронная почта');
  await r.tap('Указать адрес');
  const before = smtp.received.length;
  await r.say(address);
  const letter = await smtp.waitFor(before + 1);
  await r.say(codeIn(letter.subject));
  expect(r.lastText()).toBe(`Адрес ${address} подтверждён. Теперь квитанции можно получать на почту.`);
}

describe('e-mail in the bot', () => {
  it('asks for the address, forgives typos and stickers, and confirms it with the code from the letter', async () => {
    const r = await linkedAlla();
    await r.say('⚙️ Настройки');
    await r.tap('✉️ Электронная почта');
    expect(r.lastText()).toBe('Адрес электронной почты не указан. На него можно получать квитанции в PDF: по запросу или каждый месяц.');
    await r.tap('Указать адрес');
    expect(r.lastText()).toBe('Напишите адрес электронной почты, например ivanova@mail.ru.');
    expect(r.lastMenu()).toEqual(['✖️ Отмена']);
    await r.say('alla.mail.ru');
    expect(r.lastText()).toMatch(/^Это не похоже на адрес электронной почты/);
    await r.sticker();
    expect(r.lastText()).toBe('Напишите адрес электронной почты, например ivanova@mail.ru.');
    const before = smtp.received.length;
    await r.say('Alla@Mail.Ru');
    expect(r.lastText()).toMatch(/^Мы отправили код из 6 цифр на Alla@mail\.ru\. Напишите его сюда\. Код действует 30 минут\./);
    const letter = await smtp.waitFor(before + 1);
    expect(letter.envelopeTo).toEqual(['Alla@mail.ru']);
    const code = codeIn(letter.subject);
    // Nothing of the code is kept in the bot's state (Redis).
    const keys = await world.kit.redis.keys('*');
    const stored = await Promise.all(keys.map((k) => world.kit.redis.get(k.slice(String(world.kit.redis.options.keyPrefix).length)).catch(() => '')));
    expect(stored.join('\n')).toContain('Alla@mail.ru'); // the conversation's state is what was read
    expect(stored.join('\n')).not.toContain(code);

    await r.say('12345');
    expect(r.lastText()).toBe('Код состоит из 6 цифр, он есть в письме. Напишите его, пожалуйста, ещё раз.');
    await r.say(code === '000000' ? '111111' : '000000');
    expect(r.lastText()).toBe('Код не подходит. Осталось 4 попытки.');
    await r.say(`${code.slice(0, 3)} ${code.slice(3)}`);
    expect(r.lastText()).toBe('Адрес Alla@mail.ru подтверждён. Теперь квитанции можно получать на почту.');
    expect(r.lastMenu()).toContain('🧾 Квитанция');

    await r.say('⚙️ Настройки');
    await r.tap('✉️ Электронная почта');
    expect(r.lastText()).toBe('Электронная почта: Alla@mail.ru\n\nКвитанция на почту каждый месяц:\n▫️ 002901800602302: без подписки');
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['📬 Подписаться: 002901800602302', 'Изменить адрес', 'Удалить адрес']);
  });

  it('sends the code again, or to another address, and can be left with «Отмена»', async () => {
    const r = await linkedAlla();
    await r.say('⚙️ Настройки');
    await r.tap('✉️ Электронная почта');
    await r.tap('Указать адрес');
    const before = smtp.received.length;
    await r.say('first@mail.ru');
    await smtp.waitFor(before + 1);
    await r.tap('Отправить код ещё раз');
    const second = await smtp.waitFor(before + 2);
    expect(second.envelopeTo).toEqual(['first@mail.ru']);
    await r.tap('Указать другой адрес');
    expect(r.lastText()).toBe('Напишите адрес электронной почты, например ivanova@mail.ru.');
    await r.say('second@mail.ru');
    const third = await smtp.waitFor(before + 3);
    expect(third.envelopeTo).toEqual(['second@mail.ru']);
    // The first code is no longer good: only the newest counts.
    await r.say(codeIn(second.subject) === codeIn(third.subject) ? '999999' : codeIn(second.subject));
    expect(r.lastText()).toMatch(/^Код не подходит/);
    await r.say('✖️ Отмена');
    expect(r.lastText()).toMatch(/^Действие отменено|Отменено/);

    // The pending address waits on the e-mail screen; the code can still be entered there.
    await r.say('⚙️ Настройки');
    await r.tap('✉️ Электронная почта');
    expect(r.lastText()).toContain('Ждём код подтверждения, отправленный на second@mail.ru.');
    await r.tap('Ввести код');
    expect(r.lastText()).toBe('Ждём код подтверждения, отправленный на second@mail.ru.');
    await r.say(codeIn(third.subject));
    expect(r.lastText()).toBe('Адрес second@mail.ru подтверждён. Теперь квитанции можно получать на почту.');
  });

  it('e-mails a receipt from «Квитанция», after asking for an address when there is none', async () => {
    const r = await linkedAlla();
    await r.say('🧾 Квитанция');
    await r.tap('Октябрь 2026');
    const doc = world.kit.api.calls.filter((c) => c.method === 'sendDocument').at(-1)!;
    expect(doc.payload.reply_markup.inline_keyboard.flat().map((b: { text: string }) => b.text)).toEqual(['✉️ Отправить на почту']);
    const mailButton = doc.payload.reply_markup.inline_keyboard[0][0].callback_data as string;
    await r.press(mailButton);
    expect(r.lastText()).toBe('Чтобы получать квитанции на почту, укажите адрес электронной почты и подтвердите его кодом из письма.');

    await confirmAddress(r, 'receipt@mail.ru');
    const before = smtp.received.length;
    const calls = await r.press(mailButton);
    expect(r.toasts(calls)).toEqual(['Отправляем на receipt@mail.ru…']);
    const letter = await smtp.waitFor(before + 1);
    expect(letter.envelopeTo).toEqual(['receipt@mail.ru']);
    expect(letter.attachments.map((a) => a.filename)).toEqual(['kvitanciya_002901800602302_2026-10.pdf']);
    expect(letter.attachments[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(r.lastText()).toBe('Квитанция за октябрь 2026 г. отправлена на receipt@mail.ru.');
    // A double tap sends one letter.
    const again = await r.press(mailButton);
    expect(r.toasts(again)).toEqual(['Эта квитанция только что отправлена на receipt@mail.ru. Проверьте почту, в том числе папку «Спам».']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.received.length).toBe(before + 1);

    // Someone else's button is refused.
    const stranger = world.newResident();
    await stranger.say('/start');
    await stranger.tap(/Согласен/);
    expect(stranger.toasts(await stranger.press(mailButton))).toEqual(['Эта кнопка уже не действует. Выберите действие заново.']);
  });

  it('subscribes to the monthly receipt from «Квитанция» and from the e-mail screen, and removes the address', async () => {
    const r = await linkedAlla();
    await r.say('🧾 Квитанция');
    await r.tap('📬 Присылать на почту каждый месяц');
    expect(r.lastText()).toMatch(/^Чтобы получать квитанции на почту/);
    await confirmAddress(r, 'monthly@mail.ru');
    await r.say('🧾 Квитанция');
    await r.tap('📬 Присылать на почту каждый месяц');
    expect(r.lastText()).toBe('Готово: квитанции по лицевому счёту 002901800602302 будут приходить на monthly@mail.ru каждый месяц, как только будут готовы.');
    await r.say('🧾 Квитанция');
    expect(r.lastInlineButtons().at(-1)!.text).toBe('Отписаться от рассылки на почту');
    await r.tap('Отписаться от рассылки на почту');
    expect(r.lastText()).toBe('Рассылка квитанций по лицевому счёту 002901800602302 отключена.');

    await r.say('⚙️ Настройки');
    await r.tap('✉️ Электронная почта');
    await r.tap('📬 Подписаться: 002901800602302');
    expect(r.lastText()).toContain('✅ 002901800602302: подписка оформлена');
    await r.tap('Удалить адрес');
    expect(r.lastText()).toBe('Удалить адрес monthly@mail.ru? Квитанции на него больше не будут приходить.');
    await r.tap('Да, удалить');
    expect(r.lastText()).toBe('Адрес электронной почты удалён, рассылка квитанций отключена.');
    await r.say('⚙️ Настройки');
    await r.tap('✉️ Электронная почта');
    expect(r.lastText()).toMatch(/^Адрес электронной почты не указан/);
  });

  it('loses nothing when Redis loses the dialogue while the code is awaited: the code is entered from the e-mail screen', async () => {
    const r = await linkedAlla();
    await r.say('⚙️ Настройки');
    await r.tap('✉️ Электронная почта');
    await r.tap('Указать адрес');
    const before = smtp.received.length;
    await r.say('restart@mail.ru');
    const letter = await smtp.waitFor(before + 1);
    const prefix = world.kit.redis.options.keyPrefix!;
    const own = (await world.kit.redis.keys('*')).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    expect(own.length).toBeGreaterThan(0);
    await world.kit.redis.del(...own);
    await r.say(codeIn(letter.subject)); // the dialogue is gone: a polite answer, no crash
    expect(r.lastText()).toMatch(/^Не понял сообщение/);
    await r.say('⚙️ Настройки');
    await r.tap('✉️ Электронная почта');
    expect(r.lastText()).toContain('Ждём код подтверждения, отправленный на restart@mail.ru.');
    await r.tap('Ввести код');
    await r.say(codeIn(letter.subject));
    expect(r.lastText()).toBe('Адрес restart@mail.ru подтверждён. Теперь квитанции можно получать на почту.');
  });

  it('answers a stale subscription button (account unlinked, address removed) without acting on it', async () => {
    const r = await linkedAlla();
    await confirmAddress(r, 'stale@mail.ru');
    await r.say('🧾 Квитанция');
    const subscribe = r.lastInlineButtons().at(-1)!.callback_data;
    await r.say('⚙️ Настройки');
    await r.tap('✉️ Электронная почта');
    const screenSubscribe = r.lastInlineButtons()[0]!.callback_data;
    await r.tap('Удалить адрес');
    await r.tap('Да, удалить');
    // The address is gone: the receipt screen's button asks for one again.
    await r.press(subscribe);
    expect(r.lastText()).toMatch(/^Чтобы получать квитанции на почту/);
    // The e-mail screen's button says it is stale and redraws the screen as it is now.
    const calls = await r.press(screenSubscribe);
    expect(r.toasts(calls)).toEqual(['Эта кнопка уже не действует. Выберите действие заново.']);
    expect(r.lastText()).toMatch(/^Адрес электронной почты не указан/);
    // Unlinked: the subscription buttons of that account are stale.
    await r.say('🏠 Мои счета');
    await r.tap(/Отвязать/);
    await r.tap(/Да/);
    expect(r.toasts(await r.press(subscribe))).toEqual(['Эта кнопка уже не действует. Выберите действие заново.']);
    expect(r.toasts(await r.press(subscribe.replace(':on:', ':off:')))).toEqual(['Эта кнопка уже не действует. Выберите действие заново.']);
  });

  it('says so plainly when the mail server refuses the code letter', async () => {
    const r = await linkedAlla();
    await r.say('⚙️ Настройки');
    await r.tap('✉️ Электронная почта');
    await r.tap('Указать адрес');
    smtp.refuse(true);
    try {
      await r.say('refused@mail.ru');
    } finally {
      smtp.refuse(false);
    }
    expect(r.lastText()).toBe('Не удалось отправить письмо. Попробуйте, пожалуйста, немного позже.');
    expect(r.lastMenu()).toContain('🧾 Квитанция');
  });
});
