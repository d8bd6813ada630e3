// npm run export -- readings --period YYYY-MM [--branch code] [--format csv|jsonl] [--out file]
// Writes the readings residents passed through the bot in the import's reading file (src/billing/import/FORMAT.md).
// npm run export -- paper-optout [--branch code] [--format csv|jsonl] [--out file]
// Writes the paper-receipt opt-outs chosen in the bot (src/billing/import/FORMAT.md, «paper_optout»).
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createBilling } from '../billing/index.ts';
import { paperOptOutCsv, paperOptOutJsonl, readingsCsv, readingsJsonl } from '../billing/export.ts';
import { csvKind } from '../billing/import/read.ts';
import { readConfig } from '../config.ts';
import { connectDatabase } from '../db/connect.ts';
import { createLogger } from '../logger.ts';

const USAGE =
  'usage: npm run export -- readings --period YYYY-MM [--branch code] [--format csv|jsonl] [--out file]\n' +
  '       npm run export -- paper-optout [--branch code] [--format csv|jsonl] [--out file]\n';

function usage(problem?: string): never {
  if (problem) process.stderr.write(`${problem}\n`);
  process.stderr.write(USAGE);
  process.exit(2);
}

function readArgs(args: string[]) {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(args);
  } catch (e) {
    usage((e as Error).message);
  }
  const { values: options, positionals: words } = parsed;
  const what = words[0];
  if (words.length !== 1 || (what !== 'readings' && what !== 'paper-optout')) usage(words.length ? `nothing to export called ${words.join(' ')}` : undefined);
  const period = options.period;
  if (what === 'readings' && (!period || !/^\d{4}-(0[1-9]|1[0-2])$/.test(period))) usage('--period must be a month: YYYY-MM');
  if (what === 'paper-optout' && period) usage('paper-optout takes no --period: it is the current choice of every account');
  const out = options.out;
  const format = options.format ?? (out && /\.(jsonl|ndjson)$/i.test(out) ? 'jsonl' : 'csv');
  if (format !== 'csv' && format !== 'jsonl') usage('--format is csv or jsonl');
  return { what, period, branch: options.branch, format, out };
}

const parseOptions = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { period: { type: 'string' }, branch: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  });

async function main() {
  const { what, period, branch, format, out } = readArgs(process.argv.slice(2));
  const config = readConfig();
  // The file may go to stdout: the log goes to stderr.
  const log = createLogger(config.logLevel, pino.destination(2));
  const db = await connectDatabase(config, log);
  try {
    const billing = createBilling({ orm: db.orm });
    if (what === 'paper-optout') {
      const p = await billing.receipts.exportPaperOptOut({ branch });
      if (!p.ok) {
        process.stderr.write(`not exported: ${JSON.stringify(p.error)}\n`);
        process.exitCode = 1;
        return;
      }
      const text = format === 'jsonl' ? paperOptOutJsonl(p.value.accounts) : paperOptOutCsv(p.value.accounts);
      if (!out) process.stdout.write(text);
      else {
        await writeFile(out, text);
        process.stderr.write(`${p.value.accounts.length} account(s) written to ${out}\n`);
      }
      return;
    }
    const r = await billing.readings.exportPeriod({ period: period!, branch });
    if (!r.ok) {
      process.stderr.write(`not exported: ${JSON.stringify(r.error)}\n`);
      process.exitCode = 1;
      return;
    }
    const text = format === 'jsonl' ? readingsJsonl(r.value.readings) : readingsCsv(r.value.readings);
    if (!out) {
      process.stdout.write(text);
    } else {
      await writeFile(out, text);
      if (format === 'csv' && (!/\.csv$/i.test(out) || csvKind(out) !== 'reading')) {
        process.stderr.write(`note: npm run import takes the kind from a CSV file's name; name it readings_${period}.csv to load it back\n`);
      }
      process.stderr.write(`${r.value.readings.length} reading(s) for ${period} written to ${out}\n`);
    }
  } finally {
    await db.close();
  }
}

await main();
