import type { FastifyInstance } from 'fastify';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFixtureBilling } from './support/billing-fixture.ts';
import { axeViolations, CHROMIUM, fitsWidth, hasChromium, launchChromium } from './support/browser.ts';
import type { TestDatabase } from './support/db.ts';
import { openWebWorld } from './support/web-world.ts';

if (!hasChromium) console.warn(`web.browser.test: ${CHROMIUM} is absent, the browser tests are skipped (apt-get install chromium; .ci/run installs it)`);

let db: TestDatabase;
let web: FastifyInstance;
let world: Awaited<ReturnType<typeof openWebWorld>>;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!hasChromium) return;
  const fixture = await openFixtureBilling();
  db = fixture.db;
  world = await openWebWorld(fixture.billing);
  web = world.web;
  base = await web.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await world?.close();
  await db?.drop();
});

/** A page opened at `path`, checked with axe-core as it loads. */
async function visit(page: Page, path: string) {
  const res = await page.goto(`${base}${path}`);
  expect(res?.status()).toBe(200);
  expect(await axeViolations(page)).toEqual([]);
}

/**
 * A browser context of its own. JavaScript stays on for axe-core (it needs timers), but the pages
 * carry no script at all: each one is checked to have none, so they work without JavaScript.
 */
async function openPage(o: { viewport?: { width: number; height: number } } = {}) {
  const context = await browser.newContext(o.viewport ? { viewport: o.viewport } : {});
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('load', () => {
    void page
      .evaluate(() => document.scripts.length)
      .then(
        (n) => n > 0 && scripted.push(page.url()),
        () => {},
      );
  });
  return { context, page };
}
const scripted: string[] = [];

/** SCREENSHOTS=1 saves the main signed-in pages as PNG under test/screenshots/ (committed, for the README). */
const SCREENSHOTS = process.env.SCREENSHOTS === '1' ? fileURLToPath(new URL('./screenshots/', import.meta.url)) : null;
async function screenshot(page: Page, name: string) {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

describe.skipIf(!hasChromium)('the web pages in Chromium', () => {
  it('the accessibility check does catch a field without a label (so that its silence elsewhere means something)', async () => {
    const { context, page } = await openPage();
    try {
      await page.setContent('<!doctype html><html lang="ru"><title>t</title><main><form><input name="x"></form></main></html>');
      expect((await axeViolations(page)).join('\n')).toContain('critical label');
    } finally {
      await context.close();
    }
  });

  it('a visitor finds the debt by number from the home page, keyboard only, with accessible pages', async () => {
    const { context, page } = await openPage();
    try {
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && /Content Security Policy/.test(m.text()) && errors.push(m.text()));
      page.on('response', (r) => r.request().resourceType() !== 'document' && r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
      await visit(page, '/');
      // The first Tab reaches the skip link; the home page leads to the look-up.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Перейти к содержанию');
      await page.getByRole('link', { name: 'Долг по номеру лицевого счёта' }).click();
      await page.waitForURL(`${base}/debt`);
      expect(await axeViolations(page)).toEqual([]);

      // A wrong number: the error next to the field and in the summary, the typed value kept.
      await page.getByLabel('Номер лицевого счёта').fill('12345');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.error-summary');
      expect(await page.locator('#number-error').textContent()).toContain('Введите 15 цифр номера лицевого счёта');
      expect(await page.getByLabel('Номер лицевого счёта').inputValue()).toBe('12345');
      expect(await axeViolations(page)).toEqual([]);

      await page.getByLabel('Номер лицевого счёта').fill('002901800602303');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.result');
      const result = await page.locator('.result').textContent();
      expect(result).toContain('По лицевому счёту 002901800602303:');
      expect(result).toContain('Переплата: 470,46 ₽');
      expect(await axeViolations(page)).toEqual([]);
      // Nothing was refused by the CSP or failed to load, and no page had a script.
      expect(errors).toEqual([]);
      expect(scripted).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the long number from a short one, in English, on a phone-sized screen', async () => {
    const { context, page } = await openPage({ viewport: { width: 360, height: 740 } });
    try {
      await visit(page, '/number?lang=en');
      expect(await fitsWidth(page)).toBe(true);
      await page.getByLabel('Utility').selectOption('beta');
      await page.getByLabel('Short account number').fill('12');
      await page.getByRole('button', { name: 'Find the number' }).click();
      await page.waitForSelector('.result');
      expect(await page.locator('.result').textContent()).toContain('051424000000012');
      expect(await fitsWidth(page)).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      // The offered button looks the debt up for the number found.
      await page.locator('.result').getByRole('button').click();
      await page.waitForURL(`${base}/debt`);
      expect(await page.locator('.result').textContent()).toContain('051424000000012');
      expect(await fitsWidth(page)).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a visitor passes a reading by number, house and flat, and the charges page is accessible too', async () => {
    const { context, page } = await openPage();
    try {
      await visit(page, '/');
      await page.getByRole('link', { name: 'Передать показания без входа' }).click();
      await page.waitForURL(`${base}/readings`);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel('Номер лицевого счёта').fill('002901800602302');
      await page.getByLabel('Дом').fill('7');
      await page.getByLabel('Квартира').fill('30');
      await page.getByRole('button', { name: 'Продолжить' }).click();
      await page.waitForSelector('form[action="/readings/submit"]');
      expect(await axeViolations(page)).toEqual([]);
      // The first meter's field, its last reading in the hint; one cubic metre more.
      const field = page.locator('form[action="/readings/submit"] input[inputmode="decimal"]').first();
      const hint = (await page.locator(`#${await field.getAttribute('id')}-hint`).textContent()) ?? '';
      const last = /Последние показания: ([\d\s\u00a0,]+) м³/
        .exec(hint)?.[1]
        ?.replace(/[\s\u00a0]/g, '')
        .replace(',', '.');
      expect(last).toBeDefined();
      await field.fill((Number(last) + 1).toFixed(3).replace('.', ','));
      await page.getByRole('button', { name: 'Передать показания' }).click();
      await page.waitForSelector('.result');
      expect(await page.locator('.result').textContent()).toMatch(/Показания (приняты|сохранены)/);
      expect(await axeViolations(page)).toEqual([]);
      await visit(page, '/charges');
    } finally {
      await context.close();
    }
  });

  it('a resident signs up with an e-mail code, sees the balance, and signs in again by a new code', async () => {
    const { context, page } = await openPage({ viewport: { width: 360, height: 740 } });
    try {
      await visit(page, '/');
      await page.getByRole('link', { name: 'Зарегистрироваться' }).click();
      await page.waitForURL(`${base}/signup`);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel('Согласен на обработку персональных данных').check();
      await page.getByRole('button', { name: 'Продолжить' }).click();
      await page.waitForURL(`${base}/signup/account`);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel('Номер лицевого счёта').fill('002901800602303');
      await page.getByLabel('Дом').fill('7');
      await page.getByLabel('Квартира').fill('31');
      await page.getByLabel('Фамилия владельца счёта').fill('Семёнов');
      await page.getByRole('button', { name: 'Привязать счёт' }).click();
      await page.waitForURL(`${base}/signup/email`);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel('Адрес электронной почты').fill('semenov@example.test');
      await page.getByRole('button', { name: 'Получить код' }).click();
      await page.waitForSelector('input[name="code"]');
      expect(await axeViolations(page)).toEqual([]);
      const letters = world.smtp.received.length;
      const { code } = await world.codeOf(letters);
      await page.getByLabel('Код из письма').fill(code);
      await page.getByRole('button', { name: 'Подтвердить' }).click();
      await page.waitForURL(`${base}/account`);
      expect(await page.locator('.result').textContent()).toContain('Лицевой счёт 002901800602303');
      expect(await page.locator('.result').textContent()).toContain('Переплата: 470,46 ₽');
      expect(await fitsWidth(page)).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      // The session cookie is not readable by scripts.
      const cookies = await context.cookies();
      expect(cookies.find((c) => c.name === 'sid')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

      await page.getByRole('button', { name: 'Выйти', exact: true }).click();
      await page.waitForURL(`${base}/`);
      await page.getByRole('link', { name: 'Войти' }).click();
      await page.getByLabel('Адрес электронной почты').fill('semenov@example.test');
      await page.getByRole('button', { name: 'Получить код' }).click();
      await page.waitForSelector('input[name="code"]');
      const again = await world.codeOf(letters + 1);
      await page.getByLabel('Код из письма').fill(again.code);
      await page.getByRole('button', { name: 'Подтвердить' }).click();
      await page.waitForURL(`${base}/account`);
      expect(await page.locator('.result').textContent()).toContain('Лицевой счёт 002901800602303');
    } finally {
      await context.close();
    }
  });

  it('the signed-in pages: accessible, one column on a phone, the navigation without a script; readings passed with an error first', async () => {
    const { context, page } = await openPage({ viewport: { width: 360, height: 740 } });
    try {
      await page.goto(`${base}/signup`);
      await page.getByLabel('Согласен на обработку персональных данных').check();
      await page.getByRole('button', { name: 'Продолжить' }).click();
      await page.waitForURL(`${base}/signup/account`);
      await page.getByLabel('Номер лицевого счёта').fill('002901800602302');
      await page.getByLabel('Дом').fill('7');
      await page.getByLabel('Квартира').fill('30');
      await page.getByLabel('Фамилия владельца счёта').fill('Михайлова');
      await page.getByRole('button', { name: 'Привязать счёт' }).click();
      await page.waitForURL(`${base}/signup/email`);
      const letters = world.smtp.received.length;
      await page.getByLabel('Адрес электронной почты').fill('alla-browser@example.test');
      await page.getByRole('button', { name: 'Получить код' }).click();
      await page.waitForSelector('input[name="code"]');
      const { code } = await world.codeOf(letters + 1);
      await page.getByLabel('Код из письма').fill(code);
      await page.getByRole('button', { name: 'Подтвердить' }).click();
      await page.waitForURL(`${base}/account`);

      const nav = page.getByRole('navigation', { name: 'Разделы личного кабинета' });
      const pages: [string, string, string][] = [
        ['Лицевые счета', '/account/accounts', 'accounts'],
        ['Начисления', '/account/balance', 'balance'],
        ['История оплат', '/account/payments', 'payments'],
        ['Счётчики', '/account/meters', 'meters'],
        ['Передать показания', '/account/readings', 'readings'],
      ];
      // The narrow screen first, then a desktop one: every page fits its width and passes axe-core.
      for (const viewport of [
        { width: 360, height: 740 },
        { width: 1280, height: 900 },
      ]) {
        await page.setViewportSize(viewport);
        const wide = viewport.width > 360;
        await visit(page, '/account');
        expect(await fitsWidth(page)).toBe(true);
        if (wide) await screenshot(page, 'account');
        for (const [link, path, name] of pages) {
          await nav.getByRole('link', { name: link, exact: true }).click();
          await page.waitForURL(`${base}${path}`);
          expect(await page.locator('.account-nav a[aria-current="page"]').textContent()).toBe(link);
          expect(await fitsWidth(page), `${path} at ${viewport.width}px`).toBe(true);
          expect(await axeViolations(page), path).toEqual([]);
          if (wide || name === 'balance') await screenshot(page, wide ? name : `${name}-phone`);
        }
      }
      await page.setViewportSize({ width: 360, height: 740 });
      // A meter's history, then the readings form with a wrong value: the error at its field, then right.
      await visit(page, '/account/meters');
      await page.getByRole('link', { name: /История показаний Холодная вода \(ХВС\), № 17356088/ }).click();
      await page.waitForURL(/\/account\/meters\/\d+\/history$/);
      expect(await fitsWidth(page)).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'meter-history-phone');
      await visit(page, '/account/readings');
      const field = page.getByLabel(/Холодная вода \(ХВС\), № 17356088/);
      await field.fill('1,2345');
      await page.getByRole('button', { name: 'Передать показания' }).click();
      await page.waitForSelector('.error-summary');
      expect(await axeViolations(page)).toEqual([]);
      expect(await fitsWidth(page)).toBe(true);
      await screenshot(page, 'readings-error-phone');
      await page.getByLabel(/Холодная вода \(ХВС\), № 17356088/).fill('70');
      await page.getByRole('button', { name: 'Передать показания' }).click();
      await page.waitForSelector('.result');
      expect(await page.locator('.result').textContent()).toContain('Показания приняты');
      expect(await axeViolations(page)).toEqual([]);
      // Unlinking asks first, and the page of the question is accessible too.
      await visit(page, '/account/accounts');
      await page.getByRole('link', { name: 'Отвязать 002901800602302' }).click();
      await page.waitForURL(/\/account\/accounts\/unlink\?account=\d+$/);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Нет, оставить' }).click();
      await page.waitForURL(`${base}/account/accounts`);
      // Signing out from the navigation; the pages are closed after it.
      await nav.getByRole('button', { name: 'Выйти', exact: true }).click();
      await page.waitForURL(`${base}/`);
      await page.goto(`${base}/account/balance`);
      await page.waitForURL(`${base}/signin`);
      expect(scripted).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
