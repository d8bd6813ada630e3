/**
 * The payment string of ГОСТ Р 56042-2014 that Russian bank apps read from a receipt's QR code:
 * «ST0001» + encoding «2» (UTF-8), then «|Key=Value» pairs. The first five keys are required.
 */
export interface PaymentDetails {
  /** Payee name (Name). */
  name: string;
  /** Payee's settlement account, 20 digits (PersonalAcc). */
  personalAcc: string;
  bankName: string;
  /** 9 digits. */
  bic: string;
  /** Correspondent account, 20 digits (CorrespAcc). */
  correspAcc: string;
  payeeInn?: string | null;
  kpp?: string | null;
  /** Kopecks. */
  sum?: number;
  purpose?: string;
  /** The payer's personal account number (PersAcc). */
  persAcc?: string;
  /** 'YYYY-MM' → PaymPeriod=MMYYYY. */
  period?: string;
  payerAddress?: string;
}

export class PaymentDetailsError extends Error {}

/** «|» separates fields, so it cannot appear in a value; line breaks are folded too. */
const clean = (value: string) =>
  value
    .replace(/[|\r\n]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

export function paymentString(d: PaymentDetails): string {
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new PaymentDetailsError(`payment QR: ${what}`);
  };
  check(clean(d.name).length > 0, 'Name is required');
  check(/^\d{20}$/.test(d.personalAcc), 'PersonalAcc must be 20 digits');
  check(clean(d.bankName).length > 0, 'BankName is required');
  check(/^\d{9}$/.test(d.bic), 'BIC must be 9 digits');
  check(/^\d{20}$/.test(d.correspAcc), 'CorrespAcc must be 20 digits');
  const fields: [string, string][] = [
    ['Name', clean(d.name)],
    ['PersonalAcc', d.personalAcc],
    ['BankName', clean(d.bankName)],
    ['BIC', d.bic],
    ['CorrespAcc', d.correspAcc],
  ];
  if (d.payeeInn) fields.push(['PayeeINN', d.payeeInn]);
  if (d.kpp) fields.push(['KPP', d.kpp]);
  if (d.sum !== undefined) {
    check(Number.isSafeInteger(d.sum) && d.sum >= 0, 'Sum must be whole kopecks');
    fields.push(['Sum', String(d.sum)]);
  }
  if (d.purpose) fields.push(['Purpose', clean(d.purpose)]);
  if (d.persAcc) fields.push(['PersAcc', d.persAcc]);
  if (d.period) {
    const [y, m] = d.period.split('-');
    fields.push(['PaymPeriod', `${m}${y}`]);
  }
  if (d.payerAddress) fields.push(['PayerAddress', clean(d.payerAddress)]);
  return `ST00012|${fields.map(([k, v]) => `${k}=${v}`).join('|')}`;
}

/** The pairs of a payment string, for checking what a bank app would read. */
export function parsePaymentString(text: string): Record<string, string> {
  const [header, ...pairs] = text.split('|');
  if (header !== 'ST00012') throw new PaymentDetailsError('not a GOST R 56042 UTF-8 payment string');
  return Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}
