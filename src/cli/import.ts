// npm run import -- [--dry-run] <file or folder>...   (format: src/billing/import/FORMAT.md)
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { connectDatabase } from '../db/connect.ts';
import { importFiles, type ImportReport } from '../billing/import/index.ts';

function print(report: ImportReport) {
  const out = process.stdout;
  out.write(`files: ${report.files.map((f) => `${f.file} (${f.kind})`).join(', ') || 'none'}\n`);
  const rows = Object.entries(report.counts);
  if (rows.length) {
    out.write('kind              read  inserted   updated unchanged\n');
    for (const [kind, c] of rows) {
      out.write(
        `${kind.padEnd(16)} ${String(c.read).padStart(6)} ${String(c.inserted).padStart(9)} ${String(c.updated).padStart(9)} ${String(c.unchanged).padStart(9)}\n`,
      );
    }
  }
  for (const e of report.errors) out.write(`${e.file}:${e.line}: ${e.field}: ${e.reason}\n`);
  if (report.errorCount > report.errors.length) out.write(`… and ${report.errorCount - report.errors.length} more errors\n`);
  const verdict = report.sameExport
    ? 'the same files as the last import, and nothing written since: the database already holds them; no row was read'
    : report.committed
      ? 'imported: the changes are committed'
      : report.dryRun && report.errorCount === 0
        ? 'dry run: the file is valid; nothing was written'
        : `not imported: ${report.errorCount} error(s); the database is unchanged`;
  out.write(`${verdict} (${(report.elapsedMs / 1000).toFixed(1)} s)\n`);
}

function usage(problem?: string): never {
  if (problem) process.stderr.write(`${problem}\n`);
  process.stderr.write('usage: npm run import -- [--dry-run] <file.csv|file.jsonl|folder>...\n');
  process.exit(2);
}

async function main() {
  let parsed: { values: { 'dry-run'?: boolean }; positionals: string[] };
  try {
    // Strict: a mistyped option (--dryrun) stops here instead of importing for real.
    parsed = parseArgs({ args: process.argv.slice(2), allowPositionals: true, strict: true, options: { 'dry-run': { type: 'boolean' } } });
  } catch (e) {
    usage((e as Error).message);
  }
  const dryRun = parsed.values['dry-run'] === true;
  const inputs = parsed.positionals;
  if (inputs.length === 0) usage();
  const config = readConfig();
  const log = createLogger(config.logLevel);
  const db = await connectDatabase(config, log);
  try {
    const report = await importFiles(db.orm, inputs, { dryRun, pinKey: config.importPinKey });
    print(report);
    process.exitCode = report.errorCount > 0 ? 1 : 0;
  } finally {
    await db.close();
  }
}

await main();
