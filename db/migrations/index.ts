// Every migration, in order. `npx mikro-orm migration:create` writes a new file here; add it to
// this list too: the list (not a folder scan) is what runs, so it works under any loader.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122015517_initial } from './Migration20261122015517_initial.ts';
import { Migration20261122023432_residents } from './Migration20261122023432_residents.ts';
import { Migration20261122032545_reading_submission } from './Migration20261122032545_reading_submission.ts';
import { Migration20261122033530_reading_photo } from './Migration20261122033530_reading_photo.ts';
import { Migration20261122043536_email } from './Migration20261122043536_email.ts';
import { Migration20261201130919_requests } from './Migration20261201130919_requests.ts';
import { Migration20261201131500_street_trigram } from './Migration20261201131500_street_trigram.ts';
import { Migration20261201150854_portal } from './Migration20261201150854_portal.ts';
import { Migration20261201150918_outages } from './Migration20261201150918_outages.ts';
import { Migration20261201150938_reminders } from './Migration20261201150938_reminders.ts';
import { Migration20261201150943_operator_chats } from './Migration20261201150943_operator_chats.ts';
import { Migration20261201153357_ownership_failures } from './Migration20261201153357_ownership_failures.ts';
import { Migration20261201154419_web_residents } from './Migration20261201154419_web_residents.ts';
import { Migration20261201170000_web_attachments } from './Migration20261201170000_web_attachments.ts';
import { Migration20261201183000_outbox_channels } from './Migration20261201183000_outbox_channels.ts';
import { Migration20261201183100_web_sessions } from './Migration20261201183100_web_sessions.ts';
import { Migration20261201183200_pin_fingerprint } from './Migration20261201183200_pin_fingerprint.ts';
import { Migration20261202010000_readings_functions } from './Migration20261202010000_readings_functions.ts';
import { Migration20261202012000_import_runs } from './Migration20261202012000_import_runs.ts';

export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122015517_initial', class: Migration20261122015517_initial },
  { name: 'Migration20261122023432_residents', class: Migration20261122023432_residents },
  { name: 'Migration20261122032545_reading_submission', class: Migration20261122032545_reading_submission },
  { name: 'Migration20261122033530_reading_photo', class: Migration20261122033530_reading_photo },
  { name: 'Migration20261122043536_email', class: Migration20261122043536_email },
  { name: 'Migration20261201130919_requests', class: Migration20261201130919_requests },
  { name: 'Migration20261201131500_street_trigram', class: Migration20261201131500_street_trigram },
  { name: 'Migration20261201150854_portal', class: Migration20261201150854_portal },
  { name: 'Migration20261201150918_outages', class: Migration20261201150918_outages },
  { name: 'Migration20261201150938_reminders', class: Migration20261201150938_reminders },
  { name: 'Migration20261201150943_operator_chats', class: Migration20261201150943_operator_chats },
  { name: 'Migration20261201153357_ownership_failures', class: Migration20261201153357_ownership_failures },
  { name: 'Migration20261201154419_web_residents', class: Migration20261201154419_web_residents },
  { name: 'Migration20261201170000_web_attachments', class: Migration20261201170000_web_attachments },
  { name: 'Migration20261201183000_outbox_channels', class: Migration20261201183000_outbox_channels },
  { name: 'Migration20261201183100_web_sessions', class: Migration20261201183100_web_sessions },
  { name: 'Migration20261201183200_pin_fingerprint', class: Migration20261201183200_pin_fingerprint },
  { name: 'Migration20261202010000_readings_functions', class: Migration20261202010000_readings_functions },
  { name: 'Migration20261202012000_import_runs', class: Migration20261202012000_import_runs },
];
