import { Migration } from '@mikro-orm/migrations';

/**
 * Residents' conversations with operators (issue 11): the conversation, the messages relayed both
 * ways (a queue in arrival order and the pairs of message ids for replies and edits), and the
 * branch's working hours for the operators' answer.
 */
export class Migration20261201150943_operator_chats extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "branch" add column "work_days" varchar(7) not null default '12345', add column "work_hour_from" smallint not null default 8, add column "work_hour_to" smallint not null default 17;`,
    );
    this.addSql(`create table "operator_chat" (
      "id" serial primary key,
      "telegram_id" bigint not null,
      "chat_id" bigint not null,
      "branch_code" varchar(32) null,
      "masked_name" varchar(64) not null default '',
      "language" varchar(8) not null default 'ru',
      "state" varchar(16) not null default 'open',
      "banned" boolean not null default false,
      "rating" smallint null,
      "card_message_id" int null,
      "told_to_call_at" timestamptz null,
      "queue_told_at" timestamptz null,
      "opened_at" timestamptz not null,
      "closed_at" timestamptz null,
      "created_at" timestamptz not null default now());`);
    this.addSql(`alter table "operator_chat" add constraint "operator_chat_telegram_id_unique" unique ("telegram_id");`);
    this.addSql(`alter table "operator_chat" add constraint "operator_chat_state_check" check ("state" in ('open', 'closed'));`);
    this.addSql(`create table "operator_chat_message" (
      "id" bigserial primary key,
      "conversation_id" int not null references "operator_chat" ("id") on delete cascade,
      "kind" varchar(8) not null,
      "to_chat_id" bigint not null,
      "from_chat_id" bigint null,
      "from_message_id" int null,
      "media_group_id" varchar(64) null,
      "payload" jsonb not null default '{}',
      "state" varchar(8) not null default 'pending',
      "to_message_id" int null,
      "created_at" timestamptz not null,
      "sent_at" timestamptz null);`);
    this.addSql(`alter table "operator_chat_message" add constraint "operator_chat_message_kind_check" check ("kind" in ('copy', 'edit', 'note'));`);
    this.addSql(`alter table "operator_chat_message" add constraint "operator_chat_message_state_check" check ("state" in ('pending', 'sent', 'failed'));`);
    // One relay row per incoming message, whichever instance took the update.
    this.addSql(`create unique index "operator_chat_message_source" on "operator_chat_message" ("from_chat_id", "from_message_id") where "kind" = 'copy';`);
    this.addSql(`create index "operator_chat_message_pending" on "operator_chat_message" ("to_chat_id", "id") where "state" = 'pending';`);
    this.addSql(`create index "operator_chat_message_sent" on "operator_chat_message" ("to_chat_id", "sent_at") where "sent_at" is not null;`);
    this.addSql(`create index "operator_chat_message_target" on "operator_chat_message" ("to_chat_id", "to_message_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "operator_chat_message";`);
    this.addSql(`drop table if exists "operator_chat";`);
    this.addSql(`alter table "branch" drop column "work_days", drop column "work_hour_from", drop column "work_hour_to";`);
  }
}
