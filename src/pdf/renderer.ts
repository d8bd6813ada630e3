import { Piscina } from 'piscina';
import type { ReceiptData } from '../billing/index.ts';
import type { Translator } from '../i18n.ts';
import { receiptFile, type ReceiptFile } from './receipt-file.ts';
import { reconciliationFile, type ReconciliationDoc, type ReconciliationFile } from './reconciliation-pdf.ts';

/**
 * Makes receipt PDFs for the bot and the mail, in the resident's language (dated by the receipt's
 * `issuedOn`), and the reconciliation (seed 003) the same way.
 */
export interface ReceiptRenderer {
  render(receipt: ReceiptData, language: string): Promise<ReceiptFile>;
  reconciliation(doc: ReconciliationDoc, language: string): Promise<ReconciliationFile>;
  close(): Promise<void>;
}

const bufferOf = (pdf: Uint8Array) => Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);

/**
 * In worker threads (piscina): a PDF takes some tens of milliseconds of CPU, which would otherwise
 * hold up every other resident's update on the main thread.
 */
export function workerRenderer(o: { threads: number }): ReceiptRenderer {
  const pool = new Piscina({
    filename: new URL('./render-worker-entry.mjs', import.meta.url).href,
    minThreads: o.threads,
    maxThreads: o.threads,
    idleTimeout: Number.POSITIVE_INFINITY,
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

/** On the calling thread: tests, benchmarks and one-off tools. */
export function inlineRenderer(translator: Translator): ReceiptRenderer {
  return {
    render: (receipt, language) => receiptFile(receipt, translator(language)),
    reconciliation: (doc, language) => reconciliationFile(doc, translator(language)),
    close: async () => undefined,
  };
}
