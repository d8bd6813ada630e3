import { Piscina } from 'piscina';
import type { ReceiptData } from '../billing/index.ts';
import type { ReceiptFile } from './receipt-file.ts';
import type { ReconciliationDoc, ReconciliationFile } from './reconciliation-pdf.ts';

/**
 * Makes receipt PDFs for the bot and the mail, in the resident's language (dated by the receipt's
 * `issuedOn`), and the reconciliation (seed 003) the same way.
 */
export interface ReceiptRenderer {
  render(receipt: ReceiptData, language: string): Promise<ReceiptFile>;
  reconciliation(doc: ReconciliationDoc, language: string): Promise<ReconciliationFile>;
  close(): Promise<void>;
}

/** Set by the build (src/cli/build.mjs) to dist/'s URL: there the worker is plain JavaScript. */
declare const BUILT_WORKERS: string | undefined;
/** The worker's module: the built one beside the bundle, or under tsx the entry that registers tsx in the thread. */
const workerModule = typeof BUILT_WORKERS === 'string' ? new URL('render-worker.mjs', BUILT_WORKERS) : new URL('./render-worker-entry.mjs', import.meta.url);

const bufferOf = (pdf: Uint8Array) => Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);

/**
 * In worker threads (piscina): a PDF takes some tens of milliseconds of CPU, which would otherwise
 * hold up every other resident's update on the main thread. The threads start with the first PDF
 * asked for and leave after `idleMs` without one (5 minutes by default): a thread holds some tens of
 * MB (its own V8 heap, pdfkit, the fonts; npm run bench:embedded-memory), one per spare core, and
 * most hours no PDF is asked for. The first PDF after a quiet spell waits for a thread to start: the
 * web's charges PDF took 0.7–0.95 s, the next 0.1 s, in the build `npm start` runs (2026-12-03).
 */
export function workerRenderer(o: { threads: number; idleMs?: number }): ReceiptRenderer {
  const pool = new Piscina({
    filename: workerModule.href,
    minThreads: 0,
    maxThreads: o.threads,
    idleTimeout: o.idleMs ?? 5 * 60_000,
  });
  return {
    async render(receipt, language) {
      const made = (await pool.run({ receipt, language })) as { filename: string; monthName: string; pdf: Uint8Array };
      return { filename: made.filename, monthName: made.monthName, pdf: bufferOf(made.pdf) };
    },
    async reconciliation(doc, language) {
      const made = (await pool.run({ reconciliation: doc, language })) as Omit<ReconciliationFile, 'pdf'> & { pdf: Uint8Array };
      return { ...made, pdf: bufferOf(made.pdf) };
    },
    close: () => pool.close(),
  };
}
