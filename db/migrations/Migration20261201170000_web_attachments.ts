import { Migration } from '@mikro-orm/migrations';

/**
 * A photo uploaded on the web pages is in the file store from the start and has no Telegram file
 * id: the card job sends it to the operators' group from the store. Each attachment has one or
 * the other (or both, once a Telegram file is copied).
 */
export class Migration20261201170000_web_attachments extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "request_attachment" alter column "telegram_file_id" drop not null, alter column "telegram_file_unique_id" drop not null;`);
    this.addSql(
      `alter table "request_attachment" add constraint "request_attachment_source_check" check ("telegram_file_id" is not null or "stored_path" is not null);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "request_attachment" drop constraint "request_attachment_source_check";`);
    this.addSql(`delete from "request_attachment" where "telegram_file_id" is null;`);
    this.addSql(`alter table "request_attachment" alter column "telegram_file_id" set not null, alter column "telegram_file_unique_id" set not null;`);
  }
}
