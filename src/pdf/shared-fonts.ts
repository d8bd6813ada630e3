import PDFDocument from 'pdfkit';
import { TrueTypeSubsetter, type TrueTypeSubset } from './ttf-subset.ts';

/*
 * pdfkit 0.17 parses a TrueType file into a new fontkit font for every document that uses it
 * (PDFFontFactory.open -> fontkit.create) and keeps its per-word layout cache on that
 * per-document font. fontkit decodes the font's tables (GSUB/GPOS, hmtx, loca, name...) lazily
 * and caches them on the font object, so every receipt paid for decoding them again and for
 * shaping every word again: most of its rendering time. pdfkit has no public way to hand it a
 * parsed font, so this module reaches into a few internals, and only here:
 *
 *   pdfkit  doc._font           after doc.font(buffer): an EmbeddedFont; its class (the
 *                               constructor(doc, fontkitFont, id)), its .font (the fontkit font),
 *                               its .layoutCache (word -> glyph run), .layoutRun(text, features)
 *                               (shapes one word on a cache miss) and .subset (includeGlyph(id) as
 *                               text is written, encode() for the font file at doc.end());
 *           doc._fontFamilies   name -> font object of the document, which doc.font(name) reads first;
 *           doc._fontCount      the counter behind the document's font ids F1, F2...
 *   fontkit font._glyphs        its cache of glyph objects by glyph id.
 *
 * Each document still gets its own EmbeddedFont (its own subset, widths, ToUnicode map and PDF
 * objects); only the parsed font and the glyph runs of words are shared. pdfkit never mutates a
 * cached run (it copies positions before adjusting them), so the runs can be shared. The subset
 * is cut by ttf-subset.ts, which writes the same bytes as fontkit's, far faster.
 *
 * Glyph objects need care: fontkit caches one per glyph id, carrying the code points it was first
 * created for, and pdfkit writes those into the ToUnicode map (what copying or searching the text
 * yields). Shared across documents, a literal «ﬀ» in one receipt would make «tariff» extract as
 * «tariﬀ» in every later one, and fontkit's own subsetter (no longer used here) creates glyphs with
 * no code points at all: the Latin e inside the Cyrillic yo (U+0451), which would then vanish
 * from later text. So fontkit's glyph cache is emptied before every word is shaped: each cached
 * run holds glyphs made for its own text, and what a document's text extracts as depends on that
 * document alone, as with a font of its own.
 *
 * test/shared-fonts.test.ts checks these assumptions, so that a pdfkit or fontkit upgrade that
 * breaks them fails a test rather than a receipt.
 */

/** The slice of a fontkit font this module touches. */
interface FontkitFont {
  _glyphs: Record<number, unknown>;
}

/** The slice of pdfkit's EmbeddedFont this module touches. */
interface EmbeddedFont {
  font: FontkitFont;
  layoutCache?: Record<string, unknown>;
  layoutRun(text: string, features?: unknown): unknown;
  subset: TrueTypeSubset | { includeGlyph(id: number): number };
}
type EmbeddedFontClass = new (doc: PDFKit.PDFDocument, font: FontkitFont, id: string) => EmbeddedFont;

/** The slice of pdfkit's PDFDocument this module touches. */
interface DocumentInternals {
  _font: EmbeddedFont | null;
  _fontFamilies: Record<string, EmbeddedFont>;
  _fontCount: number;
}

const internals = (doc: PDFKit.PDFDocument) => doc as unknown as DocumentInternals;

function changed(what: string): never {
  throw new Error(`shared-fonts: pdfkit/fontkit internals changed (${what}); see src/pdf/shared-fonts.ts`);
}

type Layouts = Record<string, unknown>;
const noLayouts = (): Layouts => Object.create(null) as Layouts;

interface Face {
  font: FontkitFont;
  subsetter: TrueTypeSubsetter;
  /** The word layout cache the face's fonts use, and the one it replaced. */
  layout: Layouts;
  previous: Layouts;
  documents: number;
}

/**
 * TrueType faces parsed once and shared by the documents they are installed in. Their word layout
 * caches are bounded: past `maxWords` distinct words (checked every 32 documents) a face starts a
 * new one, which takes over the words still in use from the old one as they are met, so only the
 * words no recent document used are dropped. A cached word of DejaVu Sans takes about 5 KB of
 * heap; a receipt has some 140 words every receipt shares and about 15 of its own (names,
 * figures), so the default keeps a face's two caches under ~30 MB.
 */
export class SharedFonts {
  readonly #faces = new Map<string, Face>();
  readonly #EmbeddedFont: new (
    ...args: ConstructorParameters<EmbeddedFontClass>
  ) => EmbeddedFont & { previous?: Layouts };
  readonly #maxWords: number;

  constructor(files: Record<string, Buffer>, o: { maxWords?: number } = {}) {
    this.#maxWords = o.maxWords ?? 2_000;
    let base: EmbeddedFontClass | undefined;
    for (const [name, file] of Object.entries(files)) {
      // pdfkit itself parses the file, in a scratch document that is never written.
      const scratch = new PDFDocument({ autoFirstPage: false, font: '' });
      scratch.font(file);
      const opened = internals(scratch)._font;
      if (!opened || typeof opened.layoutRun !== 'function' || !opened.layoutCache) changed('doc._font is not an EmbeddedFont with a layout cache');
      if (typeof opened.font?._glyphs !== 'object') changed('the fontkit font has no _glyphs cache');
      if (typeof opened.subset?.includeGlyph !== 'function') changed('EmbeddedFont has no subset');
      base ??= opened.constructor as EmbeddedFontClass;
      this.#faces.set(name, { font: opened.font, subsetter: new TrueTypeSubsetter(file), layout: noLayouts(), previous: noLayouts(), documents: 0 });
    }
    if (!base) throw new Error('shared-fonts: no font files');
    this.#EmbeddedFont = class extends base {
      previous?: Layouts;
      // pdfkit calls this for a word not in layoutCache, and stores what it returns there.
      override layoutRun(text: string, features?: unknown) {
        const kept = features === undefined ? this.previous?.[text] : undefined;
        if (kept) return kept;
        this.font._glyphs = {};
        return super.layoutRun(text, features);
      }
    };
  }

  /** Makes each face available to `doc.font(name)` in this document. */
  install(doc: PDFKit.PDFDocument): void {
    const d = internals(doc);
    if (typeof d._fontFamilies !== 'object' || typeof d._fontCount !== 'number') changed('no doc._fontFamilies or doc._fontCount');
    for (const [name, face] of this.#faces) {
      // Counting the words now and then is cheap next to a document.
      if (++face.documents % 32 === 0 && Object.keys(face.layout).length > this.#maxWords) {
        face.previous = face.layout;
        face.layout = noLayouts();
      }
      const font = new this.#EmbeddedFont(doc, face.font, `F${++d._fontCount}`);
      font.layoutCache = face.layout;
      font.previous = face.previous;
      font.subset = face.subsetter.subset();
      d._fontFamilies[name] = font;
    }
  }
}
