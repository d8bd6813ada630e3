import { Api } from 'grammy';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Billing } from '../src/billing/index.ts';
import { createTranslator } from '../src/i18n.ts';
import { monthlyMailingJob } from '../src/jobs/monthly-mailing.ts';
import { receiptPdfJob } from '../src/jobs/receipt-pdf.ts';
import { createJobRunner, type JobRunner } from '../src/jobs/runner.ts';
import { createLogger } from '../src/logger.ts';
import { createMail, createMailer, type Mail } from '../src/mail/index.ts';
import { inlineRenderer } from '../src/pdf/inline-renderer.ts';
import { openFixtureBilling, residentWithAddress } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { NOW } from './support/fixture.ts';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.ts';
import { ApiRecorder } from './support/telegram.ts';
import { viaTelegram } from '../src/billing/index.ts';

let db: TestDatabase;
let billing: Billing;
let smtp: TestSmtpServer;
let mail: Mail;
let alla: number;
const clock = NOW;
const log = createLogger('silent');
const translator = createTranslator();
const renderer = inlineRenderer(translator);
const sql = (q: string, params: unknown[] = []) => db.orm.em.getConnection().execute(q, params);
const runners: JobRunner[] = [];
const runner = () => {
  const r = createJobRunner({ url: db.url, poolMax: 2, log, pollingIntervalSeconds: 0.5, concurrency: { 'mailing.monthly': 1 } });
  runners.push(r);
  return r;
};

beforeAll(async () => {
  const fixture = await openFixtureBilling(() => clock);
  ({ db, billing } = fixture);
  alla = await fixture.accountId('002901800602302');
  smtp = await startSmtpServer();
  const mailer = createMailer({ smtpUrl: smtp.url, from: { name: 'Водоканал', address: 'no-reply@vodokanal.test' }, outboxDir: os.tmpdir(), log });
  mail = createMail({ billing, renderer, mailer, translator, publicUrl: 'https://lk.vodokanal.test', log });
});
afterAll(async () => {
  for (const r of runners) await r.stop();
  await smtp.close();
  await db.drop();
});

let nextUser = 94_000;
async function subscriber(address: string) {
  const telegramId = await residentWithAddress(billing, ++nextUser, address);
  const subscribed = await billing.receipts.subscribe({ actor: viaTelegram(telegramId), accountId: alla });
  if (!subscribed.ok) throw new Error(`subscribe: ${subscribed.error.code}`);
  return telegramId;
}
const newStatement = (period: string) =>
  sql(
    `insert into statement (account_id, period, opening, charged, recalculation, volume, benefits, paid, closing) values (?, ?, 432.85, 104.20, 0, 2, 0, 0, 537.05)`,
    [alla, period],
  );

describe('a job asked for before a crash', () => {
  it('is done by the next runner, once, also when asked for twice', async () => {
    const telegramId = await subscriber('crash@mail.ru');
    const before = createJobRunner({ url: db.url, poolMax: 2, log });
    // This instance takes jobs but works none (it goes down before it gets to them).
    await before.start({});
    const request = { telegramId, chatId: telegramId, accountId: alla, month: '2026-10', language: 'ru' };
    await before.jobs.send('receipt.pdf', request);
    await before.jobs.send('receipt.pdf', request); // a double tap while the first waits
    await before.stop();

    const api = new ApiRecorder();
    const after = runner();
    await after.start({
      'receipt.pdf': receiptPdfJob({
        billing,
        renderer,
        translator,
        api: new Api('7000001:TEST-TOKEN-FOR-VITEST-ONLY-xxxxxxxx', { fetch: api.fetch }),
        log,
      }),
    });
    await after.drained();
    expect(api.documents.map((d) => [d.chatId, d.filename, d.caption])).toEqual([
      [telegramId, 'kvitanciya_002901800602302_2026-10.pdf', 'Квитанция за октябрь 2026 г., лицевой счёт 002901800602302'],
    ]);
    const sent = api.calls.find((c) => c.method === 'sendDocument')!;
    expect(sent.payload.reply_markup.inline_keyboard.flat().map((b: { text: string; callback_data: string }) => [b.text, b.callback_data])).toEqual([
      ['✉️ Отправить на почту', `rm:${alla}:2026-10`],
    ]);
    await after.stop();
  });
});

describe('the monthly mailing job', () => {
  const SUBSCRIBERS = 60;
  const BATCH = 25;
  let addresses: string[] = [];

  it(`mails all ${SUBSCRIBERS} subscribers (more than two batches of ${BATCH}) exactly once`, async () => {
    await sql(`delete from receipt_subscription`);
    addresses = Array.from({ length: SUBSCRIBERS }, (_, i) => `sub${i}@mail.ru`);
    for (let i = 0; i < addresses.length; i += 10) await Promise.all(addresses.slice(i, i + 10).map(subscriber));
    await newStatement('2026-11-01');
    const r = runner();
    await r.start({ 'mailing.monthly': monthlyMailingJob({ billing, mail, translator, log, batch: BATCH }) });
    const first = smtp.received.length;
    await r.jobs.send('mailing.monthly', {});
    await r.drained(undefined, 150_000);
    const letters = smtp.received.slice(first);
    expect(letters.map((l) => l.envelopeTo[0]).sort()).toEqual([...addresses].sort());
    expect(new Set(letters.map((l) => l.subject))).toEqual(new Set(['Квитанция за ноябрь 2026 г., лицевой счёт 002901800602302']));
    expect(await sql(`select state, count(*)::int n from notice where kind = 'receipt_email' and subject like '%:2026-11' group by state`)).toEqual([
      { state: 'sent', n: SUBSCRIBERS },
    ]);
    // The next run finds nothing left.
    await r.jobs.send('mailing.monthly', {});
    await r.drained(undefined, 150_000);
    expect(smtp.received.length).toBe(first + SUBSCRIBERS);
    await r.stop();
  }, 180_000);

  it('with two runners at once, sends each letter once and both do part of the work', async () => {
    await newStatement('2026-12-01');
    const ran: string[] = [];
    const job = monthlyMailingJob({ billing, mail, translator, log, batch: 8 });
    const a = runner();
    const b = runner();
    await a.start({
      'mailing.monthly': async (p, m) => {
        ran.push('a');
        await job(p, m);
      },
    });
    await b.start({
      'mailing.monthly': async (p, m) => {
        ran.push('b');
        await job(p, m);
      },
    });
    const first = smtp.received.length;
    await Promise.all([a.jobs.send('mailing.monthly', {}), b.jobs.send('mailing.monthly', {})]);
    await a.drained(undefined, 150_000);
    expect(ran.sort()).toEqual(['a', 'b']);
    const letters = smtp.received.slice(first);
    expect(letters.map((l) => l.envelopeTo[0]).sort()).toEqual([...addresses].sort());
    expect(new Set(letters.map((l) => l.subject))).toEqual(new Set(['Квитанция за декабрь 2026 г., лицевой счёт 002901800602302']));
    expect(
      await sql(`select state, count(*)::int n, max(attempts)::int a from notice where kind = 'receipt_email' and subject like '%:2026-12' group by state`),
    ).toEqual([{ state: 'sent', n: SUBSCRIBERS, a: 1 }]);
  }, 180_000);
});

describe('a burst of jobs', () => {
  it('is worked through back to back, not one job per polling interval', async () => {
    // An interval far longer than the test may take: only a worker that looks again at once gets through.
    const worker = createJobRunner({ url: db.url, poolMax: 2, log, pollingIntervalSeconds: 30, concurrency: { 'receipt.pdf': 1 } });
    const sender = createJobRunner({ url: db.url, poolMax: 2, log });
    runners.push(worker, sender);
    const done: string[] = [];
    let release!: () => void;
    const firstHeld = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const firstStarted = new Promise<void>((r) => (started = r));
    await worker.start({
      'receipt.pdf': async (p) => {
        if (p.month === '2026-01') {
          started();
          await firstHeld;
        }
        done.push(p.month);
      },
    });
    await sender.start({});
    const request = (month: string) => ({ telegramId: 95_001, chatId: 95_001, accountId: alla, month, language: 'ru' });
    await worker.jobs.send('receipt.pdf', request('2026-01'));
    await firstStarted;
    // Sent by another instance while the worker is busy: nothing wakes this worker but itself.
    await sender.jobs.send('receipt.pdf', request('2026-02'));
    await sender.jobs.send('receipt.pdf', request('2026-03'));
    release();
    await worker.drained(['receipt.pdf'], 10_000);
    expect(done).toEqual(['2026-01', '2026-02', '2026-03']);
  }, 20_000);
});
