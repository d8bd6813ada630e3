// npm run reminders -- plan --on YYYY-MM-DD    what would be sent that day, by kind and branch; nothing sent
// npm run reminders -- send --on YYYY-MM-DD    plans them into the outbox and queues their delivery, as the scheduler does
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createBilling } from '../billing/index.ts';
import { readConfig } from '../config.ts';
import { connectDatabase } from '../db/connect.ts';
import { createJobRunner } from '../jobs/runner.ts';
import { createLogger } from '../logger.ts';

const USAGE = 'usage: npm run reminders -- plan|send [--on YYYY-MM-DD]\n';

function usage(problem?: string): never {
  if (problem) process.stderr.write(`${problem}\n`);
  process.stderr.write(USAGE);
  process.exit(2);
}

function readArgs(args: string[]) {
  let parsed: { values: { on?: string }; positionals: string[] };
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { on: { type: 'string' } } });
  } catch (e) {
    usage((e as Error).message);
  }
  const { values, positionals: words } = parsed;
  const on = values.on;
  if (words.length !== 1 || (words[0] !== 'plan' && words[0] !== 'send')) usage(words.length ? `no command ${words.join(' ')}` : undefined);
  if (on !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(on) || Number.isNaN(Date.parse(`${on}T00:00:00Z`)))) usage('--on must be a date: YYYY-MM-DD');
  return { command: words[0] as 'plan' | 'send', on };
}

async function main() {
  const { command, on } = readArgs(process.argv.slice(2));
  const config = readConfig();
  const log = createLogger(config.logLevel, pino.destination(2));
  const db = await connectDatabase(config, log);
  try {
    const billing = createBilling({ orm: db.orm });
    const started = Date.now();
    if (command === 'plan') {
      const r = await billing.reminders.plan({ ...(on ? { on } : {}), queue: false });
      if (!r.ok) {
        process.stderr.write(`not planned: ${JSON.stringify(r.error)}\n`);
        process.exitCode = 1;
        return;
      }
      const rows = r.value.counts!;
      process.stdout.write(`reminders due ${on ?? 'today (each branch in its timezone)'}: nothing is sent\n`);
      process.stdout.write(`${'kind'.padEnd(16)}${'branch'.padEnd(16)}${'due'.padStart(8)}${'not yet queued'.padStart(16)}\n`);
      for (const c of rows) process.stdout.write(`${c.kind.padEnd(16)}${c.branch.padEnd(16)}${String(c.due).padStart(8)}${String(c.new).padStart(16)}\n`);
      const total = rows.reduce((s, c) => s + c.due, 0);
      process.stdout.write(`total ${total} (${Date.now() - started} ms)\n`);
      return;
    }
    const r = await billing.reminders.plan({ ...(on ? { on } : {}), queue: true });
    if (!r.ok) {
      process.stderr.write(`not planned: ${JSON.stringify(r.error)}\n`);
      process.exitCode = 1;
      return;
    }
    const queued = r.value.queued!;
    log.info({ planned: queued, ms: Date.now() - started }, 'reminders: planned');
    // The delivery is the app's job (at the global pace, in quiet hours later): handed to the runner here.
    const runner = createJobRunner({ url: db.url, poolMax: 1, log });
    await runner.start({});
    await runner.jobs.send('notices.deliver', {});
    await runner.stop();
    process.stdout.write(`queued: reading window ${queued.reading_window}, verification ${queued.verification}; the running app delivers them\n`);
  } finally {
    await db.close();
  }
}

await main();
