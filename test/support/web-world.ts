import os from 'node:os';
import type { Billing } from '../../src/billing/index.ts';
import { type AttemptLimits, memoryLimits } from '../../src/bot/limits.ts';
import { createTranslator } from '../../src/i18n.ts';
import { createLogger } from '../../src/logger.ts';
import { createMail, createMailer } from '../../src/mail/index.ts';
import { inlineRenderer } from '../../src/pdf/inline-renderer.ts';
import type { FileStore } from '../../src/files/store.ts';
import type { Jobs } from '../../src/jobs/queues.ts';
import { buildWeb, type WebDeps } from '../../src/web/app.ts';
import { startSmtpServer } from './smtp.ts';

/** The web pages over the fixture's billing, with letters going to a real SMTP server in the test. */
export async function openWebWorld(
  billing: Billing,
  o: { limits?: AttemptLimits; files?: FileStore; jobs?: Pick<Jobs, 'send'>; telegramLogin?: WebDeps['telegramLogin']; botUsername?: () => string | null } = {},
) {
  const translator = createTranslator();
  const log = createLogger(process.env.WEB_TEST_LOG === '1' ? 'error' : 'silent');
  const smtp = await startSmtpServer();
  const renderer = inlineRenderer(translator);
  const mailer = createMailer({ smtpUrl: smtp.url, from: { name: 'Водоканал', address: 'no-reply@vodokanal.test' }, outboxDir: os.tmpdir(), log });
  const mail = createMail({ billing, renderer, mailer, translator, publicUrl: 'http://127.0.0.1', log });
  const web = await buildWeb({
    billing,
    translator,
    log,
    readiness: { database: () => 'up' },
    limits: o.limits ?? memoryLimits(),
    renderer,
    mail,
    ...(o.files ? { files: o.files } : {}),
    ...(o.jobs ? { jobs: o.jobs } : {}),
    ...(o.telegramLogin ? { telegramLogin: o.telegramLogin } : {}),
    ...(o.botUsername ? { botUsername: o.botUsername } : {}),
  });
  /** The code in the `n`-th letter (1-based) that has arrived. */
  const codeOf = async (n: number) => {
    const letter = await smtp.waitFor(n);
    const code = /\b(\d{6})\b/.exec(letter.subject ?? '')?.[1] ?? /\b(\d{6})\b/.exec(letter.text ?? '')?.[1];
    if (!code) throw new Error('no code in the letter');
    return { code, to: letter.envelopeTo };
  };
  return {
    web,
    smtp,
    codeOf,
    close: async () => {
      await web.close();
      mailer.close();
      await smtp.close();
    },
  };
}
