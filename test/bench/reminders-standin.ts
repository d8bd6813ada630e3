// A Bot API stand-in for npm run bench:reminders, run as a process of its own: sendMessage only.
// Every 500th message gets 429 with retry_after; so does any message that comes during that
// retry_after (counted: a sender that did not pause); 1 % of chats (chat_id divisible by 100) get 403.
import { createServer } from 'node:http';

const RETRY_AFTER = Number(process.env.RETRY_AFTER ?? 1);
let n = 0;
let pausedUntil = 0;
const accepted = new Map<number, number>();
const refused = new Set<number>();
let tooMany = 0;
let duringPause = 0;
let first = 0;
let last = 0;
let pausedMs = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/stats') {
      const dup = [...accepted.values()].filter((c) => c > 1).length;
      return reply(200, {
        requests: n,
        accepted: accepted.size,
        acceptedTotal: [...accepted.values()].reduce((s, c) => s + c, 0),
        duplicates: dup,
        refused: refused.size,
        tooMany,
        duringPause,
        first,
        last,
        pausedMs,
        chats: [...accepted.keys(), ...refused],
      });
    }
    if (!req.url?.endsWith('/sendMessage')) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { chat_id: number };
    const now = Date.now();
    n++;
    if (!first) first = now;
    last = now;
    if (now < pausedUntil) {
      duringPause++;
      tooMany++;
      return reply(429, { ok: false, error_code: 429, description: 'Too Many Requests', parameters: { retry_after: Math.ceil((pausedUntil - now) / 1000) } });
    }
    if (n % 500 === 0) {
      tooMany++;
      pausedUntil = now + RETRY_AFTER * 1000;
      pausedMs += RETRY_AFTER * 1000;
      return reply(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${RETRY_AFTER}`, parameters: { retry_after: RETRY_AFTER } });
    }
    if (body.chat_id % 100 === 0) {
      refused.add(body.chat_id);
      return reply(403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    }
    accepted.set(body.chat_id, (accepted.get(body.chat_id) ?? 0) + 1);
    reply(200, { ok: true, result: { message_id: n, date: Math.floor(now / 1000), chat: { id: body.chat_id, type: 'private' }, text: '' } });
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
