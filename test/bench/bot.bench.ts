// npm run bench:bot [-- --residents 100 --concurrency 16,32,64 --rounds 1 --profile --trace --node-options "…"]
// The real process (node dist/main.mjs, built from src/main.ts, as `npm start` runs it) in long polling — the
// default (no WEBHOOK_URL) — on a fresh database of its own (the app migrates it and loads the
// demo data, then is started again on it, as production starts on a loaded database) and the
// machine's Redis under a key prefix of its own, against the Bot API stand-in
// (test/support/bot-api-server.ts) in this process: every Bot API call of the bot is a real HTTP
// request over loopback to another process. Simulated residents, each on a demo account of its
// own with its real number, house, flat and surname, do what a resident does: /start, consent,
// linking by number (the dialogue), «Баланс», the month table, readings of both meters, the
// receipt for a month (the PDF is made by the job runner's worker, as in production). A
// resident reads the bot's answer before the next step and presses the buttons it was sent;
// an update counts as answered when the bot's last reply to it arrives at the stand-in.
// Beside it, interleaved at each number in flight, the minimal stack (this file with --peer, a
// process of its own): per update one Redis round trip, one indexed PostgreSQL query and one
// keep-alive HTTP call to the same kind of stand-in, fed the same updates the same way.
// Prints updates/s, p50/p99 at 16/32/64 in flight, the bot process's RSS, and the ratio.
// Targets: ≥ 0.5 of the minimal stack's updates/s, p99 ≤ 100 ms at 32 in flight, RSS ≤ 300 MB.
// --profile: the bot process runs under node --cpu-prof; its top self-time functions are printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { InlineKeyboardButton, Update } from 'grammy/types';
import { Redis } from 'ioredis';
import pg from 'pg';
import { BENCH_TOKEN, spawnApp, startFlags, type App } from '../support/app-process.ts';
import { startBotApiServer, type BotApiCall, type BotApiServer } from '../support/bot-api-server.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const SERVER = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const STEP_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// The minimal stack: per update one Redis round trip, one indexed query, one keep-alive HTTP call.

async function peer() {
  const root = process.env.PEER_API_ROOT!;
  const agent = new http.Agent({ keepAlive: true });
  const call = (method: string, payload: unknown) =>
    new Promise<any>((resolve, reject) => {
      const body = JSON.stringify(payload);
      const req = http.request(
        `${root}/bot${BENCH_TOKEN}/${method}`,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')).result));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const redis = new Redis(REDIS, { enableAutoPipelining: true, keyPrefix: process.env.PEER_REDIS_PREFIX! });
  const db = new pg.Pool({ connectionString: process.env.PEER_DATABASE_URL!, max: 10 });
  const { rows } = await db.query<{ n: number }>('select max(id)::int as n from account');
  const accounts = rows[0]!.n;
  const handle = async (u: Update) => {
    const chatId = u.message?.chat.id ?? u.callback_query!.from.id;
    await redis.set(`upd:${u.update_id}`, '1', 'EX', 600, 'NX');
    const found = await db.query<{ long_number: string }>('select long_number from account where id = $1', [1 + (chatId % accounts)]);
    await call('sendMessage', { chat_id: chatId, text: `${found.rows[0]?.long_number ?? '-'}: ${u.message?.text ?? u.callback_query?.data}` });
  };
  process.stdout.write('ready\n');
  let offset = 0;
  for (;;) {
    const updates: Update[] = await call('getUpdates', { offset, timeout: 30, limit: 100 });
    for (const u of updates) {
      offset = u.update_id + 1;
      void handle(u).catch((err: unknown) => process.stderr.write(`peer: ${String(err)}\n`));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The harness.

interface DemoAccount {
  longNumber: string;
  house: string;
  flat: string | null;
  surname: string;
}

/** One update a resident sends: a typed text or a pressed button. */
type Step = { kind: 'text'; text: string } | { kind: 'press'; data: string; messageId: number };

let updateIds = 0;
let callbackIds = 0;
const toUpdate = (user: number, step: Step): Omit<Update, 'update_id'> => {
  const from = { id: user, is_bot: false, first_name: 'Житель', language_code: 'ru' };
  const chat = { id: user, type: 'private' as const, first_name: 'Житель' };
  if (step.kind === 'text')
    return {
      message: {
        message_id: ++updateIds,
        date: Math.floor(Date.now() / 1000),
        chat,
        from,
        text: step.text,
        ...(step.text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: step.text.length }] } : {}),
      } as never,
    };
  return {
    callback_query: {
      id: `bench-${++callbackIds}`,
      from,
      chat_instance: String(user),
      data: step.data,
      message: { message_id: step.messageId, date: 0, chat, text: '' },
    } as never,
  };
};

const isMessage = (c: BotApiCall) => c.method === 'sendMessage' || c.method === 'editMessageText';
const textOf = (c: BotApiCall): string => (typeof c.payload.text === 'string' ? c.payload.text : '');
const buttonsOf = (c: BotApiCall): InlineKeyboardButton.CallbackButton[] =>
  (c.payload.reply_markup?.inline_keyboard ?? []).flat().filter((b: { callback_data?: string }) => b.callback_data);
const sends = (re: RegExp) => (c: BotApiCall) => isMessage(c) && re.test(textOf(c));
const withButton = (re: RegExp) => (c: BotApiCall) => isMessage(c) && buttonsOf(c).some((b) => re.test(b.text));

/** What happens in one chat: the calls to it, and the step waiting for its answer. */
class Chat {
  calls: BotApiCall[] = [];
  private waiting: { test: (c: BotApiCall) => boolean; callbackId?: string; seen: boolean; pressAnswered: boolean; done: (c: BotApiCall) => void } | null =
    null;
  constructor(readonly id: number) {}

  take(call: BotApiCall) {
    this.calls.push(call);
    const w = this.waiting;
    if (!w) return;
    if (call.method === 'answerCallbackQuery' && call.payload.callback_query_id === w.callbackId) w.pressAnswered = true;
    else if (w.test(call)) w.seen = true;
    // A press is answered when its button has stopped spinning and the reply expected has come.
    if (w.seen && (w.callbackId === undefined || w.pressAnswered)) {
      this.waiting = null;
      w.done(call);
    }
  }

  expect(test: (c: BotApiCall) => boolean, callbackId?: string) {
    return new Promise<BotApiCall>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(
          new Error(
            `chat ${this.id}: no answer in ${STEP_TIMEOUT_MS} ms; last calls: ${JSON.stringify(this.calls.slice(-4).map((c) => [c.method, textOf(c).slice(0, 80)]))}`,
          ),
        );
      }, STEP_TIMEOUT_MS);
      this.waiting = {
        test,
        ...(callbackId ? { callbackId } : {}),
        seen: false,
        pressAnswered: false,
        done: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      };
    });
  }

  /** The last message with inline buttons. */
  lastButtons() {
    const c = [...this.calls].reverse().find((x) => isMessage(x) && buttonsOf(x).length > 0);
    return c ? { buttons: buttonsOf(c), messageId: (c.result as { message_id?: number } | undefined)?.message_id ?? 1 } : { buttons: [], messageId: 1 };
  }
}

interface Phase {
  latencies: number[];
  updates: number;
  seconds: number;
  failures: string[];
  peakRssKb: number;
  /** Receipt PDFs: from the press to the document at the stand-in. */
  documents: number[];
  scripts: Step[][];
  /** CPU time the process used during the phase (the receipts' PDFs made meanwhile included). */
  cpuMs: number;
  /** The same by thread (see threadCpuMs), when the process is a child of this one. */
  threadsMs: Map<string, number>;
  /** Latencies by kind of step (--trace). */
  bySteps: Map<string, number[]>;
}

/** Drives residents through a stand-in, `concurrency` of them at a time, one update each in flight. */
class Driver {
  private chats = new Map<number, Chat>();
  private waitingDocuments = new Map<number, (at: number) => void>();
  /** The chat of each press waiting for its answer (answerCallbackQuery names no chat). */
  private presses = new Map<string, Chat>();
  constructor(readonly api: BotApiServer) {
    api.onCall((call) => {
      if (call.method === 'answerCallbackQuery') {
        const press = String(call.payload.callback_query_id);
        this.presses.get(press)?.take(call);
        this.presses.delete(press);
        return;
      }
      const id = call.payload.chat_id;
      if (typeof id !== 'number') return;
      if (call.method === 'sendDocument') this.waitingDocuments.get(id)?.(call.at);
      this.chats.get(id)?.take(call);
    });
  }

  chat(id: number) {
    const chat = new Chat(id);
    this.chats.set(id, chat);
    return chat;
  }

  /** Sends a step and waits until `test` matches a call to the chat (and, with `pressAnswered`, a press is answered). */
  async send(chat: Chat, step: Step, test: (c: BotApiCall) => boolean, into: Phase, script: Step[], pressAnswered = true) {
    const update = toUpdate(chat.id, step);
    const press = pressAnswered ? update.callback_query?.id : undefined;
    const answered = chat.expect(test, press);
    if (press) this.presses.set(press, chat);
    const t = performance.now();
    this.api.push(update);
    const call = await answered;
    into.latencies.push(call.at - t);
    const kind = step.kind === 'press' ? `[${step.data.split(':')[0]}]` : /^[/\p{Extended_Pictographic}]/u.test(step.text) ? step.text : '(typed)';
    into.bySteps.set(kind, [...(into.bySteps.get(kind) ?? []), call.at - t]);
    script.push(step);
    return call;
  }

  documentFor(chatId: number) {
    return new Promise<number>((resolve) => {
      this.waitingDocuments.set(chatId, (at) => {
        this.waitingDocuments.delete(chatId);
        resolve(at);
      });
    });
  }

  forget(id: number) {
    this.chats.delete(id);
  }
}

/** One resident's visit, as a person would go through it, reading each answer. */
async function visit(driver: Driver, user: number, a: DemoAccount, into: Phase, documents: Promise<void>[]) {
  const chat = driver.chat(user);
  const script: Step[] = [];
  const say = (text: string, test: (c: BotApiCall) => boolean) => driver.send(chat, { kind: 'text', text }, test, into, script);
  const tap = (label: RegExp, test: (c: BotApiCall) => boolean) => {
    const { buttons, messageId } = chat.lastButtons();
    const button = buttons.find((b) => label.test(b.text));
    if (!button) throw new Error(`chat ${user}: no button ${label} among ${buttons.map((b) => b.text).join(' | ')}`);
    return driver.send(chat, { kind: 'press', data: button.callback_data, messageId }, test, into, script);
  };
  try {
    await say('/start', withButton(/Согласен/));
    await tap(/Согласен/, withButton(/Привязать/));
    await tap(/Привязать/, withButton(/По номеру/));
    await tap(/По номеру/, sends(/^Номер лицевого счёта/));
    await say(a.longNumber, sends(/^Номер дома/));
    await say(a.house, sends(/^Номер квартиры/));
    if (a.flat) await say(a.flat, sends(/^Фамилия владельца/));
    else await tap(/Частный дом/, sends(/^Фамилия владельца/));
    await say(a.surname, sends(new RegExp(`^Лицевой счёт ${a.longNumber} привязан`)));

    await say('💰 Баланс', withButton(/Начисления по месяцам/));
    await tap(/Начисления по месяцам/, sends(/^Начисления и оплаты/));

    let prompt = await say('📟 Передать показания', withButton(/Все счётчики по очереди/));
    prompt = await tap(/Все счётчики по очереди/, sends(/Введите текущие показания/));
    // Each meter: the value its prompt suggests (a month's usual consumption on top of the last one).
    for (let meter = 0; !/^Проверьте показания/.test(textOf(prompt)); meter++) {
      if (meter > 4) throw new Error(`chat ${user}: readings did not come to the summary: ${textOf(prompt).slice(0, 120)}`);
      const value = /например: ([\d\s]+,\d+)/.exec(textOf(prompt))?.[1] ?? '1';
      prompt = await say(value.replace(/\s/g, ''), sends(/Введите текущие показания|^Проверьте показания|^Вы уверены/));
      if (/^Вы уверены/.test(textOf(prompt))) prompt = await tap(/Да, показания верные/, sends(/Введите текущие показания|^Проверьте показания/));
    }
    await tap(/Подтвердить/, sends(/^Показания (приняты|сохранены|будут)/));

    await say('🧾 Квитанция', withButton(/Присылать на почту|Отписаться/));
    const document = driver.documentFor(user);
    const pressed = performance.now();
    await tap(/^[А-Я][а-я]+ \d{4}$/, (c) => c.method === 'sendChatAction');
    documents.push(
      Promise.race([document, new Promise<number>((r) => setTimeout(() => r(Number.NaN), 60_000))]).then((at) => {
        into.documents.push(at - pressed);
      }),
    );
  } catch (err) {
    into.failures.push(err instanceof Error ? err.message : String(err));
  } finally {
    into.scripts.push(script);
    driver.forget(user);
  }
}

/** The same updates the bot's residents sent, one reply each. */
async function replay(driver: Driver, user: number, script: Step[], into: Phase) {
  const chat = driver.chat(user);
  try {
    for (const step of script) await driver.send(chat, step.kind === 'press' ? { ...step } : step, (c) => c.method === 'sendMessage', into, [], false);
  } catch (err) {
    into.failures.push(err instanceof Error ? err.message : String(err));
  } finally {
    driver.forget(user);
  }
}

/** CPU time (utime + stime, in ms) of a /proc stat file: a process's (all its threads) or one thread's. */
function statCpuMs(path: string) {
  try {
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU time a process has used so far (all its threads), in ms. */
const cpuMs = (pid: number | undefined) => statCpuMs(`/proc/${pid}/stat`);

/**
 * CPU time so far by thread, in ms: `main` (the event loop) and each other thread by its id. Node 20
 * names none of its threads (the PDFs' worker, V8's helpers and libuv's pool are all
 * `node`), so they are told apart by how much they did. Threads that ended are lost.
 */
function threadCpuMs(pid: number | undefined) {
  const by = new Map<string, number>();
  if (pid === undefined) return by;
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return by;
  }
  for (const tid of tids) {
    const ms = statCpuMs(`/proc/${pid}/task/${tid}/stat`);
    if (Number.isFinite(ms)) by.set(tid === String(pid) ? 'main' : `thread ${tid}`, ms);
  }
  return by;
}

async function run(
  concurrency: number,
  jobs: ((into: Phase, documents: Promise<void>[]) => Promise<void>)[],
  rss: () => number | null,
  pid: number | undefined,
): Promise<Phase> {
  const cpuBefore = cpuMs(pid);
  const threadsBefore = threadCpuMs(pid);
  const into: Phase = {
    latencies: [],
    updates: 0,
    seconds: 0,
    failures: [],
    peakRssKb: 0,
    documents: [],
    scripts: [],
    bySteps: new Map(),
    cpuMs: 0,
    threadsMs: new Map(),
  };
  const documents: Promise<void>[] = [];
  const sampler = setInterval(() => (into.peakRssKb = Math.max(into.peakRssKb, rss() ?? 0)), 100);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) await jobs[next++]!(into, documents);
    }),
  );
  into.seconds = (performance.now() - started) / 1000;
  into.updates = into.latencies.length;
  into.cpuMs = cpuMs(pid) - cpuBefore;
  for (const [name, ms] of threadCpuMs(pid)) into.threadsMs.set(name, ms - (threadsBefore.get(name) ?? 0));
  // The receipts still being made are waited for outside the time (the next phase starts quiet).
  await Promise.all(documents);
  clearInterval(sampler);
  into.peakRssKb = Math.max(into.peakRssKb, rss() ?? 0);
  return into;
}

async function columns(db: pg.Client, table: string, except: string[]) {
  const { rows } = await db.query<{ column_name: string }>(
    `select column_name from information_schema.columns where table_name = $1 and table_schema = 'public' order by ordinal_position`,
    [table],
  );
  return rows.map((r) => r.column_name).filter((c) => !except.includes(c));
}

/** `copies` more of each account: new long and short numbers, the same premise, owner, meters and history. */
async function copyAccounts(db: pg.Client, ids: number[], copies: number) {
  if (copies <= 0 || ids.length === 0) return;
  const list = (cols: string[], alias: string) => cols.map((c) => `${alias}.${c}`).join(', ');
  await db.query(`create temporary table src as select id, row_number() over (order by id) - 1 as n from account where id = any($1)`, [ids]);
  await db.query(
    `create temporary table copy as select g as k, (select id from src where n = g % ${ids.length}) as src_id, null::int as id from generate_series(0, ${copies * ids.length - 1}) g`,
  );
  const accountCols = await columns(db, 'account', ['id', 'long_number', 'short_number', 'created_at', 'updated_at']);
  // The number keeps its branch's prefix (7 digits); «bb…» marks the copies' short numbers.
  await db.query(`
    with made as (
      insert into account (${accountCols.join(', ')}, long_number, short_number)
      select ${list(accountCols, 'a')}, left(a.long_number, 7) || (90000000 + c.k)::text, 'bb' || c.k
        from copy c join account a on a.id = c.src_id
      returning id, short_number
    ) update copy set id = made.id from made where made.short_number = 'bb' || copy.k`);
  for (const table of ['statement', 'charge', 'payment', 'service_statement']) {
    const cols = await columns(db, table, ['id', 'account_id']);
    await db.query(
      `insert into ${table} (account_id, ${cols.join(', ')}) select c.id, ${list(cols, 't')} from copy c join ${table} t on t.account_id = c.src_id`,
    );
  }
  const meterCols = await columns(db, 'meter', ['id', 'account_id']);
  await db.query(`create temporary table meter_copy (src_id int, account_id int, id int)`);
  await db.query(`
    with made as (
      insert into meter (account_id, ${meterCols.join(', ')})
      select c.id, ${list(meterCols, 'm')} from copy c join meter m on m.account_id = c.src_id
      returning id, account_id, serial
    ) insert into meter_copy select m.id, made.account_id, made.id
        from made join copy c on c.id = made.account_id join meter m on m.account_id = c.src_id and m.serial = made.serial`);
  const readingCols = await columns(db, 'reading', ['id', 'meter_id']);
  await db.query(
    `insert into reading (meter_id, ${readingCols.join(', ')}) select mc.id, ${list(readingCols, 'r')} from meter_copy mc join reading r on r.meter_id = mc.src_id`,
  );
  await db.query('analyze');
}

const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : Number.NaN;
};
const perSecond = (p: Phase) => p.updates / p.seconds;
/** Where the bot's CPU went, by thread, in ms an update. */
function threadsLine(p: Phase) {
  const parts = [...p.threadsMs].filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]);
  const shown = parts.slice(0, 4);
  const rest = parts.slice(4).reduce((sum, [, ms]) => sum + ms, 0);
  const each = shown.map(([name, ms]) => `${name} ${(ms / p.updates).toFixed(2)}`);
  if (rest > 0) each.push(`${parts.length - shown.length} others ${(rest / p.updates).toFixed(2)}`);
  return `  of which, ms/update: ${each.join(', ')}`;
}

function line(name: string, p: Phase, rss: boolean) {
  return (
    `${name.padEnd(14)} ${String(p.updates).padStart(6)} updates ${perSecond(p).toFixed(0).padStart(6)} updates/s` +
    `  p50 ${quantile(p.latencies, 0.5).toFixed(1).padStart(6)} ms  p99 ${quantile(p.latencies, 0.99).toFixed(1).padStart(6)} ms` +
    `  CPU ${(p.cpuMs / p.updates).toFixed(2)} ms/update` +
    (rss ? `  bot RSS peak ${(p.peakRssKb / 1024).toFixed(0)} MiB` : '') +
    (p.failures.length ? `  FAILED ${p.failures.length}: ${p.failures[0]}` : '')
  );
}

/** The top self-time functions of a .cpuprofile. */
function topSelfTime(file: string, n = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const where = f.url ? `${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|conversations|db)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`;
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  console.log(`\nbot process CPU profile (${file}), top self time of ${(total / 1e6).toFixed(1)} s sampled:`);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
}

async function main() {
  const concurrencies = arg('concurrency', '16,32,64').split(',').map(Number);
  const rounds = Number(arg('rounds', '1'));
  const profile = process.argv.includes('--profile');
  const trace = process.argv.includes('--trace');
  const dbName = `vodokanal_botbench_${process.pid}`;
  const prefix = `bench-bot-${process.pid}:`;
  const profileDir = path.join(os.tmpdir(), `vodokanal-bot-profile-${process.pid}`);
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const botApi = await startBotApiServer();
  const peerApi = await startBotApiServer();
  let app: App | null = null;
  let peerChild: ChildProcess | null = null;
  const db = new pg.Client({ connectionString: `${SERVER}/${dbName}` });
  try {
    const appEnv = {
      DATABASE_URL: `${SERVER}/${dbName}`,
      REDIS_URL: REDIS,
      REDIS_KEY_PREFIX: prefix,
      BOT_TOKEN: BENCH_TOKEN,
      TELEGRAM_API_ROOT: botApi.root,
      SEED_DEMO: 'true',
      DATA_DIR: path.join(os.tmpdir(), `vodokanal-botbench-${process.pid}`),
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
    };
    app = spawnApp(appEnv);
    await app.waitFor((l) => l.msg === 'bot: long polling', 'the bot polling', 120_000);
    await db.connect();
    // The demo accounts a resident can link by number and pass both meters' readings for: no PIN,
    // two active meters in verification, a statement to print, a flat without a prefix (or a house).
    // The demo data has a dozen; each is copied (its meters, readings, statements, charges and
    // payments, the same premise) under new numbers, so that every resident of a phase has one of its own.
    const fit = await db.query<{ id: number }>(`
      select a.id from account a join premise p on p.id = a.premise_id join branch br on br.id = a.branch_id
       where not br.requires_pin and a.pin_hash is null and p.flat_prefix is null
         and (select count(*) from meter m where m.account_id = a.id) = 2
         and (select count(*) from meter m where m.account_id = a.id and m.status = 'active' and m.verification_due > current_date + 31) = 2
         and exists (select 1 from statement s where s.account_id = a.id)
       order by a.id`);
    const wanted = Number(arg('residents', '100'));
    await copyAccounts(
      db,
      fit.rows.map((r) => r.id),
      Math.ceil(wanted / Math.max(1, fit.rows.length)) - 1,
    );
    const { rows } = await db.query<{ long_number: string; owner_full_name: string; house: string; flat: string | null }>(
      `
      select a.long_number, a.owner_full_name, b.house, p.flat
        from account a join premise p on p.id = a.premise_id join building b on b.id = p.building_id
       where a.id = any($1) or a.short_number like 'bb%'
       order by a.id`,
      [fit.rows.map((r) => r.id)],
    );
    const accounts: DemoAccount[] = rows.map((r) => ({ longNumber: r.long_number, house: r.house, flat: r.flat, surname: r.owner_full_name.split(' ')[0]! }));
    // One account per resident in a phase (two residents would pass one meter's readings at once).
    const residents = Math.min(Number(arg('residents', '100')), accounts.length);
    // The bot measured is started again on the database now loaded, as a production bot starts on
    // its utility's data: the demo data's loading (the first start's work) is neither in its
    // memory nor in its profile. The first start's RSS is printed beside it.
    const rssAfterSeeding = app.rssKb() ?? 0;
    await app.stop();
    // --node-options "…": extra flags for the measured process (a comparison of V8's settings).
    const nodeOptions = arg('node-options', '').split(' ').filter(Boolean);
    app = spawnApp(appEnv, [...nodeOptions, ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [])]);
    await app.waitFor((l) => l.msg === 'bot: long polling', 'the bot polling', 120_000);

    peerChild = spawn(process.execPath, ['--import', 'tsx', process.argv[1]!, '--peer'], {
      env: { ...process.env, PEER_API_ROOT: peerApi.root, PEER_DATABASE_URL: `${SERVER}/${dbName}`, PEER_REDIS_PREFIX: `${prefix}peer:` },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      peerChild!.stdout!.once('data', () => resolve());
      peerChild!.once('exit', (code) => reject(new Error(`the peer exited (${code})`)));
    });

    const bot = new Driver(botApi);
    const peerDriver = new Driver(peerApi);
    const rss = () => app!.rssKb();
    let users = 950_000_000;
    const botPhase = (concurrency: number, n: number) =>
      run(
        concurrency,
        Array.from({ length: n }, (_, i) => {
          const user = ++users;
          return (into: Phase, documents: Promise<void>[]) => visit(bot, user, accounts[i % accounts.length]!, into, documents);
        }),
        rss,
        app!.child.pid,
      );
    const peerPhase = (concurrency: number, scripts: Step[][]) =>
      run(
        concurrency,
        scripts.map((script) => {
          const user = ++users;
          return (into: Phase) => replay(peerDriver, user, script, into);
        }),
        () => null,
        peerChild!.pid,
      );

    const rssAtStart = app.rssKb() ?? 0;
    // Warm-up (not counted): the code paths compiled, the pools filled.
    const warm = await botPhase(8, Math.min(20, residents));
    if (warm.failures.length) throw new Error(`warm-up: ${warm.failures[0]}`);
    await peerPhase(8, warm.scripts);
    if (trace) {
      const script = warm.scripts[0]!;
      console.log(`one resident's visit: ${script.length} updates: ${script.map((s) => (s.kind === 'text' ? s.text : `[${s.data}]`)).join(' → ')}`);
    }
    console.log(
      `${residents} residents a phase, each: /start, consent, linking by number (number, house, flat, surname), «Баланс», the month table, readings of 2 meters, a receipt` +
        `\nbot: node ${[...startFlags(), ...nodeOptions].join(' ')} dist/main.mjs (npm start's build of src/main.ts), long polling (the default), Bot API stand-in over loopback HTTP in the harness; bot RSS after start ${(rssAtStart / 1024).toFixed(0)} MiB` +
        ` (started on the loaded database; the first start, which migrated it and loaded the demo data, was at ${(rssAfterSeeding / 1024).toFixed(0)} MiB)`,
    );
    const results = new Map<number, { bot: Phase[]; peer: Phase[] }>();
    for (let round = 1; round <= rounds; round++) {
      for (const concurrency of concurrencies) {
        const ours = await botPhase(concurrency, residents);
        const theirs = await peerPhase(concurrency, ours.scripts);
        const r = results.get(concurrency) ?? { bot: [], peer: [] };
        r.bot.push(ours);
        r.peer.push(theirs);
        results.set(concurrency, r);
        console.log(`\n${concurrency} in flight${rounds > 1 ? `, round ${round}` : ''}`);
        console.log(line('vodokanal bot', ours, true));
        console.log(threadsLine(ours));
        console.log(line('minimal stack', theirs, false));
        if (trace) console.log([...ours.bySteps].map(([k, xs]) => `${k} p50 ${quantile(xs, 0.5).toFixed(0)} p99 ${quantile(xs, 0.99).toFixed(0)}`).join('; '));
        const docs = ours.documents.filter((d) => !Number.isNaN(d));
        console.log(
          `ratio ${(perSecond(ours) / perSecond(theirs)).toFixed(2)}; receipts: ${docs.length} of ${ours.documents.length} PDFs arrived, press → document p50 ${quantile(docs, 0.5).toFixed(0)} ms, p99 ${quantile(docs, 0.99).toFixed(0)} ms`,
        );
      }
    }
    console.log('\nsummary (all rounds)');
    let peakRss = 0;
    for (const [concurrency, r] of results) {
      const ratios = r.bot.map((b, i) => perSecond(b) / perSecond(r.peer[i]!));
      const p99s = r.bot.map((b) => quantile(b.latencies, 0.99));
      peakRss = Math.max(peakRss, ...r.bot.map((b) => b.peakRssKb));
      console.log(
        `${String(concurrency).padStart(3)} in flight: bot ${r.bot.map((b) => perSecond(b).toFixed(0)).join(', ')} updates/s, p99 ${p99s.map((x) => x.toFixed(0)).join(', ')} ms; ` +
          `minimal stack ${r.peer.map((b) => perSecond(b).toFixed(0)).join(', ')} updates/s; ratio ${ratios.map((x) => x.toFixed(2)).join(', ')}`,
      );
    }
    const all = [...results.values()];
    const ratioMin = Math.min(...all.flatMap((r) => r.bot.map((b, i) => perSecond(b) / perSecond(r.peer[i]!))));
    const p99At32 = results.get(32) ? Math.max(...results.get(32)!.bot.map((b) => quantile(b.latencies, 0.99))) : Number.NaN;
    const failures = all.flatMap((r) => [...r.bot, ...r.peer]).reduce((n, p) => n + p.failures.length, 0);
    console.log(
      `targets: ratio ≥ 0.5 (lowest ${ratioMin.toFixed(2)}) ${ratioMin >= 0.5 ? 'met' : 'NOT met'}; p99 ≤ 100 ms at 32 in flight (${p99At32.toFixed(0)} ms) ${p99At32 <= 100 ? 'met' : 'NOT met'}; ` +
        `bot RSS ≤ 300 MB (peak ${((peakRss * 1024) / 1e6).toFixed(0)} MB) ${peakRss * 1024 <= 300e6 ? 'met' : 'NOT met'}; residents failed: ${failures}; error lines in the bot's log: ${app.errors().count}`,
    );
    for (const [msg, n] of app.errors().distinct) console.log(`  ${n} × ${msg}`);
  } finally {
    peerChild?.kill('SIGTERM');
    await app?.stop();
    await botApi.close();
    await peerApi.close();
    await db.end().catch(() => undefined);
    const redis = new Redis(REDIS);
    const keys = await redis.keys(`${prefix}*`);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    redis.disconnect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
  if (profile) {
    // The main thread's (the PDF workers write theirs beside it).
    const file = readdirSync(profileDir).find((f) => /\.0\.\d+\.cpuprofile$/.test(f));
    if (file) topSelfTime(path.join(profileDir, file));
    else console.log(`no CPU profile written in ${profileDir}`);
  }
}

if (process.argv.includes('--peer')) await peer();
else await main();
