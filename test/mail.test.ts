import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Billing } from '../src/billing/index.ts';
import { createTranslator } from '../src/i18n.ts';
import { createLogger } from '../src/logger.ts';
import { createMail, createMailer, type Mail } from '../src/mail/index.ts';
import { buildWeb } from '../src/web/app.ts';
import { inlineRenderer } from '../src/pdf/inline-renderer.ts';
import { receiptLetter } from '../src/mail/letters.ts';
import type { TestDatabase } from './support/db.ts';
import { openFixtureBilling, residentWithAddress } from './support/billing-fixture.ts';
import { NOW, STAFF } from './support/fixture.ts';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.ts';
import { viaTelegram } from '../src/billing/index.ts';
import { drainNotices } from '../src/jobs/notice.ts';
import { memoryPace } from '../src/jobs/pace.ts';

let db: TestDatabase;
let billing: Billing;
let smtp: TestSmtpServer;
let mail: Mail;
let alla: number;
let semenov: number;
let clock = NOW;
const log = createLogger('silent');
const translator = createTranslator();
const renderer = inlineRenderer(translator);
const sql = (q: string, params: unknown[] = []) => db.orm.em.getConnection().execute(q, params);

beforeAll(async () => {
  const fixture = await openFixtureBilling(() => clock);
  ({ db, billing } = fixture);
  alla = await fixture.accountId('002901800602302');
  semenov = await fixture.accountId('002901800602303');
  smtp = await startSmtpServer();
  const mailer = createMailer({ smtpUrl: smtp.url, from: { name: 'Водоканал', address: 'no-reply@vodokanal.test' }, outboxDir: os.tmpdir(), log });
  mail = createMail({ billing, renderer, mailer, translator, publicUrl: 'https://lk.vodokanal.test', log });
});
afterAll(async () => {
  await smtp.close();
  await db.drop();
});

const pdfText = async (bytes: Buffer) => {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const page = await doc.getPage(1);
  return (await page.getTextContent()).items
    .map((i) => ('str' in i ? i.str : ''))
    .join(' ')
    .replace(/\s+/g, ' ');
};

/** The monthly mailing as the job runs it: planned into the outbox, then the e-mail channel drained. */
async function mailDue(with_ = mail): Promise<{ sent: number; failed: number }> {
  for (let after = 0; ; ) {
    const b = await billing.mailings.plan({ after });
    if (!b.ok || b.value.last === null) break;
    after = b.value.last;
  }
  const c = await drainNotices(
    { billing, translator, log, mail: with_, pace: memoryPace(1000), mailPace: memoryPace(1000) },
    { budgetMs: 20_000, parallel: 0, channels: ['email'] },
  );
  return { sent: c.sent, failed: c.refused + c.retry };
}

let nextUser = 92_000;
const subscriber = (address: string, language: 'ru' | 'en' = 'ru') => residentWithAddress(billing, ++nextUser, address, language);

describe('letters over SMTP', () => {
  it('sends the confirmation code in a letter, and nowhere else', async () => {
    const telegramId = ++nextUser;
    await billing.residents.giveConsent({ actor: viaTelegram(telegramId), version: 't' });
    const before = smtp.received.length;
    const sent = await mail.sendCode({ actor: viaTelegram(telegramId), address: 'Code@Mail.ru', language: 'ru' });
    expect(sent).toEqual({ ok: true, value: { address: 'Code@mail.ru', minutes: 30 } });
    const letter = await smtp.waitFor(before + 1);
    expect(letter.envelopeTo).toEqual(['Code@mail.ru']);
    expect(letter.from?.text).toBe('"Водоканал" <no-reply@vodokanal.test>');
    const code = /Код подтверждения адреса: (\d{6})$/.exec(letter.subject ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    expect(letter.text).toContain(`    ${code}`);
    expect(letter.text).toContain('Код действует 30 минут.');
    expect(letter.html).toContain(`>${code}</p>`);
    expect(letter.html).toContain('<html lang="ru">');
    expect(await billing.email.confirm({ actor: viaTelegram(telegramId), code: code! })).toEqual({ ok: true, value: { address: 'Code@mail.ru' } });
  });

  it('e-mails the receipt a resident asks for, the PDF attached', async () => {
    const telegramId = await subscriber('alla@mail.ru');
    const before = smtp.received.length;
    expect(await mail.sendReceiptToResident({ actor: viaTelegram(telegramId), accountId: alla, month: '2026-10', language: 'ru' })).toEqual({
      ok: true,
      value: { address: 'alla@mail.ru', month: 'октябрь 2026 г.' },
    });
    const letter = await smtp.waitFor(before + 1);
    expect(letter.subject).toBe('Квитанция за октябрь 2026 г., лицевой счёт 002901800602302');
    expect(letter.from?.text).toBe('"Филиал «Ессентукский водоканал»" <no-reply@vodokanal.test>');
    expect(letter.replyTo?.text).toMatch(/@/);
    expect(letter.text).toContain('К оплате: 432,85 ₽');
    expect(letter.html).toContain('432,85 ₽');
    expect(letter.headerLines.some((h) => h.key === 'list-unsubscribe')).toBe(false);
    expect(letter.attachments.map((a) => [a.filename, a.contentType])).toEqual([['kvitanciya_002901800602302_2026-10.pdf', 'application/pdf']]);
    const text = await pdfText(letter.attachments[0]!.content);
    expect(text).toContain('Итого к оплате: 432,85 ₽');
    expect(text).toContain('МИХАЙЛОВА АЛЛА МИХАЙЛОВНА');
  });

  it('of an overpaid account names the overpayment, as the receipt does, and asks for nothing', async () => {
    const r = await billing.receipts.forMonth({ actor: STAFF, accountId: semenov, month: '2026-10' });
    if (!r.ok) throw new Error(r.error.code);
    for (const [language, advance, toPay, closing] of [
      ['ru', 'Переплата: 470,46 ₽', 'К оплате: 0,00 ₽', 'Оплачивать ничего не нужно: переплата будет зачтена в счёт следующих начислений.'],
      ['en', 'Overpayment: 470,46 ₽', 'To pay: 0,00 ₽', 'There is nothing to pay: the overpayment will be set against the next charges.'],
    ] as const) {
      const letter = receiptLetter(translator(language), language, r.value, await renderer.render(r.value, language), {});
      expect(letter.text).toContain(`${advance}\n${toPay}`);
      expect(letter.text).toContain(closing);
      expect(letter.text).not.toMatch(/Задолженности нет|There is no debt/);
      expect(letter.html).toContain('470,46 ₽');
    }
    // A debt is not named twice: no overpayment line.
    const debt = await billing.receipts.forMonth({ actor: STAFF, accountId: alla, month: '2026-10' });
    if (!debt.ok) throw new Error(debt.error.code);
    const letter = receiptLetter(translator('ru'), 'ru', debt.value, await renderer.render(debt.value, 'ru'), {});
    expect(letter.text).not.toContain('Переплата');
  });

  it("writes the letter in the resident's language", async () => {
    const telegramId = await subscriber('alla.en@mail.ru', 'en');
    const before = smtp.received.length;
    await mail.sendReceiptToResident({ actor: viaTelegram(telegramId), accountId: alla, month: '2026-10', language: 'en' });
    const letter = await smtp.waitFor(before + 1);
    expect(letter.subject).toMatch(/^Bill for .* account 002901800602302$/);
    expect(letter.html).toContain('<html lang="en">');
    expect(letter.text).toContain('To pay: 432,85 ₽');
  });

  it('refuses without a confirmed address or a link, and says so when the server refuses', async () => {
    const telegramId = ++nextUser;
    await billing.residents.giveConsent({ actor: viaTelegram(telegramId), version: 't' });
    expect(await mail.sendReceiptToResident({ actor: viaTelegram(telegramId), accountId: alla, month: '2026-10', language: 'ru' })).toEqual({
      ok: false,
      error: { code: 'account_not_linked' },
    });
    await billing.residents.linkAccount({
      actor: viaTelegram(telegramId),
      proof: { by: 'number', longNumber: '002901800602302', house: '7', flat: '30', flatPrefix: null, surname: 'Михайлова', pin: null },
    });
    expect(await mail.sendReceiptToResident({ actor: viaTelegram(telegramId), accountId: alla, month: '2026-10', language: 'ru' })).toEqual({
      ok: false,
      error: { code: 'email_not_confirmed' },
    });
    const withAddress = await subscriber('refused@mail.ru');
    const lines: string[] = [];
    const logged = createLogger('info', { write: (line: string) => void lines.push(line) });
    const watched = createMail({
      billing,
      renderer,
      mailer: createMailer({ smtpUrl: smtp.url, from: { name: 'В', address: 'no-reply@vodokanal.test' }, outboxDir: os.tmpdir(), log: logged }),
      translator,
      publicUrl: 'http://x',
      log: logged,
    });
    smtp.refuse(true);
    try {
      expect(await watched.sendReceiptToResident({ actor: viaTelegram(withAddress), accountId: alla, month: '2026-10', language: 'ru' })).toEqual({
        ok: false,
        error: { code: 'mail_failed' },
      });
    } finally {
      smtp.refuse(false);
    }
    // The log says why, never to whom: the server's answer repeats the address, and it is cut out.
    expect(lines.join('')).toContain('mailbox busy, try again later');
    expect(lines.join('')).not.toContain('refused@mail.ru');
  });
});

describe('the monthly receipt by e-mail', () => {
  it('mails each subscriber the new month once, with a one-click unsubscribe link that works', async () => {
    await sql(`delete from receipt_subscription`);
    const telegramId = await subscriber('monthly@mail.ru');
    expect(await billing.receipts.subscribe({ actor: viaTelegram(telegramId), accountId: alla })).toMatchObject({ ok: true });
    expect(await mailDue()).toEqual({ sent: 0, failed: 0 });

    await sql(
      `insert into statement (account_id, period, opening, charged, recalculation, volume, benefits, paid, closing) values (?, '2026-11-01', 432.85, 104.20, 0, 2, 0, 0, 537.05)`,
      [alla],
    );
    const before = smtp.received.length;
    expect(await mailDue()).toEqual({ sent: 1, failed: 0 });
    const letter = await smtp.waitFor(before + 1);
    expect(letter.envelopeTo).toEqual(['monthly@mail.ru']);
    expect(letter.subject).toBe('Квитанция за ноябрь 2026 г., лицевой счёт 002901800602302');
    expect(letter.attachments[0]!.filename).toBe('kvitanciya_002901800602302_2026-11.pdf');
    expect(await pdfText(letter.attachments[0]!.content)).toContain('Итого к оплате: 537,05 ₽');
    expect(letter.text).toContain('Вы получаете это письмо, потому что подписались');
    expect(await mailDue()).toEqual({ sent: 0, failed: 0 });

    const rawHeader = (name: string) =>
      letter.headerLines
        .find((h) => h.key === name)
        ?.line.replace(/^[^:]+:\s*/, '')
        .replace(/\r?\n\s+/g, '');
    const header = rawHeader('list-unsubscribe') ?? '';
    const url = /^<(https:\/\/lk\.vodokanal\.test\/mail\/unsubscribe\/[A-Za-z0-9_-]{43}\?lang=ru)>$/.exec(header)?.[1];
    expect(url).toBeDefined();
    expect(rawHeader('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(letter.html).toContain(`href="${url!.replace('&', '&amp;')}"`);

    const web = await buildWeb({ billing, translator, log, readiness: { database: () => 'up' } });
    try {
      const pathOf = new URL(url!).pathname + new URL(url!).search;
      // Opening the link only asks: link checkers must not unsubscribe anyone.
      const page = await web.inject({ method: 'GET', url: pathOf });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain('Больше не присылать на почту ежемесячную квитанцию по лицевому счёту 002901800602302?');
      expect(page.body).toContain(`<form method="post" action="${pathOf}">`);
      expect(await billing.email.get({ actor: viaTelegram(telegramId) })).toMatchObject({ ok: true, value: { subscribedAccountIds: [alla] } });
      // The paper receipt declined with the subscription (seed 002) comes back with its end.
      expect(await billing.receipts.paperOptOut({ actor: viaTelegram(telegramId), accountId: alla, on: true })).toMatchObject({ ok: true });
      // The mail client's one-click POST (RFC 8058).
      const done = await web.inject({
        method: 'POST',
        url: pathOf,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(done.statusCode).toBe(200);
      expect(done.body).toContain('больше не будут приходить на почту');
      expect(done.body).toContain('Бумажная квитанция снова будет приходить.');
      expect(await sql('select paper_opt_out_chosen from account where id = ?', [alla])).toEqual([{ paper_opt_out_chosen: false }]);
      expect(await billing.email.get({ actor: viaTelegram(telegramId) })).toMatchObject({ ok: true, value: { subscribedAccountIds: [] } });
      const again = await web.inject({ method: 'POST', url: pathOf });
      expect(again.statusCode).toBe(404);
      expect(again.body).toContain('Эта ссылка уже не действует');
      const english = await web.inject({ method: 'GET', url: pathOf.replace('lang=ru', 'lang=en') });
      expect(english.body).toContain('This link no longer works');
    } finally {
      await web.close();
    }
  });

  it('a refused letter is tried again later, not lost and not doubled', async () => {
    await sql(`delete from receipt_subscription`);
    const telegramId = await subscriber('later@mail.ru');
    await billing.receipts.subscribe({ actor: viaTelegram(telegramId), accountId: alla });
    await sql(`update receipt_subscription set since_month = '2026-10-01'`);
    smtp.refuse(true);
    try {
      expect(await mailDue()).toEqual({ sent: 0, failed: 1 });
    } finally {
      smtp.refuse(false);
    }
    expect(await mailDue()).toEqual({ sent: 0, failed: 0 });
    clock = new Date(clock.getTime() + 11 * 60_000);
    const before = smtp.received.length;
    expect(await mailDue()).toEqual({ sent: 1, failed: 0 });
    expect((await smtp.waitFor(before + 1)).envelopeTo).toEqual(['later@mail.ru']);
    expect(await mailDue()).toEqual({ sent: 0, failed: 0 });
  });
});

describe('without SMTP_URL', () => {
  it('writes letters to the outbox folder as .eml files', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'outbox-test-'));
    try {
      const outbox = createMail({
        billing,
        renderer,
        mailer: createMailer({ from: { name: 'Водоканал', address: 'no-reply@vodokanal.test' }, outboxDir: dir, log }),
        translator,
        publicUrl: 'http://x',
        log,
      });
      const telegramId = await subscriber('outbox@mail.ru');
      expect(await outbox.sendReceiptToResident({ actor: viaTelegram(telegramId), accountId: alla, month: '2026-10', language: 'ru' })).toMatchObject({
        ok: true,
      });
      const files = await readdir(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/\.eml$/);
      const eml = await readFile(path.join(dir, files[0]!), 'utf8');
      expect(eml).toMatch(/^To: outbox@mail\.ru$/m);
      expect(eml).toContain('kvitanciya_002901800602302_2026-10.pdf');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
