import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Billing } from '../src/billing/index.ts';
import { localFileStore } from '../src/files/store.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import { axeViolations, CHROMIUM, fitsWidth, hasChromium, launchChromium } from './support/browser.ts';
import type { TestDatabase } from './support/db.ts';
import { seedRequests } from './support/requests.ts';
import { signedInResident } from './support/web-signed-in.ts';
import { openWebWorld } from './support/web-world.ts';

if (!hasChromium) console.warn(`web.more.browser.test: ${CHROMIUM} is absent, the browser tests are skipped`);

/** SCREENSHOTS=1 keeps a PNG of each page here. */
const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
/** A real 2×2 PNG (what a phone's camera would give, only smaller). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGNk+M8ABEwMDAwMDIwMDAAKkQEBkGX5MwAAAABJRU5ErkJggg==', 'base64');

let db: TestDatabase;
let billing: Billing;
let world: Awaited<ReturnType<typeof openWebWorld>>;
let browser: Browser;
let base: string;
let filesDir: string;

beforeAll(async () => {
  if (!hasChromium) return;
  ({ db, billing } = await openFixtureBilling());
  await seedRequests(db);
  filesDir = await mkdtemp(path.join(os.tmpdir(), 'web-browser-files-'));
  world = await openWebWorld(billing, { files: localFileStore({ dir: filesDir }) });
  await signedInResident(world, billing, { telegramId: 98_000_001, address: 'alla.b@example.test', ip: '10.11.0.1' });
  base = await world.web.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
  if (process.env.SCREENSHOTS === '1') await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await world?.close();
  await db?.drop();
  if (filesDir) await rm(filesDir, { recursive: true, force: true });
});

/** The page as it is now: no serious or critical accessibility violation, it fits a phone, and its screenshot when asked. */
async function check(page: Page, name: string) {
  expect(await axeViolations(page)).toEqual([]);
  expect(await fitsWidth(page)).toBe(true);
  if (process.env.SCREENSHOTS === '1') await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe.skipIf(!hasChromium)('the signed-in pages in Chromium', () => {
  it('receipts, settings and requests are accessible; an accident is reported with a photo', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    try {
      const refused: string[] = [];
      page.on('console', (m) => m.type() === 'error' && /Content Security Policy/.test(m.text()) && refused.push(m.text()));
      // Signing in by an e-mail code.
      await page.goto(`${base}/signin`);
      await page.getByLabel('Адрес электронной почты').fill('alla.b@example.test');
      await page.getByRole('button', { name: 'Получить код' }).click();
      await page.waitForSelector('input[name="code"]');
      const { code } = await world.codeOf(world.smtp.received.length);
      await page.getByLabel('Код из письма').fill(code);
      await page.getByRole('button', { name: 'Подтвердить' }).click();
      await page.waitForURL(`${base}/account`);

      for (const [url, name] of [
        ['/receipts', 'receipts'],
        ['/settings', 'settings'],
        ['/settings/withdraw', 'settings-withdraw'],
        ['/requests/inspector', 'inspector'],
      ] as const) {
        expect((await page.goto(`${base}${url}`))?.status()).toBe(200);
        await check(page, name);
      }
      // A wrong phone in the settings: the summary and the field's error are accessible too.
      await page.goto(`${base}/settings`);
      await page.getByLabel('Номер телефона').fill('12');
      await page.getByRole('button', { name: 'Сохранить' }).nth(2).click();
      await page.waitForSelector('.error-summary');
      await check(page, 'settings-error');

      // The accident: the place typed, then the photo uploaded with the report.
      await page.goto(`${base}/requests`);
      await page.getByRole('link', { name: 'Сообщить об аварии' }).click();
      await page.waitForSelector('form[action="/requests/accident/place"]');
      await check(page, 'accident-place');
      await page.getByLabel('Адрес или ориентир').fill('ул. Ермакова, 9');
      await page.getByLabel('Населённый пункт (водоканал)').selectOption('alpha');
      await page.getByRole('button', { name: 'Продолжить' }).click();
      await page.waitForSelector('form[enctype="multipart/form-data"]');
      await check(page, 'accident');
      await page.getByLabel('Фото места аварии').setInputFiles({ name: 'leak.png', mimeType: 'image/png', buffer: PNG });
      await page.getByLabel('Вид повреждения').selectOption('pipe_burst');
      await page.getByLabel('Что вы видите').fill('Из-под люка течёт вода на дорогу');
      await page.getByRole('button', { name: 'Сообщить об аварии' }).click();
      await page.waitForSelector('.result');
      const said = (await page.locator('.result').textContent()) ?? '';
      const number = /Заявка (А-\d+) зарегистрирована/.exec(said)?.[1];
      expect(number).toBeDefined();
      await check(page, 'accident-sent');
      const [photo] = await db.orm.em
        .getConnection()
        .execute(`select a.mime, a.size from request_attachment a join service_request r on r.id = a.request_id where r.number = ?`, [number]);
      expect(photo).toMatchObject({ mime: 'image/png', size: PNG.length });

      await page.goto(`${base}/requests`);
      expect(await page.locator('.requests').textContent()).toContain(number!);
      await check(page, 'requests');
      expect(refused).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
