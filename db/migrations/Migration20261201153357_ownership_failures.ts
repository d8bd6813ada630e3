import { Migration } from '@mikro-orm/migrations';

/** The failed ownership checks, for limits that survive a Redis restart (src/billing/ownership-limits.ts). */
export class Migration20261201153357_ownership_failures extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "ownership_failure" (
      "id" bigserial primary key,
      "who" varchar(64) not null,
      "account_id" int null references "account" ("id") on update cascade on delete cascade,
      "at" timestamptz not null
    );`);
    this.addSql(`create index "ownership_failure_who_at_index" on "ownership_failure" ("who", "at");`);
    this.addSql(`create index "ownership_failure_account_id_at_index" on "ownership_failure" ("account_id", "at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "ownership_failure";`);
  }
}
