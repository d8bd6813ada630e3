import { Api } from 'grammy';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBilling, operatorViaTelegram, viaTelegram, viaWeb, type Billing, type ResidentActor } from '../src/billing/index.ts';
import { createTranslator } from '../src/i18n.ts';
import { drainNotices, noticeJob } from '../src/jobs/notice.ts';
import { memoryPace } from '../src/jobs/pace.ts';
import { createLogger } from '../src/logger.ts';
import { createMail, createMailer, type Mail, type Mailer } from '../src/mail/index.ts';
import { inlineRenderer } from '../src/pdf/inline-renderer.ts';
import { openFixtureBilling, residentWithAddress } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { NOW } from './support/fixture.ts';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.ts';
import { ApiRecorder } from './support/telegram.ts';

/*
 * The outbox's e-mail channel: the monthly receipts (kind `receipt_email`) and the notices of a
 * resident who signed up on the web and has no Telegram, through the same claim and delivery as
 * every notice, against a real SMTP server.
 */
const log = createLogger('silent');
const translator = createTranslator();
const renderer = inlineRenderer(translator);
const operator = operatorViaTelegram(900_100, ['alpha']);
const ALLA = { by: 'number', longNumber: '002901800602302', house: '7', flat: '30', flatPrefix: null, surname: 'михайлова', pin: null } as const;

let db: TestDatabase;
let billing: Billing;
let smtp: TestSmtpServer;
let mailer: Mailer;
let mail: Mail;
let alla: number;
const clock = NOW;
const sql = (q: string, params: unknown[] = []) => db.orm.em.getConnection().execute(q, params);
const apiOf = (rec: ApiRecorder) => new Api('7000001:TEST-TOKEN-FOR-VITEST-ONLY-xxxxxxxx', { fetch: rec.fetch });
const mailOf = (b: Billing, m: Mailer = mailer) => createMail({ billing: b, renderer, mailer: m, translator, publicUrl: 'https://lk.vodokanal.test', log });
const free = () => memoryPace(1000);

beforeAll(async () => {
  const fixture = await openFixtureBilling(() => clock);
  ({ db, billing } = fixture);
  alla = await fixture.accountId('002901800602302');
  smtp = await startSmtpServer();
  mailer = createMailer({ smtpUrl: smtp.url, from: { name: 'Водоканал', address: 'no-reply@vodokanal.test' }, outboxDir: os.tmpdir(), log });
  mail = mailOf(billing);
});
afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  await db?.drop();
});

/** Someone who signed up on the web pages (no Telegram), with Алла's account linked and, if given, a confirmed address. */
async function webResident(address?: string) {
  const started = await billing.residents.startOnWeb({ version: 't', language: 'ru' });
  if (!started.ok) throw new Error('startOnWeb');
  const actor = viaWeb(started.value.residentId);
  const linked = await billing.residents.linkAccount({ actor, proof: ALLA });
  if (!linked.ok) throw new Error(`link: ${linked.error.code}`);
  if (address) {
    const sent = await billing.email.requestCode({ actor, address });
    const confirmed = await billing.email.confirm({ actor, code: sent.ok ? sent.value.code : '' });
    if (!confirmed.ok) throw new Error(`confirm: ${confirmed.error.code}`);
  }
  return actor;
}

/** An inspector call of `actor`, accepted by the operator: the status notices it made. */
async function acceptedRequest(actor: ResidentActor) {
  const slots = await billing.requests.visitSlots({ actor, accountId: alla });
  if (!slots.ok) throw new Error(`slots: ${slots.error.code}`);
  const made = await billing.requests.callInspector({
    actor,
    accountId: alla,
    reasonCode: 'seal',
    visit: { date: slots.value.days[0]!, hour: slots.value.hourFrom },
    phone: '+7 905 214-57-80',
    comment: 'Пломба сорвана',
  });
  if (!made.ok) throw new Error(`inspector call: ${made.error.code}`);
  const moved = await billing.requests.move({ actor: operator, requestId: made.value.requestId, from: 'sent', to: 'accepted' });
  if (!moved.ok) throw new Error(`move: ${moved.error.code}`);
  return { number: made.value.number, notices: moved.value.notices };
}

const noticeRow = (id: number) => sql(`select state, channel, outcome from notice where id = ?`, [id]);

describe('a resident without Telegram', () => {
  it('gets the status of their request by e-mail, through the same outbox and the notice job', async () => {
    const actor = await webResident('web-only@mail.ru');
    const { number, notices } = await acceptedRequest(actor);
    expect(notices).toHaveLength(1);
    const rec = new ApiRecorder();
    const before = smtp.received.length;
    await noticeJob({ api: apiOf(rec), billing, translator, log, mail, mailPace: free() })({ noticeId: notices[0]! }, { retried: false, jobId: '1' });
    const letter = await smtp.waitFor(before + 1);
    expect(letter.envelopeTo).toEqual(['web-only@mail.ru']);
    expect(letter.subject).toBe('Новости по вашей заявке');
    expect(letter.text).toMatch(new RegExp(`Заявка ${number} \\(.+\\) принята`));
    expect(letter.text).toContain('Telegram у вас не подключён');
    expect(rec.calls.filter((c) => c.method === 'sendMessage')).toEqual([]);
    expect(await noticeRow(notices[0]!)).toEqual([{ state: 'sent', channel: 'email', outcome: null }]);
    // Once: the job again, or a drain of both channels, sends nothing more.
    await noticeJob({ api: apiOf(rec), billing, translator, log, mail, mailPace: free() })({ noticeId: notices[0]! }, { retried: true, jobId: '2' });
    await drainNotices({ api: apiOf(rec), billing, translator, log, mail, pace: free(), mailPace: free() }, { budgetMs: 10_000, parallel: 1 });
    expect(smtp.received.length).toBe(before + 1);
  });

  it('gets it by e-mail while no bot runs: the e-mail channel takes the Telegram notices of residents without Telegram', async () => {
    const actor = await webResident('no-bot@mail.ru');
    const { notices } = await acceptedRequest(actor);
    const before = smtp.received.length;
    // No Api at all (no BOT_TOKEN): only the e-mail loop runs.
    const counts = await drainNotices({ billing, translator, log, mail, pace: free(), mailPace: free() }, { budgetMs: 10_000, parallel: 0 });
    expect(counts.sent).toBeGreaterThanOrEqual(1);
    const letter = await smtp.waitFor(before + 1);
    expect(letter.envelopeTo).toEqual(['no-bot@mail.ru']);
    expect(await noticeRow(notices[0]!)).toEqual([{ state: 'sent', channel: 'email', outcome: null }]);
  });

  it('without a confirmed address is marked unreachable, and the deliverer goes on with the rest', async () => {
    const actor = await webResident();
    const { notices } = await acceptedRequest(actor);
    const rec = new ApiRecorder();
    const before = smtp.received.length;
    const counts = await drainNotices({ api: apiOf(rec), billing, translator, log, mail, pace: free(), mailPace: free() }, { budgetMs: 10_000, parallel: 2 });
    expect(counts.unreachable).toBeGreaterThanOrEqual(1);
    expect(await noticeRow(notices[0]!)).toEqual([{ state: 'failed', channel: 'telegram', outcome: 'unreachable' }]);
    expect(smtp.received.length).toBe(before);
    expect(rec.calls.filter((c) => c.method === 'sendMessage')).toEqual([]);
  });

  it('is marked unreachable for a kind that does not go by e-mail (an operator’s reply)', async () => {
    const actor = await webResident('no-chat@mail.ru');
    const [row] = await sql(`select id from resident where id = ?`, [(actor as { residentId: number }).residentId]);
    const [made] = await sql(
      `insert into notice (resident_id, kind, subject, payload, state, created_at, due_at) values (?, 'operator_reply', 'reply:-1:1', '{}', 'pending', ?, ?) returning id`,
      [row!.id, clock, clock],
    );
    const rec = new ApiRecorder();
    await noticeJob({ api: apiOf(rec), billing, translator, log, mail, mailPace: free() })({ noticeId: Number(made!.id) }, { retried: false, jobId: '1' });
    expect(await noticeRow(Number(made!.id))).toEqual([{ state: 'failed', channel: 'telegram', outcome: 'unreachable' }]);
  });
});

describe('the monthly receipt in the outbox', () => {
  let nextUser = 96_000;
  async function subscribers(n: number, prefix: string) {
    const addresses = Array.from({ length: n }, (_, i) => `${prefix}${i}@mail.ru`);
    for (const address of addresses) {
      const tid = await residentWithAddress(billing, ++nextUser, address);
      const subscribed = await billing.receipts.subscribe({ actor: viaTelegram(tid), accountId: alla });
      if (!subscribed.ok) throw new Error(`subscribe: ${subscribed.error.code}`);
    }
    return addresses;
  }
  const plan = async (b = billing) => {
    for (let after = 0; ; ) {
      const r = await b.mailings.plan({ after, limit: 3 });
      if (!r.ok || r.value.last === null) return;
      after = r.value.last;
    }
  };

  it('is sent exactly once with two deliverers (two instances) at once, and never by Telegram', async () => {
    await sql(`delete from receipt_subscription`);
    const addresses = await subscribers(10, 'twice');
    await sql(`update receipt_subscription set since_month = '2026-09-01'`);
    const other = createBilling({ orm: db.orm, now: () => clock });
    await Promise.all([plan(), plan(other)]);
    const rec = new ApiRecorder();
    const before = smtp.received.length;
    const [a, b] = await Promise.all([
      drainNotices({ api: apiOf(rec), billing, translator, log, mail, pace: free(), mailPace: free() }, { budgetMs: 60_000, parallel: 1, mailParallel: 2 }),
      drainNotices(
        { api: apiOf(rec), billing: other, translator, log, mail: mailOf(other), pace: free(), mailPace: free() },
        { budgetMs: 60_000, parallel: 1, mailParallel: 2 },
      ),
    ]);
    expect(a.sent + b.sent).toBe(10);
    const letters = smtp.received.slice(before);
    expect(letters.map((l) => l.envelopeTo[0]).sort()).toEqual([...addresses].sort());
    expect(new Set(letters.map((l) => l.subject))).toEqual(new Set(['Квитанция за октябрь 2026 г., лицевой счёт 002901800602302']));
    expect(rec.calls).toEqual([]);
    expect(await sql(`select state, count(*)::int n, max(attempts)::int a from notice where kind = 'receipt_email' group by state`)).toEqual([
      { state: 'sent', n: 10, a: 1 },
    ]);
  }, 120_000);

  it('a crash between the claim and the send, or a send cut off mid-way, is not sent again', async () => {
    await sql(`delete from receipt_subscription`);
    await sql(`delete from notice where kind = 'receipt_email'`);
    const [cut, crashed] = await subscribers(2, 'cut');
    await sql(`update receipt_subscription set since_month = '2026-09-01'`);
    await plan();
    // One instance claims a letter and dies before it reaches the mail server.
    const claimed = await billing.notices.claim({ channel: 'email' });
    expect(claimed.ok && claimed.value.address).toBe(cut);
    // Another's connection breaks while the letter is on its way: whether it went is unknown.
    const broken: Mailer = {
      where: 'broken',
      close: () => undefined,
      send: () => Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ESOCKET' })),
    };
    const first = await drainNotices(
      { billing, translator, log, mail: mailOf(billing, broken), pace: free(), mailPace: free() },
      { budgetMs: 10_000, parallel: 0 },
    );
    expect(first.unknown).toBe(1);
    const before = smtp.received.length;
    const again = await drainNotices({ billing, translator, log, mail, pace: free(), mailPace: free() }, { budgetMs: 10_000, parallel: 0 });
    expect(again.sent).toBe(0);
    expect(smtp.received.length).toBe(before);
    await plan();
    expect(await sql(`select state, count(*)::int n from notice where kind = 'receipt_email' group by state`)).toEqual([{ state: 'sending', n: 2 }]);
    expect(crashed).toBe('cut1@mail.ru');
  }, 60_000);

  it('is not sent when the subscription ended after it was planned', async () => {
    await sql(`delete from receipt_subscription`);
    await sql(`delete from notice where kind = 'receipt_email'`);
    await subscribers(1, 'gone');
    await sql(`update receipt_subscription set since_month = '2026-09-01'`);
    await plan();
    const [row] = await sql(`select token from receipt_subscription`);
    await billing.receipts.unsubscribeByToken({ token: String(row!.token) });
    const before = smtp.received.length;
    await drainNotices({ billing, translator, log, mail, pace: free(), mailPace: free() }, { budgetMs: 10_000, parallel: 0 });
    expect(smtp.received.length).toBe(before);
    expect(await sql(`select state, outcome from notice where kind = 'receipt_email'`)).toEqual([{ state: 'failed', outcome: 'unsubscribed' }]);
  });
});
