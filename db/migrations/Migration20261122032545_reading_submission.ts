import { Migration } from '@mikro-orm/migrations';

export class Migration20261122032545_reading_submission extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "reading" add column "submission" varchar(64) null;`);
    this.addSql(`create unique index "reading_submission_unique" on "reading" ("meter_id", "submission") where "submission" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "reading_submission_unique";`);
    this.addSql(`alter table "reading" drop column "submission";`);
  }
}
