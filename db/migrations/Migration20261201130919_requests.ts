import { Migration } from '@mikro-orm/migrations';

export class Migration20261201130919_requests extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "operator_topic" ("id" serial primary key, "chat_id" bigint not null, "purpose" varchar(64) not null, "thread_id" int null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(`alter table "operator_topic" add constraint "operator_topic_chat_id_purpose_unique" unique ("chat_id", "purpose");`);

    this.addSql(
      `create table "request_counter" ("branch_id" int not null, "kind" text check ("kind" in ('inspector', 'commissioning', 'accident')) not null, "last" int not null default 0, constraint "request_counter_pkey" primary key ("branch_id", "kind"));`,
    );

    this.addSql(
      `create table "service_request" ("id" serial primary key, "branch_id" int not null, "kind" text check ("kind" in ('inspector', 'commissioning', 'accident')) not null, "number" varchar(16) not null, "status" text check ("status" in ('sent', 'accepted', 'in_work', 'needs_info', 'refused', 'done', 'closed')) not null default 'sent', "resident_id" int null, "account_id" int null, "address" text null, "address_key" text null, "latitude" numeric(9,6) null, "longitude" numeric(9,6) null, "contact_phone" varchar(20) null, "comment" text null, "details" jsonb not null default '{}', "text_hash" varchar(64) null, "deadline_at" timestamptz not null, "created_at" timestamptz not null default now(), "status_changed_at" timestamptz not null, "rating" smallint null, "card_chat_id" bigint null, "card_message_id" int null);`,
    );
    this.addSql(`create index "service_request_resident_id_created_at_index" on "service_request" ("resident_id", "created_at");`);
    this.addSql(`create index "service_request_status_status_changed_at_index" on "service_request" ("status", "status_changed_at");`);
    this.addSql(
      `create index "service_request_open_accident" on "service_request" ("branch_id", "created_at") where "kind" = 'accident' and "status" not in ('refused', 'done', 'closed');`,
    );
    this.addSql(`alter table "service_request" add constraint "service_request_branch_id_number_unique" unique ("branch_id", "number");`);

    this.addSql(
      `create table "request_event" ("id" serial primary key, "request_id" int not null, "from_status" text check ("from_status" in ('sent', 'accepted', 'in_work', 'needs_info', 'refused', 'done', 'closed')) null, "to_status" text check ("to_status" in ('sent', 'accepted', 'in_work', 'needs_info', 'refused', 'done', 'closed')) not null, "by_kind" text check ("by_kind" in ('resident', 'operator', 'system')) not null, "by_id" text null, "comment" text null, "at" timestamptz not null);`,
    );
    this.addSql(`create index "request_event_request_id_at_index" on "request_event" ("request_id", "at");`);

    this.addSql(
      `create table "request_attachment" ("id" serial primary key, "request_id" int not null, "role" text check ("role" in ('photo', 'meter_passport', 'verification_certificate', 'answer')) not null, "meter_index" smallint null, "telegram_file_id" text not null, "telegram_file_unique_id" varchar(64) not null, "stored_path" text null, "mime" varchar(64) null, "size" int null, "media" text check ("media" in ('photo', 'document')) not null default 'photo', "refused" varchar(16) null, "posted_at" timestamptz null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "request_attachment_request_id_index" on "request_attachment" ("request_id");`);

    this.addSql(
      `create table "request_follower" ("id" serial primary key, "request_id" int not null, "resident_id" int not null, "joined_at" timestamptz not null);`,
    );
    this.addSql(`create index "request_follower_resident_id_index" on "request_follower" ("resident_id");`);
    this.addSql(`alter table "request_follower" add constraint "request_follower_request_id_resident_id_unique" unique ("request_id", "resident_id");`);

    this.addSql(
      `create table "notice" ("id" serial primary key, "resident_id" int not null, "kind" varchar(32) not null, "subject" varchar(64) not null, "payload" jsonb not null, "state" text check ("state" in ('pending', 'sending', 'sent', 'failed')) not null default 'pending', "created_at" timestamptz not null, "sent_at" timestamptz null);`,
    );
    this.addSql(`create index "notice_pending" on "notice" ("created_at") where "state" = 'pending';`);
    this.addSql(`alter table "notice" add constraint "notice_resident_id_kind_subject_unique" unique ("resident_id", "kind", "subject");`);

    this.addSql(
      `alter table "request_counter" add constraint "request_counter_branch_id_foreign" foreign key ("branch_id") references "branch" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "service_request" add constraint "service_request_branch_id_foreign" foreign key ("branch_id") references "branch" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "service_request" add constraint "service_request_resident_id_foreign" foreign key ("resident_id") references "resident" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "service_request" add constraint "service_request_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "request_event" add constraint "request_event_request_id_foreign" foreign key ("request_id") references "service_request" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "request_attachment" add constraint "request_attachment_request_id_foreign" foreign key ("request_id") references "service_request" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "request_follower" add constraint "request_follower_request_id_foreign" foreign key ("request_id") references "service_request" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "request_follower" add constraint "request_follower_resident_id_foreign" foreign key ("resident_id") references "resident" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "notice" add constraint "notice_resident_id_foreign" foreign key ("resident_id") references "resident" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "branch" add column "dispatcher_phone" text null, add column "visit_days" varchar(7) not null default '12345', add column "visit_hour_from" smallint not null default 8, add column "visit_hour_to" smallint not null default 17, add column "visit_within_days" smallint not null default 15, add column "days_off" text null, add column "operators_chat_id" bigint null, add column "area_latitude" numeric(9,6) null, add column "area_longitude" numeric(9,6) null, add column "area_radius_km" smallint null;`,
    );

    this.addSql(`alter table "inspector_call_reason" add column "meter_issue" text check ("meter_issue" in ('verification_expired', 'below_previous')) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "request_event" drop constraint "request_event_request_id_foreign";`);

    this.addSql(`alter table "request_attachment" drop constraint "request_attachment_request_id_foreign";`);

    this.addSql(`alter table "request_follower" drop constraint "request_follower_request_id_foreign";`);

    this.addSql(`drop table if exists "operator_topic" cascade;`);

    this.addSql(`drop table if exists "request_counter" cascade;`);

    this.addSql(`drop table if exists "service_request" cascade;`);

    this.addSql(`drop table if exists "request_event" cascade;`);

    this.addSql(`drop table if exists "request_attachment" cascade;`);

    this.addSql(`drop table if exists "request_follower" cascade;`);

    this.addSql(`drop table if exists "notice" cascade;`);

    this.addSql(
      `alter table "branch" drop column "dispatcher_phone", drop column "visit_days", drop column "visit_hour_from", drop column "visit_hour_to", drop column "visit_within_days", drop column "days_off", drop column "operators_chat_id", drop column "area_latitude", drop column "area_longitude", drop column "area_radius_km";`,
    );

    this.addSql(`alter table "inspector_call_reason" drop column "meter_issue";`);
  }
}
