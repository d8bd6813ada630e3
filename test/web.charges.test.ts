import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLimits } from '../src/bot/limits.ts';
import { createTranslator } from '../src/i18n.ts';
import { createLogger } from '../src/logger.ts';
import { inlineRenderer } from '../src/pdf/inline-renderer.ts';
import { buildWeb } from '../src/web/app.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { textOf, webVisitor } from './support/web.ts';

let db: TestDatabase;
let web: FastifyInstance;
const translator = createTranslator();

beforeAll(async () => {
  const fixture = await openFixtureBilling();
  db = fixture.db;
  web = await buildWeb({
    billing: fixture.billing,
    translator,
    log: createLogger('silent'),
    readiness: { database: () => 'up' },
    limits: memoryLimits(),
    renderer: inlineRenderer(translator),
  });
});
afterAll(async () => {
  await web.close();
  await db.drop();
});

const alla = { number: '002901800602302', house: '7', flat: '30', surname: 'Михайлова' };

describe('the last month’s charges as a PDF without signing in (seed 003)', () => {
  it('is offered on the home page, and downloads for the proof of linking', async () => {
    const v = webVisitor(web, { ip: '10.5.0.1' });
    expect((await v.get('/')).body).toContain('href="/charges"');
    await v.get('/charges');
    const res = await v.post('/charges', alla);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename=".+\.pdf"$/);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('gives nothing for a wrong surname, answered in one uniform way next to the number', async () => {
    const v = webVisitor(web, { ip: '10.5.0.2' });
    await v.get('/charges');
    const res = await v.post('/charges', { ...alla, surname: 'Иванова' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/id="number-error"[^>]*>.*Не нашли лицевой счёт по этим данным/);
    const missing = await v.post('/charges', { number: '1', house: '', flat: '', surname: '' });
    expect(missing.statusCode).toBe(400);
    for (const f of ['number', 'house', 'surname']) expect(missing.body).toContain(`<a href="#${f}">`);
    // The PIN typed is never shown back.
    const withPin = await v.post('/charges', { ...alla, surname: 'Иванова', pin: '4321' });
    expect(withPin.body).not.toContain('4321');
  });

  it('refuses without the form token', async () => {
    const v = webVisitor(web, { ip: '10.5.0.3' });
    await v.get('/charges');
    const res = await v.post('/charges', alla, null);
    expect(res.statusCode).toBe(403);
    expect(textOf(res.body)).toContain('Страница устарела.');
  });
});
