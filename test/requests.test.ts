import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RequestStatus } from '../db/entities/index.ts';
import { canMove, viaTelegram, type Billing, type OperatorActor } from '../src/billing/index.ts';
import { localMoment, workingDaysAfter, visitCalendar } from '../src/billing/requests/calendar.ts';
import { normalizePhone } from '../src/phone.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { NOW } from './support/fixture.ts';

/*
 * The requests of issue 10 at the service level: an inspector's visit, commissioning a meter, an
 * accident on the street networks; the lifecycle operators and residents move; the outbox of
 * notices and the operators' topics the job runner claims.
 */

let db: TestDatabase;
let billing: Billing;
let clock = NOW;
let alla: number;
let kireeva: number;
let allaCold: number;
let semenovMeter: number;

const sql = <T = Record<string, unknown>>(q: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute<T[]>(q, params);
const opAlpha: OperatorActor = { kind: 'operator', operatorId: 501, branchCodes: ['alpha'] };
const opAlpha2: OperatorActor = { kind: 'operator', operatorId: 502, branchCodes: ['alpha'] };
const opBeta: OperatorActor = { kind: 'operator', operatorId: 503, branchCodes: ['beta'] };
const STATUSES: RequestStatus[] = ['sent', 'accepted', 'in_work', 'needs_info', 'refused', 'done', 'closed'];
/** The code of a refusal; null for a success. */
const codeOf = (r: { ok: true } | { ok: false; error: { code: string } }) => (r.ok ? null : r.error.code);
const file = (n: number | string) => ({ fileId: `file-${n}`, fileUniqueId: `uniq-${n}` });

let nextUser = 7_700_000;
/** A Telegram user: with consent (and a link to an account) unless told otherwise. */
async function person(opts: { consent?: boolean; link?: 'alla' | 'kireeva' } = {}) {
  const actor = viaTelegram(++nextUser);
  if (opts.consent !== false) expect((await billing.residents.giveConsent({ actor, version: 't' })).ok).toBe(true);
  if (opts.link === 'alla') {
    const r = await billing.residents.linkAccount({
      actor,
      proof: { by: 'number', longNumber: '002901800602302', house: '7', flat: '30', flatPrefix: null, surname: 'Михайлова', pin: null },
    });
    expect(r.ok).toBe(true);
  }
  if (opts.link === 'kireeva') {
    const r = await billing.residents.linkAccount({
      actor,
      proof: { by: 'number', longNumber: '051424000000012', house: '2', flat: null, flatPrefix: null, surname: 'Киреева', pin: 'FaEGlc' },
    });
    expect(r.ok).toBe(true);
  }
  return actor;
}
const residentId = async (telegramId: number) => Number((await sql<{ id: number }>('select id from resident where telegram_id = ?', [telegramId]))[0]!.id);

/** The working days of alpha from NOW (Sunday 22 November 2026): weekdays, 25 November a day off. */
const ALPHA_DAYS = [
  '2026-11-23',
  '2026-11-24',
  '2026-11-26',
  '2026-11-27',
  '2026-11-30',
  '2026-12-01',
  '2026-12-02',
  '2026-12-03',
  '2026-12-04',
  '2026-12-07',
  '2026-12-08',
  '2026-12-09',
  '2026-12-10',
  '2026-12-11',
  '2026-12-14',
];

let comments = 0;
const inspectorInput = (actor: ReturnType<typeof viaTelegram>, accountId = alla, extra: Record<string, unknown> = {}) => ({
  actor,
  accountId,
  reasonCode: 'no_seal',
  visit: { date: '2026-12-01', hour: 10 },
  phone: '+7 905 214-57-80',
  comment: `Сорвана пломба, случай ${++comments}`,
  ...extra,
});
const accidentAt = (latitude: number, longitude: number) => ({ kind: 'point' as const, latitude, longitude });
const ALPHA_CENTRE = { latitude: 44.044, longitude: 42.86 };

beforeAll(async () => {
  const fixture = await openFixtureBilling(() => clock);
  ({ db, billing } = fixture);
  alla = await fixture.accountId('002901800602302');
  kireeva = await fixture.accountId('051424000000012');
  allaCold = Number((await sql<{ id: number }>(`select id from meter where serial = '17356088'`))[0]!.id);
  semenovMeter = Number((await sql<{ id: number }>(`select id from meter where serial = '555001'`))[0]!.id);
  // Beside the fixture's reasons, one more for the bot and one not for it; alpha's own area, day off and group.
  await sql(`insert into inspector_call_reason (code, name, use_in_bot, sort, meter_issue) values
    ('no_seal', 'Нарушена пломба', true, 10, null),
    ('internal', 'Служебная проверка', false, 30, null)`);
  await sql(`insert into damage_type (code, name, use_in_bot, sort) values
    ('leak', 'Течь из-под земли', true, 10), ('hatch', 'Открытый люк', true, 20), ('internal', 'Плановые работы', false, 30)`);
  await sql(`update branch set area_latitude = 44.044, area_longitude = 42.86, area_radius_km = 12, dispatcher_phone = '+7 (87934) 6-00-04',
    days_off = '2026-11-25, 2026-12-31', operators_chat_id = -1001 where code = 'alpha'`);
});
afterAll(async () => db?.drop());
afterEach(() => {
  clock = NOW;
});

describe('dictionaries', () => {
  it('offers only the reasons and damage types flagged for the bot, in their order', async () => {
    expect(await billing.requests.dictionaries({})).toEqual({
      ok: true,
      value: {
        // The fixture's own (its «Отключение за долги» is not for the bot), then those added above.
        reasons: [
          { code: 'seal', name: 'Пломбировка счётчика', meterIssue: null },
          { code: 'after_verification', name: 'Проверка после поверки', meterIssue: 'verification_expired' },
          { code: 'reading_check', name: 'Показания меньше предыдущих (проверка счётчика)', meterIssue: 'below_previous' },
          { code: 'no_seal', name: 'Нарушена пломба', meterIssue: null },
        ],
        damageTypes: [
          { code: 'pipe_burst', name: 'Порыв трубы' },
          { code: 'leak', name: 'Течь из-под земли' },
          { code: 'hatch', name: 'Открытый люк' },
        ],
      },
    });
  });
});

describe("a branch's visiting calendar", () => {
  it('a branch-local hour is the moment of that hour in its timezone, summer or winter', () => {
    expect(localMoment('Europe/Moscow', '2026-12-14', 17).toISOString()).toBe('2026-12-14T14:00:00.000Z');
    expect(localMoment('Asia/Yekaterinburg', '2026-12-14', 17).toISOString()).toBe('2026-12-14T12:00:00.000Z');
    expect(localMoment('Europe/Berlin', '2026-07-01', 17).toISOString()).toBe('2026-07-01T15:00:00.000Z');
    expect(localMoment('Europe/Berlin', '2026-12-01', 17).toISOString()).toBe('2026-12-01T16:00:00.000Z');
  });

  it('working days are the branch’s weekdays without its days off, from the day after', () => {
    const c = visitCalendar({ timezone: 'Europe/Moscow', visitDays: '246', visitHourFrom: 9, visitHourTo: 13, daysOff: '2026-11-26 , 2026-12-01' });
    expect(workingDaysAfter(c, '2026-11-24', 4)).toEqual(['2026-11-28', '2026-12-03', '2026-12-05', '2026-12-08']);
  });
});

describe('calling an inspector (seed 000 §9)', () => {
  it('offers the working days of the branch within its window, from tomorrow, and its hours', async () => {
    const actor = await person({ link: 'alla' });
    expect(await billing.requests.visitSlots({ actor, accountId: alla })).toEqual({
      ok: true,
      value: { days: ALPHA_DAYS, hourFrom: 8, hourTo: 17, timezone: 'Europe/Moscow' },
    });
  });

  it('numbers the requests per branch and kind; the deadline is the end of the last working day of the window, branch time', async () => {
    const a = await person({ link: 'alla' });
    const k = await person({ link: 'kireeva' });
    const first = await billing.requests.callInspector(inspectorInput(a, alla, { visit: { date: '2026-11-24', hour: 10 } }));
    const second = await billing.requests.callInspector(inspectorInput(a, alla, { visit: { date: '2026-12-14', hour: 16 } }));
    // 15 working days after Sunday 22 November, 25 November off: Monday 14 December, until 17:00 Moscow.
    expect(first).toEqual({ ok: true, value: { requestId: expect.any(Number), number: 'К-000001', deadlineAt: '2026-12-14T14:00:00.000Z' } });
    expect(second).toMatchObject({ ok: true, value: { number: 'К-000002', deadlineAt: '2026-12-14T14:00:00.000Z' } });
    // Beta counts its own, and has no day off: 15 weekdays end on Friday 11 December.
    const beta = await billing.requests.callInspector(inspectorInput(k, kireeva, { visit: { date: '2026-11-25', hour: 9 } }));
    expect(beta).toMatchObject({ ok: true, value: { number: 'К-000001', deadlineAt: '2026-12-11T14:00:00.000Z' } });
    const [row] = await sql<{ deadline_at: Date; details: Record<string, unknown>; contact_phone: string; status: string; account_id: number }>(
      'select deadline_at, details, contact_phone, status, account_id from service_request where id = ?',
      [first.ok ? first.value.requestId : 0],
    );
    expect(row).toMatchObject({ status: 'sent', contact_phone: '+79052145780', account_id: alla });
    expect(new Date(row!.deadline_at).toISOString()).toBe('2026-12-14T14:00:00.000Z');
    // The visit is kept as a moment: 24 November, 10:00 Moscow.
    expect(row!.details).toEqual({ reason: { code: 'no_seal', name: 'Нарушена пломба' }, visitAt: '2026-11-24T07:00:00.000Z' });
    // The first event: sent, by the resident.
    const view = await billing.requests.get({ actor: a, requestId: first.ok ? first.value.requestId : 0 });
    expect(view).toMatchObject({
      ok: true,
      value: {
        number: 'К-000001',
        kind: 'inspector',
        status: 'sent',
        own: true,
        branchCode: 'alpha',
        account: { accountId: alla },
        history: [{ from: null, to: 'sent', by: 'resident', byId: `telegram:${a.telegramId}`, at: NOW.toISOString() }],
      },
    });
  });

  it('refuses a weekend, a day off, today, the past and a day beyond the window, telling the days offered', async () => {
    const actor = await person({ link: 'alla' });
    for (const date of ['2026-11-28', '2026-11-29', '2026-11-25', '2026-11-22', '2026-11-20', '2026-12-15', '2027-01-11']) {
      expect(await billing.requests.callInspector(inspectorInput(actor, alla, { visit: { date, hour: 10 } })), date).toEqual({
        ok: false,
        error: { code: 'visit_day_unavailable', days: ALPHA_DAYS },
      });
    }
    expect(codeOf(await billing.requests.callInspector(inspectorInput(actor, alla, { visit: { date: '24.11.2026', hour: 10 } })))).toBe('invalid_input');
  });

  it('takes only hours within the branch’s', async () => {
    const actor = await person({ link: 'alla' });
    for (const hour of [7, 17, 23]) {
      expect(await billing.requests.callInspector(inspectorInput(actor, alla, { visit: { date: '2026-11-26', hour } })), String(hour)).toEqual({
        ok: false,
        error: { code: 'visit_hour_unavailable', hourFrom: 8, hourTo: 17 },
      });
    }
    expect((await billing.requests.callInspector(inspectorInput(actor, alla, { visit: { date: '2026-11-26', hour: 8 } }))).ok).toBe(true);
    expect((await billing.requests.callInspector(inspectorInput(actor, alla, { visit: { date: '2026-11-26', hour: 16 } }))).ok).toBe(true);
    expect(codeOf(await billing.requests.callInspector(inspectorInput(actor, alla, { visit: { date: '2026-11-26', hour: 24 } })))).toBe('invalid_input');
  });

  it('takes a reason offered in the bot only', async () => {
    const actor = await person({ link: 'alla' });
    for (const reasonCode of ['internal', 'debt_cutoff', 'nonexistent'])
      expect(await billing.requests.callInspector(inspectorInput(actor, alla, { reasonCode })), reasonCode).toEqual({
        ok: false,
        error: { code: 'reason_not_found' },
      });
  });

  it("names a meter of the account only: another account's is not found", async () => {
    const actor = await person({ link: 'alla' });
    expect(await billing.requests.callInspector(inspectorInput(actor, alla, { meterId: semenovMeter }))).toEqual({
      ok: false,
      error: { code: 'meter_not_found' },
    });
    expect(await billing.requests.callInspector(inspectorInput(actor, alla, { meterId: 99_999_999 }))).toEqual({
      ok: false,
      error: { code: 'meter_not_found' },
    });
    const ok = await billing.requests.callInspector(inspectorInput(actor, alla, { reasonCode: 'after_verification', meterId: allaCold }));
    const view = await billing.requests.get({ actor, requestId: ok.ok ? ok.value.requestId : 0 });
    expect(view).toMatchObject({
      ok: true,
      value: { details: { reason: { code: 'after_verification' }, meter: { id: allaCold, serial: '17356088' } } },
    });
  });

  it('checks the phone', async () => {
    const actor = await person({ link: 'alla' });
    const r = await billing.requests.callInspector(inspectorInput(actor, alla, { phone: '12-34' }));
    expect(r).toEqual({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'phone', message: 'phone_invalid' }] } });
    const typed = await billing.requests.callInspector(inspectorInput(actor, alla, { phone: '8 (905) 214-57-80' }));
    const view = await billing.requests.get({ actor, requestId: typed.ok ? typed.value.requestId : 0 });
    expect(view).toMatchObject({ ok: true, value: { contactPhone: '+79052145780' } });
    // The one rule the bot's dialogues use too (src/phone.ts, no database behind it).
    expect(['8 (905) 214-57-80', '+7 905 214 57 80', '79052145780', '9052145780', '+49 30 1234567'].map(normalizePhone)).toEqual([
      '+79052145780',
      '+79052145780',
      '+79052145780',
      '+79052145780',
      '+49301234567',
    ]);
    expect(['12-34', '', 'позвоните', '+7 905', '8 905 214 57 80 1'].map(normalizePhone)).toEqual([null, null, null, null, null]);
  });

  it('is made by the account’s resident only: not an operator, not a stranger, not without consent', async () => {
    const stranger = await person();
    const other = await person({ link: 'kireeva' });
    const before = await sql<{ n: number }>('select count(*)::int as n from service_request');
    expect(await billing.requests.callInspector(inspectorInput(stranger))).toEqual({ ok: false, error: { code: 'account_not_linked' } });
    expect(await billing.requests.callInspector(inspectorInput(other))).toEqual({ ok: false, error: { code: 'account_not_linked' } });
    expect(await billing.requests.callInspector(inspectorInput(viaTelegram(++nextUser)))).toEqual({ ok: false, error: { code: 'resident_not_found' } });
    expect(await billing.requests.callInspector({ ...inspectorInput(viaTelegram(1)), actor: opAlpha })).toEqual({
      ok: false,
      error: { code: 'not_permitted' },
    });
    expect(await billing.requests.callInspector({ ...inspectorInput(viaTelegram(1)), actor: opBeta })).toEqual({
      ok: false,
      error: { code: 'not_permitted' },
    });
    expect(await sql('select count(*)::int as n from service_request')).toEqual(before);
  });
});

describe('commissioning a meter (seed 001 §4)', () => {
  const known = (extra: Record<string, unknown> = {}) => ({
    requestType: 'sealing' as const,
    meterId: allaCold,
    reading: 61_250,
    installer: 'ООО «Сантехмонтаж»',
    passport: file('passport-1'),
    certificate: file('certificate-1'),
    ...extra,
  });
  const fresh = (extra: Record<string, unknown> = {}) => ({
    requestType: 'commissioning' as const,
    service: 'hot_water' as const,
    serial: 'ГВ-2026/77',
    model: 'Пульс 15У',
    place: 'кухня',
    verificationDue: '2032-06-01',
    reading: 5,
    installer: 'Иванов И. И.',
    passport: file('passport-2'),
    ...extra,
  });
  const input = (actor: ReturnType<typeof viaTelegram>, meters: unknown[], extra: Record<string, unknown> = {}) => ({
    actor,
    accountId: alla,
    meters,
    phone: '+79052145780',
    acceptTerms: true,
    giveAccess: true,
    ...extra,
  });

  it('fills a known meter from billing, takes a new one with its service, serial and date, and keeps the documents by meter', async () => {
    const actor = await person({ link: 'alla' });
    const r = await billing.requests.commissionMeters(input(actor, [known({ model: 'ignored', verificationDue: '2033-01-01' }), fresh()]) as never);
    expect(r).toEqual({ ok: true, value: { requestId: expect.any(Number), number: 'П-000001', deadlineAt: '2026-12-14T14:00:00.000Z' } });
    const view = await billing.requests.get({ actor, requestId: r.ok ? r.value.requestId : 0 });
    expect(view).toMatchObject({
      ok: true,
      value: {
        kind: 'commissioning',
        status: 'sent',
        details: {
          acceptedTerms: true,
          accessGiven: true,
          meters: [
            {
              requestType: 'sealing',
              meterId: allaCold,
              service: 'cold_water',
              serial: '17356088',
              model: 'СХВ-15',
              place: 'С/У',
              verificationDue: '2033-01-01',
              reading: 61_250,
              installer: 'ООО «Сантехмонтаж»',
            },
            {
              requestType: 'commissioning',
              meterId: null,
              service: 'hot_water',
              serial: 'ГВ-2026/77',
              model: 'Пульс 15У',
              place: 'кухня',
              verificationDue: '2032-06-01',
              reading: 5,
              installer: 'Иванов И. И.',
            },
          ],
        },
      },
    });
    const attachments = view.ok ? view.value.attachments : [];
    expect(attachments.map(({ role, meterIndex, telegramFileId, storedPath }) => ({ role, meterIndex, telegramFileId, storedPath }))).toEqual([
      { role: 'meter_passport', meterIndex: 0, telegramFileId: 'file-passport-1', storedPath: null },
      { role: 'verification_certificate', meterIndex: 0, telegramFileId: 'file-certificate-1', storedPath: null },
      { role: 'meter_passport', meterIndex: 1, telegramFileId: 'file-passport-2', storedPath: null },
    ]);
    // The job that copies files finds them, and records each copy.
    const pending = await billing.requests.pendingAttachments({ requestId: r.ok ? r.value.requestId : 0 });
    expect(pending.ok && pending.value.map((a) => a.role)).toEqual(['meter_passport', 'verification_certificate', 'meter_passport']);
    const firstId = pending.ok ? pending.value[0]!.attachmentId : 0;
    expect(await billing.requests.attachmentStored({ attachmentId: firstId, path: 'requests/1/a.jpg', mime: 'image/jpeg', size: 1234 })).toEqual({
      ok: true,
      value: null,
    });
    const after = await billing.requests.pendingAttachments({ requestId: r.ok ? r.value.requestId : 0 });
    expect(after.ok && after.value.map((a) => a.attachmentId)).not.toContain(firstId);
    expect(after.ok && after.value.length).toBe(2);
  });

  it('a known meter keeps billing’s verification date when none is given', async () => {
    const actor = await person({ link: 'alla' });
    const r = await billing.requests.commissionMeters(input(actor, [known({ requestType: 'commissioning' })]) as never);
    const view = await billing.requests.get({ actor, requestId: r.ok ? r.value.requestId : 0 });
    expect(view).toMatchObject({ ok: true, value: { details: { meters: [{ verificationDue: '2027-02-01', serial: '17356088' }] } } });
  });

  it('a new meter needs its service, serial and verification date; a known one needs its certificate', async () => {
    const actor = await person({ link: 'alla' });
    for (const [what, meter, message] of [
      ['no serial', fresh({ serial: undefined }), 'new_meter_needs_service_serial_date'],
      ['no service', fresh({ service: undefined }), 'new_meter_needs_service_serial_date'],
      ['no date', fresh({ verificationDue: undefined }), 'new_meter_needs_service_serial_date'],
      ['known without certificate', known({ certificate: undefined }), 'certificate_required'],
    ] as const) {
      const r = await billing.requests.commissionMeters(input(actor, [meter]) as never);
      expect(r.ok, what).toBe(false);
      expect(r.ok ? [] : (r.error as { issues?: { message: string }[] }).issues?.map((i) => i.message), what).toContain(message);
    }
    expect(await billing.requests.commissionMeters(input(actor, [fresh({ verificationDue: '2026-11-22' })]) as never)).toEqual({
      ok: false,
      error: { code: 'verification_date_past' },
    });
    expect(await billing.requests.commissionMeters(input(actor, [known({ verificationDue: '2026-01-01' })]) as never)).toEqual({
      ok: false,
      error: { code: 'verification_date_past' },
    });
    expect(await billing.requests.commissionMeters(input(actor, [known({ meterId: semenovMeter })]) as never)).toEqual({
      ok: false,
      error: { code: 'meter_not_found' },
    });
  });

  it('needs the consent to the terms and to give access', async () => {
    const actor = await person({ link: 'alla' });
    for (const extra of [{ acceptTerms: false }, { giveAccess: false }, { acceptTerms: undefined }]) {
      expect(codeOf(await billing.requests.commissionMeters(input(actor, [fresh()], extra) as never)), JSON.stringify(extra)).toBe('invalid_input');
    }
    expect(codeOf(await billing.requests.commissionMeters(input(actor, []) as never))).toBe('invalid_input');
    expect(await billing.requests.commissionMeters({ ...input(actor, [fresh()]), actor: opAlpha } as never)).toEqual({
      ok: false,
      error: { code: 'not_permitted' },
    });
  });
});

describe('accidents on the street networks', () => {
  const report = (actor: ReturnType<typeof viaTelegram>, place: unknown, extra: Record<string, unknown> = {}) =>
    billing.requests.reportAccident({
      actor,
      place: place as never,
      damageCode: 'leak',
      description: `Вода бьёт из-под асфальта, ${++comments}`,
      photos: [file(`photo-${comments}`)],
      ...extra,
    });

  it('tells which branch serves a point, with the dispatcher; a point outside every area is another utility’s', async () => {
    expect(await billing.requests.branchAt(ALPHA_CENTRE)).toEqual({
      ok: true,
      value: { branchCode: 'alpha', name: 'Ессентукский «Водоканал»', dispatcherPhone: '+7 (87934) 6-00-04', phones: '(87934) 6-66-82' },
    });
    // 0.1° of latitude is about 11 km: inside; 0.12° about 13.3 km: outside.
    expect((await billing.requests.branchAt({ latitude: 44.144, longitude: 42.86 })).ok).toBe(true);
    expect(await billing.requests.branchAt({ latitude: 44.164, longitude: 42.86 })).toEqual({ ok: false, error: { code: 'outside_area' } });
    expect(await billing.requests.branchAt({ latitude: 55.75, longitude: 37.62 })).toEqual({ ok: false, error: { code: 'outside_area' } });
    const who = await person();
    expect(await report(who, accidentAt(55.75, 37.62))).toEqual({ ok: false, error: { code: 'outside_area' } });
  });

  it('reports one with the dispatcher’s phone and the 24-hour deadline; photos are kept', async () => {
    const who = await person();
    const r = await report(who, accidentAt(44.05, 42.87), { phone: '+79280000001', photos: [file('a1'), file('a2')] });
    expect(r).toEqual({
      ok: true,
      value: {
        requestId: expect.any(Number),
        number: expect.stringMatching(/^А-\d{6}$/),
        deadlineAt: '2026-11-23T09:00:00.000Z',
        dispatcherPhone: '+7 (87934) 6-00-04',
        followed: true,
      },
    });
    const view = await billing.requests.get({ actor: who, requestId: r.ok ? r.value.requestId : 0 });
    expect(view).toMatchObject({
      ok: true,
      value: {
        kind: 'accident',
        branchCode: 'alpha',
        location: { latitude: 44.05, longitude: 42.87 },
        contactPhone: '+79280000001',
        details: { damage: { code: 'leak', name: 'Течь из-под земли' } },
      },
    });
    expect(view.ok && view.value.attachments.map((a) => [a.role, a.telegramFileId])).toEqual([
      ['photo', 'file-a1'],
      ['photo', 'file-a2'],
    ]);
    expect(await report(who, accidentAt(44.05, 42.87), { damageCode: 'internal' })).toEqual({ ok: false, error: { code: 'damage_type_not_found' } });
    for (const photos of [[], Array.from({ length: 11 }, (_, i) => file(`many-${i}`))])
      expect(codeOf(await report(who, accidentAt(44.05, 42.87), { photos }))).toBe('invalid_input');
  });

  it('finds an open accident within 150 m; not one 500 m away, older than 48 hours, or closed', async () => {
    const base = { latitude: 44.02, longitude: 42.84 };
    const author = await person();
    const near = await report(author, accidentAt(base.latitude, base.longitude));
    if (!near.ok) throw new Error(near.error.code);
    const asker = await person();
    // 0.0009° of latitude is about 100 m.
    const found = await billing.requests.nearbyAccidents({ actor: asker, place: accidentAt(base.latitude + 0.0009, base.longitude) });
    expect(found).toEqual({
      ok: true,
      value: {
        branchCode: 'alpha',
        dispatcherPhone: '+7 (87934) 6-00-04',
        accidents: [
          {
            requestId: near.value.requestId,
            number: near.value.number,
            address: null,
            damage: 'Течь из-под земли',
            reportedAt: NOW.toISOString(),
            status: 'sent',
          },
        ],
      },
    });
    const far = await billing.requests.nearbyAccidents({ actor: asker, place: accidentAt(base.latitude + 0.0045, base.longitude) });
    expect(far).toMatchObject({ ok: true, value: { accidents: [] } });
    // Two days and an hour later it is not offered any more.
    clock = new Date(NOW.getTime() + 49 * 3600_000);
    expect(await billing.requests.nearbyAccidents({ actor: asker, place: accidentAt(base.latitude, base.longitude) })).toMatchObject({
      ok: true,
      value: { accidents: [] },
    });
    clock = new Date(NOW.getTime() + 47 * 3600_000);
    expect(await billing.requests.nearbyAccidents({ actor: asker, place: accidentAt(base.latitude, base.longitude) })).toMatchObject({
      ok: true,
      value: { accidents: [{ requestId: near.value.requestId }] },
    });
    // Once done, closed or refused, it is not offered either.
    for (const status of ['done', 'closed', 'refused']) {
      await sql('update service_request set status = ? where id = ?', [status, near.value.requestId]);
      expect(await billing.requests.nearbyAccidents({ actor: asker, place: accidentAt(base.latitude, base.longitude) }), status).toMatchObject({
        ok: true,
        value: { accidents: [] },
      });
    }
    await sql(`update service_request set status = 'in_work' where id = ?`, [near.value.requestId]);
    expect(await billing.requests.nearbyAccidents({ actor: asker, place: accidentAt(base.latitude, base.longitude) })).toMatchObject({
      ok: true,
      value: { accidents: [{ requestId: near.value.requestId, status: 'in_work' }] },
    });
  });

  it('finds one at the same typed house, however the street is written', async () => {
    const author = await person();
    const r = await report(author, { kind: 'address', branchCode: 'alpha', address: 'ул. Ермакова, д. 7' });
    if (!r.ok) throw new Error(r.error.code);
    const asker = await person();
    for (const address of ['Ермакова 7', 'улица Ермакова, дом 7', 'ЕРМАКОВА д.7']) {
      expect(await billing.requests.nearbyAccidents({ actor: asker, place: { kind: 'address', branchCode: 'alpha', address } }), address).toMatchObject({
        ok: true,
        value: { accidents: [{ requestId: r.value.requestId, address: 'ул. Ермакова, д. 7' }] },
      });
    }
    for (const [branchCode, address] of [
      ['alpha', 'Ермакова 9'],
      ['alpha', 'Ермакова 75'],
      ['alpha', 'Пятигорская 7'],
      ['beta', 'Ермакова 7'],
    ] as const) {
      expect(await billing.requests.nearbyAccidents({ actor: asker, place: { kind: 'address', branchCode, address } }), address).toMatchObject({
        ok: true,
        value: { accidents: [] },
      });
    }
  });

  it('joining adds a follower, who then is told of each status, and sees it among their requests', async () => {
    const author = await person();
    const at = accidentAt(44.03, 42.83);
    const r = await report(author, at);
    if (!r.ok) throw new Error(r.error.code);
    const joiner = await person();
    expect(await billing.requests.joinAccident({ actor: joiner, requestId: r.value.requestId, place: at })).toEqual({
      ok: true,
      value: { number: r.value.number, followed: true },
    });
    // Twice is once.
    expect((await billing.requests.joinAccident({ actor: joiner, requestId: r.value.requestId, place: at })).ok).toBe(true);
    expect(await sql('select count(*)::int as n from request_follower where request_id = ?', [r.value.requestId])).toEqual([{ n: 1 }]);
    // The author joining their own is no follower.
    expect(await billing.requests.joinAccident({ actor: author, requestId: r.value.requestId, place: at })).toMatchObject({ ok: true });
    expect(await sql('select count(*)::int as n from request_follower where request_id = ?', [r.value.requestId])).toEqual([{ n: 1 }]);
    const moved = await billing.requests.move({ actor: opAlpha, requestId: r.value.requestId, from: 'sent', to: 'accepted' });
    if (!moved.ok) throw new Error(moved.error.code);
    const told = await sql<{ resident_id: number }>('select resident_id from notice where id in (?) order by resident_id', [moved.value.notices]);
    expect(told.map((n) => Number(n.resident_id)).sort()).toEqual([await residentId(author.telegramId), await residentId(joiner.telegramId)].sort());
    const mine = await billing.requests.mine({ actor: joiner });
    expect(mine).toMatchObject({ ok: true, value: { total: 1, requests: [{ requestId: r.value.requestId, status: 'accepted' }] } });
    expect(await billing.requests.get({ actor: joiner, requestId: r.value.requestId })).toMatchObject({ ok: true, value: { own: false } });
    // Without consent one may confirm it, but nobody is kept to tell.
    expect(await billing.requests.joinAccident({ actor: viaTelegram(++nextUser), requestId: r.value.requestId, place: at })).toEqual({
      ok: true,
      value: { number: r.value.number, followed: false },
    });
    expect(await sql('select count(*)::int as n from request_follower where request_id = ?', [r.value.requestId])).toEqual([{ n: 1 }]);
    // Not a closed one, and not a request of another kind.
    await sql(`update service_request set status = 'closed' where id = ?`, [r.value.requestId]);
    expect(await billing.requests.joinAccident({ actor: await person(), requestId: r.value.requestId, place: at })).toEqual({
      ok: false,
      error: { code: 'request_not_found' },
    });
    const inspector = await billing.requests.callInspector(inspectorInput(await person({ link: 'alla' })));
    if (!inspector.ok) throw new Error(inspector.error.code);
    expect(await billing.requests.joinAccident({ actor: await person(), requestId: inspector.value.requestId, place: at })).toEqual({
      ok: false,
      error: { code: 'request_not_found' },
    });
  });

  it('only an accident offered for the place can be joined: not one far away, in another branch, or days old', async () => {
    const author = await person();
    const at = accidentAt(44.09, 42.8);
    const r = await report(author, at);
    if (!r.ok) throw new Error(r.error.code);
    const typed = await report(author, { kind: 'address', branchCode: 'alpha', address: 'ул. Садовая, д. 3' });
    if (!typed.ok) throw new Error(typed.error.code);
    const stranger = await person();
    const join = (requestId: number, place: unknown) => billing.requests.joinAccident({ actor: stranger, requestId, place: place as never });
    const notFound = { ok: false, error: { code: 'request_not_found' } };
    // About 500 m away; the same house in another branch; a point outside every area.
    expect(await join(r.value.requestId, accidentAt(44.0945, 42.8))).toEqual(notFound);
    expect(await join(typed.value.requestId, { kind: 'address', branchCode: 'beta', address: 'Садовая 3' })).toEqual(notFound);
    expect(await join(r.value.requestId, accidentAt(55.75, 37.62))).toEqual(notFound);
    // One place's report is not joined by naming another's.
    expect(await join(typed.value.requestId, at)).toEqual(notFound);
    // Three days later it is no longer offered, so no longer joined.
    clock = new Date(NOW.getTime() + 3 * 86_400_000);
    expect(await join(r.value.requestId, at)).toEqual(notFound);
    expect(await sql('select count(*)::int as n from request_follower where request_id in (?)', [[r.value.requestId, typed.value.requestId]])).toEqual([
      { n: 0 },
    ]);
    clock = NOW;
    // Where it is offered, it is joined.
    expect(await join(typed.value.requestId, { kind: 'address', branchCode: 'alpha', address: 'Садовая 3' })).toMatchObject({ ok: true });
    expect((await join(r.value.requestId, accidentAt(44.0905, 42.8))).ok).toBe(true);
  });

  it('one who joined sees the accident’s statuses, not its reporter: no phone, account, words, files or ids of others', async () => {
    const author = await person({ link: 'alla' });
    const at = accidentAt(44.07, 42.9);
    const r = await report(author, at, { phone: '+79280000009', photos: [file('private-1'), file('private-2')] });
    if (!r.ok) throw new Error(r.error.code);
    const follower = await person();
    expect((await billing.requests.joinAccident({ actor: follower, requestId: r.value.requestId, place: at })).ok).toBe(true);
    const requestId = r.value.requestId;
    await billing.requests.move({ actor: opAlpha, requestId, from: 'sent', to: 'accepted', comment: 'Бригада выехала' });
    await billing.requests.move({ actor: opAlpha, requestId, from: 'accepted', to: 'needs_info', comment: 'Уточните место' });
    const answered = await billing.requests.answer({ actor: author, requestId, text: 'У моего дома, кв. 30, звоните 8 928 000-00-09' });
    expect(answered).toMatchObject({ ok: true });

    const seen = await billing.requests.get({ actor: follower, requestId });
    if (!seen.ok) throw new Error(seen.error.code);
    expect(seen.value).toMatchObject({
      own: false,
      contactPhone: null,
      account: null,
      attachments: [],
      comment: null,
      location: { latitude: 44.07, longitude: 42.9 },
    });
    // The operator's question to the author is the author's: one who joined sees the step, not the words.
    expect(seen.value.lastComment).toBe('Бригада выехала');
    expect(seen.value.history).toEqual([
      { from: null, to: 'sent', by: 'resident', byId: null, mine: false, comment: null, at: NOW.toISOString() },
      { from: 'sent', to: 'accepted', by: 'operator', byId: null, mine: false, comment: 'Бригада выехала', at: NOW.toISOString() },
      { from: 'accepted', to: 'needs_info', by: 'operator', byId: null, mine: false, comment: null, at: NOW.toISOString() },
      { from: 'needs_info', to: 'accepted', by: 'resident', byId: null, mine: false, comment: null, at: NOW.toISOString() },
    ]);
    expect(JSON.stringify(seen.value)).not.toMatch(/79280000009|telegram:|"501"|кв\. 30/);
    const listed = await billing.requests.mine({ actor: follower });
    expect(listed.ok && listed.value.requests.find((x) => x.requestId === requestId)?.lastComment).toBe('Бригада выехала');

    // The author sees all of it, their own moves as theirs, and no operator's id.
    const own = await billing.requests.get({ actor: author, requestId });
    if (!own.ok) throw new Error(own.error.code);
    expect(own.value).toMatchObject({ own: true, contactPhone: '+79280000009', lastComment: 'У моего дома, кв. 30, звоните 8 928 000-00-09' });
    expect(own.value.attachments.map((a) => a.telegramFileId)).toEqual(['file-private-1', 'file-private-2']);
    expect(own.value.history.map((h) => [h.by, h.byId, h.mine])).toEqual([
      ['resident', `telegram:${author.telegramId}`, true],
      ['operator', null, false],
      ['operator', null, false],
      ['resident', `telegram:${author.telegramId}`, true],
    ]);
    // An accident is about a place: the reporter's account is not attached, not even for the operators.
    expect(own.value.account).toBeNull();
    expect(await billing.requests.forCard({ requestId })).toMatchObject({ ok: true, value: { account: null, contactPhone: '+79280000009' } });
    expect(await sql('select account_id from service_request where id = ?', [requestId])).toEqual([{ account_id: null }]);
    // The operators see who did what.
    const card = await billing.requests.card({ actor: opAlpha, requestId });
    expect(card.ok && card.value.history.map((h) => h.byId)).toEqual([`telegram:${author.telegramId}`, '501', '501', `telegram:${author.telegramId}`]);
  });

  it('without consent: accepted with no person kept; a phone needs the consent', async () => {
    const anonymous = viaTelegram(++nextUser);
    expect(await report(anonymous, accidentAt(44.06, 42.85), { phone: '+79280000002' })).toEqual({ ok: false, error: { code: 'resident_not_found' } });
    const r = await report(anonymous, accidentAt(44.06, 42.85));
    expect(r).toMatchObject({ ok: true, value: { followed: false, dispatcherPhone: '+7 (87934) 6-00-04' } });
    const [row] = await sql<{ resident_id: number | null; contact_phone: string | null; text_hash: string | null }>(
      'select resident_id, contact_phone, text_hash from service_request where id = ?',
      [r.ok ? r.value.requestId : 0],
    );
    // The hash of the report (place, damage, words), not of the person: the same report twice is refused.
    expect(row).toMatchObject({ resident_id: null, contact_phone: null, text_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Nothing of the person in the history either.
    expect(await sql('select by_kind, by_id from request_event where request_id = ?', [r.ok ? r.value.requestId : 0])).toEqual([
      { by_kind: 'resident', by_id: null },
    ]);
    expect(await sql('select count(*)::int as n from resident where telegram_id = ?', [anonymous.telegramId])).toEqual([{ n: 0 }]);
    // An operator's move tells nobody.
    const moved = await billing.requests.move({ actor: opAlpha, requestId: r.ok ? r.value.requestId : 0, from: 'sent', to: 'accepted' });
    expect(moved).toMatchObject({ ok: true, value: { status: 'accepted', notices: [] } });
  });

  it('without consent: the same report twice at once (a double tap, two instances) is filed once', async () => {
    const anonymous = viaTelegram(++nextUser);
    const same = { damageCode: 'leak', description: 'Фонтан из люка у остановки', photos: [file('twice-1')] };
    const place = accidentAt(44.065, 42.855);
    const both = await Promise.all([
      billing.requests.reportAccident({ actor: anonymous, place: place as never, ...same }),
      billing.requests.reportAccident({ actor: viaTelegram(++nextUser), place: place as never, ...same }),
    ]);
    expect(both.map((r) => (r.ok ? 'ok' : r.error.code)).sort()).toEqual(['duplicate_request', 'ok']);
    // Other words at the same place are another report.
    expect(
      await billing.requests.reportAccident({ actor: anonymous, place: place as never, ...same, description: 'Провал асфальта рядом с люком' }),
    ).toMatchObject({
      ok: true,
    });
  });
});

/** The table of issue 10 and seed 001, written out here: who may move a request from what to what. */
const TABLE: Record<string, ('operator' | 'resident' | 'system')[]> = {
  'sent→accepted': ['operator'],
  'sent→refused': ['operator'],
  'accepted→in_work': ['operator'],
  'accepted→needs_info': ['operator'],
  'accepted→refused': ['operator'],
  'in_work→done': ['operator'],
  'in_work→needs_info': ['operator'],
  'in_work→refused': ['operator'],
  'needs_info→accepted': ['resident', 'operator'],
  'needs_info→refused': ['operator', 'system'],
  'done→in_work': ['resident', 'operator'],
  'done→closed': ['resident', 'system'],
};
const allowed = (from: RequestStatus, to: RequestStatus, by: 'operator' | 'resident' | 'system') => TABLE[`${from}→${to}`]?.includes(by) ?? false;

describe('the lifecycle', () => {
  /** An inspector call by a fresh resident of Алла's account, in the given status. */
  async function requestIn(status: RequestStatus, author?: ReturnType<typeof viaTelegram>) {
    const actor = author ?? (await person({ link: 'alla' }));
    const r = await billing.requests.callInspector(inspectorInput(actor));
    if (!r.ok) throw new Error(r.error.code);
    if (status !== 'sent') await sql('update service_request set status = ? where id = ?', [status, r.value.requestId]);
    return { actor, requestId: r.value.requestId, number: r.value.number };
  }
  const statusOf = async (requestId: number) => (await sql<{ status: string }>('select status from service_request where id = ?', [requestId]))[0]!.status;
  const events = (requestId: number) =>
    sql<{ from_status: string | null; to_status: string; by_kind: string; by_id: string | null; comment: string | null }>(
      'select from_status, to_status, by_kind, by_id, comment from request_event where request_id = ? order by id',
      [requestId],
    );

  it('the domain table is the one of the seed, move by move', () => {
    for (const from of STATUSES)
      for (const to of STATUSES)
        for (const by of ['operator', 'resident', 'system'] as const) expect(canMove(from, to, by), `${from}→${to} by ${by}`).toBe(allowed(from, to, by));
  });

  it('an operator makes every move of the table, and no other', async () => {
    const { requestId } = await requestIn('sent');
    for (const from of STATUSES)
      for (const to of STATUSES) {
        await sql('update service_request set status = ? where id = ?', [from, requestId]);
        const before = (await events(requestId)).length;
        const r = await billing.requests.move({ actor: opAlpha, requestId, from, to, comment: 'Причина указана' });
        if (allowed(from, to, 'operator')) {
          expect(r, `${from}→${to}`).toMatchObject({ ok: true, value: { status: to } });
          expect(await statusOf(requestId)).toBe(to);
          expect((await events(requestId)).length).toBe(before + 1);
        } else {
          expect(r, `${from}→${to}`).toEqual({ ok: false, error: { code: 'move_not_allowed', status: from } });
          expect(await statusOf(requestId)).toBe(from);
          expect((await events(requestId)).length).toBe(before);
        }
      }
  });

  it('a resident answers from «На исправление» and rates from «Выполнено» only', async () => {
    const { actor, requestId } = await requestIn('sent');
    for (const from of STATUSES) {
      await sql('update service_request set status = ? where id = ?', [from, requestId]);
      const answered = await billing.requests.answer({ actor, requestId, text: 'Прилагаю фото пломбы' });
      if (allowed(from, 'accepted', 'resident')) expect(answered, from).toMatchObject({ ok: true, value: { status: 'accepted' } });
      else {
        expect(answered, from).toEqual({ ok: false, error: { code: 'move_not_allowed', status: from } });
        expect(await statusOf(requestId)).toBe(from);
      }
      for (const [good, to] of [
        [true, 'closed'],
        [false, 'in_work'],
      ] as const) {
        await sql('update service_request set status = ? where id = ?', [from, requestId]);
        const rated = await billing.requests.rate({ actor, requestId, good });
        if (allowed(from, to, 'resident')) expect(rated, `${from} rated ${good}`).toMatchObject({ ok: true, value: { status: to } });
        else {
          expect(rated, `${from} rated ${good}`).toEqual({ ok: false, error: { code: 'move_not_allowed', status: from } });
          expect(await statusOf(requestId)).toBe(from);
        }
      }
    }
  });

  it('the clock moves only «Выполнено» to closed and «На исправление» to refused', async () => {
    const made: Record<string, number> = {};
    for (const from of STATUSES) made[from] = (await requestIn(from)).requestId;
    clock = new Date(NOW.getTime() + 30 * 86_400_000);
    const swept = await billing.requests.sweep({});
    if (!swept.ok) throw new Error('sweep');
    for (const from of STATUSES) {
      const to = STATUSES.find((t) => allowed(from, t, 'system'));
      expect(await statusOf(made[from]!), from).toBe(to ?? from);
      expect(
        swept.value.some((m) => m.requestId === made[from]),
        from,
      ).toBe(to !== undefined);
    }
  });

  it('asking for corrections or refusing needs a comment; a stranger’s branch is not permitted; a missing request is not found', async () => {
    const { requestId } = await requestIn('accepted');
    for (const to of ['needs_info', 'refused'] as const) {
      expect(await billing.requests.move({ actor: opAlpha, requestId, from: 'accepted', to }), to).toEqual({
        ok: false,
        error: { code: 'comment_required' },
      });
      expect(await billing.requests.move({ actor: opAlpha, requestId, from: 'accepted', to, comment: '   ' }), to).toEqual({
        ok: false,
        error: { code: 'comment_required' },
      });
    }
    expect(await billing.requests.move({ actor: opBeta, requestId, from: 'accepted', to: 'in_work' })).toEqual({ ok: false, error: { code: 'not_permitted' } });
    expect(await billing.requests.card({ actor: opBeta, requestId })).toEqual({ ok: false, error: { code: 'not_permitted' } });
    expect(await billing.requests.move({ actor: opAlpha, requestId: 99_999_999, from: 'accepted', to: 'in_work' })).toEqual({
      ok: false,
      error: { code: 'request_not_found' },
    });
    expect(await statusOf(requestId)).toBe('accepted');
    expect(await billing.requests.move({ actor: opAlpha, requestId, from: 'accepted', to: 'in_work' })).toMatchObject({ ok: true });
  });

  it('two operators pressing at once: exactly one wins, the other is told the status it has now', async () => {
    for (const [a, b] of [
      ['accepted', 'refused'],
      ['refused', 'accepted'],
      ['accepted', 'accepted'],
    ] as const) {
      const { requestId } = await requestIn('sent');
      const results = await Promise.all([
        billing.requests.move({ actor: opAlpha, requestId, from: 'sent', to: a, comment: 'Первый' }),
        billing.requests.move({ actor: opAlpha2, requestId, from: 'sent', to: b, comment: 'Второй' }),
      ]);
      const won = results.filter((r) => r.ok);
      const lost = results.filter((r) => !r.ok);
      expect(won, `${a} / ${b}`).toHaveLength(1);
      const status = await statusOf(requestId);
      expect(lost, `${a} / ${b}`).toEqual([{ ok: false, error: { code: 'status_changed', status } }]);
      // One move in the history besides the first.
      expect((await events(requestId)).length).toBe(2);
    }
  });

  it('the resident and an operator at once: one wins, the other is told', async () => {
    for (let i = 0; i < 3; i++) {
      const { actor, requestId } = await requestIn('needs_info');
      const [answered, refused] = await Promise.all([
        billing.requests.answer({ actor, requestId, text: `Ответ ${i}` }),
        billing.requests.move({ actor: opAlpha, requestId, from: 'needs_info', to: 'refused', comment: 'Нет ответа' }),
      ]);
      expect(
        [answered, refused].filter((r) => r.ok),
        `answer ${i}`,
      ).toHaveLength(1);
      const status = await statusOf(requestId);
      expect(status).toBe(answered.ok ? 'accepted' : 'refused');
      expect((await events(requestId)).length).toBe(2);
    }
    for (let i = 0; i < 3; i++) {
      const { actor, requestId } = await requestIn('done');
      const [rated, reopened] = await Promise.all([
        billing.requests.rate({ actor, requestId, good: true }),
        billing.requests.move({ actor: opAlpha, requestId, from: 'done', to: 'in_work' }),
      ]);
      expect(
        [rated, reopened].filter((r) => r.ok),
        `rate ${i}`,
      ).toHaveLength(1);
      expect(await statusOf(requestId)).toBe(rated.ok ? 'closed' : 'in_work');
      expect((await events(requestId)).length).toBe(2);
    }
  });

  it('a stale button: moving from a status the request no longer has is refused with the status it has', async () => {
    const { requestId } = await requestIn('in_work');
    expect(await billing.requests.move({ actor: opAlpha, requestId, from: 'sent', to: 'accepted' })).toEqual({
      ok: false,
      error: { code: 'status_changed', status: 'in_work' },
    });
    expect(await statusOf(requestId)).toBe('in_work');
  });

  it('each move is recorded with who, when and the comment, and told to the author and followers, never to the one who made it', async () => {
    const author = await person();
    const follower = await person();
    const accident = await billing.requests.reportAccident({
      actor: author,
      place: accidentAt(44.01, 42.9),
      damageCode: 'hatch',
      description: 'Открыт люк у остановки',
      photos: [file('hatch')],
    });
    if (!accident.ok) throw new Error(accident.error.code);
    const requestId = accident.value.requestId;
    expect((await billing.requests.joinAccident({ actor: follower, requestId, place: accidentAt(44.01, 42.9) })).ok).toBe(true);
    const authorId = await residentId(author.telegramId);
    const followerId = await residentId(follower.telegramId);
    const noticesOf = async (ids: number[]) =>
      ids.length
        ? (
            await sql<{ resident_id: number; kind: string; payload: Record<string, unknown>; state: string }>(
              'select resident_id, kind, payload, state from notice where id in (?) order by resident_id',
              [ids],
            )
          ).map((n) => ({ ...n, resident_id: Number(n.resident_id) }))
        : [];

    clock = new Date(NOW.getTime() + 3_600_000);
    const accepted = await billing.requests.move({ actor: opAlpha, requestId, from: 'sent', to: 'accepted', comment: 'Бригада выехала' });
    if (!accepted.ok) throw new Error(accepted.error.code);
    expect(accepted.value).toEqual({ number: accident.value.number, status: 'accepted', eventId: expect.any(Number), notices: expect.any(Array) });
    const payload = { requestId, number: accident.value.number, kind: 'accident', status: 'accepted', comment: 'Бригада выехала', by: 'operator' };
    // The author may answer and rate (own); the follower is only told.
    expect(await noticesOf(accepted.value.notices)).toEqual(
      [
        { resident_id: authorId, kind: 'request_status', payload: { ...payload, own: true }, state: 'pending' },
        { resident_id: followerId, kind: 'request_status', payload: { ...payload, own: false }, state: 'pending' },
      ].sort((a, b) => a.resident_id - b.resident_id),
    );

    clock = new Date(NOW.getTime() + 2 * 3_600_000);
    const asked = await billing.requests.move({ actor: opAlpha2, requestId, from: 'accepted', to: 'needs_info', comment: 'Уточните номер дома' });
    if (!asked.ok) throw new Error(asked.error.code);
    // Only the author answers; a follower's answer is no answer.
    expect(await billing.requests.answer({ actor: follower, requestId, text: 'Дом 12' })).toEqual({ ok: false, error: { code: 'request_not_found' } });
    clock = new Date(NOW.getTime() + 3 * 3_600_000);
    const answered = await billing.requests.answer({ actor: author, requestId, text: 'Дом 12, у остановки', files: [file('answer')] });
    if (!answered.ok) throw new Error(answered.error.code);
    expect(answered.value).toMatchObject({ status: 'accepted' });
    expect((await noticesOf(answered.value.notices)).map((n) => n.resident_id)).toEqual([followerId]);

    const card = await billing.requests.card({ actor: opAlpha, requestId });
    expect(card).toMatchObject({
      ok: true,
      value: {
        status: 'accepted',
        moves: ['in_work', 'needs_info', 'refused'],
        operatorsChatId: -1001,
        lastComment: 'Дом 12, у остановки',
        history: [
          { from: null, to: 'sent', by: 'resident', byId: `telegram:${author.telegramId}`, comment: null, at: NOW.toISOString() },
          { from: 'sent', to: 'accepted', by: 'operator', byId: '501', comment: 'Бригада выехала', at: new Date(NOW.getTime() + 3_600_000).toISOString() },
          {
            from: 'accepted',
            to: 'needs_info',
            by: 'operator',
            byId: '502',
            comment: 'Уточните номер дома',
            at: new Date(NOW.getTime() + 7_200_000).toISOString(),
          },
          {
            from: 'needs_info',
            to: 'accepted',
            by: 'resident',
            byId: `telegram:${author.telegramId}`,
            comment: 'Дом 12, у остановки',
            at: new Date(NOW.getTime() + 10_800_000).toISOString(),
          },
        ],
      },
    });
    expect(card.ok && card.value.attachments.map((a) => a.role)).toEqual(['photo', 'answer']);

    await billing.requests.move({ actor: opAlpha, requestId, from: 'accepted', to: 'in_work' });
    const done = await billing.requests.move({ actor: opAlpha, requestId, from: 'in_work', to: 'done', comment: 'Люк закрыт' });
    expect(done.ok && (await noticesOf(done.value.notices)).map((n) => n.resident_id).sort()).toEqual([authorId, followerId].sort());
    // The author finds it bad: back to work, the follower is told, the author is not.
    const bad = await billing.requests.rate({ actor: author, requestId, good: false, comment: 'Люк снова открыт' });
    expect(bad).toMatchObject({ ok: true, value: { status: 'in_work' } });
    expect(bad.ok && (await noticesOf(bad.value.notices)).map((n) => n.resident_id)).toEqual([followerId]);
    await billing.requests.move({ actor: opAlpha, requestId, from: 'in_work', to: 'done' });
    expect(await billing.requests.rate({ actor: follower, requestId, good: true })).toEqual({ ok: false, error: { code: 'request_not_found' } });
    const good = await billing.requests.rate({ actor: author, requestId, good: true });
    expect(good).toMatchObject({ ok: true, value: { status: 'closed' } });
    expect(await sql('select rating from service_request where id = ?', [requestId])).toEqual([{ rating: 1 }]);
    expect(await billing.requests.rate({ actor: author, requestId, good: false })).toEqual({
      ok: false,
      error: { code: 'move_not_allowed', status: 'closed' },
    });
    const mine = await billing.requests.mine({ actor: author });
    expect(mine).toMatchObject({ ok: true, value: { requests: [{ requestId, status: 'closed', lastComment: 'Люк снова открыт' }] } });
  });

  it('another resident neither sees, answers nor rates a request', async () => {
    const { requestId } = await requestIn('needs_info');
    const other = await person({ link: 'alla' });
    expect(await billing.requests.get({ actor: other, requestId })).toEqual({ ok: false, error: { code: 'request_not_found' } });
    expect(await billing.requests.answer({ actor: other, requestId, text: 'Чужой ответ' })).toEqual({ ok: false, error: { code: 'request_not_found' } });
    expect(await billing.requests.rate({ actor: other, requestId, good: true })).toEqual({ ok: false, error: { code: 'request_not_found' } });
    expect(await billing.requests.get({ actor: viaTelegram(++nextUser), requestId })).toEqual({ ok: false, error: { code: 'resident_not_found' } });
    expect(await statusOf(requestId)).toBe('needs_info');
  });

  it('the sweep closes «Выполнено» after 7 days and refuses «На исправление» after 3, leaving newer ones', async () => {
    const author = await person({ link: 'alla' });
    const doneOld = await requestIn('in_work', author);
    const askedOld = await requestIn('accepted', author);
    await billing.requests.move({ actor: opAlpha, requestId: doneOld.requestId, from: 'in_work', to: 'done' });
    await billing.requests.move({ actor: opAlpha, requestId: askedOld.requestId, from: 'accepted', to: 'needs_info', comment: 'Нужно фото' });
    clock = new Date(NOW.getTime() + 2 * 86_400_000);
    const doneNew = await requestIn('in_work', author);
    const askedNew = await requestIn('accepted', author);
    await billing.requests.move({ actor: opAlpha, requestId: doneNew.requestId, from: 'in_work', to: 'done' });
    await billing.requests.move({ actor: opAlpha, requestId: askedNew.requestId, from: 'accepted', to: 'needs_info', comment: 'Нужно фото' });

    // Three days and a minute after the first ones.
    clock = new Date(NOW.getTime() + 3 * 86_400_000 + 60_000);
    const first = await billing.requests.sweep({});
    if (!first.ok) throw new Error('sweep');
    const mineOf = <T extends { requestId: number }>(ids: T[]) =>
      ids.filter((m) => [doneOld, askedOld, doneNew, askedNew].some((r) => r.requestId === m.requestId));
    expect(mineOf(first.value)).toEqual([{ requestId: askedOld.requestId, status: 'refused', notices: [expect.any(Number)] }]);
    expect([await statusOf(doneOld.requestId), await statusOf(doneNew.requestId), await statusOf(askedNew.requestId)]).toEqual(['done', 'done', 'needs_info']);
    const [event] = await sql<{ by_kind: string; by_id: string | null; at: Date }>(
      `select by_kind, by_id, at from request_event where request_id = ? and to_status = 'refused'`,
      [askedOld.requestId],
    );
    expect({ ...event, at: new Date(event!.at).toISOString() }).toEqual({ by_kind: 'system', by_id: null, at: clock.toISOString() });
    const [notice] = await sql<{ resident_id: number; payload: { status: string } }>('select resident_id, payload from notice where id = ?', [
      first.value.find((m) => m.requestId === askedOld.requestId)!.notices[0],
    ]);
    expect(Number(notice!.resident_id)).toBe(await residentId(author.telegramId));
    expect(notice!.payload.status).toBe('refused');

    // Seven days and a minute after the first ones: the old «Выполнено» closes, the new one waits.
    clock = new Date(NOW.getTime() + 7 * 86_400_000 + 60_000);
    const second = await billing.requests.sweep({});
    expect(second.ok && mineOf(second.value).map((m) => [m.requestId, m.status])).toEqual([
      [doneOld.requestId, 'closed'],
      [askedNew.requestId, 'refused'],
    ]);
    expect(await statusOf(doneNew.requestId)).toBe('done');
    // Nothing twice.
    const third = await billing.requests.sweep({});
    expect(third.ok && mineOf(third.value)).toEqual([]);
  });
});

describe('limits against abuse', () => {
  it('at most 10 requests a day per resident; a day later more are taken', async () => {
    const actor = await person({ link: 'alla' });
    for (let i = 0; i < 10; i++) expect((await billing.requests.callInspector(inspectorInput(actor))).ok, `request ${i + 1}`).toBe(true);
    expect(await billing.requests.callInspector(inspectorInput(actor))).toEqual({ ok: false, error: { code: 'too_many_requests' } });
    // Accidents count too.
    expect(
      await billing.requests.reportAccident({ actor, place: accidentAt(44.04, 42.86), damageCode: 'leak', description: 'Ещё одна течь', photos: [file('x')] }),
    ).toEqual({ ok: false, error: { code: 'too_many_requests' } });
    clock = new Date(NOW.getTime() + 23 * 3_600_000);
    expect(await billing.requests.callInspector(inspectorInput(actor, alla, { visit: { date: '2026-11-26', hour: 10 } }))).toEqual({
      ok: false,
      error: { code: 'too_many_requests' },
    });
    clock = new Date(NOW.getTime() + 24 * 3_600_000 + 60_000);
    expect((await billing.requests.callInspector(inspectorInput(actor, alla, { visit: { date: '2026-11-26', hour: 10 } }))).ok).toBe(true);
  });

  it('a request sent twice at once (a double tap) is made once', async () => {
    const actor = await person({ link: 'alla' });
    const input = inspectorInput(actor);
    const both = await Promise.all([billing.requests.callInspector(input), billing.requests.callInspector(input)]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.filter((r) => !r.ok)).toEqual([{ ok: false, error: { code: 'duplicate_request' } }]);
  });

  it('the same text twice in a day is refused, also written differently; a day later it is taken', async () => {
    const actor = await person({ link: 'alla' });
    const same = (comment: string) => inspectorInput(actor, alla, { comment, visit: { date: '2026-11-26', hour: 10 } });
    expect((await billing.requests.callInspector(same('Сорвана пломба на счётчике'))).ok).toBe(true);
    expect(await billing.requests.callInspector(same('Сорвана пломба на счётчике'))).toEqual({ ok: false, error: { code: 'duplicate_request' } });
    expect(await billing.requests.callInspector(same('  сорвана   пломба на СЧЕТЧИКЕ '))).toEqual({ ok: false, error: { code: 'duplicate_request' } });
    expect((await billing.requests.callInspector(same('Сорвана пломба на втором счётчике'))).ok).toBe(true);
    // Without a comment, the same reason and day twice is the same request.
    expect((await billing.requests.callInspector(same(''))).ok).toBe(true);
    expect(await billing.requests.callInspector(same(''))).toEqual({ ok: false, error: { code: 'duplicate_request' } });
    clock = new Date(NOW.getTime() + 24 * 3_600_000 + 60_000);
    expect((await billing.requests.callInspector(same('Сорвана пломба на счётчике'))).ok).toBe(true);
  });
});

describe('duplicates are the same words about the same thing', () => {
  it('the same comment about two accounts is two requests; about one account, one', async () => {
    const actor = await person({ link: 'kireeva' });
    const linked = await billing.residents.linkAccount({
      actor,
      proof: { by: 'number', longNumber: '002901800602302', house: '7', flat: '30', flatPrefix: null, surname: 'Михайлова', pin: null },
    });
    expect(linked.ok).toBe(true);
    const days = await billing.requests.visitSlots({ actor, accountId: kireeva });
    if (!days.ok) throw new Error(days.error.code);
    const call = (accountId: number, date: string) =>
      billing.requests.callInspector({
        ...inspectorInput(actor, accountId),
        comment: 'Пломба сорвана при ремонте',
        visit: { date, hour: days.value.hourFrom },
      });
    expect((await call(alla, '2026-12-01')).ok).toBe(true);
    expect((await call(kireeva, days.value.days[0]!)).ok).toBe(true);
    expect(await call(alla, '2026-12-02')).toEqual({ ok: false, error: { code: 'duplicate_request' } });
  });

  it('the same description of another place or another damage is another accident; the same of the same, a duplicate', async () => {
    const actor = await person();
    const send = (place: unknown, damageCode = 'leak') =>
      billing.requests.reportAccident({ actor, place: place as never, damageCode, description: 'Течёт вода по улице', photos: [file(`dup-${++comments}`)] });
    expect((await send(accidentAt(44.031, 42.811))).ok).toBe(true);
    expect(await send(accidentAt(44.031, 42.811))).toEqual({ ok: false, error: { code: 'duplicate_request' } });
    // About 1 km away, another damage at the same point, a typed house.
    expect((await send(accidentAt(44.04, 42.811))).ok).toBe(true);
    expect((await send(accidentAt(44.031, 42.811), 'hatch')).ok).toBe(true);
    expect((await send({ kind: 'address', branchCode: 'alpha', address: 'ул. Ермакова, д. 11' })).ok).toBe(true);
    expect(await send({ kind: 'address', branchCode: 'alpha', address: 'Ермакова 11' })).toEqual({ ok: false, error: { code: 'duplicate_request' } });
    expect((await send({ kind: 'address', branchCode: 'alpha', address: 'Ермакова 13' })).ok).toBe(true);
  });
});

describe('withdrawing consent', () => {
  it('leaves the requests as the utility’s record, with no row anywhere holding the Telegram id, and no phone', async () => {
    const actor = await person({ link: 'alla' });
    const tid = actor.telegramId;
    const call = await billing.requests.callInspector(inspectorInput(actor));
    if (!call.ok) throw new Error(call.error.code);
    await billing.requests.move({ actor: opAlpha, requestId: call.value.requestId, from: 'sent', to: 'accepted' });
    await billing.requests.move({ actor: opAlpha, requestId: call.value.requestId, from: 'accepted', to: 'needs_info', comment: 'Какой счётчик?' });
    expect((await billing.requests.answer({ actor, requestId: call.value.requestId, text: 'Холодной воды' })).ok).toBe(true);
    const accident = await billing.requests.reportAccident({
      actor,
      place: accidentAt(44.061, 42.871),
      damageCode: 'leak',
      description: 'Течь у подъезда',
      phone: '+79280000077',
      photos: [file('withdraw')],
    });
    if (!accident.ok) throw new Error(accident.error.code);
    // A reading passed through Telegram records who passed it, too.
    const prepared = await billing.readings.prepare({ actor, accountId: alla });
    if (!prepared.ok) throw new Error(prepared.error.code);
    const meters = prepared.value.meters.filter((m) => m.verificationState !== 'expired');
    const entries = meters.map((m) => ({ meterId: m.meterId, value: ((m.passedThisPeriod ?? m.last)?.value ?? 0) + 1_000 }));
    const submitted = await billing.readings.submit({
      actor,
      accountId: alla,
      submission: `withdraw-${tid}`,
      entries,
      confirmPartial: true,
      confirmUnusual: entries.map((e) => e.meterId),
    });
    expect(submitted).toMatchObject({ ok: true, value: { status: 'stored' } });

    /** Every row of every table of the application whose text holds the user's channel id. */
    const holding = async () => {
      const columns = await sql<{ table_name: string; column_name: string }>(
        `select table_name, column_name from information_schema.columns
          where table_schema = current_schema() and data_type in ('text', 'character varying', 'json', 'jsonb')`,
      );
      const found: string[] = [];
      for (const c of columns) {
        const [row] = await sql<{ n: number }>(`select count(*)::int as n from "${c.table_name}" where "${c.column_name}"::text ~ ?`, [
          `telegram:${tid}(\\D|$)`,
        ]);
        if (row!.n > 0) found.push(`${c.table_name}.${c.column_name}`);
      }
      return found.sort();
    };
    expect(await holding()).toEqual(['reading.sent_by', 'request_event.by_id']);

    expect(await billing.residents.withdrawConsent({ actor })).toEqual({ ok: true, value: { forgotten: true } });
    expect(await holding()).toEqual([]);
    const ids = [call.value.requestId, accident.value.requestId];
    expect(await sql('select resident_id, contact_phone from service_request where id in (?) order by id', [ids])).toEqual([
      { resident_id: null, contact_phone: null },
      { resident_id: null, contact_phone: null },
    ]);
    // The history itself stays: the moves, a resident's among them, and the words.
    expect(await sql(`select by_kind, by_id, comment from request_event where request_id = ? order by id`, [call.value.requestId])).toEqual([
      { by_kind: 'resident', by_id: null, comment: null },
      { by_kind: 'operator', by_id: '501', comment: null },
      { by_kind: 'operator', by_id: '501', comment: 'Какой счётчик?' },
      { by_kind: 'resident', by_id: null, comment: 'Холодной воды' },
    ]);
  });
});

describe('the outbox of notices', () => {
  async function someNotices() {
    const { requestId } = await (async () => {
      const actor = await person({ link: 'alla' });
      const r = await billing.requests.callInspector(inspectorInput(actor));
      if (!r.ok) throw new Error(r.error.code);
      return { requestId: r.value.requestId, actor };
    })();
    const follower = await person();
    await sql(`insert into request_follower (request_id, resident_id, joined_at) values (?, ?, now())`, [requestId, await residentId(follower.telegramId)]);
    const moved = await billing.requests.move({ actor: opAlpha, requestId, from: 'sent', to: 'accepted' });
    if (!moved.ok) throw new Error(moved.error.code);
    expect(moved.value.notices).toHaveLength(2);
    return moved.value.notices;
  }

  it('a notice is claimed once, also by two at once; finished, it is not claimed again', async () => {
    const [id] = await someNotices();
    const both = await Promise.all([billing.notices.claim({ noticeId: id! }), billing.notices.claim({ noticeId: id! })]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.filter((r) => !r.ok)).toEqual([{ ok: false, error: { code: 'notice_not_pending' } }]);
    const won = both.find((r) => r.ok);
    expect(won).toMatchObject({
      ok: true,
      value: { kind: 'request_status', payload: { status: 'accepted', kind: 'inspector' }, telegramId: expect.any(Number), language: 'ru', blocked: false },
    });
    expect(await billing.notices.finish({ noticeId: id!, sent: true })).toEqual({ ok: true, value: null });
    const [row] = await sql<{ state: string; sent_at: Date }>('select state, sent_at from notice where id = ?', [id]);
    expect(row!.state).toBe('sent');
    expect(new Date(row!.sent_at).toISOString()).toBe(NOW.toISOString());
    expect(await billing.notices.claim({ noticeId: id! })).toEqual({ ok: false, error: { code: 'notice_not_pending' } });
    // A finish of one not being sent changes nothing.
    await billing.notices.finish({ noticeId: id!, sent: false });
    expect(await sql('select state from notice where id = ?', [id])).toEqual([{ state: 'sent' }]);
  });

  it('a failed one is marked failed', async () => {
    const [id] = await someNotices();
    expect((await billing.notices.claim({ noticeId: id! })).ok).toBe(true);
    await billing.notices.finish({ noticeId: id!, sent: false });
    expect(await sql('select state, sent_at from notice where id = ?', [id])).toEqual([{ state: 'failed', sent_at: null }]);
  });

  it('one Telegram could not take now is put back to pending by its claim’s holder, and claimed again', async () => {
    const [id] = await someNotices();
    expect(await billing.notices.release({ noticeId: id! })).toEqual({ ok: false, error: { code: 'notice_not_sending' } });
    expect((await billing.notices.claim({ noticeId: id! })).ok).toBe(true);
    expect(await billing.notices.release({ noticeId: id! })).toEqual({ ok: true, value: { gaveUp: false } });
    expect(await sql('select state from notice where id = ?', [id])).toEqual([{ state: 'pending' }]);
    expect((await billing.notices.claim({ noticeId: id! })).ok).toBe(true);
    await billing.notices.finish({ noticeId: id!, sent: true });
    // A sent one is not put back.
    expect(await billing.notices.release({ noticeId: id! })).toEqual({ ok: false, error: { code: 'notice_not_sending' } });
    expect(await sql('select state from notice where id = ?', [id])).toEqual([{ state: 'sent' }]);
  });

  it('a resident marked blocked gets nothing: the claim fails the notice as «blocked»; cleared, the next is claimed', async () => {
    const [first, second] = await someNotices();
    const [row] = await sql<{ resident_id: number }>('select resident_id from notice where id = ?', [first]);
    await sql('update resident set blocked = true where id = ?', [row!.resident_id]);
    expect(await billing.notices.claim({ noticeId: first! })).toEqual({ ok: false, error: { code: 'notice_blocked', noticeId: first } });
    expect(await sql('select state, outcome from notice where id = ?', [first])).toEqual([{ state: 'failed', outcome: 'blocked' }]);
    const [tid] = await sql<{ telegram_id: string }>('select telegram_id from resident where id = ?', [row!.resident_id]);
    await billing.residents.clearBlocked({ telegramId: Number(tid!.telegram_id) });
    expect((await billing.notices.claim({ noticeId: second! })).ok).toBe(true);
  });

  it('lists only the pending ones older than asked', async () => {
    const [claimed, left] = await someNotices();
    await billing.notices.claim({ noticeId: claimed! });
    clock = new Date(NOW.getTime() + 30_000);
    const young = await billing.notices.pending({ olderThanSeconds: 60 });
    expect(young.ok && young.value).not.toContain(left);
    clock = new Date(NOW.getTime() + 61_000);
    const old = await billing.notices.pending({ olderThanSeconds: 60 });
    expect(old.ok && old.value).toContain(left);
    expect(old.ok && old.value).not.toContain(claimed);
  });
});

describe("the operators' topics", () => {
  it('one of two callers at once claims a topic, the other waits; once set it exists', async () => {
    const key = { chatId: -100_777, purpose: 'requests:accident' };
    const both = await Promise.all([billing.operators.claimTopic(key), billing.operators.claimTopic(key)]);
    expect(both.map((r) => r.ok && r.value.state).sort()).toEqual(['claimed', 'pending']);
    expect(await billing.operators.claimTopic(key)).toEqual({ ok: true, value: { state: 'pending' } });
    expect(await billing.operators.setTopic({ ...key, threadId: 42 })).toEqual({ ok: true, value: null });
    expect(await billing.operators.claimTopic(key)).toEqual({ ok: true, value: { state: 'exists', threadId: 42 } });
    // Another purpose of the same group is its own.
    expect(await billing.operators.claimTopic({ ...key, purpose: 'requests:inspector' })).toEqual({ ok: true, value: { state: 'claimed' } });
  });

  it('a claim left by an instance that died is taken over after staleSeconds; a failed creation frees it', async () => {
    const key = { chatId: -100_778, purpose: 'requests:commissioning' };
    expect(await billing.operators.claimTopic({ ...key, staleSeconds: 60 })).toEqual({ ok: true, value: { state: 'claimed' } });
    clock = new Date(NOW.getTime() + 59_000);
    expect(await billing.operators.claimTopic({ ...key, staleSeconds: 60 })).toEqual({ ok: true, value: { state: 'pending' } });
    clock = new Date(NOW.getTime() + 61_000);
    const both = await Promise.all([billing.operators.claimTopic({ ...key, staleSeconds: 60 }), billing.operators.claimTopic({ ...key, staleSeconds: 60 })]);
    expect(both.map((r) => r.ok && r.value.state).sort()).toEqual(['claimed', 'pending']);
    // The new claim is fresh again.
    clock = new Date(NOW.getTime() + 90_000);
    expect(await billing.operators.claimTopic({ ...key, staleSeconds: 60 })).toEqual({ ok: true, value: { state: 'pending' } });
    expect(await billing.operators.setTopic({ ...key, threadId: null })).toEqual({ ok: true, value: null });
    expect(await billing.operators.claimTopic({ ...key, staleSeconds: 60 })).toEqual({ ok: true, value: { state: 'claimed' } });
  });
});

describe("the operators' desk", () => {
  it('a group serves the branches that name it, and the one for all serves those that name none', async () => {
    expect(await billing.operators.branchesOfDesk({ chatId: -1001, defaultChatId: null })).toEqual({ ok: true, value: ['alpha'] });
    expect(await billing.operators.branchesOfDesk({ chatId: -2002, defaultChatId: -2002 })).toEqual({ ok: true, value: ['beta'] });
    expect(await billing.operators.branchesOfDesk({ chatId: -1001, defaultChatId: -1001 })).toEqual({ ok: true, value: ['alpha', 'beta'] });
    expect(await billing.operators.branchesOfDesk({ chatId: -3003, defaultChatId: -2002 })).toEqual({ ok: true, value: [] });
  });

  it('lists the requests whose card was never posted, older than asked, where a group is there for them', async () => {
    const alphaOne = await billing.requests.callInspector(inspectorInput(await person({ link: 'alla' })));
    if (!alphaOne.ok) throw new Error(alphaOne.error.code);
    // Kireeva's branch (beta) names no group: its cards go to the one for all, if there is one.
    const ofBeta = await person({ link: 'kireeva' });
    const slots = await billing.requests.visitSlots({ actor: ofBeta, accountId: kireeva });
    if (!slots.ok) throw new Error(slots.error.code);
    const betaCall = await billing.requests.callInspector(
      inspectorInput(ofBeta, kireeva, { visit: { date: slots.value.days[0], hour: slots.value.hourFrom } }),
    );
    if (!betaCall.ok) throw new Error(betaCall.error.code);
    const ids = [alphaOne.value.requestId, betaCall.value.requestId];
    const listed = async (olderThanSeconds: number, defaultChatId: number | null) => {
      const r = await billing.requests.withoutCard({ olderThanSeconds, defaultChatId });
      if (!r.ok) throw new Error(r.error.code);
      return r.value.filter((id) => ids.includes(id));
    };
    // Younger than asked: its own job is still on it.
    expect(await listed(600, -2002)).toEqual([]);
    clock = new Date(NOW.getTime() + 601_000);
    expect(await listed(600, null)).toEqual([alphaOne.value.requestId]);
    expect((await listed(600, -2002)).sort()).toEqual([...ids].sort());
    // Once its card is posted it is not listed again.
    await billing.requests.setCard({ requestId: alphaOne.value.requestId, chatId: -1001, messageId: 78 });
    expect(await listed(600, -2002)).toEqual([betaCall.value.requestId]);
  });

  it('the card job reads the request with its group, and records the card', async () => {
    const actor = await person({ link: 'alla' });
    const r = await billing.requests.callInspector(inspectorInput(actor));
    if (!r.ok) throw new Error(r.error.code);
    expect(await billing.requests.forCard({ requestId: r.value.requestId })).toMatchObject({
      ok: true,
      value: { number: r.value.number, operatorsChatId: -1001, card: null, status: 'sent' },
    });
    expect(await billing.requests.setCard({ requestId: r.value.requestId, chatId: -1001, messageId: 77 })).toEqual({ ok: true, value: null });
    expect(await billing.requests.forCard({ requestId: r.value.requestId })).toMatchObject({ ok: true, value: { card: { chatId: -1001, messageId: 77 } } });
    expect(await billing.requests.setCard({ requestId: 99_999_999, chatId: -1001, messageId: 77 })).toEqual({
      ok: false,
      error: { code: 'request_not_found' },
    });
  });
});
