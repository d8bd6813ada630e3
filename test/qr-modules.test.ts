import fc from 'fast-check';
import QRCode, { type QRCodeErrorCorrectionLevel } from 'qrcode';
import { describe, expect, it } from 'vitest';
import { paymentString } from '../src/pdf/payment-qr.ts';
import { darkRectangles, qrModules } from '../src/pdf/qr-modules.ts';

const qrcode = (text: string, level: QRCodeErrorCorrectionLevel) => {
  const { modules, maskPattern } = QRCode.create(text, { errorCorrectionLevel: level });
  return { size: modules.size, data: Buffer.from(modules.data), maskPattern };
};
const ours = (text: string, level: QRCodeErrorCorrectionLevel) => {
  const { size, data } = qrModules(text, level);
  return { size, data: Buffer.from(data) };
};

describe('qrModules: the symbol qrcode makes, faster', () => {
  it('is the same symbol, mask included, for payment strings', () => {
    const masks = new Set<unknown>();
    for (let sum = 0; sum < 400_000; sum += 13_331) {
      const text = paymentString({
        name: 'Филиал ГУП СК «Ставрополькрайводоканал» — «Ессентукский водоканал»',
        personalAcc: '40602810860100000011',
        bankName: 'Ставропольское отделение № 5230 ПАО Сбербанк',
        bic: '040702615',
        correspAcc: '30101810907020000615',
        payeeInn: '2635040105',
        kpp: '262643001',
        sum,
        purpose: 'Оплата за водоснабжение и водоотведение за октябрь 2026 г., л/с 002901800602302',
        persAcc: '002901800602302',
        period: '2026-10',
      });
      const { maskPattern, ...expected } = qrcode(text, 'M');
      masks.add(maskPattern);
      expect(ours(text, 'M')).toEqual(expected);
    }
    expect(masks.size).toBeGreaterThan(1); // the choice of mask was exercised, not just one answer
  });

  it('is the same symbol for any text and error correction level', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }),
        fc.constantFrom<QRCodeErrorCorrectionLevel>('L', 'M', 'Q', 'H'),
        (text, level) => {
          const { maskPattern: _, ...expected } = qrcode(text, level);
          expect(ours(text, level)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('darkRectangles', () => {
  it('covers exactly the dark modules, each once, with fewer rectangles than runs', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300 }), (text) => {
        const { size, data } = qrModules(text, 'M');
        const covered = new Uint8Array(size * size);
        const rects = darkRectangles(size, data);
        for (const [x, y, w, h] of rects) {
          for (let r = y; r < y + h; r++) for (let c = x; c < x + w; c++) covered[r * size + c]!++;
        }
        expect(Buffer.from(covered)).toEqual(Buffer.from(data));
      }),
      { numRuns: 50 },
    );
  });

  it('merges runs across and down', () => {
    // 1 1 0
    // 1 1 0
    // 0 1 1
    expect(darkRectangles(3, Uint8Array.from([1, 1, 0, 1, 1, 0, 0, 1, 1]))).toEqual([
      [0, 0, 2, 2],
      [1, 2, 2, 1],
    ]);
  });
});
