// A Bot API stand-in on a loopback port for the scripts that drive the real process (npm run fuzz,
// npm run bench:outage): getMe, getUpdates from a queue (long polling), every other method
// answered ok with a plausible result; counts what the bot sends.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BOT_INFO } from '../support/telegram.ts';

export const BENCH_TOKEN = '7000001:BENCH-TOKEN-FOR-LOCAL-RUNS-ONLY-xxxxxx';

export interface SentCall {
  method: string;
  chatId?: number | string;
  text?: string;
}

// A 1×1 JPEG, for the files the bot downloads (meter photos).
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

export async function startStandin() {
  const queue: unknown[] = [];
  let nextOffset = 0;
  /** The highest update id the bot confirmed (asked getUpdates with an offset past it). */
  let confirmed = -1;
  const sent: SentCall[] = [];
  const answeredCallbacks = new Set<string>();
  const methods = new Map<string, number>();
  let lastCallAt = Date.now();
  let messageId = 1;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '';
      if (url.startsWith('/file/')) {
        res.setHeader('content-type', 'image/jpeg');
        return res.end(JPEG);
      }
      const method = url.split('/').pop() ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      let payload: Record<string, any> = {};
      try {
        payload = body && req.headers['content-type']?.includes('json') ? JSON.parse(body) : {};
      } catch {
        payload = {};
      }
      methods.set(method, (methods.get(method) ?? 0) + 1);
      const answer = (result: unknown) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true, result }));
      };
      if (method === 'getMe') return answer(BOT_INFO);
      if (method === 'getUpdates') {
        const offset = Number(payload.offset ?? 0);
        if (offset > 0) confirmed = Math.max(confirmed, offset - 1);
        while (queue.length && Number((queue[0] as { update_id: unknown }).update_id) < offset) queue.shift();
        const limit = Math.min(100, Number(payload.limit ?? 100));
        const ready = queue.slice(0, limit);
        return ready.length ? answer(ready) : setTimeout(() => answer([]), 100);
      }
      lastCallAt = Date.now();
      const chatId = payload.chat_id;
      sent.push({ method, chatId, text: typeof payload.text === 'string' ? payload.text : typeof payload.caption === 'string' ? payload.caption : undefined });
      if (method === 'answerCallbackQuery') answeredCallbacks.add(String(payload.callback_query_id));
      const message = () => ({
        message_id: ++messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: typeof chatId === 'number' && chatId < 0 ? 'supergroup' : 'private' },
        from: BOT_INFO,
        ...(typeof payload.text === 'string' ? { text: payload.text } : {}),
      });
      if (['sendMessage', 'sendPhoto', 'sendDocument', 'sendLocation', 'copyMessage', 'forwardMessage'].includes(method)) {
        return method === 'copyMessage' ? answer({ message_id: ++messageId }) : answer(message());
      }
      if (method === 'editMessageText' || method === 'editMessageReplyMarkup' || method === 'editMessageCaption') return answer(message());
      if (method === 'getFile')
        return answer({ file_id: payload.file_id, file_unique_id: `u${payload.file_id}`, file_size: JPEG.length, file_path: `photos/${messageId}.jpg` });
      if (method === 'getChatMember') return answer({ status: 'administrator', user: BOT_INFO, can_manage_topics: true });
      if (method === 'getChat') return answer({ id: chatId, type: 'private' });
      if (method === 'createForumTopic') return answer({ message_thread_id: ++messageId, name: payload.name, icon_color: 0 });
      if (method === 'getMyCommands') return answer([]);
      return answer(true);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    root: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Puts updates in the queue under fresh ids (returns the ids). */
    push(...updates: Record<string, unknown>[]) {
      return updates.map((u) => {
        const id = nextOffset++;
        queue.push({ ...u, update_id: id });
        return id;
      });
    },
    /** An id for an update posted some other way (webhook). */
    nextId: () => nextOffset++,
    get confirmed() {
      return confirmed;
    },
    get pending() {
      return queue.length;
    },
    get lastCallAt() {
      return lastCallAt;
    },
    sent,
    answeredCallbacks,
    methods,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type Standin = Awaited<ReturnType<typeof startStandin>>;

/** The app as a child process (`node --import tsx src/main.ts`), its log kept and parsed. */
export function spawnApp(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', PORT: '0', SHUTDOWN_TIMEOUT_SECONDS: '5', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, any>[] = [];
  const raw: string[] = [];
  let rest = '';
  child.stdout!.on('data', (c: Buffer) => {
    const parts = (rest + c.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) {
      if (!line.trim()) continue;
      try {
        lines.push(JSON.parse(line));
      } catch {
        raw.push(line);
      }
    }
  });
  child.stderr!.on('data', (c: Buffer) => raw.push(c.toString('utf8')));
  let exit: { code: number | null; signal: string | null } | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  return {
    child,
    lines,
    raw,
    exited,
    get exit() {
      return exit;
    },
    /** The child's resident memory (VmRSS, kB), null once it is gone. */
    rssKb(): number | null {
      try {
        const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m ? Number(m[1]) : null;
      } catch {
        return null;
      }
    },
    async waitFor(test: (line: Record<string, any>) => boolean, what: string, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!lines.some(test)) {
        if (exit) throw new Error(`${what}: the app exited (${JSON.stringify(exit)}): ${raw.join('').slice(-2000)}`);
        if (Date.now() > deadline) throw new Error(`${what}: not seen after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return lines.find(test)!;
    },
    /** Level ≥ 50 lines: how many, and a few distinct messages (with the error's own message). */
    errors() {
      const bad = lines.filter((l) => Number(l.level) >= 50);
      const distinct = new Map<string, number>();
      for (const l of bad) {
        const key = `${l.msg}${l.err?.message ? `: ${String(l.err.message).slice(0, 160)}` : ''}`;
        distinct.set(key, (distinct.get(key) ?? 0) + 1);
      }
      return { count: bad.length, distinct };
    },
    async stop() {
      if (exit) return;
      child.kill('SIGTERM');
      const late = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(late);
    },
  };
}
export type App = ReturnType<typeof spawnApp>;
