import { Migration } from '@mikro-orm/migrations';

/**
 * A keyed fingerprint of the account's PIN beside its hash (src/billing/pin.ts), so that the
 * import tells an unchanged PIN without running scrypt for it.
 */
export class Migration20261201183200_pin_fingerprint extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "account" add column "pin_fingerprint" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "account" drop column "pin_fingerprint";`);
  }
}
