import PDFDocument from 'pdfkit';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import type { ReceiptData } from '../billing/index.ts';
import { day, m3, monthParts, rub } from '../format.ts';
import { paymentString } from './payment-qr.ts';
import { darkRectangles, qrModules } from './qr-modules.ts';
import { SharedFonts } from './shared-fonts.ts';

type T = (key: string, vars?: Record<string, string | number>) => string;

// A free TrueType font with Cyrillic and «₽»: pdfkit's built-in fonts have neither.
const fontsDir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
// Read and parsed once, by the first receipt, for all of them (see shared-fonts.ts).
let fonts: SharedFonts | undefined;
export const sharedFonts = () =>
  (fonts ??= new SharedFonts({
    regular: readFileSync(path.join(fontsDir, 'DejaVuSans.ttf')),
    bold: readFileSync(path.join(fontsDir, 'DejaVuSans-Bold.ttf')),
  }));

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 40;

/**
 * The receipt as an A4 PDF, dated the day it is made: payer, payee with bank details, services,
 * balance (an overpayment as such, the last payment), readings, norms, the payment QR code
 * (ГОСТ Р 56042-2014) for the amount to pay, and the utility's notice to check the figures.
 */
export async function renderReceiptPdf(
  r: ReceiptData,
  t: T,
  o: { monthName: string; addressLine: string; serviceName: (code: string) => string },
): Promise<Buffer> {
  const purpose = t('receipt-purpose', { month: o.monthName, number: r.payer.longNumber });
  // Drawn as vector rectangles rather than an embedded PNG: faster, smaller and sharp at any zoom.
  const qr =
    r.payee.account && r.payee.bic && r.payee.corrAccount && r.payee.bankName
      ? qrModules(
          paymentString({
            name: r.payee.name ?? '',
            personalAcc: r.payee.account,
            bankName: r.payee.bankName,
            bic: r.payee.bic,
            correspAcc: r.payee.corrAccount,
            payeeInn: r.payee.inn,
            kpp: r.payee.kpp,
            sum: r.toPay,
            purpose,
            persAcc: r.payer.longNumber,
            period: r.month,
          }),
          'M',
        )
      : null;

  // font: '' keeps pdfkit from loading its default Helvetica (parsing its AFM file) for a receipt that never uses it.
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, font: '', info: { Title: t('receipt-title', { month: o.monthName }) } });
  sharedFonts().install(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = A4.width - 2 * MARGIN;

  doc
    .font('bold')
    .fontSize(14)
    .text(t('receipt-heading', { month: o.monthName, date: day(r.issuedOn) }));
  doc.moveDown(0.5).font('regular').fontSize(9);
  doc.text(t('receipt-account', { number: r.payer.longNumber, short: r.payer.shortNumber }));
  doc.text(t('receipt-payer', { name: r.payer.fullName }));
  doc.text(t('receipt-address', { address: o.addressLine }));
  doc.text(t('receipt-residents', { residents: r.payer.residents, area: r.payer.area ? r.payer.area.replace('.', ',') : 'none' }));
  doc.moveDown(0.5);
  doc.font('bold').text(t('receipt-payee', { name: r.payee.name ?? '' }));
  doc.font('regular');
  if (r.payee.inn) doc.text(t('receipt-payee-ids', { inn: r.payee.inn, kpp: r.payee.kpp ?? '' }));
  if (r.payee.bankName) doc.text(t('receipt-bank', { bank: r.payee.bankName, bic: r.payee.bic ?? '' }));
  if (r.payee.account) doc.text(t('receipt-bank-accounts', { account: r.payee.account, corr: r.payee.corrAccount ?? '' }));
  doc.text(
    t('receipt-payee-contacts', { address: r.payee.address ?? '', phones: r.payee.phones ?? '', hours: r.payee.hours ?? '', email: r.payee.email ?? '' }),
  );

  // The services table.
  doc.moveDown(0.8);
  const cols = [0, 0.36, 0.52, 0.68, 0.84].map((f) => MARGIN + f * width);
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'bold' : 'regular');
    cells.forEach((c, i) => {
      doc.text(c, cols[i]!, y, { width: (i === 0 ? 0.36 : 0.16) * width - 4, align: i === 0 ? 'left' : 'right' });
    });
    doc.x = MARGIN;
    doc.moveDown(0.3);
  };
  row([t('receipt-col-service'), t('receipt-col-volume'), t('receipt-col-tariff'), t('receipt-col-charged'), t('receipt-col-recalc')], true);
  for (const l of r.lines) row([o.serviceName(l.service), m3(l.volume), rub(l.tariff), rub(l.charged), rub(l.recalculation)]);
  row([t('receipt-total-charged'), '', '', rub(r.charged - r.recalculation), rub(r.recalculation)], true);

  doc.moveDown(0.5).font('regular');
  doc.text(r.opening >= 0 ? t('receipt-opening-debt', { amount: rub(r.opening) }) : t('receipt-opening-advance', { amount: rub(r.opening) }));
  if (r.benefits) doc.text(t('receipt-benefits', { amount: rub(r.benefits) }));
  doc.text(t('receipt-paid', { amount: rub(r.paid) }));
  const last = r.lastPayment;
  if (!last) doc.text(t('receipt-no-payments'));
  else {
    const vars = { date: day(last.date), amount: rub(last.amount) };
    // A payment after the month is not in this document's figures: it says where it counts.
    const paidIn = last.date.slice(0, 7);
    doc.text(paidIn > r.month ? t('receipt-last-payment-later', { ...vars, month: t('receipt-month', monthParts(paidIn)) }) : t('receipt-last-payment', vars));
  }
  // The closing debt is the amount to pay, printed once; an overpayment is printed as such.
  if (r.overpayment) doc.font('bold').text(t('receipt-closing-advance', { amount: rub(r.overpayment) }));
  doc
    .moveDown(0.3)
    .font('bold')
    .fontSize(12)
    .text(t('receipt-to-pay', { amount: rub(r.toPay) }));
  if (r.overpayment) doc.font('regular').fontSize(9).text(t('receipt-advance-carried'));

  doc.moveDown(0.6).fontSize(9).font('bold').text(t('receipt-readings'));
  doc.font('regular');
  for (const x of r.readings) {
    const v = (n: number | null) => (n === null ? t('receipt-no-reading') : m3(n));
    doc.text(t('receipt-reading-row', { service: o.serviceName(x.service), serial: x.serial, previous: v(x.previous), current: v(x.current) }));
  }
  if (r.norms.length) {
    doc.moveDown(0.4).font('bold').text(t('receipt-norms'));
    doc.font('regular');
    for (const n of r.norms) doc.text(t('receipt-norm-row', { service: o.serviceName(n.service), volume: m3(n.perPerson), description: n.description }));
  }

  // The notice closes the page: the QR code above leaves room for it.
  const notice = t('receipt-check', { phones: r.payee.phones ?? 'none' });
  const noticeHeight = doc.fontSize(8).heightOfString(notice, { width });
  doc.fontSize(9);
  if (qr) {
    const size = 130;
    const y = Math.min(doc.y + 14, A4.height - MARGIN - size - 6 - noticeHeight);
    const quiet = 4; // modules of white border the standard asks for
    const cell = size / (qr.size + 2 * quiet);
    // Vector rectangles in module units, few of them (runs of dark modules merged across and
    // down): the same picture as a square per module, without seams between modules. They go in a
    // form XObject compressed here at zlib level 1: pdfkit would deflate them at the default
    // level, which on these ~20 KB of numbers takes longer than the rest of the document.
    const form = doc.ref({ Type: 'XObject', Subtype: 'Form', BBox: [0, 0, qr.size, qr.size], Filter: 'FlateDecode' });
    const ops = darkRectangles(qr.size, qr.data).map(([x, y, w, h]) => `${x} ${y} ${w} ${h} re`);
    form.end(deflateSync(`${ops.join('\n')}\nf`, { level: 1 }));
    (doc.page.xobjects as Record<string, unknown>).QR = form;
    doc
      .save()
      .translate(MARGIN + quiet * cell, y + quiet * cell)
      .scale(cell)
      .fillColor('black');
    doc.addContent('/QR Do').restore();
    doc.fontSize(8).text(t('receipt-qr'), MARGIN + size + 10, y + 10, { width: width - size - 10 });
    doc.text(purpose, { width: width - size - 10 });
    doc.x = MARGIN;
    doc.y = y + size + 6;
  }
  doc.fontSize(8).text(notice, MARGIN, undefined, { width });
  doc.end();
  return done;
}
