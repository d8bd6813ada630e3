import { beforeAll } from 'vitest';
import type { JobName, JobPayloads } from '../../src/jobs/queues.ts';
import type { Resident } from './telegram.ts';
import type { botWorld } from './bot-world.ts';

/** Alpha's area and its 24-hour dispatcher (until the branch fixtures carry them). */
export const ALPHA_CENTRE = { latitude: 44.044, longitude: 42.86 };
export const ALPHA_DISPATCHER = '+7 (87934) 6-11-11';
export const OPERATOR = { kind: 'operator' as const, operatorId: 1, branchCodes: ['alpha'] };

/**
 * The requests' world on top of a bot world: alpha gets its area and dispatcher, and the jobs the
 * bot hands over are recorded (the operators' card, the file copies and the notices have their
 * own handlers and tests), so a test sees exactly what the dialogue asked the runner for.
 */
export function requestsWorld(world: ReturnType<typeof botWorld>) {
  const jobs: { name: JobName; payload: unknown }[] = [];
  beforeAll(async () => {
    await world.db.orm.em
      .getConnection()
      .execute(
        `update branch set area_latitude = ${ALPHA_CENTRE.latitude}, area_longitude = ${ALPHA_CENTRE.longitude}, area_radius_km = 12, dispatcher_phone = '${ALPHA_DISPATCHER}' where code = 'alpha'`,
      );
    world.kit.runner.jobs.send = async <N extends JobName>(name: N, payload: JobPayloads[N]) => {
      jobs.push({ name, payload });
    };
  });
  return { jobs };
}

let messageId = 5_000_000;
const chat = (r: Resident) => ({ id: r.id, type: 'private' as const, first_name: 'Тест' });
const from = (r: Resident) => ({ id: r.id, is_bot: false, first_name: 'Тест', language_code: 'ru' });

/** A message of any kind from the resident (a location, a contact, a document, an album's photo). */
export const message = (r: Resident, fields: Record<string, unknown>) =>
  r.send({ message: { message_id: ++messageId, date: 0, chat: chat(r), from: from(r), ...fields } as never });

export const location = (r: Resident, latitude: number, longitude: number) => message(r, { location: { latitude, longitude } });
export const contact = (r: Resident, phone: string) => message(r, { contact: { phone_number: phone, first_name: 'Тест', user_id: r.id } });
export const photoSize = (fileId: string) => [{ file_id: fileId, file_unique_id: `u-${fileId}`, width: 800, height: 600, file_size: 1000 }];

/** An album: several messages with one media_group_id, as Telegram delivers it. */
export async function album(r: Resident, group: string, fileIds: string[]) {
  const calls = [];
  for (const id of fileIds) calls.push(...(await message(r, { media_group_id: group, photo: photoSize(id) })));
  return calls;
}

export const document = (r: Resident, fileId: string, mime: string) =>
  message(r, { document: { file_id: fileId, file_unique_id: `u-${fileId}`, file_name: 'f', mime_type: mime } });

/** The reply keyboard of the last message that had one, with its request buttons. */
export function lastReplyKeyboard(r: Resident): { text: string; request_location?: boolean; request_contact?: boolean }[] {
  const m = r
    .messages()
    .filter((c) => c.payload.reply_markup?.keyboard)
    .at(-1);
  return (m?.payload.reply_markup.keyboard ?? []).flat().map((b: string | { text: string }) => (typeof b === 'string' ? { text: b } : b));
}

export const texts = (calls: { method: string; payload: Record<string, any> }[]) =>
  calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText').map((c) => c.payload.text as string);
