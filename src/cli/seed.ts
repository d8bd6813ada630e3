// npm run seed: demo data into an empty database (the configured one, or the embedded one).
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { connectDatabase } from '../db/connect.ts';
import { seedDemoIfEmpty } from '../db/demo.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);
const db = await connectDatabase(config, log);
try {
  const result = await seedDemoIfEmpty(db.orm);
  process.stdout.write(result ? `demo data loaded into ${db.where}: ${JSON.stringify(result)}\n` : `${db.where} already holds accounts: nothing was seeded\n`);
} finally {
  await db.close();
}
