// npm run migrate: apply pending migrations to the configured database.
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { connectDatabase } from '../db/connect.ts';

const config = loadConfig();
const db = await connectDatabase(config, createLogger(config.logLevel));
process.stdout.write(`migrations are up to date in ${db.where}\n`);
await db.close();
