// Runs in a worker thread of the receipt renderer (see renderer.ts): the fonts and translations are
// loaded once per thread, each call makes one PDF.
import type { ReceiptData } from '../billing/index.ts';
import { createTranslator } from '../i18n.ts';
import { receiptFile } from './receipt-file.ts';
import { reconciliationFile, type ReconciliationDoc } from './reconciliation-pdf.ts';

const translator = createTranslator();

export default async function render(task: { receipt: ReceiptData; language: string } | { reconciliation: ReconciliationDoc; language: string }) {
  if ('reconciliation' in task) {
    const made = await reconciliationFile(task.reconciliation, translator(task.language));
    return { ...made, pdf: new Uint8Array(made.pdf.buffer, made.pdf.byteOffset, made.pdf.byteLength) };
  }
  const file = await receiptFile(task.receipt, translator(task.language));
  return { filename: file.filename, monthName: file.monthName, pdf: new Uint8Array(file.pdf.buffer, file.pdf.byteOffset, file.pdf.byteLength) };
}
