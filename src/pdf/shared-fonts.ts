import PDFDocument from 'pdfkit';

/*
 * pdfkit 0.17 parses a TrueType file into a new fontkit font for every document that uses it
 * (PDFFontFactory.open -> fontkit.create) and keeps its per-word layout cache on that
 * per-document font. fontkit decodes its tables (GSUB/GPOS, hmtx, loca, name...) lazily and
 * caches them on the font object, so each receipt paid for decoding them again and for shaping
 * every word again. pdfkit has no public way to hand it an already parsed font, so this module
 * reaches into a few of its internals, and only here:
 *
 *   - doc._font            the current font: after doc.font(buffer), pdfkit's EmbeddedFont;
 *   - EmbeddedFont          its class (taken from that instance) and constructor(doc, fontkitFont, id),
 *                           its .font (the fontkit font) and .layoutCache (word -> glyph run);
 *   - doc._fontFamilies     pdfkit's per-document map from a font name to its font object, which
 *                           doc.font(name) consults first;
 *   - doc._fontCount        the counter behind the per-document font ids F1, F2...
 *
 * Each document still gets its own EmbeddedFont (its own subset, widths, ToUnicode map and PDF
 * objects); only the immutable parsed font and the glyph runs of words are shared. pdfkit never
 * mutates a cached run (it copies positions before adjusting them), which is what makes sharing
 * the layout cache across documents safe. test/pdf-fonts.test.ts checks every assumption above
 * so that a pdfkit upgrade that changes them fails a test rather than a receipt.
 */

/** The slice of fontkit's font object this module touches. */
interface FontkitFont {
  postscriptName: string | null;
}

/** The slice of pdfkit's EmbeddedFont this module touches. */
export interface EmbeddedFontInternals {
  font: FontkitFont;
  id: string;
  name: string;
  layoutCache?: Record<string, unknown>;
}

type EmbeddedFontClass = new (doc: PDFKit.PDFDocument, font: FontkitFont, id: string) => EmbeddedFontInternals;

/** The slice of pdfkit's PDFDocument this module touches. */
export interface DocumentFontInternals {
  _font: EmbeddedFontInternals | null;
  _fontFamilies: Record<string, EmbeddedFontInternals>;
  _fontCount: number;
}

const internals = (doc: PDFKit.PDFDocument) => doc as unknown as DocumentFontInternals;

interface Face {
  font: FontkitFont;
  layout: Record<string, unknown>;
  entries: number;
}

/**
 * TrueType faces parsed once and shared by every document they are installed in.
 * The layout caches are bounded: after `maxWords` distinct words per face they start afresh.
 */
export class SharedFonts {
  readonly #faces = new Map<string, Face>();
  readonly #EmbeddedFont: EmbeddedFontClass;
  readonly #maxWords: number;

  constructor(files: Record<string, Buffer>, o: { maxWords?: number } = {}) {
    this.#maxWords = o.maxWords ?? 20_000;
    let cls: EmbeddedFontClass | undefined;
    for (const [name, file] of Object.entries(files)) {
      // Let pdfkit itself parse the file once, in a scratch document that is never written.
      const scratch = new PDFDocument({ autoFirstPage: false });
      scratch.font(file);
      const opened = internals(scratch)._font;
      if (!opened?.font || typeof opened.constructor !== 'function') throw new Error('pdfkit internals changed: doc._font is not an EmbeddedFont');
      cls ??= opened.constructor as EmbeddedFontClass;
      this.#faces.set(name, { font: opened.font, layout: Object.create(null) as Record<string, unknown>, entries: 0 });
    }
    if (!cls) throw new Error('no fonts');
    this.#EmbeddedFont = cls;
  }

  /** Makes every shared face available to `doc.font(name)` in this document. */
  install(doc: PDFKit.PDFDocument): void {
    const d = internals(doc);
    if (typeof d._fontFamilies !== 'object' || typeof d._fontCount !== 'number') throw new Error('pdfkit internals changed: no _fontFamilies/_fontCount');
    for (const [name, face] of this.#faces) {
      // Counting keys is cheap next to a document and keeps the cache from growing without end.
      if (++face.entries % 64 === 0 && Object.keys(face.layout).length > this.#maxWords) face.layout = Object.create(null) as Record<string, unknown>;
      const f = new this.#EmbeddedFont(doc, face.font, `F${++d._fontCount}`);
      f.layoutCache = face.layout;
      d._fontFamilies[name] = f;
    }
  }
}
