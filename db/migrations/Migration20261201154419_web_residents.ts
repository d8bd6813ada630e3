import { Migration } from '@mikro-orm/migrations';

/**
 * Residents of the web pages: a resident who signed up on the site has no Telegram id, and signs
 * in by a code sent to their e-mail, so one confirmed address belongs to one resident. Where two
 * residents had confirmed the same address before, the address stays with the one who confirmed
 * it first (the other's monthly letters stop; they may confirm another address).
 */
export class Migration20261201154419_web_residents extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "resident" alter column "telegram_id" drop not null;`);
    this.addSql(
      `delete from "receipt_subscription" s using "account_link" l, "resident" r
        where s.link_id = l.id and l.resident_id = r.id and r.email is not null
          and exists (select 1 from "resident" o where o.email = r.email and o.id < r.id);`,
    );
    this.addSql(`update "resident" r set "email" = null where exists (select 1 from "resident" o where o.email = r.email and o.id < r.id);`);
    this.addSql(`alter table "resident" add constraint "resident_email_unique" unique ("email");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "resident" drop constraint "resident_email_unique";`);
    this.addSql(`delete from "resident" where "telegram_id" is null;`);
    this.addSql(`alter table "resident" alter column "telegram_id" set not null;`);
  }
}
