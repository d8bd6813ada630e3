import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiptData } from '../src/billing/index.ts';
import { createI18n } from '../src/bot/create-bot.ts';
import { addressLine } from '../src/words.ts';
import { monthParts } from '../src/format.ts';
import { parsePaymentString } from '../src/pdf/payment-qr.ts';
import { renderReceiptPdf } from '../src/pdf/receipt-pdf.ts';
import type { TestDatabase } from './support/db.ts';
import { openFixtureBilling, payOverpaidAccount } from './support/billing-fixture.ts';
import { STAFF } from './support/fixture.ts';

// jsqr is CommonJS with a default export: under NodeNext the function sits on .default.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

let db: TestDatabase;
let pdf: Buffer;
let data: ReceiptData;
let semyonov: ReceiptData;
let dir: string;

const i18n = createI18n();
function render(r: ReceiptData, lang: 'ru' | 'en'): Promise<Buffer> {
  const t = (key: string, vars?: Record<string, string | number>) => i18n.t(lang, key, vars);
  return renderReceiptPdf(r, t, {
    monthName: t('receipt-month', monthParts(r.month)),
    addressLine: addressLine(t, r.payer.address),
    serviceName: (code) => t(`service-${code}`),
  });
}

beforeAll(async () => {
  const fixture = await openFixtureBilling();
  db = fixture.db;
  await payOverpaidAccount(db);
  const forMonth = async (account: string) => {
    const receipt = await fixture.billing.receipts.forMonth({ actor: STAFF, accountId: await fixture.accountId(account), month: '2026-10' });
    if (!receipt.ok) throw new Error('receipt');
    return receipt.value;
  };
  data = await forMonth('002901800602302');
  semyonov = await forMonth('002901800602303');
  pdf = await render(data, 'ru');
  dir = await mkdtemp(path.join(os.tmpdir(), 'receipt-'));
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

/** The text as poppler's pdftotext reads it (a line apart where the layout breaks a line), one line. */
async function popplerText(bytes: Buffer): Promise<string> {
  const file = path.join(dir, `text-${Math.random().toString(36).slice(2)}.pdf`);
  await writeFile(file, bytes);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

const pages = async (bytes: Buffer) => (await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise).numPages;

async function pdfText(bytes: Buffer): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const page = await doc.getPage(1);
  // Not normalised, so that a ligature extracting as its own code point (ﬀ for ff) would show.
  const content = await page.getTextContent({ disableNormalization: true });
  return content.items
    .map((i) => ('str' in i ? i.str : ''))
    .join(' ')
    .replace(/\s+/g, ' ');
}

describe('the PDF receipt', () => {
  it('is one A4 page, small, with a Cyrillic font embedded', async () => {
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await pages(pdf)).toBe(1);
    expect(pdf.length).toBeLessThan(60 * 1024);
    expect(pdf.toString('latin1')).toMatch(/DejaVuSans/);
  });

  it("shows the statement's figures, the payer and the payee", async () => {
    const text = await pdfText(pdf);
    for (const expected of [
      'Платёжный документ за октябрь 2026 г. от 22.11.2026',
      '002901800602302',
      'МИХАЙЛОВА АЛЛА МИХАЙЛОВНА',
      'г. Ессентуки, ул. Ермакова, д. 7, кв. 30',
      'ИНН 2635040105 / КПП 262602001',
      'БИК 040702615',
      'Долг на начало периода: 208,40 ₽',
      'Оплачено в периоде: 100,00 ₽',
      'Льготы: 10,00 ₽',
      'Итого к оплате: 432,85 ₽',
      '234,45', // cold water charged
      '52,10', // tariff
      '100,00', // recalculation
    ])
      expect(text).toContain(expected);
    // The closing debt is the amount to pay: printed once, not again as «долг на конец».
    expect(text).not.toMatch(/на конец периода/);
  });

  it('names the last payment, here one after the month, and where it counts', async () => {
    expect(await popplerText(pdf)).toContain('Последняя оплата: 05.11.2026, 300,00 ₽ (учитывается в расчёте за ноябрь 2026 г.)');
  });

  it('asks to check the figures within the 10 days of the utility (seed 000 §9)', async () => {
    expect(await popplerText(pdf)).toContain(
      'Пожалуйста, проверьте число проживающих, площадь, норматив и показания счётчиков. Если что-то указано неверно, в течение 10 дней обратитесь в абонентский отдел с подтверждающими документами, тел. (87934) 6-66-82.',
    );
  });

  it('of an overpaid account shows the overpayment at the end of the period and nothing to pay, on one page', async () => {
    const overpaid = await render(semyonov, 'ru');
    expect(await pages(overpaid)).toBe(1);
    const text = await popplerText(overpaid);
    for (const expected of [
      'Платёжный документ за октябрь 2026 г. от 22.11.2026',
      'Переплата на начало периода: 33,13 ₽',
      'Оплачено в периоде: 437,33 ₽',
      'Последняя оплата: 20.10.2026, 437,33 ₽',
      'Переплата на конец периода: 470,46 ₽',
      'Итого к оплате: 0,00 ₽',
      'Переплата будет зачтена в счёт следующих начислений.',
      'в течение 10 дней обратитесь в абонентский отдел',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('учитывается в расчёте за');
    const english = await popplerText(await render(semyonov, 'en'));
    expect(english).toContain('Overpayment at the end of the period: 470,46 ₽');
    expect(english).toContain('Total to pay: 0,00 ₽');
    expect(english).toContain('Last payment: 20.10.2026, 437,33 ₽');
  });

  it('stays one page with the notice at the foot when the readings fill the page', async () => {
    const reading = data.readings[0]!;
    const long = { ...data, readings: Array.from({ length: 27 }, (_, i) => ({ ...reading, serial: `1000${i}` })) };
    const bytes = await render(long, 'ru');
    expect(await pages(bytes)).toBe(1);
    expect(await popplerText(bytes)).toContain('в течение 10 дней обратитесь в абонентский отдел');
  });

  it('carries a payment QR code a bank app can read, for the amount to pay', async () => {
    const file = path.join(dir, 'receipt.pdf');
    await writeFile(file, pdf);
    execFileSync('pdftoppm', ['-png', '-r', '200', '-singlefile', file, path.join(dir, 'page')]);
    const png = PNG.sync.read(await readFile(path.join(dir, 'page.png')));
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(code).not.toBeNull();
    const fields = parsePaymentString(code!.data);
    expect(fields).toMatchObject({
      PersonalAcc: '40602810860100000011',
      BIC: '040702615',
      CorrespAcc: '30101810907020000615',
      PayeeINN: '2635040105',
      KPP: '262602001',
      Sum: '43285',
      PersAcc: '002901800602302',
      PaymPeriod: '102026',
    });
    expect(fields.Name).toBe(data.payee.name);
    expect(fields.BankName).toBe('Ставропольское отделение № 5230 ПАО Сбербанк');
  });
});

describe('receipts rendered one after another (fonts and word layouts are shared between documents)', () => {
  /** The PDF without what differs on every rendering: the creation date and the file id made from it. */
  const timeless = (b: Buffer) =>
    b
      .toString('latin1')
      .replace(/\(D:\d{14}Z\)/g, '(D:)')
      .replace(/\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/, '/ID []');

  it('each has its own text: another account, then English, then the first receipt again', async () => {
    const second = await pdfText(await render(semyonov, 'ru'));
    expect(second).toContain('СЕМЁНОВ ПЁТР ИВАНОВИЧ');
    expect(second).toContain('Переплата на начало периода: 33,13 ₽');
    expect(second).toContain('Лицевой счёт: 002901800602303 (короткий 602303)');
    expect(second).not.toContain('МИХАЙЛОВА');

    const english = await pdfText(await render(data, 'en'));
    for (const expected of [
      'Payment document for October 2026',
      'Personal account: 002901800602302 (short 602302)',
      'Payer: МИХАЙЛОВА АЛЛА МИХАЙЛОВНА',
      'Tariff, ₽/m³',
      'Debt at the start of the period: 208,40 ₽',
      'Total to pay: 432,85 ₽',
    ])
      expect(english).toContain(expected);
    expect(english).not.toMatch(/Платёжный|СЕМЁНОВ/);

    const englishSecond = await pdfText(await render(semyonov, 'en'));
    expect(englishSecond).toContain('Payer: СЕМЁНОВ ПЁТР ИВАНОВИЧ');
    expect(englishSecond).toContain('Overpayment at the start of the period: 33,13 ₽');

    // The first receipt again: the same bytes as when it was rendered first.
    expect(timeless(await render(data, 'ru'))).toBe(timeless(pdf));
  });
});
