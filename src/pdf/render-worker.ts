// Runs in a worker thread of the receipt renderer (see renderer.ts): the fonts and translations are
// loaded once per thread, each call makes one PDF.
import os from 'node:os';
import type { ReceiptData } from '../billing/index.ts';
import { createTranslator } from '../i18n.ts';
import { receiptFile } from './receipt-file.ts';
import { reconciliationFile, type ReconciliationDoc } from './reconciliation-pdf.ts';

const translator = createTranslator();

// No Telegram update waits for a PDF: the bot's receipt is a job, sent when made. Where the cores
// are busy (the month-end peak), residents' updates on the main thread go first; a PDF downloaded on
// the web pages then takes longer. On Linux a thread's nice value is its own, so this lowers this
// thread only (elsewhere it would lower the whole process: left alone). Never raised: a process
// started nicer than 10 stays as it is (raising it would need a privilege).
if (process.platform === 'linux') os.setPriority(Math.max(os.getPriority(), 10));

export default async function render(task: { receipt: ReceiptData; language: string } | { reconciliation: ReconciliationDoc; language: string }) {
  if ('reconciliation' in task) {
    const made = await reconciliationFile(task.reconciliation, translator(task.language));
    return { ...made, pdf: new Uint8Array(made.pdf.buffer, made.pdf.byteOffset, made.pdf.byteLength) };
  }
  const file = await receiptFile(task.receipt, translator(task.language));
  return { filename: file.filename, monthName: file.monthName, pdf: new Uint8Array(file.pdf.buffer, file.pdf.byteOffset, file.pdf.byteLength) };
}
