import { Migration } from '@mikro-orm/migrations';

export class Migration20261122033530_reading_photo extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "reading" add column "photo_path" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "reading" drop column "photo_path";`);
  }
}
