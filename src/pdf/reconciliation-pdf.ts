import PDFDocument from 'pdfkit';
import type { Reconciliation } from '../billing/index.ts';
import { addDays, monthStart, nextMonthStart } from '../billing/calendar.ts';
import { day, monthParts, rub } from '../format.ts';
import type { Translate } from '../i18n.ts';
import { sharedFonts } from './receipt-pdf.ts';

/** What the reconciliation document prints: the service's table with the account it is about. */
export interface ReconciliationDoc {
  reconciliation: Reconciliation;
  longNumber: string;
  /** The address as a resident reads it. */
  address: string;
  /** The day it is made, 'YYYY-MM-DD' (the branch's today). */
  issuedOn: string;
}

export interface ReconciliationFile {
  filename: string;
  pdf: Buffer;
  /** `receipt-month` of the first and the last month, in the language of the document. */
  fromName: string;
  toName: string;
}

const A4 = { width: 595.28 };
const MARGIN = 40;

/** A balance in words: `detail-debt`, `detail-overpaid`, or 0,00. */
const balanceWord = (t: Translate, kopecks: number) =>
  kopecks > 0 ? t('detail-debt', { amount: rub(kopecks) }) : kopecks < 0 ? t('detail-overpaid', { amount: rub(kopecks) }) : rub(0);
const signed = (kopecks: number) => `${kopecks < 0 ? '−' : ''}${rub(kopecks)}`;

/**
 * The reconciliation (seed 003) as an A4 PDF: the account, the period, the opening balance,
 * a row per month (charged, recalculation, benefits, paid), the totals and the closing balance.
 */
export async function reconciliationFile(d: ReconciliationDoc, t: Translate): Promise<ReconciliationFile> {
  const r = d.reconciliation;
  const first = r.months[0]!.month;
  const last = r.months.at(-1)!.month;
  const fromName = t('receipt-month', monthParts(first));
  const toName = t('receipt-month', monthParts(last));
  const title = t('recon-title', { from: fromName, to: toName, number: d.longNumber });
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, font: '', info: { Title: title } });
  sharedFonts().install(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = A4.width - 2 * MARGIN;

  doc.font('bold').fontSize(13).text(title);
  doc.moveDown(0.4).font('regular').fontSize(9);
  doc.text(t('receipt-address', { address: d.address }));
  doc.text(t('recon-issued', { date: day(d.issuedOn) }));
  doc.moveDown(0.6);
  doc.text(t('recon-opening', { date: day(monthStart(first)), amount: balanceWord(t, r.opening) }));
  doc.moveDown(0.5);

  const cols = [0, 0.28, 0.46, 0.64, 0.82].map((f) => MARGIN + f * width);
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'bold' : 'regular');
    cells.forEach((c, i) => {
      doc.text(c, cols[i]!, y, { width: (i === 0 ? 0.28 : 0.18) * width - 4, align: i === 0 ? 'left' : 'right' });
    });
    doc.x = MARGIN;
    doc.moveDown(0.3);
  };
  row([t('recon-col-month'), t('recon-col-charged'), t('recon-col-recalc'), t('recon-col-benefits'), t('recon-col-paid')], true);
  for (const m of r.months) row([t('month-name', monthParts(m.month)), rub(m.charged), signed(m.recalculation), rub(m.benefits), rub(m.paid)]);
  row([t('recon-col-total'), rub(r.charged), signed(r.recalculation), rub(r.benefits), rub(r.paid)], true);

  doc
    .moveDown(0.5)
    .font('bold')
    .text(t('recon-closing', { date: day(addDays(nextMonthStart(last), -1)), amount: balanceWord(t, r.closing) }));
  doc.end();
  return { filename: `sverka_${d.longNumber}_${first}_${last}.pdf`, pdf: await done, fromName, toName };
}
