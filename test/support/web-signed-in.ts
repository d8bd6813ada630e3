import { type Billing, viaTelegram } from '../../src/billing/index.ts';
import { webVisitor } from './web.ts';
import { openFixtureBilling } from './billing-fixture.ts';
import { openWebWorld } from './web-world.ts';

type World = Awaited<ReturnType<typeof openWebWorld>>;

export const ALLA = { longNumber: '002901800602302', house: '7', flat: '30', surname: 'михайлова' };
export const SEMENOV = { longNumber: '002901800602303', house: '7', flat: '31', surname: 'семёнов' };

/**
 * A resident (made through the bot's consent, linked to `account`, with a confirmed `address`)
 * signed in on the web pages by an e-mail code, as a visitor of fastify.inject with cookies.
 */
export async function signedInResident(
  world: World,
  billing: Billing,
  o: { telegramId: number; address: string; ip: string; account?: typeof ALLA; language?: 'ru' | 'en' },
) {
  const actor = viaTelegram(o.telegramId);
  await billing.residents.giveConsent({ actor, version: 't', language: o.language ?? 'ru' });
  const a = o.account ?? ALLA;
  const linked = await billing.residents.linkAccount({ actor, proof: { by: 'number', ...a, flat: a.flat, flatPrefix: null, pin: null } });
  if (!linked.ok) throw new Error(`link: ${linked.error.code}`);
  const sent = await billing.email.requestCode({ actor, address: o.address });
  if (!sent.ok) throw new Error(`code: ${sent.error.code}`);
  const confirmed = await billing.email.confirm({ actor, code: sent.value.code });
  if (!confirmed.ok) throw new Error(`confirm: ${confirmed.error.code}`);
  const v = webVisitor(world.web, { ip: o.ip });
  await v.get('/signin');
  const letters = world.smtp.received.length;
  await v.post('/signin', { address: o.address });
  const { code } = await world.codeOf(letters + 1);
  const signed = await v.post('/signin/code', { address: o.address, code });
  if (signed.headers.location !== '/account') throw new Error(`sign-in: ${signed.statusCode}`);
  const me = await billing.residents.get({ actor });
  if (!me.ok) throw new Error('resident');
  return { visitor: v, residentId: me.value.residentId, accountId: me.value.activeAccountId!, actor };
}

/**
 * The fixture's billing and web pages, with Alla and Semenov signed in: Telegram users
 * `telegramBase + 1` and `+ 2`, addresses `alla.<tag>@…` and `semenov.<tag>@…`, clients 10.<net>.0.1 and .2
 * (each test file its own, so that rate limits and rows do not meet).
 */
export async function openSignedInPair(o: { telegramBase: number; tag: string; net: number }) {
  const { db, billing } = await openFixtureBilling();
  const world = await openWebWorld(billing);
  const alla = await signedInResident(world, billing, { telegramId: o.telegramBase + 1, address: `alla.${o.tag}@example.test`, ip: `10.${o.net}.0.1` });
  const semenov = await signedInResident(world, billing, {
    telegramId: o.telegramBase + 2,
    address: `semenov.${o.tag}@example.test`,
    ip: `10.${o.net}.0.2`,
    account: SEMENOV,
  });
  return {
    db,
    billing,
    world,
    alla,
    semenov,
    async close() {
      await world.close();
      await db.drop();
    },
  };
}
