import type PgBoss from 'pg-boss';

/** What a resident asked for from a chat: whose, where to answer, which receipt, in which language. */
export interface ReceiptRequest {
  telegramId: number;
  chatId: number;
  accountId: number;
  /** YYYY-MM */
  month: string;
  language: string;
}

/** A reconciliation the resident asked for from a chat: from and to, 'YYYY-MM'. */
export interface ReconciliationRequest {
  telegramId: number;
  chatId: number;
  accountId: number;
  from: string;
  to: string;
  language: string;
}

/** Every queue and the payload of its jobs: the one list the front doors and the runner share. */
export interface JobPayloads {
  /** The receipt screen → a month: the PDF as a document in the chat. */
  'receipt.pdf': ReceiptRequest;
  /** The «send by e-mail» button under a receipt: that month's receipt to the resident's confirmed address. */
  'receipt.email': ReceiptRequest;
  /** The reconciliation, `recon-pdf`: the document in the chat (src/jobs/reconciliation.ts). */
  'reconciliation.pdf': ReconciliationRequest;
  /** The reconciliation, `recon-mail`: the document to the confirmed address. */
  'reconciliation.email': ReconciliationRequest;
  /** The monthly receipts by e-mail: works through the due subscriptions, batch by batch. */
  'mailing.monthly': Record<string, never>;
  /** A new or moved request: post or edit its card in the operators' group (src/jobs/request-card.ts). */
  'request.card': { requestId: number };
  /** Copy a request's photos and documents from Telegram to the file store (src/jobs/request-files.ts). */
  'request.files': { requestId: number };
  /** One notice of the outbox to its resident, at most once (src/jobs/notice.ts). */
  notice: { noticeId: number };
  /** The clock's moves on requests and the outbox's lost jobs (every few minutes). */
  'requests.sweep': Record<string, never>;
  /** The «💬 Оператор» chat: drain the relay queue of one target chat (a group or a resident), in order (src/jobs/chat-relay.ts). */
  'chat.relay': { chatId: number };
  /** The reminders due now into the outbox (src/jobs/reminders.ts), then `notices.deliver`. */
  'reminders.plan': Record<string, never>;
  /** The due notices of the outbox, of every kind, at the global pace (src/jobs/notice.ts). */
  'notices.deliver': Record<string, never>;
}
export type JobName = keyof JobPayloads;

/** What a front door sees of the runner: hand a job over; it is done after the answer, also after a restart. */
export interface Jobs {
  send<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void>;
}

/**
 * How each queue behaves. The receipts are sent at most once: a handler reports its own failure
 * to the resident and completes; the one retry is for an attempt cut off by a crash (its job
 * expired while active), and that retry only tells the resident it did not work (a second PDF or
 * letter could follow one that did go out). `short`: a double tap while the first job still waits
 * makes no second job (same resident, account and month).
 * The mailing is retried by its next cron run; the (subscription, month) claim in PostgreSQL
 * makes each letter single whichever run or instance sends it.
 */
export const QUEUES: { [N in JobName]: Omit<PgBoss.Queue, 'name'> & { singletonKey?: (p: JobPayloads[N]) => string } } = {
  'receipt.pdf': {
    policy: 'short',
    retryLimit: 1,
    retryDelay: 0,
    expireInSeconds: 120,
    retentionMinutes: 60,
    singletonKey: (p) => `${p.telegramId}:${p.accountId}:${p.month}`,
  },
  'receipt.email': {
    policy: 'short',
    retryLimit: 1,
    retryDelay: 0,
    expireInSeconds: 300,
    retentionMinutes: 60,
    singletonKey: (p) => `${p.telegramId}:${p.accountId}:${p.month}`,
  },
  'reconciliation.pdf': {
    policy: 'short',
    retryLimit: 1,
    retryDelay: 0,
    expireInSeconds: 120,
    retentionMinutes: 60,
    singletonKey: (p) => `${p.telegramId}:${p.accountId}:${p.from}:${p.to}`,
  },
  'reconciliation.email': {
    policy: 'short',
    retryLimit: 1,
    retryDelay: 0,
    expireInSeconds: 300,
    retentionMinutes: 60,
    singletonKey: (p) => `${p.telegramId}:${p.accountId}:${p.from}:${p.to}`,
  },
  'mailing.monthly': { policy: 'standard', retryLimit: 0, expireInSeconds: 20 * 60, retentionMinutes: 24 * 60 },
  // Operators must see every request: the card is retried until it is posted (a crash between
  // posting and saving its message id can leave a second card; a lost one is worse). `stately`
  // per request: one card job at work and one waiting, so two at once never post two cards; the
  // waiting one draws the newest state.
  'request.card': {
    policy: 'stately',
    retryLimit: 10,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 120,
    retentionMinutes: 24 * 60,
    singletonKey: (p) => String(p.requestId),
  },
  'request.files': { policy: 'standard', retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 300, retentionMinutes: 24 * 60 },
  // At most once is kept by the notice's claim in PostgreSQL, whatever the queue repeats.
  notice: {
    policy: 'standard',
    retryLimit: 3,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 60,
    retentionMinutes: 24 * 60,
    singletonKey: (p) => String(p.noticeId),
  },
  // `stately` per target chat: one drain at work (so the order and the group's limit hold for all
  // instances) and one waiting, which reads whatever came meanwhile. Retried until delivered: a
  // burst is delayed, never dropped.
  'chat.relay': {
    policy: 'stately',
    retryLimit: 100,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 15 * 60,
    retentionMinutes: 24 * 60,
    singletonKey: (p) => String(p.chatId),
  },
  'requests.sweep': { policy: 'singleton', retryLimit: 0, expireInSeconds: 300, retentionMinutes: 24 * 60 },
  // Planning is recomputed by the next run: never retried. Delivery runs for up to 50 s; one waiting is enough.
  'reminders.plan': { policy: 'singleton', retryLimit: 0, expireInSeconds: 300, retentionMinutes: 24 * 60 },
  'notices.deliver': { policy: 'short', retryLimit: 0, expireInSeconds: 120, retentionMinutes: 60 },
};
export const JOB_NAMES = Object.keys(QUEUES) as JobName[];

/** The monthly mailing runs every 15 minutes (a statement appears when the billing export is imported). */
export const MAILING_CRON = '*/15 * * * *';
/** The requests' clock (7 days after done, 3 days of needs_info) and lost notices. */
export const REQUESTS_SWEEP_CRON = '*/5 * * * *';
/** The reminders' planning: a pure function of the database and the date, so every few minutes costs nothing twice. */
export const REMINDERS_CRON = '*/5 * * * *';
/** The outbox's delivery of everything due (reminders, notices put back by a 429 or the quiet hours). */
export const NOTICES_CRON = '* * * * *';
