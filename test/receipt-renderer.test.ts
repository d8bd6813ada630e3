import { readdirSync, readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiptData, Reconciliation } from '../src/billing/index.ts';
import { createTranslator } from '../src/i18n.ts';
import { inlineRenderer } from '../src/pdf/inline-renderer.ts';
import { workerRenderer, type ReceiptRenderer } from '../src/pdf/renderer.ts';
import type { TestDatabase } from './support/db.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import { STAFF } from './support/fixture.ts';

let db: TestDatabase;
let receipt: ReceiptData;
let pool: ReceiptRenderer;
let reconciliation: Reconciliation;
const inline = inlineRenderer(createTranslator());

beforeAll(async () => {
  const fixture = await openFixtureBilling();
  db = fixture.db;
  const r = await fixture.billing.receipts.forMonth({ actor: STAFF, accountId: await fixture.accountId('002901800602302'), month: '2026-10' });
  if (!r.ok) throw new Error(r.error.code);
  receipt = r.value;
  const recon = await fixture.billing.balance.reconciliation({
    actor: STAFF,
    accountId: await fixture.accountId('002901800602302'),
    from: '2026-08',
    to: '2026-10',
  });
  if (!recon.ok) throw new Error(recon.error.code);
  reconciliation = recon.value;
  pool = workerRenderer({ threads: 1 });
});
afterAll(async () => {
  await pool.close();
  await db.drop();
});

const textOf = async (pdf: Buffer) => {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  return (await (await doc.getPage(1)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
};

describe('the receipt renderer in worker threads', () => {
  it('makes the same receipt as on the main thread, in either language', async () => {
    for (const language of ['ru', 'en']) {
      const [fromPool, fromHere] = await Promise.all([pool.render(receipt, language), inline.render(receipt, language)]);
      expect(Buffer.isBuffer(fromPool.pdf)).toBe(true);
      expect(fromPool.pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect({ filename: fromPool.filename, monthName: fromPool.monthName }).toEqual({ filename: fromHere.filename, monthName: fromHere.monthName });
      expect(await textOf(fromPool.pdf)).toBe(await textOf(fromHere.pdf));
    }
    expect((await pool.render(receipt, 'en')).monthName).toBe('October 2026');
  });

  it.runIf(process.platform === 'linux')('makes PDFs at a lower priority than the main thread, which serves the updates', async () => {
    await pool.render(receipt, 'ru');
    // The nice value of each thread of this process (the 19th field of /proc/self/task/<tid>/stat).
    const nice = (tid: string) => {
      try {
        return Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
      } catch {
        return null; // a thread that ended meanwhile
      }
    };
    const values = readdirSync('/proc/self/task').map((tid) => [tid, nice(tid)] as const);
    expect(values.find(([tid]) => tid === String(process.pid))?.[1]).toBe(0);
    expect(values.filter(([, n]) => n === 10)).toHaveLength(1);
  });

  it('keeps going when one receipt fails: the error reaches the caller', async () => {
    await expect(pool.render({ ...receipt, payer: undefined } as never, 'ru')).rejects.toThrow();
    expect((await pool.render(receipt, 'ru')).filename).toBe('kvitanciya_002901800602302_2026-10.pdf');
  });

  it('makes the reconciliation (seed 003) the same way as on the main thread', async () => {
    const doc = { reconciliation, longNumber: '002901800602302', address: 'г. Ессентуки, ул. Ермакова, д. 7, кв. 30', issuedOn: reconciliation.today };
    for (const language of ['ru', 'en']) {
      const [fromPool, fromHere] = await Promise.all([pool.reconciliation(doc, language), inline.reconciliation(doc, language)]);
      expect(fromPool.pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect({ filename: fromPool.filename, fromName: fromPool.fromName, toName: fromPool.toName }).toEqual({
        filename: fromHere.filename,
        fromName: fromHere.fromName,
        toName: fromHere.toName,
      });
      expect(await textOf(fromPool.pdf)).toBe(await textOf(fromHere.pdf));
    }
    const en = await pool.reconciliation(doc, 'en');
    expect(en.filename).toBe('sverka_002901800602302_2026-08_2026-10.pdf');
    expect(await textOf(en.pdf)).toContain('At the end, 31.10.2026: owed 432,85');
  });
});
