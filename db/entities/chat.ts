import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const CHAT_STATES = ['open', 'closed'] as const;
export type ChatState = (typeof CHAT_STATES)[number];

/**
 * A resident's conversation with the operators («💬 Оператор»): one per Telegram user, opened
 * again by the next «💬 Оператор». Kept also for a writer without consent (no Resident row): the
 * conversation cannot be served without knowing whose chat a topic answers. The forum topic is
 * an OperatorTopic of purpose `resident:<telegram id>`: made once per group, like the requests'.
 */
export const OperatorChat = defineEntity({
  name: 'OperatorChat',
  tableName: 'operator_chat',
  properties: {
    id: p.integer().primary(),
    telegramId: p.bigint('number').unique(),
    /** The operators' group that serves the resident's branch (or the one for all). */
    chatId: p.bigint('number'),
    /** The active account's branch when the conversation was opened; null: no account linked. */
    branchCode: p.string().length(32).nullable(),
    /** The Telegram first name as the card shows it, masked before it is kept («Ал***»). */
    maskedName: p.string().length(64).default(''),
    language: p.string().length(8).default('ru'),
    state: p.enum([...CHAT_STATES]).default('open'),
    /** Nothing the resident writes reaches the group; they get a polite fixed answer. */
    banned: p.boolean().default(false),
    /** The resident's mark after the last close: 1 👍, -1 👎. */
    rating: p.smallint().nullable(),
    /** The context card in the topic (its first message). */
    cardMessageId: p.integer().nullable(),
    /** When the resident was told to call because no topic could be made (once per conversation). */
    toldToCallAt: p.datetime().nullable(),
    /** When the resident was last told the queue into the group is long. */
    queueToldAt: p.datetime().nullable(),
    openedAt: p.datetime(),
    closedAt: p.datetime().nullable(),
    /** When the resident last opened, wrote, edited, closed or rated: present or away (AWAY_AFTER_MINUTES, src/billing/chats.ts). */
    residentSeenAt: p.datetime().nullable(),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
});
export type OperatorChat = InferEntity<typeof OperatorChat>;

export const RELAY_KINDS = ['copy', 'edit', 'note'] as const;
export const RELAY_STATES = ['pending', 'sent', 'failed'] as const;

/**
 * What goes between a resident's private chat and the topic, in arrival order per target chat
 * (the id): a message to copy, an edit to mirror, a note of the bot's own for the topic. Once
 * sent, a row is also the pair of message ids (source ↔ copy) that keeps replies and edits in
 * their thread on both sides.
 */
export const OperatorChatMessage = defineEntity({
  name: 'OperatorChatMessage',
  tableName: 'operator_chat_message',
  indexes: [
    {
      name: 'operator_chat_message_source',
      expression: `create unique index "operator_chat_message_source" on "operator_chat_message" ("from_chat_id", "from_message_id") where "kind" = 'copy'`,
    },
    {
      name: 'operator_chat_message_pending',
      expression: `create index "operator_chat_message_pending" on "operator_chat_message" ("to_chat_id", "id") where "state" = 'pending'`,
    },
    {
      name: 'operator_chat_message_sent',
      expression: `create index "operator_chat_message_sent" on "operator_chat_message" ("to_chat_id", "sent_at") where "sent_at" is not null`,
    },
    { name: 'operator_chat_message_target', properties: ['toChatId', 'toMessageId'] },
  ],
  properties: {
    id: p.bigint('number').primary(),
    conversation: () => p.manyToOne(OperatorChat).ref().deleteRule('cascade'),
    kind: p.enum([...RELAY_KINDS]),
    toChatId: p.bigint('number'),
    fromChatId: p.bigint('number').nullable(),
    fromMessageId: p.integer().nullable(),
    mediaGroupId: p.string().length(64).nullable(),
    /** copy: the source message's reply; edit: the new text or caption; note: its Fluent key and values. */
    payload: p.json<Record<string, unknown>>().default('{}'),
    state: p.enum([...RELAY_STATES]).default('pending'),
    toMessageId: p.integer().nullable(),
    createdAt: p.datetime(),
    sentAt: p.datetime().nullable(),
  },
});
export type OperatorChatMessage = InferEntity<typeof OperatorChatMessage>;
