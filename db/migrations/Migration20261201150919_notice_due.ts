import { Migration } from '@mikro-orm/migrations';

/** A notice that is not to be sent before a time (a planned outage: the day before, 18:00 branch time). */
export class Migration20261201150919_notice_due extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "notice" add column "due_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "notice" drop column "due_at";`);
  }
}
