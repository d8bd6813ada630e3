import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { Branch } from './branch.ts';
import { Resident } from './resident.ts';

/** Вызов контролёра (seed 000 §9), ввод прибора учёта в эксплуатацию (seed 001 §4), сообщение об аварии (seeds 001, 002). */
export const REQUEST_KINDS = ['inspector', 'commissioning', 'accident'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** Seed 001: Отправлено → Принято → В работу | На исправление | Отказано → Выполнено; closed 7 days after. */
export const REQUEST_STATUSES = ['sent', 'accepted', 'in_work', 'needs_info', 'refused', 'done', 'closed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/**
 * A resident's request to the utility. What the resident gave that is particular to the kind
 * (the reason and visit time, the meters, the damage type) is in `details`, checked by the
 * service's schema when it is written; the fields every kind has are columns.
 */
export const ServiceRequest = defineEntity({
  name: 'ServiceRequest',
  tableName: 'service_request',
  uniques: [{ properties: ['branch', 'number'] }],
  indexes: [
    { properties: ['resident', 'createdAt'] },
    { properties: ['status', 'statusChangedAt'] },
    {
      name: 'service_request_open_accident',
      expression: `create index "service_request_open_accident" on "service_request" ("branch_id", "created_at") where "kind" = 'accident' and "status" not in ('refused', 'done', 'closed')`,
    },
  ],
  properties: {
    id: p.integer().primary(),
    branch: () => p.manyToOne(Branch).ref(),
    kind: p.enum([...REQUEST_KINDS]),
    /** What residents quote: «К-000045» (inspector), «П-000012» (commissioning), «А-000123» (accident); per branch. */
    number: p.string().length(16),
    status: p.enum([...REQUEST_STATUSES]).default('sent'),
    /** Who asked; null once they withdrew their consent (the request itself is the utility's record). */
    resident: () => p.manyToOne(Resident).ref().nullable().deleteRule('set null'),
    account: () => p.manyToOne(Account).ref().nullable(),
    /** The address as the resident or the account gave it, as text. */
    address: p.text().nullable(),
    /** A normalized address, to find an accident already reported at the same house. */
    addressKey: p.text().nullable(),
    latitude: p.decimal('number').precision(9).scale(6).nullable(),
    longitude: p.decimal('number').precision(9).scale(6).nullable(),
    contactPhone: p.string().length(20).nullable(),
    comment: p.text().nullable(),
    details: p.json<Record<string, unknown>>().default('{}'),
    /** A hash of what the resident wrote: the same text twice in a day is refused. */
    textHash: p.string().length(64).nullable(),
    /** When the utility must have done it by regulation (ПП 354, ПП 416, the branch's window). */
    deadlineAt: p.datetime(),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
    statusChangedAt: p.datetime(),
    /** 1 good, -1 bad; asked after «Выполнено». */
    rating: p.smallint().nullable(),
    /** The card in the operators' group, edited as the status moves. */
    cardChatId: p.bigint('number').nullable(),
    cardMessageId: p.integer().nullable(),
  },
});
export type ServiceRequest = InferEntity<typeof ServiceRequest>;

export const ACTOR_KINDS = ['resident', 'operator', 'system'] as const;

/** Every change of a request's status: who, when, with what comment. */
export const RequestEvent = defineEntity({
  name: 'RequestEvent',
  tableName: 'request_event',
  indexes: [{ properties: ['request', 'at'] }],
  properties: {
    id: p.integer().primary(),
    request: () => p.manyToOne(ServiceRequest).ref().deleteRule('cascade'),
    fromStatus: p.enum([...REQUEST_STATUSES]).nullable(),
    toStatus: p.enum([...REQUEST_STATUSES]),
    byKind: p.enum([...ACTOR_KINDS]),
    /** The operator's Telegram id, or the resident's channel id; null for the system. */
    byId: p.text().nullable(),
    comment: p.text().nullable(),
    at: p.datetime(),
  },
});
export type RequestEvent = InferEntity<typeof RequestEvent>;

export const ATTACHMENT_ROLES = ['photo', 'meter_passport', 'verification_certificate', 'answer'] as const;
export type AttachmentRole = (typeof ATTACHMENT_ROLES)[number];

/**
 * A photo or document the resident attached: from Telegram, its file id at once and the stored copy
 * when the job has fetched it; from the web pages, the stored file only (no Telegram file id).
 */
export const RequestAttachment = defineEntity({
  name: 'RequestAttachment',
  tableName: 'request_attachment',
  indexes: [{ properties: ['request'] }],
  properties: {
    id: p.integer().primary(),
    request: () => p.manyToOne(ServiceRequest).ref().deleteRule('cascade'),
    role: p.enum([...ATTACHMENT_ROLES]),
    /** For commissioning: which meter of the request (0-based) the document belongs to. */
    meterIndex: p.smallint().nullable(),
    telegramFileId: p.text().nullable(),
    telegramFileUniqueId: p.string().length(64).nullable(),
    /** The path under the file store, once copied; null while waiting or if refused. */
    storedPath: p.text().nullable(),
    mime: p.string().length(64).nullable(),
    size: p.integer().nullable(),
    /** How Telegram holds it: a photo (shown in an album) or a document (an image or PDF sent as a file). */
    media: p.enum(['photo', 'document']).default('photo'),
    /** Why the file store did not keep it (too big, another type): then it stays by its file id only. */
    refused: p.string().length(16).nullable(),
    /** When it was shown to the operators (with the card, or as a reply to it when it came later). */
    postedAt: p.datetime().nullable(),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
});
export type RequestAttachment = InferEntity<typeof RequestAttachment>;

/** A resident who confirmed an accident already reported («уже известно»): told of its statuses too. */
export const RequestFollower = defineEntity({
  name: 'RequestFollower',
  tableName: 'request_follower',
  uniques: [{ properties: ['request', 'resident'] }],
  indexes: [{ properties: ['resident'] }],
  properties: {
    id: p.integer().primary(),
    request: () => p.manyToOne(ServiceRequest).ref().deleteRule('cascade'),
    resident: () => p.manyToOne(Resident).ref().deleteRule('cascade'),
    joinedAt: p.datetime(),
  },
});
export type RequestFollower = InferEntity<typeof RequestFollower>;

/** The last number given per branch and kind. */
export const RequestCounter = defineEntity({
  name: 'RequestCounter',
  tableName: 'request_counter',
  properties: {
    branch: () => p.manyToOne(Branch).ref().primary(),
    kind: p.enum([...REQUEST_KINDS]).primary(),
    last: p.integer().default(0),
  },
});
export type RequestCounter = InferEntity<typeof RequestCounter>;

/** A forum topic of an operators' group the bot created, by what it is for («requests:accident»); made once. */
export const OperatorTopic = defineEntity({
  name: 'OperatorTopic',
  tableName: 'operator_topic',
  uniques: [{ properties: ['chatId', 'purpose'] }],
  properties: {
    id: p.integer().primary(),
    chatId: p.bigint('number'),
    purpose: p.string().length(64),
    /** Null while the instance that claimed the row creates the topic. */
    threadId: p.integer().nullable(),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
});
export type OperatorTopic = InferEntity<typeof OperatorTopic>;

export const NOTICE_STATES = ['pending', 'sending', 'sent', 'failed'] as const;
export const NOTICE_CHANNELS = ['telegram', 'email'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];
export type NoticeState = (typeof NOTICE_STATES)[number];

/**
 * The outbox of what the bot writes first: one row per (resident, kind, subject), so a notice is
 * made once whatever repeats; sent at most once (a claim whose outcome is unknown stays
 * `sending` and is not sent again).
 */
export const Notice = defineEntity({
  name: 'Notice',
  tableName: 'notice',
  uniques: [{ properties: ['resident', 'kind', 'subject'] }],
  indexes: [{ name: 'notice_pending', expression: `create index "notice_pending" on "notice" ("channel", "due_at", "id") where "state" = 'pending'` }],
  properties: {
    id: p.integer().primary(),
    resident: () => p.manyToOne(Resident).ref().deleteRule('cascade'),
    kind: p.string().length(32),
    /** What it is about and for which period, e.g. «event:123», «window:12:2026-12:open»: the unique key makes each once. */
    subject: p.string().length(64),
    payload: p.json<Record<string, unknown>>(),
    state: p.enum([...NOTICE_STATES]).default('pending'),
    createdAt: p.datetime(),
    /** Not sent before this moment (quiet hours 21:00–09:00 in `timezone`, a planned hour). */
    dueAt: p.datetime(),
    /** Not worth sending after it (a reminder of a window that has closed): dropped as `expired`. */
    expiresAt: p.datetime().nullable(),
    /** The branch's IANA timezone for the quiet hours; null: Europe/Moscow. */
    timezone: p.string().length(64).nullable(),
    /** Why a failed one was not sent: `blocked`, `refused`, `expired`, `unknown_kind`, `unreachable`, `unsubscribed`. */
    outcome: p.string().length(16).nullable(),
    /** `telegram` or `email`: each channel is claimed and paced on its own (NOTICE_CHANNELS). */
    channel: p.enum([...NOTICE_CHANNELS]).default('telegram'),
    /** How many times it was claimed (a letter the mail server refused is tried again, five times in all). */
    attempts: p.smallint().default(0),
    /** When it was last claimed: an operator's reply waits while the one before it is being sent. */
    claimedAt: p.datetime().nullable(),
    sentAt: p.datetime().nullable(),
  },
});
export type Notice = InferEntity<typeof Notice>;
