// Apart from renderer.ts, so that the app's main thread, which makes its PDFs in worker threads,
// never loads pdfkit, fontkit and qrcode (some 27 MB of RSS).
import type { Translator } from '../i18n.ts';
import { receiptFile } from './receipt-file.ts';
import { reconciliationFile } from './reconciliation-pdf.ts';
import type { ReceiptRenderer } from './renderer.ts';

/** On the calling thread: tests, benchmarks and one-off tools. */
export function inlineRenderer(translator: Translator): ReceiptRenderer {
  return {
    render: (receipt, language) => receiptFile(receipt, translator(language)),
    reconciliation: (doc, language) => reconciliationFile(doc, translator(language)),
    close: async () => undefined,
  };
}
