import { Migration } from '@mikro-orm/migrations';

/** The web pages' sessions, kept server-side so that they can be revoked (src/billing/web-sessions.ts). */
export class Migration20261201183100_web_sessions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "web_session" (
      "token_hash" varchar(64) primary key,
      "resident_id" int not null references "resident" ("id") on update cascade on delete cascade,
      "stage" varchar(8) not null,
      "created_at" timestamptz not null,
      "last_seen_at" timestamptz not null
    );`);
    this.addSql(`create index "web_session_resident_id_index" on "web_session" ("resident_id");`);
    this.addSql(`create index "web_session_last_seen_at_index" on "web_session" ("last_seen_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "web_session";`);
  }
}
