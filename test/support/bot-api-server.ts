import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from 'grammy/types';
import { BOT_INFO } from './telegram.ts';

/**
 * A Bot API server on a loopback port, for what goes through TELEGRAM_API_ROOT itself (start-up
 * calls, long polling): records every call, answers getUpdates from a queue.
 */
export async function startBotApiServer(port = 0) {
  const calls: { method: string; payload: Record<string, any> }[] = [];
  const updates: Update[] = [];
  let messageId = 1;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = (req.url ?? '').split('/').pop() ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      const payload = body && req.headers['content-type']?.includes('json') ? JSON.parse(body) : {};
      calls.push({ method, payload });
      const answer = (result: unknown) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true, result }));
      };
      if (method === 'getMe') return answer(BOT_INFO);
      if (method === 'getUpdates') {
        const offset = Number(payload.offset ?? 0);
        const ready = updates.filter((u) => u.update_id >= offset);
        // Long polling: hold the request a little when there is nothing, as Telegram does.
        return ready.length ? answer(ready) : setTimeout(() => answer([]), 100);
      }
      if (method === 'sendMessage') return answer({ message_id: ++messageId, date: 0, chat: { id: payload.chat_id, type: 'private' }, text: payload.text });
      return answer(true);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    root: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    updates,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
