import Fastify from 'fastify';
import type { Billing } from '../billing/index.ts';
import type { Translator } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import { unsubscribeRoutes } from './unsubscribe.ts';

export interface WebDeps {
  billing: Billing;
  translator: Translator;
  log: Logger;
  /** Whether the database answers (readiness). */
  databaseUp: () => Promise<boolean>;
}

/** The web part: health checks and the pages a letter links to. Built here, listened on in main. */
export async function buildWeb(deps: WebDeps) {
  const web = Fastify({ loggerInstance: deps.log.child({ part: 'web' }) });
  web.get('/healthz', async () => ({ status: 'ok' }));
  web.get('/readyz', async (_req, reply) => {
    const alive = await deps.databaseUp();
    return reply.code(alive ? 200 : 503).send({ database: alive ? 'up' : 'down' });
  });
  await web.register(unsubscribeRoutes(deps));
  return web;
}
