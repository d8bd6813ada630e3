import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Billing } from '../src/billing/index.ts';
import { textOf, webVisitor } from './support/web.ts';
import { openSignedInPair, type signedInResident } from './support/web-signed-in.ts';

let pair: Awaited<ReturnType<typeof openSignedInPair>>;
let billing: Billing;
let world: Awaited<ReturnType<typeof openSignedInPair>>['world'];
let alla: Awaited<ReturnType<typeof signedInResident>>;
let semenov: Awaited<ReturnType<typeof signedInResident>>;

beforeAll(async () => {
  pair = await openSignedInPair({ telegramBase: 94_000_000, tag: 'r', net: 7 });
  ({ billing, world, alla, semenov } = pair);
});
afterAll(() => pair.close());

describe('receipts on the signed-in web pages', () => {
  it('lists the months with a statement, each a PDF of the same receipt service as the bot', async () => {
    const page = await alla.visitor.get('/receipts');
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('Квитанции по лицевому счёту 002901800602302');
    const links = [...page.body.matchAll(/href="(\/receipts\/pdf\?account=\d+&amp;month=\d{4}-\d{2})"/g)].map((m) => m[1]!.replace('&amp;', '&'));
    expect(links.length).toBeGreaterThan(0);
    expect(links.length).toBeLessThanOrEqual(12);
    expect(text).toContain('Октябрь 2026 — скачать PDF');
    const pdf = await alla.visitor.get(links[0]!);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename="[\w.-]+\.pdf"$/);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // A month without a statement, or no month at all: no PDF.
    expect((await alla.visitor.get(`/receipts/pdf?account=${alla.accountId}&month=1999-01`)).statusCode).toBe(404);
    expect((await alla.visitor.get(`/receipts/pdf?account=${alla.accountId}&month=junk`)).statusCode).toBe(404);
  });

  it('another resident’s account in the address shows nothing of it: the services refuse', async () => {
    const list = await alla.visitor.get(`/receipts?account=${semenov.accountId}`);
    expect(list.statusCode).toBe(404);
    expect(textOf(list.body)).not.toContain('002901800602303');
    const pdf = await alla.visitor.get(`/receipts/pdf?account=${semenov.accountId}&month=2026-10`);
    expect(pdf.statusCode).toBe(404);
    expect(pdf.headers['content-type']).toMatch(/text\/html/);
    await alla.visitor.get('/receipts');
    const sub = await alla.visitor.post('/receipts/subscription', { account: String(semenov.accountId), on: 'yes' });
    expect(sub.statusCode).toBe(404);
    const his = await billing.email.get({ actor: semenov.actor });
    expect(his.ok && his.value.subscribedAccountIds).toEqual([]);
  });

  it('the monthly receipt by e-mail on and off; the form needs its token', async () => {
    await alla.visitor.get('/receipts');
    expect(textOf(alla.visitor.last)).toContain('Можно получать квитанцию каждый месяц на alla.r@example.test');
    expect((await alla.visitor.post('/receipts/subscription', { account: String(alla.accountId), on: 'yes' }, null)).statusCode).toBe(403);
    await alla.visitor.get('/receipts');
    const on = await alla.visitor.post('/receipts/subscription', { account: String(alla.accountId), on: 'yes' });
    expect(on.statusCode).toBe(303);
    const shown = await alla.visitor.get(on.headers.location as string);
    expect(textOf(shown.body)).toContain('Готово: квитанция будет приходить на alla.r@example.test каждый месяц.');
    const view = await billing.email.get({ actor: alla.actor });
    expect(view.ok && view.value.subscribedAccountIds).toEqual([alla.accountId]);
    await alla.visitor.get('/receipts');
    const off = await alla.visitor.post('/receipts/subscription', { account: String(alla.accountId), on: 'no' });
    expect(textOf((await alla.visitor.get(off.headers.location as string)).body)).toContain('Квитанция больше не будет приходить на почту.');
    const after = await billing.email.get({ actor: alla.actor });
    expect(after.ok && after.value.subscribedAccountIds).toEqual([]);
  });

  it('without a session (or with a forged one) the pages send to sign in', async () => {
    const v = webVisitor(world.web, { ip: '10.7.0.9' });
    expect((await v.get('/receipts')).headers.location).toBe('/signin');
    v.jar.set('sid', `${alla.residentId}.in.9999999999`);
    expect((await v.get(`/receipts/pdf?account=${alla.accountId}&month=2026-10`)).headers.location).toBe('/signin');
  });
});
