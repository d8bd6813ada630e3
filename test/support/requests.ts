import { expect } from 'vitest';
import { JOB_NAMES } from '../../src/jobs/queues.ts';
import type { TestDatabase } from './db.ts';
import type { Resident, TestBot } from './telegram.ts';

/** A day off of branch alpha inside the visiting window that starts at the tests' «today» (22.11.2026). */
export async function seedRequests(db: TestDatabase) {
  const sql = db.orm.em.getConnection();
  await sql.execute(
    `update branch set days_off = '2026-11-24', visit_hour_from = 8, visit_hour_to = 17, visit_days = '12345', visit_within_days = 15 where code = 'alpha'`,
  );
}

/**
 * The jobs a new request hands over ('request.card', 'request.files') are another part's to
 * work; the test waits only for the rest and looks at the queue itself.
 */
export function waitOnlyForOtherJobs(kit: TestBot) {
  const drained = kit.runner.drained.bind(kit.runner);
  const others = JOB_NAMES.filter((n) => !n.startsWith('request.'));
  kit.runner.drained = (names = others, timeoutMs) => drained(names, timeoutMs);
}

/** The jobs sent for a request, by queue. */
export async function jobsOf(db: TestDatabase, requestId: number): Promise<string[]> {
  const rows = await db.orm.em
    .getConnection()
    .execute<{ name: string }[]>(`select name from pgboss.job where name like 'request.%' and (data->>'requestId')::int = ? order by name`, [requestId]);
  return rows.map((r) => r.name);
}

/** The newest request of a resident, as stored. */
export async function lastRequestOf(db: TestDatabase, telegramId: number) {
  const [row] = await db.orm.em.getConnection().execute(
    `select r.id, r.number, r.kind, r.status, r.contact_phone, r.comment, r.details, r.deadline_at, a.long_number
       from service_request r join resident s on s.id = r.resident_id left join account a on a.id = r.account_id
      where s.telegram_id = ? order by r.id desc limit 1`,
    [telegramId],
  );
  return row as
    | { id: number; number: string; kind: string; status: string; contact_phone: string; comment: string | null; details: any; long_number: string }
    | undefined;
}

export async function requestCount(db: TestDatabase, telegramId: number): Promise<number> {
  const [row] = await db.orm.em
    .getConnection()
    .execute(`select count(*)::int as n from service_request r join resident s on s.id = r.resident_id where s.telegram_id = ?`, [telegramId]);
  return row!.n;
}

const base = (r: Resident) => ({
  message_id: Math.floor(Math.random() * 1e9),
  date: 0,
  chat: { id: r.id, type: 'private' as const, first_name: 'Тест' },
  from: { id: r.id, is_bot: false, first_name: 'Тест', language_code: 'ru' },
});

/** «📱 Поделиться номером»: a contact; Telegram sets user_id to the sharer's own id for their own number. */
export const shareContact = (r: Resident, phone: string, userId: number | undefined = r.id) =>
  r.send({ message: { ...base(r), contact: { phone_number: phone, first_name: 'Тест', ...(userId ? { user_id: userId } : {}) } } as never });

/** A file sent as a document (a PDF, an image, or anything else). */
export const sendDocument = (r: Resident, fileId: string, mimeType: string, fileSize = 1000) =>
  r.send({
    message: { ...base(r), document: { file_id: fileId, file_unique_id: `u-${fileId}`, file_name: 'scan', mime_type: mimeType, file_size: fileSize } } as never,
  });

/** A photo with distinct file_id and file_unique_id. */
export const sendPhoto = (r: Resident, fileId: string) =>
  r.send({ message: { ...base(r), photo: [{ file_id: fileId, file_unique_id: `u-${fileId}`, width: 800, height: 600, file_size: 50_000 }] } as never });

export const texts = (r: Resident) => r.messages().map((m) => m.payload.text as string);

export function expectTextAfter(r: Resident, before: number, pattern: RegExp) {
  expect(texts(r).slice(before).join('\n---\n')).toMatch(pattern);
}
