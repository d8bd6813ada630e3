import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePaymentString, paymentString } from '../src/pdf/payment-qr.ts';

const payee = {
  name: 'Филиал ГУП СК «Ставрополькрайводоканал» — «Ессентукский водоканал»',
  personalAcc: '40602810860100000011',
  bankName: 'Ставропольское отделение № 5230 ПАО Сбербанк',
  bic: '040702615',
  correspAcc: '30101810907020000615',
};

describe('payment string of ГОСТ Р 56042-2014', () => {
  it('starts with ST00012 and carries the required fields in order, then the optional ones', () => {
    const s = paymentString({
      ...payee,
      payeeInn: '2635040105',
      kpp: '262643001',
      sum: 23_705,
      purpose: 'Оплата за водоснабжение',
      persAcc: '002901800602302',
      period: '2026-10',
    });
    expect(s).toBe(
      'ST00012|Name=Филиал ГУП СК «Ставрополькрайводоканал» — «Ессентукский водоканал»|PersonalAcc=40602810860100000011' +
        '|BankName=Ставропольское отделение № 5230 ПАО Сбербанк|BIC=040702615|CorrespAcc=30101810907020000615' +
        '|PayeeINN=2635040105|KPP=262643001|Sum=23705|Purpose=Оплата за водоснабжение|PersAcc=002901800602302|PaymPeriod=102026',
    );
  });

  it('refuses incomplete bank details instead of printing a QR a bank would reject', () => {
    expect(() => paymentString({ ...payee, bic: '04070261' })).toThrow(/BIC/);
    expect(() => paymentString({ ...payee, personalAcc: '' })).toThrow(/PersonalAcc/);
    expect(() => paymentString({ ...payee, sum: 10.5 })).toThrow(/Sum/);
  });

  it('reads back every value, whatever text the names hold (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), fc.nat(10_000_000_00), (name, purpose, sum) => {
        fc.pre(name.replace(/[|\s]/g, '') !== '');
        const parsed = parsePaymentString(paymentString({ ...payee, name, purpose: purpose || undefined, sum }));
        expect(parsed.Name).toBe(
          name
            .replace(/[|\r\n]+/g, ' ')
            .replace(/\s+/g, ' ')
            .trim(),
        );
        expect(parsed.Sum).toBe(String(sum));
        expect(Object.values(parsed).join('')).not.toContain('|');
      }),
    );
  });
});
