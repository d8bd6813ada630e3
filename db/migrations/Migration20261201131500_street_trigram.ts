import { Migration } from '@mikro-orm/migrations';
import { streetKey } from '../../src/billing/normalize.ts';

/**
 * A typo-tolerant street search (src/billing/accounts.ts searchStreets): pg_trgm and a trigram
 * index on the street's key; the keys are computed again, numerals now being digits
 * («Восьмого Марта» = «8 Марта»).
 */
export class Migration20261201131500_street_trigram extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create index if not exists "street_search_key_trgm" on "street" using gin ("search_key" gin_trgm_ops);`);
    const streets = (await this.execute(`select id, name from street`)) as { id: number; name: string }[];
    const changed = streets.map((s) => ({ id: s.id, key: streetKey(s.name) }));
    if (changed.length)
      await this.execute(
        `update street s set search_key = v.key from json_to_recordset(?::json) as v(id int, key text) where s.id = v.id and s.search_key <> v.key`,
        [JSON.stringify(changed)],
      );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "street_search_key_trgm";`);
  }
}
