import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { importFiles } from '../../src/billing/import/index.ts';
import { freshDatabase, type TestDatabase } from './db.ts';
import { FIXTURE_DIR } from './fixture.ts';
import { createTestBot, Resident, type TestBot, type TestBotOptions } from './telegram.ts';

/**
 * The world of a bot test file: its own database with the fixture export, a bot on real Redis,
 * and after every test the check that each button press was answered exactly once (never left
 * spinning, never answered twice — Telegram refuses the second answer).
 */
export function botWorld(firstUserId: number, options: TestBotOptions | (() => TestBotOptions) = {}) {
  let db: TestDatabase | undefined;
  let kit: TestBot | undefined;
  let nextUser = firstUserId;
  const pressed: string[] = [];

  beforeAll(async () => {
    db = await freshDatabase();
    const report = await importFiles(db.orm, [FIXTURE_DIR]);
    expect(report.errors).toEqual([]);
    kit = await createTestBot(db.orm, typeof options === 'function' ? options() : options);
    const handle = kit.bot.handleUpdate.bind(kit.bot);
    kit.bot.handleUpdate = (update, webhookReplyEnvelope) => {
      if (update.callback_query) pressed.push(update.callback_query.id);
      return handle(update, webhookReplyEnvelope);
    };
  });
  afterAll(async () => {
    await kit?.close();
    await db?.drop();
  });
  afterEach(() => {
    const answers = kit!.api.calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => String(c.payload.callback_query_id));
    const ids = pressed.splice(0);
    kit!.api.clear();
    const count = (id: string) => answers.filter((a) => a === id).length;
    expect(ids.filter((id) => count(id) !== 1).map((id) => `${id}: answered ${count(id)} times`)).toEqual([]);
  });

  return {
    get kit() {
      return kit!;
    },
    get db() {
      return db!;
    },
    newResident: (languageCode?: string) => new Resident(kit!, ++nextUser, languageCode),
  };
}

export interface LinkProof {
  number: string;
  house: string;
  flat: string;
  surname: string;
}

/** Links an account through the real dialogue, by its 15-digit number. */
export async function linkByNumber(r: Resident, a: LinkProof, start: () => Promise<unknown> = () => r.press('link:start')) {
  await start();
  await r.tap(/По номеру/);
  for (const answer of [a.number, a.house, a.flat, a.surname]) await r.say(answer);
  expect(r.lastText()).toMatch(new RegExp(`^Лицевой счёт ${a.number} привязан`));
}
