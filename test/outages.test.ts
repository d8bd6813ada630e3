import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorViaTelegram, viaTelegram, type Billing } from '../src/billing/index.ts';
import { createTranslator } from '../src/i18n.ts';
import { noticeJob } from '../src/jobs/notice.ts';
import { createLogger } from '../src/logger.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { NOW } from './support/fixture.ts';
import { ApiRecorder } from './support/telegram.ts';

const log = createLogger('silent');
const translator = createTranslator();
const operator = operatorViaTelegram(900_200, ['alpha']);

let db: TestDatabase;
let billing: Billing;
let clock = NOW;
const sql = (q: string, params: unknown[] = []) => db.orm.em.getConnection().execute(q, params);
const rec = new ApiRecorder();
const apiOf = (r: ApiRecorder) => new Api('7000001:TEST-TOKEN-FOR-VITEST-ONLY-xxxxxxxx', { fetch: r.fetch });
let job: ReturnType<typeof noticeJob>;
let jobId = 0;
const send = async (ids: number[]) => {
  for (const noticeId of ids) await job({ noticeId }, { retried: false, jobId: String(++jobId) });
};
const textsTo = (tid: number) => rec.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === tid).map((c) => c.payload.text as string);

/** Residents of the fixture: two at ул. Ермакова, 7; one at ул. Пятигорская, 12 к2; one with no account; one who withdrew consent. */
const ALLA = 81_001;
const PETR = 81_002;
const OLGA = 81_003;
const UNLINKED = 81_004;
const WITHDRAWN = 81_005;

async function link(tid: number, longNumber: string, house: string, flat: string, surname: string, flatPrefix: string | null = null) {
  const actor = viaTelegram(tid);
  await billing.residents.giveConsent({ actor, version: 't', language: 'ru' });
  const linked = await billing.residents.linkAccount({ actor, proof: { by: 'number', longNumber, house, flat, flatPrefix, surname, pin: null } });
  if (!linked.ok) throw new Error(`link ${tid}: ${linked.error.code}`);
}

let ermakova = 0;
let pyatigorskaya = 0;

beforeAll(async () => {
  ({ db, billing } = await openFixtureBilling(() => clock));
  job = noticeJob({ api: apiOf(rec), billing, translator, log });
  await link(ALLA, '002901800602302', '7', '30', 'михайлова');
  await link(PETR, '002901800602303', '7', '31', 'семёнов');
  await link(OLGA, '002901800602304', '12 к2', '5', 'воробьёва', 'ком.');
  await billing.residents.giveConsent({ actor: viaTelegram(UNLINKED), version: 't', language: 'ru' });
  await link(WITHDRAWN, '002901800602302', '7', '30', 'михайлова');
  await billing.residents.withdrawConsent({ actor: viaTelegram(WITHDRAWN) });
  const streets = (await sql(`select id, name from street`)) as { id: number; name: string }[];
  ermakova = streets.find((s) => s.name === 'ул. Ермакова')!.id;
  pyatigorskaya = streets.find((s) => s.name === 'ул. Пятигорская')!.id;
});
afterAll(async () => {
  await db.drop();
});

const announce = async (over: Record<string, unknown>) => {
  const made = await billing.outages.announce({
    actor: operator,
    branchCode: 'alpha',
    kind: 'emergency',
    reason: 'порыв водовода',
    startsAt: '2026-11-22T08:30:00Z',
    endsAt: '2026-11-22T15:00:00Z',
    streets: [{ streetId: ermakova, houses: ['7'] }],
    ...over,
  } as never);
  if (!made.ok) throw new Error(`announce: ${made.error.code}`);
  return made.value;
};
const recipients = async (outageId: number, version: number) =>
  (
    (await sql(`select r.telegram_id from notice n join resident r on r.id = n.resident_id where n.subject = ? order by 1`, [
      `outage:${outageId}:${version}`,
    ])) as {
      telegram_id: string;
    }[]
  ).map((r) => Number(r.telegram_id));

describe('outage notices', () => {
  it('an emergency reaches the residents linked to an account inside it, at once and once: not outside, not unlinked, not without consent', async () => {
    clock = NOW;
    const made = await announce({});
    expect(made.notices.now).toHaveLength(2);
    expect(made.notices.scheduled).toBe(0);
    expect(await recipients(made.outage.outageId, 1)).toEqual([ALLA, PETR]);
    // Two runs of every job (a repeat, the sweep, another instance): one message each.
    await send(made.notices.now);
    await send(made.notices.now);
    expect(textsTo(ALLA)).toEqual([
      'Аварийное отключение воды по адресу ул. Ермакова, 7: с 22.11.2026 11:30, ориентировочно до 22.11.2026 18:00.\nПричина: порыв водовода.\nСпециалисты уже работают. Сообщать об этой аварии не нужно.',
    ]);
    expect(textsTo(PETR)).toHaveLength(1);
    for (const tid of [OLGA, UNLINKED, WITHDRAWN]) expect(textsTo(tid)).toEqual([]);

    // The new expected end, then «вода есть»: the same residents, once each.
    const updated = await billing.outages.update({ actor: operator, outageId: made.outage.outageId, expectedEndAt: '2026-11-22T17:00:00Z' });
    if (!updated.ok) throw new Error(updated.error.code);
    expect(updated.value.outage.version).toBe(2);
    expect(await recipients(made.outage.outageId, 2)).toEqual([ALLA, PETR]);
    await send(updated.value.notices.now);
    await send(updated.value.notices.now);
    const resolved = await billing.outages.resolve({ actor: operator, outageId: made.outage.outageId });
    if (!resolved.ok) throw new Error(resolved.error.code);
    await send(resolved.value.notices.now);
    expect(textsTo(ALLA).slice(1)).toEqual([
      'Изменился срок отключения воды по адресу ул. Ермакова, 7: воду дадут ориентировочно к 22.11.2026 20:00 (ранее сообщали — к 22.11.2026 18:00).\nПричина: порыв водовода.',
      'Вода есть: подача воды по адресу ул. Ермакова, 7 восстановлена. Спасибо за терпение.',
    ]);
    expect(textsTo(PETR)).toHaveLength(3);
    // Closed: no more changes.
    const again = await billing.outages.resolve({ actor: operator, outageId: made.outage.outageId });
    expect(again.ok ? null : again.error.code).toBe('outage_closed');
  });

  it('a planned outage is told the day before at 18:00 branch time, not earlier; at once if announced after that', async () => {
    clock = NOW;
    // Wednesday 25 November, 09:00 in Moscow: told on Tuesday 24 November at 18:00 Moscow time (15:00 UTC).
    const made = await announce({
      kind: 'planned',
      reason: 'замена задвижки',
      startsAt: '2026-11-25T06:00:00Z',
      endsAt: '2026-11-25T14:00:00Z',
      streets: [{ streetId: pyatigorskaya, houses: null }],
    });
    expect(made.notices).toEqual({ now: [], scheduled: 1, dueAt: '2026-11-24T15:00:00.000Z' });
    const [notice] = (await sql(`select id from notice where subject = ?`, [`outage:${made.outage.outageId}:1`])) as { id: number }[];
    // A job that runs early sends nothing and keeps it pending; the sweep does not queue it yet.
    await send([notice!.id]);
    expect(textsTo(OLGA)).toEqual([]);
    clock = new Date('2026-11-24T14:59:00Z');
    // The outbox's delivery takes what is due (notices.deliver, every minute); `pending` names the due ones.
    const early = await billing.notices.pending({ olderThanSeconds: 0 });
    expect(early.ok && early.value).not.toContain(notice!.id);
    clock = new Date('2026-11-24T15:00:01Z');
    const due = await billing.notices.pending({ olderThanSeconds: 0 });
    expect(due.ok && due.value).toContain(notice!.id);
    await send([notice!.id]);
    await send([notice!.id]);
    expect(textsTo(OLGA)).toEqual([
      'Плановое отключение воды по адресу ул. Пятигорская, 12 к2: с 25.11.2026 09:00 до 25.11.2026 17:00.\nПричина: замена задвижки.\nПожалуйста, заранее наберите воду.',
    ]);

    // Announced at 19:00 the evening before: at once.
    clock = new Date('2026-11-24T16:00:00Z');
    const late = await announce({ kind: 'planned', startsAt: '2026-11-25T06:00:00Z', endsAt: '2026-11-25T08:00:00Z' });
    expect(late.notices.now).toHaveLength(2);
    clock = NOW;
  });

  it('a planned outage changed before it was told: only the newest version goes out; cancelled before: nobody hears', async () => {
    clock = NOW;
    const made = await announce({ kind: 'planned', startsAt: '2026-11-26T06:00:00Z', endsAt: '2026-11-26T10:00:00Z' });
    const updated = await billing.outages.update({ actor: operator, outageId: made.outage.outageId, expectedEndAt: '2026-11-26T12:00:00Z' });
    if (!updated.ok) throw new Error(updated.error.code);
    expect(await recipients(made.outage.outageId, 1)).toEqual([]);
    expect(await recipients(made.outage.outageId, 2)).toEqual([ALLA, PETR]);
    const cancelled = await billing.outages.cancel({ actor: operator, outageId: made.outage.outageId });
    if (!cancelled.ok) throw new Error(cancelled.error.code);
    expect(cancelled.value.notices.now).toEqual([]);
    expect(await recipients(made.outage.outageId, 2)).toEqual([]);
  });

  it('the sweep recomputes: nothing twice, and a resident linked inside it later gets it too', async () => {
    clock = NOW;
    const made = await announce({ streets: [{ streetId: pyatigorskaya, houses: ['12 к2'] }] });
    expect(await recipients(made.outage.outageId, 1)).toEqual([OLGA]);
    const first = await billing.outages.notifyPending({});
    const second = await billing.outages.notifyPending({});
    expect(first.ok && second.ok && [...first.value.notices, ...second.value.notices]).toEqual([]);
    const LATE = 81_006;
    await link(LATE, '002901800602304', '12 к2', '5', 'воробьёва', 'ком.');
    const third = await billing.outages.notifyPending({});
    expect(third.ok && third.value.notices).toHaveLength(1);
    expect(await recipients(made.outage.outageId, 1)).toEqual([OLGA, LATE]);
    await billing.outages.resolve({ actor: operator, outageId: made.outage.outageId });
  });

  it('an operator of another branch may not announce or change it; a street of another branch is refused', async () => {
    const beta = operatorViaTelegram(900_201, ['beta']);
    const refused = await billing.outages.announce({
      actor: beta,
      branchCode: 'alpha',
      kind: 'emergency',
      reason: 'x',
      startsAt: '2026-11-22T08:30:00Z',
      endsAt: '2026-11-22T15:00:00Z',
      streets: [{ streetId: ermakova, houses: null }],
    });
    expect(refused.ok ? null : refused.error.code).toBe('not_permitted');
    const wrongStreet = await billing.outages.announce({
      actor: operatorViaTelegram(900_202, ['beta']),
      branchCode: 'beta',
      kind: 'emergency',
      reason: 'x',
      startsAt: '2026-11-22T08:30:00Z',
      endsAt: '2026-11-22T15:00:00Z',
      streets: [{ streetId: ermakova, houses: null }],
    });
    expect(wrongStreet.ok ? null : wrongStreet.error.code).toBe('street_not_found');
    const made = await announce({});
    const changed = await billing.outages.resolve({ actor: beta, outageId: made.outage.outageId });
    expect(changed.ok ? null : changed.error.code).toBe('not_permitted');
    await billing.outages.resolve({ actor: operator, outageId: made.outage.outageId });
  });

  it('known outages now: at the resident’s accounts, at a typed address, at a point inside a circle', async () => {
    clock = NOW;
    const made = await announce({ circle: { latitude: 44.05, longitude: 42.87, radiusKm: 1 } });
    const mine = await billing.outages.known({ actor: viaTelegram(ALLA) });
    expect(mine.ok && mine.value.outages.map((o) => [o.outageId, o.address])).toContainEqual([made.outage.outageId, 'ул. Ермакова, 7']);
    const typed = await billing.outages.known({ actor: viaTelegram(UNLINKED), place: { kind: 'address', branchCode: 'alpha', address: 'Ермакова, д. 7' } });
    expect(typed.ok && typed.value.outages.map((o) => o.outageId)).toContain(made.outage.outageId);
    const elsewhere = await billing.outages.known({ actor: viaTelegram(UNLINKED), place: { kind: 'address', branchCode: 'alpha', address: 'Ермакова 9' } });
    expect(elsewhere.ok && elsewhere.value.outages.map((o) => o.outageId)).not.toContain(made.outage.outageId);
    const near = await billing.outages.known({ actor: viaTelegram(UNLINKED), place: { kind: 'point', latitude: 44.051, longitude: 42.871 } });
    expect(near.ok && near.value.outages.map((o) => o.outageId)).toContain(made.outage.outageId);
    const far = await billing.outages.known({ actor: viaTelegram(UNLINKED), place: { kind: 'point', latitude: 44.1, longitude: 42.9 } });
    expect(far.ok && far.value.outages.map((o) => o.outageId)).not.toContain(made.outage.outageId);
    await billing.outages.resolve({ actor: operator, outageId: made.outage.outageId });
    const after = await billing.outages.known({ actor: viaTelegram(ALLA) });
    expect(after.ok && after.value.outages.map((o) => o.outageId)).not.toContain(made.outage.outageId);
  });
});
