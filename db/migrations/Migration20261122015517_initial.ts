import { Migration } from '@mikro-orm/migrations';

export class Migration20261122015517_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "branch" ("id" serial primary key, "code" varchar(32) not null, "name" text not null, "timezone" varchar(64) not null default 'Europe/Moscow', "reading_day_from" smallint not null default 20, "reading_day_to" smallint not null default 25, "phones" text null, "address" text null, "hours" text null, "email" text null, "requires_pin" boolean not null default false, "payee_name" text null, "payee_inn" varchar(12) null, "payee_kpp" varchar(9) null, "bank_name" text null, "bank_bic" varchar(9) null, "bank_account" varchar(20) null, "bank_corr_account" varchar(20) null);`,
    );
    this.addSql(`alter table "branch" add constraint "branch_code_unique" unique ("code");`);

    this.addSql(
      `create table "damage_type" ("id" serial primary key, "code" varchar(32) not null, "name" text not null, "use_in_bot" boolean not null default true, "sort" smallint not null default 0);`,
    );
    this.addSql(`alter table "damage_type" add constraint "damage_type_code_unique" unique ("code");`);

    this.addSql(
      `create table "inspector_call_reason" ("id" serial primary key, "code" varchar(32) not null, "name" text not null, "use_in_bot" boolean not null default true, "sort" smallint not null default 0);`,
    );
    this.addSql(`alter table "inspector_call_reason" add constraint "inspector_call_reason_code_unique" unique ("code");`);

    this.addSql(
      `create table "service" ("id" serial primary key, "code" text check ("code" in ('cold_water', 'hot_water', 'sewerage')) not null, "name" text not null);`,
    );
    this.addSql(`alter table "service" add constraint "service_code_unique" unique ("code");`);

    this.addSql(
      `create table "norm" ("id" serial primary key, "branch_id" int not null, "code" varchar(32) not null, "service_id" int not null, "description" text not null, "per_person" numeric(14,3) not null);`,
    );
    this.addSql(`alter table "norm" add constraint "norm_branch_id_code_service_id_unique" unique ("branch_id", "code", "service_id");`);

    this.addSql(`create table "settlement" ("id" serial primary key, "branch_id" int not null, "name" text not null);`);
    this.addSql(`alter table "settlement" add constraint "settlement_branch_id_name_unique" unique ("branch_id", "name");`);

    this.addSql(`create table "street" ("id" serial primary key, "settlement_id" int not null, "name" text not null, "search_key" text not null);`);
    this.addSql(`create index "street_search_key_index" on "street" ("search_key");`);
    this.addSql(`alter table "street" add constraint "street_settlement_id_name_unique" unique ("settlement_id", "name");`);

    this.addSql(`create table "building" ("id" serial primary key, "street_id" int not null, "house" varchar(32) not null, "house_key" varchar(32) not null);`);
    this.addSql(`alter table "building" add constraint "building_street_id_house_key_unique" unique ("street_id", "house_key");`);

    this.addSql(
      `create table "premise" ("id" serial primary key, "building_id" int not null, "flat" varchar(16) null, "flat_prefix" varchar(16) null, "flat_key" varchar(40) not null default '');`,
    );
    this.addSql(`alter table "premise" add constraint "premise_building_id_flat_key_unique" unique ("building_id", "flat_key");`);

    this.addSql(
      `create table "account" ("id" serial primary key, "branch_id" int not null, "premise_id" int not null, "long_number" varchar(15) not null, "short_number" varchar(15) not null, "owner_full_name" text not null, "owner_surname_key" text not null, "residents" smallint not null default 0, "area" numeric(10,2) null, "phone" text null, "email" text null, "pin_hash" text null, "norm_code" varchar(32) null, "paper_receipt_opt_out" boolean not null default false, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`,
    );
    this.addSql(`alter table "account" add constraint "account_long_number_unique" unique ("long_number");`);
    this.addSql(`alter table "account" add constraint "account_branch_id_short_number_unique" unique ("branch_id", "short_number");`);
    this.addSql(`create index "account_premise_id_index" on "account" ("premise_id");`);

    this.addSql(
      `create table "statement" ("id" serial primary key, "account_id" int not null, "period" date not null, "opening" numeric(14,2) not null, "charged" numeric(14,2) not null, "recalculation" numeric(14,2) not null default 0, "volume" numeric(14,3) not null, "benefits" numeric(14,2) not null default 0, "paid" numeric(14,2) not null, "closing" numeric(14,2) not null, constraint statement_balances check (closing = opening + charged - benefits - paid));`,
    );
    this.addSql(`alter table "statement" add constraint "statement_account_id_period_unique" unique ("account_id", "period");`);

    this.addSql(
      `create table "payment" ("id" serial primary key, "account_id" int not null, "ref" varchar(64) not null, "kind" text not null, "received_on" date not null, "processed_on" date null, "amount" numeric(14,2) not null);`,
    );
    this.addSql(`create index "payment_account_id_received_on_index" on "payment" ("account_id", "received_on");`);
    this.addSql(`alter table "payment" add constraint "payment_account_id_ref_unique" unique ("account_id", "ref");`);

    this.addSql(
      `create table "meter" ("id" serial primary key, "account_id" int not null, "service_id" int not null, "serial" varchar(32) not null, "model" text null, "place" text null, "installed_on" date null, "verification_due" date null, "sealed_on" date null, "status" text check ("status" in ('active', 'disconnected')) not null default 'active', "digits_before" smallint not null default 5, "digits_after" smallint not null default 3);`,
    );
    this.addSql(`alter table "meter" add constraint "meter_account_id_serial_unique" unique ("account_id", "serial");`);

    this.addSql(
      `create table "reading" ("id" serial primary key, "meter_id" int not null, "value" numeric(14,3) not null, "taken_on" date not null, "recorded_at" timestamptz not null default now(), "source" text check ("source" in ('initial', 'receipt', 'portal', 'telegram', 'control', 'operator')) not null, "period" date not null, "sent_by" text null, "superseded_at" timestamptz null);`,
    );
    this.addSql(`create index "reading_meter_id_taken_on_index" on "reading" ("meter_id", "taken_on");`);
    this.addSql(`create unique index "reading_current_unique" on "reading" ("meter_id", "taken_on", "source") where "superseded_at" is null;`);

    this.addSql(
      `create table "charge" ("id" serial primary key, "account_id" int not null, "service_id" int not null, "period" date not null, "kind" text check ("kind" in ('accrual', 'recalculation')) not null default 'accrual', "volume" numeric(14,3) not null, "tariff" numeric(14,2) not null, "amount" numeric(14,2) not null, "recalc_from" date null, "recalc_to" date null);`,
    );
    this.addSql(`alter table "charge" add constraint "charge_account_id_service_id_period_kind_unique" unique ("account_id", "service_id", "period", "kind");`);

    this.addSql(
      `create table "tariff" ("id" serial primary key, "branch_id" int not null, "service_id" int not null, "valid_from" date not null, "price" numeric(14,2) not null);`,
    );
    this.addSql(`alter table "tariff" add constraint "tariff_branch_id_service_id_valid_from_unique" unique ("branch_id", "service_id", "valid_from");`);

    this.addSql(`alter table "norm" add constraint "norm_branch_id_foreign" foreign key ("branch_id") references "branch" ("id") on update cascade;`);
    this.addSql(`alter table "norm" add constraint "norm_service_id_foreign" foreign key ("service_id") references "service" ("id") on update cascade;`);

    this.addSql(
      `alter table "settlement" add constraint "settlement_branch_id_foreign" foreign key ("branch_id") references "branch" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "street" add constraint "street_settlement_id_foreign" foreign key ("settlement_id") references "settlement" ("id") on update cascade;`,
    );

    this.addSql(`alter table "building" add constraint "building_street_id_foreign" foreign key ("street_id") references "street" ("id") on update cascade;`);

    this.addSql(
      `alter table "premise" add constraint "premise_building_id_foreign" foreign key ("building_id") references "building" ("id") on update cascade;`,
    );

    this.addSql(`alter table "account" add constraint "account_branch_id_foreign" foreign key ("branch_id") references "branch" ("id") on update cascade;`);
    this.addSql(`alter table "account" add constraint "account_premise_id_foreign" foreign key ("premise_id") references "premise" ("id") on update cascade;`);

    this.addSql(
      `alter table "statement" add constraint "statement_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade;`,
    );

    this.addSql(`alter table "payment" add constraint "payment_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade;`);

    this.addSql(`alter table "meter" add constraint "meter_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade;`);
    this.addSql(`alter table "meter" add constraint "meter_service_id_foreign" foreign key ("service_id") references "service" ("id") on update cascade;`);

    this.addSql(`alter table "reading" add constraint "reading_meter_id_foreign" foreign key ("meter_id") references "meter" ("id") on update cascade;`);

    this.addSql(`alter table "charge" add constraint "charge_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade;`);
    this.addSql(`alter table "charge" add constraint "charge_service_id_foreign" foreign key ("service_id") references "service" ("id") on update cascade;`);

    this.addSql(`alter table "tariff" add constraint "tariff_branch_id_foreign" foreign key ("branch_id") references "branch" ("id") on update cascade;`);
    this.addSql(`alter table "tariff" add constraint "tariff_service_id_foreign" foreign key ("service_id") references "service" ("id") on update cascade;`);

    // The services are a fixed dictionary: billing files refer to them by code.
    this.addSql(
      `insert into "service" ("code", "name") values ('cold_water', 'Холодное водоснабжение'), ('hot_water', 'Горячее водоснабжение'), ('sewerage', 'Водоотведение');`,
    );
  }
}
