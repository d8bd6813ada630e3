import { Migration } from '@mikro-orm/migrations';

export class Migration20261122023432_residents extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "resident" ("id" serial primary key, "telegram_id" bigint not null, "language" varchar(8) not null default 'ru', "consent_version" varchar(32) not null, "consent_at" timestamptz not null, "active_account_id" int null, "blocked" boolean not null default false, "created_at" timestamptz not null default now());`,
    );
    this.addSql(`alter table "resident" add constraint "resident_telegram_id_unique" unique ("telegram_id");`);

    this.addSql(
      `create table "account_link" ("id" serial primary key, "resident_id" int not null, "account_id" int not null, "linked_at" timestamptz not null default now());`,
    );
    this.addSql(`alter table "account_link" add constraint "account_link_resident_id_account_id_unique" unique ("resident_id", "account_id");`);

    this.addSql(
      `alter table "resident" add constraint "resident_active_account_id_foreign" foreign key ("active_account_id") references "account" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "account_link" add constraint "account_link_resident_id_foreign" foreign key ("resident_id") references "resident" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "account_link" add constraint "account_link_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "account_link" drop constraint "account_link_resident_id_foreign";`);

    this.addSql(`drop table if exists "resident" cascade;`);

    this.addSql(`drop table if exists "account_link" cascade;`);
  }
}
