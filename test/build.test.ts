import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { Piscina } from 'piscina';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript (it runs before anything is built), without types
import { buildApp } from '../src/cli/build.mjs';
import type { ReceiptData } from '../src/billing/index.ts';
import { createTranslator } from '../src/i18n.ts';
import { inlineRenderer } from '../src/pdf/inline-renderer.ts';
import type { TestDatabase } from './support/db.ts';
import { spawnApp, startFlags } from './support/app-process.ts';
import { ALLA, postChargesForm } from './support/charges-form.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import { STAFF } from './support/fixture.ts';

// What `npm start` runs: the build of src/main.ts and the PDF worker (src/cli/build.mjs), on plain node.
let outdir: string;
let db: TestDatabase;
let receipt: ReceiptData;
beforeAll(async () => {
  // Inside the checkout (dist/ is git-ignored), so that the bundle finds node_modules as dist/main.mjs does.
  const dist = fileURLToPath(new URL('../dist/', import.meta.url));
  mkdirSync(dist, { recursive: true });
  outdir = mkdtempSync(path.join(dist, 'test-'));
  await buildApp(outdir);
  const fixture = await openFixtureBilling();
  db = fixture.db;
  const r = await fixture.billing.receipts.forMonth({ actor: STAFF, accountId: await fixture.accountId('002901800602302'), month: '2026-10' });
  if (!r.ok) throw new Error(r.error.code);
  receipt = r.value;
}, 60_000);
afterAll(async () => {
  await db?.drop();
  rmSync(outdir, { recursive: true, force: true });
});

const textOf = async (pdf: Uint8Array) => {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  return (await (await doc.getPage(1)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
};

describe('the build that npm start runs', () => {
  it('bundles the sources and imports the packages, never the TypeScript loader', () => {
    const [main, worker] = ['main.mjs', 'render-worker.mjs'].map((file) => readFileSync(path.join(outdir, file), 'utf8'));
    for (const code of [main!, worker!]) {
      expect(code).not.toMatch(/from ["']tsx/);
      expect(code).not.toMatch(/from ["']\.\.?\//);
    }
    // The main thread makes no PDF (the worker does), so it loads neither pdfkit nor its fonts.
    expect(main).toMatch(/from ["']grammy["']/);
    expect(main).not.toMatch(/from ["'](pdfkit|qrcode)["']/);
    expect(worker).toMatch(/from ["']pdfkit["']/);
    // The PDF pool of the build starts the built worker, not the entry that registers tsx.
    expect(main).not.toContain('BUILT_WORKERS');
    expect(main).toContain(`new URL("render-worker.mjs", ${JSON.stringify(`file://${outdir}/`)})`);
  });

  it('its PDF worker makes the same receipt in a plain worker thread, finding the fonts and the words from the sources', async () => {
    const pool = new Piscina({ filename: `file://${outdir}/render-worker.mjs`, maxThreads: 1 });
    try {
      const made = (await pool.run({ receipt, language: 'ru' })) as { filename: string; monthName: string; pdf: Uint8Array };
      const here = await inlineRenderer(createTranslator()).render(receipt, 'ru');
      expect({ filename: made.filename, monthName: made.monthName }).toEqual({ filename: here.filename, monthName: here.monthName });
      expect(await textOf(made.pdf)).toBe(await textOf(here.pdf));
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('npm start and the image run it with the same node flags, the heap capped', () => {
    const flags = startFlags();
    expect(flags).toContain('--max-old-space-size=512');
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(fileURLToPath(new URL('../Dockerfile', import.meta.url)), 'utf8'))?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...flags, 'dist/main.mjs']);
  });

  it('runs on plain node: migrations from db/, pages from templates/, a PDF from its worker, then a clean stop on SIGTERM', async () => {
    const app = spawnApp({ DATABASE_URL: db.url, SEED_DEMO: 'false', DATA_DIR: path.join(outdir, 'data') }, [], path.join(outdir, 'main.mjs'));
    try {
      const running = await app.waitFor((l) => String(l.msg).startsWith('vodokanal is running'), 'the app running', 45_000);
      const address = /listening on (http:\/\/[^)]+)\)/.exec(running.msg)?.[1];
      expect(address).toBeDefined();
      expect((await fetch(`${address}/healthz`)).status).toBe(200);
      const home = await fetch(`${address}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('Личный кабинет абонента');
      // A resident's wrong answer, then the right one: the PDF comes from the built worker.
      const wrong = await postChargesForm(address!, { ...ALLA, surname: 'Иванова' });
      expect(wrong.status).toBe(404);
      expect(wrong.body.toString()).toContain('Не нашли лицевой счёт по этим данным');
      const charges = await postChargesForm(address!);
      expect(charges.type).toBe('application/pdf');
      expect(await textOf(charges.body)).toContain('Лицевой счёт: 002901800602302');
      await app.stop();
      expect(app.exit).toEqual({ code: 0, signal: null });
      expect(app.errors().count).toBe(0);
    } finally {
      await app.stop();
    }
  }, 90_000);
});
