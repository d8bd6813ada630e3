import { Migration } from '@mikro-orm/migrations';

/**
 * One outbox for everything sent first, by Telegram or by e-mail: a notice has its `channel`
 * (claimed per channel, each at its own pace), counts its `attempts` (a letter the mail server
 * refused is tried again, five times in all) and keeps when it was last claimed (`claimed_at`: the
 * operators' replies go in order). The monthly receipts move from `receipt_mailing` into the outbox
 * (kind `receipt_email`, subject `receipt:<account>:<YYYY-MM>`), with what was already sent or is
 * unknown, so no letter goes twice over the change. The operators' chat knows when the resident was
 * last there (`resident_seen_at`): a reply to one away goes through the outbox.
 */
export class Migration20261201183000_outbox_channels extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "notice" add column "channel" text check ("channel" in ('telegram', 'email')) not null default 'telegram', add column "attempts" smallint not null default 0, add column "claimed_at" timestamptz null;`,
    );
    this.addSql(`drop index if exists "notice_pending";`);
    this.addSql(`create index "notice_pending" on "notice" ("channel", "due_at", "id") where "state" = 'pending';`);
    this.addSql(`
      insert into notice (resident_id, kind, subject, payload, state, created_at, due_at, channel, attempts, outcome, sent_at)
      select l.resident_id, 'receipt_email', 'receipt:' || l.account_id || ':' || to_char(m.period, 'YYYY-MM'),
        jsonb_build_object('accountId', l.account_id, 'month', to_char(m.period, 'YYYY-MM')),
        case when m.state = 'failed' and m.attempts < 5 then 'pending' else m.state end,
        m.updated_at, m.updated_at + interval '10 minutes', 'email', m.attempts,
        case when m.state = 'failed' and m.attempts >= 5 then 'refused' end,
        case when m.state = 'sent' then m.updated_at end
      from receipt_mailing m
      join receipt_subscription s on s.id = m.subscription_id
      join account_link l on l.id = s.link_id
      on conflict (resident_id, kind, subject) do nothing;`);
    this.addSql(`drop table if exists "receipt_mailing" cascade;`);
    this.addSql(`alter table "operator_chat" add column "resident_seen_at" timestamptz null;`);
    this.addSql(`update "operator_chat" set "resident_seen_at" = "opened_at";`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `create table "receipt_mailing" ("id" serial primary key, "subscription_id" int not null, "period" date not null, "state" text check ("state" in ('sending', 'sent', 'failed')) not null, "attempts" smallint not null default 1, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "receipt_mailing" add constraint "receipt_mailing_subscription_id_period_unique" unique ("subscription_id", "period");`);
    this.addSql(
      `alter table "receipt_mailing" add constraint "receipt_mailing_subscription_id_foreign" foreign key ("subscription_id") references "receipt_subscription" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`delete from "notice" where "channel" = 'email';`);
    this.addSql(`drop index if exists "notice_pending";`);
    this.addSql(`create index "notice_pending" on "notice" ("due_at", "id") where "state" = 'pending';`);
    this.addSql(`alter table "notice" drop column "channel", drop column "attempts", drop column "claimed_at";`);
    this.addSql(`alter table "operator_chat" drop column "resident_seen_at";`);
  }
}
