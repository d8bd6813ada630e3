import type { ReceiptData } from '../billing/index.ts';
import { monthParts } from '../format.ts';
import type { Translate } from '../i18n.ts';
import { addressLine } from '../words.ts';
import { renderReceiptPdf } from './receipt-pdf.ts';

export interface ReceiptFile {
  filename: string;
  pdf: Buffer;
  /** «октябрь 2026», in the language of the receipt. */
  monthName: string;
}

/** The receipt of a month as the file a resident gets: kvitanciya_<account>_<YYYY-MM>.pdf. */
export async function receiptFile(r: ReceiptData, t: Translate): Promise<ReceiptFile> {
  const monthName = t('receipt-month', monthParts(r.month));
  const pdf = await renderReceiptPdf(r, t, {
    monthName,
    addressLine: addressLine(t, r.payer.address),
    serviceName: (code) => t(`service-${code}`),
  });
  return { filename: `kvitanciya_${r.payer.longNumber}_${r.month}.pdf`, pdf, monthName };
}
