import { Migration } from '@mikro-orm/migrations';

export class Migration20261122043536_email extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "email_confirmation" ("id" serial primary key, "resident_id" int not null, "address" varchar(254) not null, "code_hash" varchar(64) not null, "expires_at" timestamptz not null, "attempts" smallint not null default 0, "codes_sent" smallint not null default 1, "window_started_at" timestamptz not null);`,
    );
    this.addSql(`alter table "email_confirmation" add constraint "email_confirmation_resident_id_unique" unique ("resident_id");`);

    this.addSql(
      `create table "receipt_subscription" ("id" serial primary key, "link_id" int not null, "token" varchar(43) not null, "since_month" date null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(`alter table "receipt_subscription" add constraint "receipt_subscription_link_id_unique" unique ("link_id");`);
    this.addSql(`alter table "receipt_subscription" add constraint "receipt_subscription_token_unique" unique ("token");`);

    this.addSql(
      `create table "receipt_mailing" ("id" serial primary key, "subscription_id" int not null, "period" date not null, "state" text check ("state" in ('sending', 'sent', 'failed')) not null, "attempts" smallint not null default 1, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "receipt_mailing" add constraint "receipt_mailing_subscription_id_period_unique" unique ("subscription_id", "period");`);

    this.addSql(
      `alter table "email_confirmation" add constraint "email_confirmation_resident_id_foreign" foreign key ("resident_id") references "resident" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "receipt_subscription" add constraint "receipt_subscription_link_id_foreign" foreign key ("link_id") references "account_link" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "receipt_mailing" add constraint "receipt_mailing_subscription_id_foreign" foreign key ("subscription_id") references "receipt_subscription" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "resident" add column "email" varchar(254) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "receipt_mailing" drop constraint "receipt_mailing_subscription_id_foreign";`);

    this.addSql(`drop table if exists "email_confirmation" cascade;`);

    this.addSql(`drop table if exists "receipt_subscription" cascade;`);

    this.addSql(`drop table if exists "receipt_mailing" cascade;`);

    this.addSql(`alter table "resident" drop column "email";`);
  }
}
