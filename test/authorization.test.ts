import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBilling, viaTelegram, viaWeb, viaWebVisitor, type ResidentActor, type Billing, type OperatorActor, type Scope } from '../src/billing/index.ts';
import { importFiles } from '../src/billing/import/index.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { FIXTURE_DIR, NOW } from './support/fixture.ts';

/*
 * The whole billing API, walked operation by operation: every operation says who may call it,
 * and every one that is about an account refuses anybody without a right to that account. A new
 * operation fails the first test until it is put in one of the tables below; a new account-scoped
 * one must also refuse strangers here.
 */

/** Anyone may call these: what they need to prove comes with the input (or they give nothing personal). */
const PUBLIC: Record<string, string> = {
  'branches.list': 'the dictionary of branches',
  'accounts.resolveShortNumber': 'short number → 15-digit number (seed 000 §4)',
  'accounts.searchStreets': 'street names of a branch',
  'balance.getPublic': 'debt and verification date by the 15-digit number (seed 000 §10)',
  'readings.findAccount': 'number, house and flat belong together (seeds 001/002)',
  'residents.startOnWeb': 'the consent on the web pages creates a resident with no channel id; nothing else of anybody is given',
  'email.requestSignInCode': 'a sign-in code to a confirmed address (the front door sends it; the answer tells nobody whose it is)',
  'email.signIn': 'the code from the letter is the proof',
  'receipts.lastByProof': 'the last month’s receipt with the proof of linking: number or address, surname, PIN (seed 003)',
  'residents.ownershipLock': 'until when the one asking may try again (the limits of failed ownership checks: theirs by channel, and the account’s)',
  'receipts.subscriptionByToken': 'the unsubscribe link of a letter is the capability',
  'receipts.unsubscribeByToken': 'the unsubscribe link of a letter is the capability',
  'requests.dictionaries': 'the reasons of an inspector call and the damage types, as imported',
  'requests.branchAt': 'which branch serves a point, and its dispatcher (shown to anyone reporting an accident)',
  'operators.branchesOfDesk': 'which branches a Telegram group serves (branch codes, from the configuration)',
  'webSessions.resume': 'the session token from the cookie is the proof (only its hash is stored)',
  'webSessions.end': 'the session token from the cookie is the proof',
};
/** About the acting resident only: the input names nobody else. */
const RESIDENT = [
  'residents.get',
  'residents.activeAccount',
  'residents.consent',
  'residents.giveConsent',
  'residents.withdrawConsent',
  'residents.setLanguage',
  'residents.linkAccount',
  'residents.phone',
  'residents.setPhone',
  'residents.removePhone',
  'balance.ofActiveAccount',
  'email.get',
  'email.requestCode',
  'email.confirm',
  'email.remove',
  // An accident needs no account (seed 002); what the resident asked and joined is theirs only.
  'requests.nearbyAccidents',
  'requests.reportAccident',
  'requests.joinAccident',
  'requests.mine',
  'requests.get',
  'requests.answer',
  'requests.rate',
  // «💬 Оператор»: the resident's own conversation (also without consent: it is keyed by the Telegram user).
  'chats.open',
  'chats.state',
  'chats.relay',
  'chats.edit',
  'chats.close',
  'chats.rate',
  // Outages in force at the resident's place and at their own accounts' houses.
  'outages.known',
  'reminders.settings',
  // The web pages' sessions: opened for, and all ended by, the resident acting.
  'webSessions.open',
  'webSessions.endAll',
];
/** The job runner's own bookkeeping. */
const SYSTEM = [
  'mailings.plan',
  'mailings.subscription',
  'requests.forCard',
  'requests.setCard',
  'requests.withoutCard',
  'requests.sweep',
  'requests.pendingAttachments',
  'requests.attachmentStored',
  'operators.claimTopic',
  'operators.setTopic',
  'notices.claim',
  'notices.finish',
  'notices.release',
  'notices.pending',
  'operators.desks',
  'residents.markBlocked',
  'requests.attachmentRefused',
  'requests.attachmentsPosted',
  'operators.forgetTopic',
  'requests.cardAttachments',
  'requests.withPendingFiles',
  'operators.topicThread',
  'readings.exportPeriod',
  'receipts.exportPaperOptOut',
  'chats.residentBlocked',
  'chats.pending',
  'chats.sentSince',
  'chats.finish',
  'chats.recordSent',
  'chats.recordReplySent',
  'chats.counterpart',
  'chats.copyOf',
  'chats.setCard',
  'chats.forRelay',
  'chats.toldToCall',
  'chats.claimGroupWarning',
  'outages.notifyPending',
  'residents.clearBlocked',
  'reminders.plan',
];

interface Fixture {
  accountId: number;
  meterId: number;
  /** The first day an inspector may come to the account's branch. */
  visitDay: string;
  /** A request of the account's branch (alpha), for the operators' operations. */
  requestId: number;
  /** The account owner's «💬 Оператор» conversation and its topic, with one operator's message relayed. */
  chat: { chatId: number; threadId: number; conversationId: number; messageId: number };
  /** Two outages of alpha: one is updated and resolved, the other cancelled. */
  outageId: number;
  otherOutageId: number;
}
/** Each account-scoped operation with an input that the account's own resident may send. */
const ACCOUNT: Record<string, (f: Fixture) => Record<string, unknown>> = {
  'accounts.summary': () => ({}),
  'meters.ofAccount': () => ({}),
  'balance.get': () => ({}),
  'balance.statements': () => ({ limit: 3 }),
  'balance.payments': () => ({ limit: 3 }),
  'balance.services': () => ({ month: '2026-10' }),
  'balance.reconciliation': () => ({ from: '2026-08', to: '2026-10' }),
  'readings.history': (f) => ({ meterId: f.meterId, limit: 5 }),
  'readings.prepare': () => ({}),
  'readings.submit': (f) => ({
    submission: `authz-${f.meterId}-${Math.random().toString(36).slice(2)}`,
    entries: [{ meterId: f.meterId, value: 900_000 }],
    confirmPartial: true,
    confirmUnusual: [f.meterId],
  }),
  'receipts.months': () => ({ before: '2026-10' }),
  'receipts.forMonth': () => ({ month: '2026-10' }),
  'receipts.subscribe': () => ({}),
  'receipts.unsubscribe': () => ({}),
  'receipts.paperOptOut': () => ({ on: false }),
  'reminders.set': () => ({ kind: 'verification', on: true }),
  'residents.setActiveAccount': () => ({}),
  'residents.unlinkAccount': () => ({}),
  'requests.visitSlots': () => ({}),
  'requests.callInspector': (f) => ({
    reasonCode: 'seal',
    visit: { date: f.visitDay, hour: 10 },
    phone: '+79052145780',
    comment: `authz-${Math.random().toString(36).slice(2)}`,
  }),
  'requests.commissionMeters': (f) => ({
    meters: [
      {
        requestType: 'sealing',
        meterId: f.meterId,
        reading: 61_000,
        installer: `authz-${Math.random().toString(36).slice(2)}`,
        passport: { fileId: 'passport', fileUniqueId: 'passport' },
        certificate: { fileId: 'certificate', fileUniqueId: 'certificate' },
      },
    ],
    phone: '+79052145780',
    acceptTerms: true,
    giveAccess: true,
  }),
};
/**
 * Account-scoped operations an operator of the branch may not make for the resident: a request is
 * filed by the resident it is about (their phone, their daily limit, their statuses), so only a
 * live link lets one through (`access.by === 'link'`); the operator is refused with not_permitted.
 */
const RESIDENT_OWN: Record<string, string> = {
  'requests.callInspector': 'an inspector call is the resident’s own request',
  'requests.commissionMeters': 'a commissioning request is the resident’s own, with their consent to the terms and access',
  'reminders.set': 'which reminders come is the resident’s own choice',
};
/**
 * An operator's work at the desk, about a request of a branch they serve: refused to anyone who
 * is not an operator (the actor must be one), and to an operator of another branch.
 */
const OPERATOR: Record<string, (f: Fixture) => Record<string, unknown>> = {
  'requests.card': (f) => ({ requestId: f.requestId }),
  'requests.move': (f) => ({ requestId: f.requestId, from: 'sent', to: 'accepted' }),
  'operators.chatOfTopic': (f) => ({ chatId: f.chat.chatId, threadId: f.chat.threadId }),
  'operators.chatReply': (f) => ({ chatId: f.chat.chatId, threadId: f.chat.threadId, messageId: f.chat.messageId + 1 }),
  'operators.chatEdit': (f) => ({ chatId: f.chat.chatId, messageId: f.chat.messageId, text: 'edited' }),
  'operators.chatCommand': (f) => ({ chatId: f.chat.chatId, threadId: f.chat.threadId, command: 'ban' }),
  'operators.chatContext': (f) => ({ chatId: f.chat.chatId, conversationId: f.chat.conversationId }),
  'outages.announce': () => ({
    branchCode: 'alpha',
    kind: 'emergency',
    reason: 'authz',
    startsAt: '2026-11-22T08:00:00Z',
    endsAt: '2026-11-22T18:00:00Z',
    streets: [],
    circle: { latitude: 44.04, longitude: 42.86, radiusKm: 1 },
  }),
  'outages.get': (f) => ({ outageId: f.outageId }),
  'outages.update': (f) => ({ outageId: f.outageId, expectedEndAt: '2026-11-22T20:00:00Z' }),
  'outages.resolve': (f) => ({ outageId: f.outageId }),
  'outages.cancel': (f) => ({ outageId: f.otherOutageId }),
};
const REFUSALS = ['account_not_linked', 'resident_not_found', 'not_permitted', 'account_not_found'];

type AnyOperation = ((input: unknown) => Promise<{ ok: boolean; error?: { code: string } }>) & { scope?: Scope };

function operations(billing: Billing): [string, AnyOperation][] {
  return Object.entries(billing).flatMap(([group, ops]) =>
    Object.entries(ops as Record<string, AnyOperation>).map(([name, op]) => [`${group}.${name}`, op] as [string, AnyOperation]),
  );
}

let db: TestDatabase;
let billing: Billing;
let alla: Fixture; // МИХАЙЛОВА, branch alpha
let semenovId: number;
const owner = viaTelegram(9_100_001);
const strangerLinkedElsewhere = viaTelegram(9_100_002);
const strangerWithConsent = viaTelegram(9_100_003);
const noConsent = viaTelegram(9_100_004);
/** Residents of the web pages (signed in by e-mail code): set up in beforeAll. */
let webOwner: ResidentActor;
let webStranger: ResidentActor;
const webGone = viaWeb(99_999_999);
/** Someone on the web pages who has not signed in. */
const webVisitor = viaWebVisitor();
const operatorOfBeta: OperatorActor = { kind: 'operator', operatorId: 7, branchCodes: ['beta'] };
const operatorOfAlpha: OperatorActor = { kind: 'operator', operatorId: 8, branchCodes: ['alpha'] };

const proof = (longNumber: string, flat: string, surname: string) => ({
  by: 'number' as const,
  longNumber,
  house: '7',
  flat,
  flatPrefix: null,
  surname,
  pin: null,
});

beforeAll(async () => {
  db = await freshDatabase();
  const report = await importFiles(db.orm, [FIXTURE_DIR]);
  expect(report.errors).toEqual([]);
  billing = createBilling({ orm: db.orm, now: () => NOW });
  for (const a of [owner, strangerLinkedElsewhere, strangerWithConsent]) await billing.residents.giveConsent({ actor: a, version: 't' });
  const linked = await billing.residents.linkAccount({ actor: owner, proof: proof('002901800602302', '30', 'Михайлова') });
  const other = await billing.residents.linkAccount({ actor: strangerLinkedElsewhere, proof: proof('002901800602303', '31', 'Семёнов') });
  if (!linked.ok || !other.ok) throw new Error('fixture accounts not linked');
  const summary = await billing.accounts.summary({ actor: owner, accountId: linked.value.account.accountId });
  if (!summary.ok) throw new Error('no summary');
  const slots = await billing.requests.visitSlots({ actor: owner, accountId: linked.value.account.accountId });
  if (!slots.ok) throw new Error('no visit slots');
  const base = {
    accountId: linked.value.account.accountId,
    meterId: summary.value.meters.find((m) => m.status === 'active')!.meterId,
    visitDay: slots.value.days[0]!,
  };
  const request = await billing.requests.callInspector({
    actor: owner,
    ...base,
    ...ACCOUNT['requests.callInspector']!({
      ...base,
      requestId: 0,
      chat: { chatId: 0, threadId: 0, conversationId: 0, messageId: 0 },
      outageId: 0,
      otherOutageId: 0,
    }),
  } as never);
  if (!request.ok) throw new Error(`no request: ${request.error.code}`);
  const chatId = -1001000000009;
  const opened = await billing.chats.open({ actor: owner, firstName: 'Алла', defaultChatId: chatId });
  if (!opened.ok) throw new Error(`no chat: ${opened.error.code}`);
  const purpose = `resident:${owner.telegramId}`;
  await billing.operators.claimTopic({ chatId, purpose });
  await billing.operators.setTopic({ chatId, purpose, threadId: 77 });
  const topic = await billing.operators.chatOfTopic({ actor: operatorOfAlpha, chatId, threadId: 77 });
  if (!topic.ok) throw new Error(`no chat topic: ${topic.error.code}`);
  await billing.operators.chatReply({ actor: operatorOfAlpha, chatId, threadId: 77, messageId: 500 });
  const staff: OperatorActor = { kind: 'operator', operatorId: 9, branchCodes: ['alpha'] };
  const [outage, otherOutage] = await Promise.all(
    [1, 2].map(() => billing.outages.announce({ actor: staff, ...OPERATOR['outages.announce']!({} as never) } as never)),
  );
  if (!outage?.ok || !otherOutage?.ok) throw new Error('no outages');
  alla = {
    ...base,
    requestId: request.value.requestId,
    chat: { chatId, threadId: 77, conversationId: topic.value.conversationId, messageId: 500 },
    outageId: outage.value.outage.outageId,
    otherOutageId: otherOutage.value.outage.outageId,
  };
  semenovId = other.value.account.accountId;
  const started = await Promise.all([billing.residents.startOnWeb({ version: 't' }), billing.residents.startOnWeb({ version: 't' })]);
  if (!started[0].ok || !started[1].ok) throw new Error('no web residents');
  webOwner = viaWeb(started[0].value.residentId);
  webStranger = viaWeb(started[1].value.residentId);
  const webLinked = await billing.residents.linkAccount({ actor: webOwner, proof: proof('002901800602302', '30', 'Михайлова') });
  if (!webLinked.ok) throw new Error('web resident not linked');
});
afterAll(async () => db.drop());

describe('who may call each billing operation', () => {
  it('every operation is classified, and its own declaration agrees', () => {
    const unclassified: string[] = [];
    for (const [name, op] of operations(billing)) {
      const expected: Scope | undefined =
        name in PUBLIC
          ? 'public'
          : RESIDENT.includes(name)
            ? 'resident'
            : SYSTEM.includes(name)
              ? 'system'
              : name in ACCOUNT
                ? 'account'
                : name in OPERATOR
                  ? 'operator'
                  : undefined;
      if (!expected) unclassified.push(name);
      else expect(op.scope, name).toBe(expected);
    }
    expect(unclassified, 'put each new operation in one of the tables of this test').toEqual([]);
  });

  it('every account-scoped operation refuses strangers, without consent, and operators of other branches', async () => {
    const readingsBefore = await db.orm.em.fork().getConnection().execute<{ n: string }[]>('select count(*) as n from reading');
    const requestsBefore = await db.orm.em.fork().getConnection().execute<{ n: string }[]>('select count(*) as n from service_request');
    for (const [name, op] of operations(billing).filter(([, op]) => op.scope === 'account')) {
      const sample = ACCOUNT[name];
      expect(sample, `${name}: no sample input in ACCOUNT`).toBeDefined();
      for (const [who, actor, code] of [
        ['a resident linked to another account', strangerLinkedElsewhere, 'account_not_linked'],
        ['a resident with consent and no account', strangerWithConsent, 'account_not_linked'],
        ['a Telegram user without consent', noConsent, 'resident_not_found'],
        ['an operator of another branch', operatorOfBeta, 'not_permitted'],
        ['a web visitor who has not signed in', webVisitor, 'not_permitted'],
        ['a web resident with no account', webStranger, 'account_not_linked'],
        ['a web resident who is gone', webGone, 'resident_not_found'],
      ] as const) {
        const r = await op({ actor, accountId: alla.accountId, ...sample!(alla) });
        expect(r, `${name} called by ${who}`).toEqual({ ok: false, error: { code } });
      }
      // Also an account that does not exist: a resident learns no more than about a stranger's.
      expect(await op({ actor: strangerLinkedElsewhere, accountId: 99_999_999, ...sample!(alla) }), name).toEqual({
        ok: false,
        error: { code: 'account_not_linked' },
      });
      // No actor at all is no call.
      expect((await op({ accountId: alla.accountId, ...sample!(alla) })).error?.code, name).toBe('invalid_input');
    }
    const readingsAfter = await db.orm.em.fork().getConnection().execute<{ n: string }[]>('select count(*) as n from reading');
    expect(readingsAfter).toEqual(readingsBefore);
    const requestsAfter = await db.orm.em.fork().getConnection().execute<{ n: string }[]>('select count(*) as n from service_request');
    expect(requestsAfter).toEqual(requestsBefore);
  });

  it("the account's own resident, and an operator of its branch, are let through (so the refusals above are real)", async () => {
    const ordered = operations(billing)
      .filter(([, op]) => op.scope === 'account')
      .sort(([a], [b]) => Number(a === 'residents.unlinkAccount') - Number(b === 'residents.unlinkAccount'));
    for (const [name, op] of ordered) {
      const r = await op({ actor: owner, accountId: alla.accountId, ...ACCOUNT[name]!(alla) });
      // Subscribing needs a confirmed address: a domain answer, not a refusal of the caller.
      if (!r.ok) expect(REFUSALS, `${name} refused its own resident: ${r.error?.code}`).not.toContain(r.error?.code);
      // A request's sample is one its resident may file: taken, not turned down for a reason of its own.
      if (name.startsWith('requests.')) expect(r, name).toMatchObject({ ok: true });
      if (name.startsWith('residents.')) continue; // an operator has no links of their own to switch or remove
      if (name.startsWith('receipts.subscribe') || name.startsWith('receipts.unsubscribe') || name === 'receipts.paperOptOut') {
        expect(await op({ actor: operatorOfAlpha, accountId: alla.accountId, ...ACCOUNT[name]!(alla) })).toEqual({
          ok: false,
          error: { code: 'account_not_linked' },
        });
        continue;
      }
      if (name in RESIDENT_OWN) {
        expect(await op({ actor: operatorOfAlpha, accountId: alla.accountId, ...ACCOUNT[name]!(alla) }), name).toEqual({
          ok: false,
          error: { code: 'not_permitted' },
        });
        continue;
      }
      const staff = await op({ actor: operatorOfAlpha, accountId: alla.accountId, ...ACCOUNT[name]!(alla) });
      if (!staff.ok) expect(REFUSALS, `${name} refused an operator of the branch: ${staff.error?.code}`).not.toContain(staff.error?.code);
    }
  });

  it("every operator's operation refuses anyone but an operator, and an operator of another branch; lets the branch's through", async () => {
    const ops = operations(billing).filter(([, op]) => op.scope === 'operator');
    expect(ops.map(([name]) => name).sort()).toEqual(Object.keys(OPERATOR).sort());
    const statusOf = async () =>
      (await db.orm.em.fork().getConnection().execute<{ status: string }[]>('select status from service_request where id = ?', [alla.requestId]))[0]!.status;
    for (const [name, op] of ops) {
      const sample = OPERATOR[name]!(alla);
      // Not an operator: the request's own author, a stranger, nobody at all.
      for (const actor of [owner, strangerWithConsent, noConsent, webVisitor, undefined])
        expect((await op({ ...(actor ? { actor } : {}), ...sample })).error?.code, `${name} by ${JSON.stringify(actor)}`).toBe('invalid_input');
      expect(await op({ actor: operatorOfBeta, ...sample }), name).toEqual({ ok: false, error: { code: 'not_permitted' } });
      expect(await statusOf(), name).toBe('sent');
    }
    for (const [name, op] of ops) {
      const r = await op({ actor: operatorOfAlpha, ...OPERATOR[name]!(alla) });
      expect(r, `${name} by an operator of the branch`).toMatchObject({ ok: true });
    }
    expect(await statusOf()).toBe('accepted');
  });

  it('readings without registration: the number with its house and flat opens only the readings', async () => {
    const byPlace = { longNumber: '002901800602302', house: '7', flat: '30' };
    expect(await billing.readings.prepare({ actor: noConsent, byPlace })).toMatchObject({ ok: true });
    expect(await billing.readings.prepare({ actor: noConsent, byPlace: { ...byPlace, flat: '31' } })).toEqual({
      ok: false,
      error: { code: 'account_not_found' },
    });
    expect(await billing.readings.prepare({ actor: noConsent, byPlace: { ...byPlace, house: '8' } })).toEqual({
      ok: false,
      error: { code: 'account_not_found' },
    });
    // The same for a web visitor who has not signed in: the place is their only right.
    expect(await billing.readings.prepare({ actor: webVisitor, byPlace })).toMatchObject({ ok: true });
    expect(await billing.readings.prepare({ actor: webVisitor, byPlace: { ...byPlace, flat: null } })).toEqual({
      ok: false,
      error: { code: 'account_not_found' },
    });
    // Only the readings accept it: the rest of the account stays closed.
    expect((await billing.accounts.summary({ actor: noConsent, byPlace } as never)).ok).toBe(false);
    expect((await billing.accounts.summary({ actor: webVisitor, byPlace } as never)).ok).toBe(false);
    expect((await billing.receipts.forMonth({ actor: noConsent, byPlace, month: '2026-10' } as never)).ok).toBe(false);
  });

  it('the account’s resident signed in on the web pages is let through as through Telegram', async () => {
    for (const [name, op] of operations(billing).filter(([n, op]) => op.scope === 'account' && n !== 'residents.unlinkAccount')) {
      const r = await op({ actor: webOwner, accountId: alla.accountId, ...ACCOUNT[name]!(alla) });
      if (!r.ok) expect(REFUSALS, `${name} refused its own web resident: ${r.error?.code}`).not.toContain(r.error?.code);
    }
    expect(await billing.residents.get({ actor: webOwner })).toMatchObject({
      ok: true,
      value: { telegramId: null, accounts: [{ accountId: alla.accountId }] },
    });
    expect(await billing.residents.get({ actor: webGone })).toEqual({ ok: false, error: { code: 'resident_not_found' } });
    // A web resident's consent is their sign-up's: asking again for one who is gone creates nobody.
    expect(await billing.residents.giveConsent({ actor: webGone, version: 't' })).toEqual({ ok: false, error: { code: 'resident_not_found' } });
    expect(await billing.residents.giveConsent({ actor: webStranger, version: 't2' })).toMatchObject({ ok: true, value: { linkedAccounts: 0 } });
  });

  it('a web visitor who has not signed in is no resident: every resident operation refuses the call', async () => {
    for (const [name, op] of operations(billing).filter(([, op]) => op.scope === 'resident'))
      expect((await op({ actor: webVisitor })).error?.code, name).toBe('invalid_input');
  });

  it("a stranger's account id changes nothing of anybody's", async () => {
    expect(await billing.residents.setActiveAccount({ actor: owner, accountId: semenovId })).toEqual({ ok: false, error: { code: 'account_not_linked' } });
    expect(await billing.residents.unlinkAccount({ actor: owner, accountId: semenovId })).toEqual({ ok: false, error: { code: 'account_not_linked' } });
    expect(await billing.residents.activeAccount({ actor: strangerLinkedElsewhere })).toMatchObject({ ok: true, value: { accountId: semenovId } });
  });
});
