import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { GrammyError } from 'grammy';
import { createLogger, safeUrl } from '../src/logger.ts';

/** A logger at info whose lines are kept for the test. */
function capturedLog() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, log: createLogger('info', sink) };
}

describe('logs', () => {
  it('never carry names, phones, e-mails or secrets', () => {
    const { lines, log } = capturedLog();
    log.info(
      {
        account: { ownerFullName: 'МИХАЙЛОВА АЛЛА МИХАЙЛОВНА', phone: '+79052145780', email: 'a@example.com', longNumber: '002901800602302' },
        token: '123:ABC',
      },
      'linked',
    );
    const out = lines.join('');
    expect(out).toContain('linked');
    expect(out).not.toContain('МИХАЙЛОВА');
    expect(out).not.toContain('+79052145780');
    expect(out).not.toContain('a@example.com');
    expect(out).not.toContain('123:ABC');
  });

  it('prints connection URLs without passwords', () => {
    expect(safeUrl('postgresql://app:s3cret@db:5432/vodokanal')).not.toContain('s3cret');
  });

  it('log an error without the values of its statement or the payload of a Bot API call', () => {
    const { lines, log } = capturedLog();
    // As knex words a failed statement whose values the ORM has written into it.
    const db = Object.assign(
      new Error(
        `insert into "email_confirmation" ("resident_id", "address") values (7, 'ivan@mail.ru') - duplicate key value violates unique constraint "email_confirmation_resident_id_unique"`,
      ),
      { name: 'UniqueConstraintViolationException', code: '23505', constraint: 'email_confirmation_resident_id_unique' },
    );
    const bot = new GrammyError(
      "Call to 'editMessageText' failed!",
      { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' },
      'editMessageText',
      { chat_id: 6_900_001, text: 'Лицевой счёт 002901800602302, г. Ессентуки, ул. Ермакова, д. 7, кв. 30, ivan@mail.ru' },
    );
    log.error({ err: db, updateId: 1 }, 'update failed');
    log.error({ err: bot, updateId: 2 }, 'update failed');
    const out = lines.join('');
    for (const secret of ['ivan@mail.ru', '002901800602302', 'Ермакова', '6900001']) expect(out).not.toContain(secret);
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first.err).toMatchObject({ type: 'UniqueConstraintViolationException', code: '23505', constraint: 'email_confirmation_resident_id_unique' });
    expect(first.err.message).toBe('[statement] - duplicate key value violates unique constraint "email_confirmation_resident_id_unique"');
    expect(second.err).toMatchObject({
      type: 'GrammyError',
      method: 'editMessageText',
      error_code: 400,
      description: 'Bad Request: message to edit not found',
    });
  });
});
