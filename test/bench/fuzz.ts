// npm run fuzz [-- --updates 10000 --seed 1 --users 400 --dump]
// The real process (node dist/main.mjs, as `npm start` builds and runs it) in long polling against a Bot API stand-in in
// this process, on a fresh database (the app migrates it and loads the demo data) and the
// machine's Redis under a key prefix of its own. Feeds random and malformed updates through
// getUpdates (texts, commands, unicode, huge texts, stickers, photos, locations, contacts,
// callback queries with random, forged and stale data, edited messages, messages without a
// sender, channel posts, groups, my_chat_member, unknown and missing fields, wrong types) and
// prints whether the process lived, its error lines, the callback queries left unanswered, what
// was answered, its memory before and after, and the time. --dump: the updates behind each error
// line and unanswered press.
import pg from 'pg';
import { buttons } from '../../src/bot/callback-data.ts';
import { BENCH_TOKEN, spawnApp } from '../support/app-process.ts';
import { startBotApiServer } from '../support/bot-api-server.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('updates', 10_000);
const SEED = arg('seed', 1);
const USERS = arg('users', 400);
const SERVER = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
/** --dump: the updates behind each error line and unanswered callback query are printed. */
const DUMP = process.argv.includes('--dump');
const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

// mulberry32: the same updates for the same seed.
let state = SEED >>> 0 || 1;
const rnd = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (n: number) => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const chance = (p: number) => rnd() < p;

// Every button's prefix, from the declarations (their filters begin with it).
const PREFIXES: string[] = [];
const walk = (o: unknown) => {
  if (!o || typeof o !== 'object') return;
  const b = o as { filter?: RegExp };
  if (b.filter instanceof RegExp) {
    PREFIXES.push(b.filter.source.slice(1).split(':(')[0]!.replace(/\$$/, '').replace(/\\/g, ''));
    return;
  }
  for (const v of Object.values(o)) walk(v);
};
walk(buttons);

const COMMANDS = [
  '/start',
  '/help',
  '/readings',
  '/balance',
  '/meters',
  '/debt',
  '/receipt',
  '/inspector',
  '/accident',
  '/requests',
  '/operator',
  '/accounts',
  '/settings',
  '/cancel',
  '/outage',
  '/nonexistent',
  '/start@vodokanal_test_bot',
  '/help@other_bot',
  '/start deep_link_payload',
  '/',
];
const MENU = [
  '📟 Передать показания',
  '💰 Баланс',
  '🔢 Счётчики',
  '🧾 Квитанция',
  '🏠 Мои счета',
  '⚙️ Настройки',
  '🚨 Сообщить об аварии',
  '💬 Оператор',
  'Согласен',
  'Отмена',
];
const UNICODE = [
  '🙂',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'ج؟',
  '\u202Eобратно',
  '\u0000\u0001\u0007',
  'Z̴̡̛a̷l̸g̶o',
  '\uD800',
  'ä'.repeat(50),
  '日本語のテキスト',
  '👨‍👩‍👧‍👦'.repeat(20),
  '\n\n\n',
  ' ',
  '\t',
];
const randomText = (): string => {
  switch (int(9)) {
    case 0:
      return pick(COMMANDS);
    case 1:
      return pick(MENU);
    case 2:
      return pick(UNICODE);
    case 3:
      return 'х'.repeat(4096 + int(20_000)); // over Telegram's limit: a huge text
    case 4:
      return String(int(10 ** (1 + int(16)))); // an account number or a reading
    case 5:
      return `${int(1000)},${int(1000)}`;
    case 6:
      return `user${int(1e6)}@example.org`;
    case 7:
      return Array.from({ length: 1 + int(30) }, () => String.fromCharCode(32 + int(0x500))).join('');
    default:
      return pick([
        'да',
        'нет',
        'Иванов',
        'ул. Ленина 1',
        '12.03.2026',
        '-5',
        '0',
        '1e309',
        'NaN',
        '<b>x</b>',
        '$\u007Bx}',
        '{{x}}',
        "'; drop table account; --",
      ]);
  }
};

const userId = (k: number) => 100_000 + k;
const user = (id: number) => ({ id, is_bot: false, first_name: 'F', ...(chance(0.5) ? { language_code: pick(['ru', 'en', 'de', 'xx']) } : {}) });
const now = () => Math.floor(Date.now() / 1000);
let msgId = 1;
const GROUP = -1_001_234_567_890;

const callbackIds: string[] = [];
function callback(from: number): Record<string, unknown> {
  const id = `cb${callbackIds.length}-${int(1e9)}`;
  callbackIds.push(id);
  const data = (() => {
    switch (int(5)) {
      case 0:
        return pick(PREFIXES); // the prefix alone: a stale or partial button
      case 1:
        return `${pick(PREFIXES)}:${int(1e6)}`;
      case 2:
        return `${pick(PREFIXES)}:${int(10)}:${int(1e9)}:${int(12)}`;
      case 3:
        return pick(['', 'x', ':'.repeat(63), 'ü'.repeat(40), 'consent:yes', 'consent:no', 'pb:start', 'menu']);
      default:
        return randomText().slice(0, 64);
    }
  })();
  const q: Record<string, unknown> = { id, from: user(from), chat_instance: String(int(1e9)) };
  if (chance(0.9))
    q.message = {
      message_id: 1 + int(msgId),
      date: now() - int(1e6),
      chat: { id: from, type: 'private' },
      from: { id: 7000001, is_bot: true, first_name: 'B' },
      text: 'old',
    };
  if (chance(0.95)) q.data = data;
  else q.game_short_name = 'g';
  return { callback_query: q };
}

function message(from: number): Record<string, unknown> {
  const m: Record<string, unknown> = { message_id: ++msgId, date: now(), chat: { id: from, type: 'private', first_name: 'F' }, from: user(from) };
  switch (int(10)) {
    case 0:
      m.sticker = { file_id: `st${int(1e6)}`, file_unique_id: 'u', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false };
      break;
    case 1:
      m.photo = [{ file_id: `ph${int(1e6)}`, file_unique_id: 'u', width: 90, height: 90 }];
      if (chance(0.5)) m.caption = randomText().slice(0, 1024);
      break;
    case 2:
      m.location = { latitude: rnd() * 180 - 90, longitude: rnd() * 360 - 180 };
      break;
    case 3:
      m.contact = { phone_number: `+7${int(1e10)}`, first_name: 'C', ...(chance(0.5) ? { user_id: chance(0.5) ? from : from + 1 } : {}) };
      break;
    case 4:
      m.document = {
        file_id: `doc${int(1e6)}`,
        file_unique_id: 'u',
        file_name: pick(['a.pdf', 'b.exe', 'c.jpg', '']),
        mime_type: pick(['application/pdf', 'image/jpeg', 'application/x-msdownload']),
      };
      break;
    case 5:
      m.voice = { file_id: `v${int(1e6)}`, file_unique_id: 'u', duration: 3 };
      break;
    default: {
      const text = randomText();
      m.text = text;
      if (text.startsWith('/')) m.entities = [{ type: 'bot_command', offset: 0, length: text.split(/[ ]/)[0]!.length }];
    }
  }
  return m;
}

/** One random update, often malformed. */
function update(): Record<string, unknown> {
  const from = userId(int(USERS));
  const r = int(100);
  if (r < 40) return { message: message(from) };
  if (r < 62) return callback(from);
  if (r < 67) return { edited_message: { ...message(from), edit_date: now() } };
  if (r < 70) {
    const m = message(from);
    delete m.from;
    return { message: m };
  }
  if (r < 73)
    return { channel_post: { message_id: ++msgId, date: now(), chat: { id: -1_009_000_000_000 - int(5), type: 'channel', title: 'c' }, text: randomText() } };
  if (r < 78)
    return {
      message: {
        ...message(from),
        chat: { id: chance(0.5) ? GROUP : -int(1e9), type: pick(['group', 'supergroup']), title: 'g' },
        ...(chance(0.3) ? { message_thread_id: 1 + int(100), is_topic_message: true } : {}),
      },
    };
  if (r < 82)
    return {
      my_chat_member: {
        chat: { id: from, type: 'private' },
        from: user(from),
        date: now(),
        old_chat_member: { status: pick(['member', 'kicked']), user: { id: 7000001, is_bot: true, first_name: 'B' } },
        new_chat_member: {
          status: pick(['member', 'kicked', 'left', 'weird']),
          user: { id: 7000001, is_bot: true, first_name: 'B' },
          ...(chance(0.3) ? { until_date: 0 } : {}),
        },
      },
    };
  if (r < 85)
    return { [pick(['inline_query', 'poll', 'message_reaction', 'business_message', 'totally_new_kind'])]: { id: String(int(1e6)), from: user(from) } };
  if (r < 88)
    return {
      message: {
        ...message(from),
        unknown_field: { deep: [1, 2, 3] },
        via_bot: user(1),
        forward_origin: { type: 'user', date: 0, sender_user: user(from + 1) },
      },
    };
  if (r < 91) {
    // Missing fields: no chat, no date, nothing.
    const m = message(from);
    delete m[pick(['chat', 'date', 'message_id'])];
    return chance(0.2) ? {} : { message: m };
  }
  // Wrong types.
  const m = message(from) as Record<string, any>;
  switch (int(7)) {
    case 0:
      m.text = pick([123, null, ['a'], { a: 1 }, true]);
      break;
    case 1:
      m.chat = { id: pick(['abc', null, 1.5, '123']), type: 'private' };
      break;
    case 2:
      m.from = pick([null, 'x', { id: 'x' }, { id: from }]);
      break;
    case 3:
      m.entities = pick(['x', [{ type: 'bot_command', offset: 100, length: 5 }], [null], [{}]]);
      m.text = '/start';
      break;
    case 4:
      return { callback_query: { id: pick([7, null]), from: user(from), data: pick([5, null, {}]) } };
    case 5:
      return { message: pick(['text', 42, null, []]) };
    default:
      m.photo = pick(['x', [], [null], {}]);
  }
  return { message: m };
}

async function main() {
  const t0 = performance.now();
  const name = `fuzz_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const standin = await startBotApiServer();
  const app = spawnApp({
    DATABASE_URL: `${SERVER}/${name}`,
    REDIS_URL: REDIS,
    REDIS_KEY_PREFIX: `fuzz:${process.pid}:${Date.now()}:`,
    BOT_TOKEN: BENCH_TOKEN,
    TELEGRAM_API_ROOT: standin.root,
    SEED_DEMO: 'true',
    DATA_DIR: `/tmp/vodokanal-fuzz-${process.pid}`,
  });
  try {
    await app.waitFor((l) => l.msg === 'bot: long polling', 'the bot', 120_000);
    const started = performance.now();
    const rssBefore = app.rssKb();

    // Fed in slices of 500 so that the queue never holds all at once, as from Telegram.
    const sentIds: number[] = [];
    const byId = new Map<number, unknown>();
    let fed = 0;
    while (fed < N && !app.exit) {
      while (standin.pending > 1000 && !app.exit) await new Promise((r) => setTimeout(r, 20));
      const n = Math.min(500, N - fed);
      const batch = Array.from({ length: n }, update);
      const ids = standin.push(...batch);
      sentIds.push(...ids);
      if (DUMP) for (const [i, u] of batch.entries()) byId.set(ids[i]!, u);
      fed += n;
    }
    const last = sentIds.at(-1) ?? -1;
    const deadline = Date.now() + 120_000;
    // Until every update was taken and nothing was sent for 3 s (what was taken is finished).
    while (!app.exit && Date.now() < deadline && (standin.confirmed < last || Date.now() - standin.lastCallAt < 3_000))
      await new Promise((r) => setTimeout(r, 100));
    const took = (performance.now() - started) / 1000;
    const rssAfter = app.rssKb();

    const crashed = app.exit !== null;
    const errors = app.errors();
    const unanswered = callbackIds.filter((id) => !standin.answeredCallbacks.has(id));
    const toChats = standin.calls.filter((c) => c.payload.chat_id !== undefined && c.method !== 'answerCallbackQuery');
    const chats = new Set(toChats.map((c) => String(c.payload.chat_id)));
    const warnings = app.lines.filter((l) => Number(l.level) === 40);
    const warnKinds = new Map<string, number>();
    for (const w of warnings) warnKinds.set(w.msg, (warnKinds.get(w.msg) ?? 0) + 1);

    console.log(`npm run fuzz -- --updates ${N} --seed ${SEED} --users ${USERS}`);
    console.log(`updates fed: ${fed}; taken by the bot (getUpdates offset past them): ${Math.max(0, Math.min(standin.confirmed, last) + 1)}`);
    console.log(`crashes: ${crashed ? `the process EXITED ${JSON.stringify(app.exit)}` : 'none (the process is alive)'}`);
    console.log(`error lines (level >= 50): ${errors.count}`);
    for (const [msg, n] of [...errors.distinct].slice(0, 8)) console.log(`  ${n} × ${msg}`);
    console.log(
      `warnings (level 40): ${warnings.length}${
        warnKinds.size
          ? `: ${[...warnKinds]
              .slice(0, 6)
              .map(([m, n]) => `${n} × ${m}`)
              .join('; ')}`
          : ''
      }`,
    );
    console.log(
      `callback queries sent: ${callbackIds.length}; answered (answerCallbackQuery): ${callbackIds.length - unanswered.length}; left unanswered: ${unanswered.length}`,
    );
    console.log(
      `bot's calls to chats: ${toChats.length} to ${chats.size} chats; by method: ${[...standin.methods]
        .filter(([m]) => m !== 'getUpdates')
        .map(([m, n]) => `${m} ${n}`)
        .join(', ')}`,
    );
    console.log(`RSS of the process: ${rssBefore ? Math.round(rssBefore / 1024) : '?'} MB before, ${rssAfter ? Math.round(rssAfter / 1024) : '?'} MB after`);
    console.log(`time: ${took.toFixed(1)} s for the updates (${(fed / took).toFixed(0)}/s); ${((performance.now() - t0) / 1000).toFixed(1)} s in all`);
    if (DUMP) {
      for (const l of app.lines.filter((x) => Number(x.level) >= 50).slice(0, 20))
        console.log('ERROR', l.msg, l.err?.message, JSON.stringify(byId.get(l.updateId))?.slice(0, 400));
      const unansweredSet = new Set(unanswered);
      for (const u of byId.values()) {
        const q = (u as { callback_query?: { id?: string } }).callback_query;
        if (q?.id && unansweredSet.has(q.id)) console.log('UNANSWERED', JSON.stringify(u).slice(0, 400));
      }
    }
    if (app.raw.length) console.log(`non-JSON output of the process (first 500 chars): ${app.raw.join('').slice(0, 500)}`);
    process.exitCode = crashed || errors.count || unanswered.length ? 1 : 0;
  } finally {
    await app.stop();
    await standin.close();
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
    await admin.end();
  }
}

await main();
