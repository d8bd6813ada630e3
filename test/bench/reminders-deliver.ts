// One delivering instance for npm run bench:reminders: its own database pool, the shared pace in
// Redis, the real delivery (src/jobs/notice.ts) against the stand-in, until nothing is due.
import { Api } from 'grammy';
import { Redis } from 'ioredis';
import { createBilling } from '../../src/billing/index.ts';
import { openOrm } from '../../src/db/orm.ts';
import { createTranslator } from '../../src/i18n.ts';
import { drainNotices } from '../../src/jobs/notice.ts';
import { redisPace } from '../../src/jobs/pace.ts';
import { createLogger } from '../../src/logger.ts';

const [dbUrl, apiRoot, prefix, base, rate] = process.argv.slice(2) as [string, string, string, string, string];
const orm = await openOrm(dbUrl, 6);
const started = Date.now();
// The bench's day (the window's opening, 10:00 branch time) runs on from its start.
const billing = createBilling({ orm, now: () => new Date(Number(base) + (Date.now() - started)) });
const redis = new Redis('redis://127.0.0.1:6379');
const api = new Api('7000001:BENCH-TOKEN-xxxxxxxxxxxxxxxxxxxxxxxx', { apiRoot });
const counts = await drainNotices(
  { api, billing, translator: createTranslator(), log: createLogger('silent'), pace: redisPace(redis, Number(rate), prefix) },
  { budgetMs: 10 * 60_000, parallel: 4 },
);
process.stdout.write(`${JSON.stringify(counts)}\n`);
redis.disconnect();
await orm.close();
