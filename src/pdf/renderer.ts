import { Piscina } from 'piscina';
import type { ReceiptData } from '../billing/index.ts';
import type { Translator } from '../i18n.ts';
import { receiptFile, type ReceiptFile } from './receipt-file.ts';

/** Makes receipt PDFs for the bot and the mail, in the resident's language (dated by the receipt's `issuedOn`). */
export interface ReceiptRenderer {
  render(receipt: ReceiptData, language: string): Promise<ReceiptFile>;
  close(): Promise<void>;
}

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
      return { filename: made.filename, monthName: made.monthName, pdf: Buffer.from(made.pdf.buffer, made.pdf.byteOffset, made.pdf.byteLength) };
    },
    close: () => pool.close(),
  };
}

/** On the calling thread: tests, benchmarks and one-off tools. */
export function inlineRenderer(translator: Translator): ReceiptRenderer {
  return {
    render: (receipt, language) => receiptFile(receipt, translator(language)),
    close: async () => undefined,
  };
}
