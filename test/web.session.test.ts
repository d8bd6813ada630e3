import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Billing, viaWeb } from '../src/billing/index.ts';
import { WEB_SESSION_IDLE_SECONDS, WEB_SESSION_MAX_SECONDS } from '../src/billing/web-sessions.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { NOW } from './support/fixture.ts';
import { textOf, webVisitor } from './support/web.ts';
import { openWebWorld } from './support/web-world.ts';

let db: TestDatabase;
let billing: Billing;
let world: Awaited<ReturnType<typeof openWebWorld>>;
let letters = 0;
/** The clock of billing, moved by the tests of the idle time. */
let now = NOW.getTime();

beforeAll(async () => {
  ({ db, billing } = await openFixtureBilling(() => new Date(now)));
  world = await openWebWorld(billing);
});
afterAll(async () => {
  await world.close();
  await db.drop();
});

const alla = { number: '002901800602302', house: '7', flat: '30', surname: 'Михайлова' };
let signedUp = 0;

/** A visitor signed up (consent, Алла's account, an address confirmed by its code): signed in. */
async function signedInVisitor() {
  const n = ++signedUp;
  const v = webVisitor(world.web, { ip: `10.7.0.${n}` });
  await v.get('/signup');
  await v.post('/signup', { agree: 'yes' });
  await v.get('/signup/account');
  await v.post('/signup/account', alla);
  await v.get('/signup/email');
  const address = `session-${n}@example.test`;
  await v.post('/signup/email', { address });
  const { code } = await world.codeOf(++letters);
  expect((await v.post('/signup/code', { address, code })).headers.location).toBe('/account');
  return { v, address };
}
const sessions = async () =>
  db.orm.em.fork().getConnection().execute<{ token_hash: string; resident_id: number; stage: string }[]>('select * from web_session');

describe('the web session is kept server-side and can be revoked', () => {
  it('the cookie carries a random token, the store only its hash; signing in gives a new token, the old one is void', async () => {
    const v = webVisitor(world.web, { ip: '10.7.1.1' });
    await v.get('/signup');
    await v.post('/signup', { agree: 'yes' });
    const early = v.jar.get('sid')!;
    expect(early).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await sessions();
    expect(stored.map((s) => s.token_hash)).not.toContain(early);
    expect(stored.map((s) => s.token_hash)).toContain(createHash('sha256').update(early).digest('hex'));
    expect(stored.some((s) => s.stage === 'new')).toBe(true);
    await v.get('/signup/account');
    await v.post('/signup/account', alla);
    await v.get('/signup/email');
    await v.post('/signup/email', { address: 'rotate@example.test' });
    const { code } = await world.codeOf(++letters);
    await v.post('/signup/code', { address: 'rotate@example.test', code });
    const signedIn = v.jar.get('sid')!;
    expect(signedIn).not.toBe(early);
    expect((await v.get('/account')).statusCode).toBe(200);
    // The token from before signing in is no session at all any more.
    const replay = webVisitor(world.web, { ip: '10.7.1.2' });
    replay.jar.set('sid', early);
    expect((await replay.get('/signup/account')).headers.location).toBe('/signin');
  });

  it('signing out revokes the session: the same cookie replayed is refused', async () => {
    const { v } = await signedInVisitor();
    const token = v.jar.get('sid')!;
    await v.get('/account');
    expect((await v.post('/signout', {})).headers.location).toBe('/');
    const replay = webVisitor(world.web, { ip: '10.7.1.3' });
    replay.jar.set('sid', token);
    expect((await replay.get('/account')).headers.location).toBe('/signin');
  });

  it('withdrawing the consent (through any door) ends every session of the resident', async () => {
    const { v } = await signedInVisitor();
    const second = webVisitor(world.web, { ip: '10.7.1.4' });
    second.jar.set('sid', v.jar.get('sid')!);
    expect((await second.get('/account')).statusCode).toBe(200);
    const [mine] = await db.orm.em
      .fork()
      .getConnection()
      .execute<{ resident_id: number }[]>(`select resident_id from web_session order by last_seen_at desc limit 1`);
    const withdrawn = await billing.residents.withdrawConsent({ actor: viaWeb(Number(mine!.resident_id)) });
    expect(withdrawn.ok).toBe(true);
    expect((await v.get('/account')).headers.location).toBe('/signin');
    expect((await second.get('/account')).headers.location).toBe('/signin');
    expect((await sessions()).filter((s) => Number(s.resident_id) === Number(mine!.resident_id))).toEqual([]);
  });

  it('a session idle for longer than its time, or older than its whole life, is refused; a page seen starts the idle time again', async () => {
    const { v } = await signedInVisitor();
    const start = now;
    try {
      now = start + (WEB_SESSION_IDLE_SECONDS - 60) * 1000;
      expect((await v.get('/account')).statusCode).toBe(200);
      now += (WEB_SESSION_IDLE_SECONDS - 60) * 1000;
      expect((await v.get('/account')).statusCode).toBe(200);
      now += (WEB_SESSION_IDLE_SECONDS + 1) * 1000;
      const idle = await v.get('/account');
      expect(idle.headers.location).toBe('/signin');
      // The browser is told to forget the cookie too.
      expect(String(idle.headers['set-cookie'])).toMatch(/sid=;/);

      const busy = await signedInVisitor();
      const born = now;
      for (let t = born; t < born + WEB_SESSION_MAX_SECONDS * 1000; t += (WEB_SESSION_IDLE_SECONDS - 60) * 1000) {
        now = t;
        expect((await busy.v.get('/account')).statusCode).toBe(200);
      }
      now = born + (WEB_SESSION_MAX_SECONDS + 1) * 1000;
      expect((await busy.v.get('/account')).headers.location).toBe('/signin');
    } finally {
      now = start;
    }
  });

  it('signing out on every device ends all of the resident’s sessions', async () => {
    const { v, address } = await signedInVisitor();
    const other = webVisitor(world.web, { ip: '10.7.1.5' });
    await other.get('/signin');
    await other.post('/signin', { address });
    const { code } = await world.codeOf(++letters);
    expect((await other.post('/signin/code', { address, code })).headers.location).toBe('/account');
    const page = await v.get('/account');
    expect(textOf(page.body)).toContain('Выйти на всех устройствах');
    expect((await v.post('/signout/everywhere', {})).headers.location).toBe('/');
    expect((await v.get('/account')).headers.location).toBe('/signin');
    expect((await other.get('/account')).headers.location).toBe('/signin');
  });

  it('a cookie that is no token, or an unknown one, is no session', async () => {
    const v = webVisitor(world.web, { ip: '10.7.1.6' });
    for (const forged of ['1.in.9999999999', 'x'.repeat(43), '']) {
      v.jar.set('sid', forged);
      expect((await v.get('/account')).headers.location).toBe('/signin');
    }
  });
});
