import { Migration } from '@mikro-orm/migrations';

/** The tables the billing import writes: a write to any of them by anyone else is noted. */
const BILLING_TABLES = [
  'branch',
  'inspector_call_reason',
  'damage_type',
  'tariff',
  'norm',
  'settlement',
  'street',
  'building',
  'premise',
  'account',
  'meter',
  'reading',
  'charge',
  'payment',
  'statement',
  'service_statement',
  'outage',
];

/**
 * What lets a re-import of the very export last imported end without reading a row
 * (src/billing/import/index.ts, «The same export again»):
 * - `import_run`: the last committed import, by the fingerprint of its files, the snapshot its
 *   transaction began with, and how many rows of each kind it read.
 * - `billing_write`: the transactions, other than an import, that wrote any table the import writes
 *   (a resident's reading and its charge, a paper-receipt choice, an operator's change): one row a
 *   transaction, noted by a statement-level trigger. One not visible in the last import's snapshot
 *   was made after that import began, so the database may no longer be what the files say.
 */
export class Migration20261202012000_import_runs extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "import_run" ("id" serial primary key, "fingerprint" text not null, "started" pg_snapshot not null,
      "read" jsonb not null, "finished_at" timestamptz not null default now());`);
    this.addSql(`create table "billing_write" ("xact" xid8 primary key);`);
    this.addSql(`create function note_billing_write() returns trigger language plpgsql as $fn$
begin
  if coalesce(current_setting('vodokanal.importing', true), '') <> 'on' then
    insert into billing_write (xact) values (pg_current_xact_id()) on conflict do nothing;
  end if;
  return null;
end
$fn$;`);
    for (const table of BILLING_TABLES) {
      this.addSql(
        `create trigger "${table}_billing_write" after insert or update or delete or truncate on "${table}" for each statement execute function note_billing_write();`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const table of BILLING_TABLES) this.addSql(`drop trigger "${table}_billing_write" on "${table}";`);
    this.addSql('drop function note_billing_write();');
    this.addSql('drop table "billing_write";');
    this.addSql('drop table "import_run";');
  }
}
