// What src/pdf/shared-fonts.ts and ttf-subset.ts rely on in pdfkit and fontkit: if an upgrade
// changes it, these fail rather than the receipts.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { SharedFonts } from '../src/pdf/shared-fonts.ts';
import { TrueTypeSubset, TrueTypeSubsetter } from '../src/pdf/ttf-subset.ts';

const fontsDir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = readFileSync(path.join(fontsDir, 'DejaVuSans.ttf'));
const BOLD = readFileSync(path.join(fontsDir, 'DejaVuSans-Bold.ttf'));

/** The pdfkit and fontkit internals the tests look at. */
interface Internals {
  _font: { font: FontkitFont; layoutCache: Record<string, unknown>; subset: unknown } | null;
  _fontFamilies: Record<string, unknown>;
}
interface FontkitFont {
  numGlyphs: number;
  createSubset(): { includeGlyph(id: number): number; encode(): Uint8Array };
}
const internals = (doc: PDFKit.PDFDocument) => doc as unknown as Internals;

async function render(fonts: SharedFonts, draw: (doc: PDFKit.PDFDocument) => void): Promise<{ pdf: Buffer; doc: PDFKit.PDFDocument }> {
  const doc = new PDFDocument({ size: 'A4', font: '' });
  fonts.install(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  draw(doc);
  doc.end();
  return { pdf: await done, doc };
}

/** The page's text as pdf.js extracts it through the ToUnicode map, without folding ligatures. */
async function pdfText(pdf: Buffer): Promise<string> {
  const d = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  const content = await (await d.getPage(1)).getTextContent({ disableNormalization: true });
  return content.items
    .map((i) => ('str' in i ? i.str : ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('pdfkit as shared-fonts.ts uses it', () => {
  it("loads no default font when told font: ''", () => {
    const doc = new PDFDocument({ font: '' });
    expect(internals(doc)._font).toBeNull();
    expect(internals(doc)._fontFamilies).toEqual({});
  });

  it('gives every document its own font object and subset, one layout cache per face, and our subsetter', async () => {
    const fonts = new SharedFonts({ regular: REGULAR, bold: BOLD });
    const a = await render(fonts, (doc) => doc.font('regular').text('Hello world'));
    const b = await render(fonts, (doc) => doc.font('regular').text('Hello again'));
    const [fa, fb] = [internals(a.doc)._font!, internals(b.doc)._font!];
    expect(fa).not.toBe(fb);
    expect(fa.subset).toBeInstanceOf(TrueTypeSubset);
    expect(fa.subset).not.toBe(fb.subset);
    expect(fa.font).toBe(fb.font); // parsed once
    expect(fa.layoutCache).toBe(fb.layoutCache);
    expect(Object.keys(fa.layoutCache)).toEqual(expect.arrayContaining(['Hello ', 'world', 'again']));
    expect(await pdfText(a.pdf)).toBe('Hello world');
    expect(await pdfText(b.pdf)).toBe('Hello again');
  });

  it('keeps what a document extracts as independent of the documents before it', async () => {
    const fonts = new SharedFonts({ regular: REGULAR });
    // «ё» and «й» are composite glyphs built from the Latin «e» and «и» with accents: subsetting them
    // must not leave those letters without text in a later document; nor may a literal «ﬀ» in one
    // document make the ff ligature extract as «ﬀ» in the next.
    const words = 'Effect of a tariff: ёлка, йод, Пётр';
    const alone = await pdfText((await render(new SharedFonts({ regular: REGULAR }), (doc) => doc.font('regular').text(words))).pdf);
    await render(fonts, (doc) => doc.font('regular').text('Ёлочка, йогурт, «ﬀ» ﬁ ﬂ'));
    await render(fonts, (doc) => doc.font('regular').text('Пётр Семёнов, Йошкар-Ола'));
    const after = await pdfText((await render(fonts, (doc) => doc.font('regular').text(words))).pdf);
    expect(after).toBe(alone);
    expect(after).toContain('Effect of a ta'); // pdf.js leaves the ff ligature's own code points
  });

  it('starts a new layout cache once a face has seen more than maxWords words, keeping the words in use', async () => {
    const fonts = new SharedFonts({ regular: REGULAR }, { maxWords: 10 });
    const caches: Record<string, unknown>[] = [];
    for (let i = 0; i < 130; i++) {
      const { doc, pdf } = await render(fonts, (d) => d.font('regular').text(`Common words, word${i} other${i}`));
      const cache = internals(doc)._font!.layoutCache;
      if (cache !== caches.at(-1)) caches.push(cache);
      if (i % 40 === 0) expect(await pdfText(pdf)).toBe(`Common words, word${i} other${i}`);
    }
    expect(caches.length).toBe(5); // replaced at the 32nd, 64th, 96th and 128th documents
    // What every document uses was taken over, not shaped again; the rest was left behind.
    expect(caches[4]!['Common ']).toBe(caches[0]!['Common ']);
    expect(caches[4]!['word0 ']).toBeUndefined();
    expect(caches[3]!['word0 ']).toBeUndefined();
  });
});

describe('ttf-subset.ts', () => {
  for (const [name, file] of [
    ['DejaVuSans', REGULAR],
    ['DejaVuSans-Bold', BOLD],
  ] as const) {
    it(`writes the same font file as fontkit's subsetter (${name})`, () => {
      // fontkit's font as pdfkit opens it
      const scratch = new PDFDocument({ font: '' });
      scratch.font(file);
      const fontkit = internals(scratch)._font!.font;
      const ours = new TrueTypeSubsetter(file);
      fc.assert(
        fc.property(fc.array(fc.nat(fontkit.numGlyphs - 1), { maxLength: 250 }), (glyphs) => {
          const theirs = fontkit.createSubset();
          const mine = ours.subset();
          for (const g of glyphs) expect(mine.includeGlyph(g)).toBe(theirs.includeGlyph(g));
          expect(mine.encode().equals(Buffer.from(theirs.encode()))).toBe(true);
        }),
        { numRuns: 60 },
      );
    });
  }
});
