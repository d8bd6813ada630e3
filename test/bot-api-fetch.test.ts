import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api, InputFile } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botApiFetch } from '../src/bot/bot-api-fetch.ts';
import { startBotApiServer, type BotApiServer } from './support/bot-api-server.ts';

const TOKEN = '7000001:FETCH-TEST';
let server: BotApiServer;
beforeAll(async () => {
  server = await startBotApiServer();
});
afterAll(async () => server.close());

describe('the Bot API client given to grammY (botApiFetch)', () => {
  it('sends JSON and reads the answer, on one kept-alive connection', async () => {
    const api = new Api(TOKEN, { apiRoot: server.root, fetch: botApiFetch() });
    const first = await api.sendMessage(501, 'Здравствуйте', { reply_markup: { inline_keyboard: [[{ text: 'Да', callback_data: 'y' }]] } });
    const second = await api.sendMessage(501, 'ещё');
    expect(first.text).toBe('Здравствуйте');
    expect(second.message_id).toBe(first.message_id + 1);
    const sent = server.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === 501);
    expect(sent.map((c) => c.payload.text)).toEqual(['Здравствуйте', 'ещё']);
    expect(sent[0]!.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Да', callback_data: 'y' }]] });
  });

  it('uploads a file as multipart', async () => {
    const api = new Api(TOKEN, { apiRoot: server.root, fetch: botApiFetch() });
    await api.sendDocument(502, new InputFile(Buffer.from('%PDF-1.7 test'), 'receipt.pdf'), { caption: 'Квитанция' });
    const call = server.calls.find((c) => c.method === 'sendDocument');
    expect(call?.payload).toMatchObject({ chat_id: 502, caption: 'Квитанция' });
  });

  it('gives up a call when grammY aborts it (a held long poll at stop)', async () => {
    const api = new Api(TOKEN, { apiRoot: server.root, fetch: botApiFetch() });
    const stop = new AbortController();
    const poll = api.getUpdates({ offset: 1_000_000, timeout: 30 }, stop.signal as never);
    setTimeout(() => stop.abort(), 50);
    // grammY wraps what the client threw in its HttpError.
    await expect(poll).rejects.toMatchObject({ name: 'HttpError', error: { name: 'AbortError' } });
  });

  it('a Bot API that refuses the connection is a network failure of the call, not a hang', async () => {
    const api = new Api(TOKEN, { apiRoot: 'http://127.0.0.1:9', fetch: botApiFetch() });
    await expect(api.getMe()).rejects.toMatchObject({ name: 'HttpError', error: { code: 'ECONNREFUSED' } });
  });

  it('a kept-alive connection the server drops as a call goes out: the call is sent again on a new one', async () => {
    // Each connection answers its first request and drops at its second (as a server's idle timeout can meet a call).
    const seen: number[] = [];
    const dropping = createServer((req, res) => {
      const socket = req.socket as typeof req.socket & { served?: number };
      socket.served = (socket.served ?? 0) + 1;
      seen.push(socket.served);
      if (socket.served > 1) return socket.destroy();
      req.resume().on('end', () => res.setHeader('content-type', 'application/json').end(JSON.stringify({ ok: true, result: true })));
    });
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
    try {
      const api = new Api(TOKEN, { apiRoot: `http://127.0.0.1:${(dropping.address() as AddressInfo).port}`, fetch: botApiFetch() });
      expect(await api.deleteWebhook()).toBe(true);
      expect(await api.deleteWebhook()).toBe(true);
      expect(seen).toEqual([1, 2, 1]);
    } finally {
      dropping.closeAllConnections();
      dropping.close();
    }
  });
});
