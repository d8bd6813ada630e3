import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 14: the per-service month balance from the import («Детализация по услугам»), the
 * paper-receipt opt-out chosen in the bot, and the phone a resident shared.
 */
export class Migration20261201150854_portal extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "service_statement" ("id" serial primary key, "account_id" int not null, "service_id" int not null, "period" date not null, "opening" numeric(14,2) not null, "charged" numeric(14,2) not null, "recalculation" numeric(14,2) not null default 0, "benefits" numeric(14,2) not null default 0, "paid" numeric(14,2) not null, "closing" numeric(14,2) not null, constraint service_statement_balances check (closing = opening + charged - benefits - paid));`,
    );
    this.addSql(
      `alter table "service_statement" add constraint "service_statement_account_id_service_id_period_unique" unique ("account_id", "service_id", "period");`,
    );
    this.addSql(
      `alter table "service_statement" add constraint "service_statement_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "service_statement" add constraint "service_statement_service_id_foreign" foreign key ("service_id") references "service" ("id") on update cascade;`,
    );
    this.addSql(`alter table "account" add column "paper_opt_out_chosen" boolean null, add column "paper_opt_out_changed_at" timestamptz null;`);
    this.addSql(`alter table "resident" add column "phone" varchar(20) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "resident" drop column "phone";`);
    this.addSql(`alter table "account" drop column "paper_opt_out_chosen", drop column "paper_opt_out_changed_at";`);
    this.addSql(`drop table if exists "service_statement" cascade;`);
  }
}
