import { Migration } from '@mikro-orm/migrations';

/** Outage notices (issue 12): the outages a branch announces. */
export class Migration20261201150918_outages extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "outage" ("id" serial primary key, "branch_id" int not null, "external_id" varchar(64) null, "kind" text check ("kind" in ('planned', 'emergency')) not null, "status" text check ("status" in ('announced', 'updated', 'resolved', 'cancelled')) not null default 'announced', "reason" text not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "expected_end_at" timestamptz not null, "streets" jsonb not null default '[]', "centre_latitude" numeric(9,6) null, "centre_longitude" numeric(9,6) null, "radius_km" numeric(6,2) null, "version" int not null default 1, "notified_version" int not null default 0, "by_kind" text check ("by_kind" in ('operator', 'import')) not null, "by_id" text null, "created_at" timestamptz not null, "changed_at" timestamptz not null);`,
    );
    this.addSql(`create index "outage_branch_id_status_index" on "outage" ("branch_id", "status");`);
    this.addSql(`alter table "outage" add constraint "outage_branch_id_external_id_unique" unique ("branch_id", "external_id");`);
    this.addSql(`alter table "outage" add constraint "outage_branch_id_foreign" foreign key ("branch_id") references "branch" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "outage" cascade;`);
  }
}
