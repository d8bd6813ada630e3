import { Migration } from '@mikro-orm/migrations';

/**
 * The outbox for every kind of notice: when it may go (`due_at`: quiet hours, a planned hour),
 * until when it is worth sending (`expires_at`), in which timezone its quiet hours are kept (the
 * branch's), and why one was not sent (`outcome`). Residents' reminder opt-outs per account and kind.
 */
export class Migration20261201150938_reminders extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "notice" add column "due_at" timestamptz null, add column "expires_at" timestamptz null, add column "timezone" varchar(64) null, add column "outcome" varchar(16) null;`,
    );
    this.addSql(`update "notice" set "due_at" = "created_at";`);
    this.addSql(`alter table "notice" alter column "due_at" set not null;`);
    this.addSql(`drop index if exists "notice_pending";`);
    this.addSql(`create index "notice_pending" on "notice" ("due_at", "id") where "state" = 'pending';`);
    this.addSql(
      `create table "reminder_opt_out" ("id" serial primary key, "resident_id" int not null, "account_id" int not null, "kind" varchar(32) not null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(
      `alter table "reminder_opt_out" add constraint "reminder_opt_out_resident_id_account_id_kind_unique" unique ("resident_id", "account_id", "kind");`,
    );
    this.addSql(
      `alter table "reminder_opt_out" add constraint "reminder_opt_out_resident_id_foreign" foreign key ("resident_id") references "resident" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "reminder_opt_out" add constraint "reminder_opt_out_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`create index "account_link_account_id_index" on "account_link" ("account_id");`);
    // The planner's two reads over every account: the readings of one period, the meters near their verification date.
    this.addSql(`create index "reading_period_meter" on "reading" ("period", "meter_id") where "superseded_at" is null;`);
    this.addSql(`create index "meter_verification_due" on "meter" ("verification_due") where "status" = 'active';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "reminder_opt_out" cascade;`);
    this.addSql(`drop index if exists "account_link_account_id_index";`);
    this.addSql(`drop index if exists "reading_period_meter";`);
    this.addSql(`drop index if exists "meter_verification_due";`);
    this.addSql(`drop index if exists "notice_pending";`);
    this.addSql(`create index "notice_pending" on "notice" ("created_at") where "state" = 'pending';`);
    this.addSql(`alter table "notice" drop column "due_at", drop column "expires_at", drop column "timezone", drop column "outcome";`);
  }
}
