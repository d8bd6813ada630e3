import os from 'node:os';
import { createBilling } from '../../src/billing/index.ts';
import type { Orm } from '../../src/db/orm.ts';
import { createTranslator } from '../../src/i18n.ts';
import { createLogger } from '../../src/logger.ts';
import { createMail, createMailer } from '../../src/mail/index.ts';
import { inlineRenderer } from '../../src/pdf/inline-renderer.ts';

/** What a bot needs besides Telegram, quiet: no log, receipts on this thread, letters to a temporary outbox. */
export function quietDeps(orm: Orm) {
  const log = createLogger('silent');
  const billing = createBilling({ orm });
  const translator = createTranslator();
  const renderer = inlineRenderer(translator);
  const mailer = createMailer({ from: { name: 'Водоканал', address: 'no-reply@vodokanal.test' }, outboxDir: os.tmpdir(), log });
  const mail = createMail({ billing, mailer, renderer, translator, publicUrl: 'http://localhost', log });
  return { log, billing, translator, renderer, mail };
}
