import type { FastifyInstance } from 'fastify';

/** The home page: the functions without signing in (and, when the bot runs, where to find it). */
export function homeRoutes(deps: { botUsername?: () => string | null; charges: boolean; signIn: boolean }) {
  return async (web: FastifyInstance) => {
    web.get('/', async (req, reply) => {
      const username = deps.botUsername?.() ?? null;
      return reply.page('home', { title: req.t('web-home-title'), bot: username ? `@${username}` : null, charges: deps.charges, signIn: deps.signIn });
    });
  };
}
