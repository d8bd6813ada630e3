/**
 * Subsets of a TrueType font for embedding in a PDF, cut from a file read once.
 *
 * It writes exactly the bytes fontkit's TTFSubset.encode() writes (what pdfkit embeds by default,
 * test/shared-fonts.test.ts compares them): the tables a PDF needs (head, hhea, loca, maxp, cvt,
 * prep, glyf, hmtx, fpgm) in that order, with the original glyph programs and the components of
 * composite glyphs renumbered. fontkit decodes every glyph's outline on every subset only to find
 * those components and re-encodes the tables field by field; here the components are found once
 * per glyph and the tables are copied as bytes, which makes a subset some hundred times cheaper.
 *
 * Plain TrueType outlines only (no CFF, no variations), which is what the receipt's DejaVu is.
 */

/** Flags of a composite glyph's component record. */
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/** The tables, in fontkit's order. */
const TAGS = ['head', 'hhea', 'loca', 'maxp', 'cvt ', 'prep', 'glyf', 'hmtx', 'fpgm'] as const;

interface Glyph {
  /** Its glyph program, a view into the file. */
  data: Uint8Array;
  /** Offsets in `data` of the glyph ids of a composite glyph's components. */
  components: { id: number; at: number }[];
  advance: number;
  bearing: number;
}

export class TrueTypeSubsetter {
  readonly #view: DataView;
  readonly #tables = new Map<string, Uint8Array>();
  readonly #longLoca: boolean;
  readonly #numGlyphs: number;
  readonly #numberOfHMetrics: number;
  readonly #glyphs = new Map<number, Glyph>();

  constructor(file: Uint8Array) {
    this.#view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    const v = this.#view;
    const version = v.getUint32(0);
    if (version !== 0x00010000 && version !== 0x74727565 /* 'true' */) throw new Error('ttf-subset: not a TrueType font file');
    for (let i = 0, n = v.getUint16(4); i < n; i++) {
      const at = 12 + 16 * i;
      const tag = String.fromCharCode(file[at]!, file[at + 1]!, file[at + 2]!, file[at + 3]!);
      const offset = v.getUint32(at + 8);
      this.#tables.set(tag, file.subarray(offset, offset + v.getUint32(at + 12)));
    }
    for (const tag of [...TAGS, 'hmtx'] as const) if (!this.#tables.has(tag)) throw new Error(`ttf-subset: no '${tag}' table`);
    if (this.#tables.has('fvar') || this.#tables.has('gvar')) throw new Error('ttf-subset: variable fonts are not supported');
    const head = this.#table('head');
    this.#longLoca = head.getInt16(50) === 1;
    this.#numGlyphs = this.#table('maxp').getUint16(4);
    this.#numberOfHMetrics = this.#table('hhea').getUint16(34);
  }

  /** A new, empty subset (glyph 0, .notdef, is always in it). */
  subset(): TrueTypeSubset {
    return new TrueTypeSubset(this);
  }

  #table(tag: string): DataView {
    const t = this.#tables.get(tag)!;
    return new DataView(t.buffer, t.byteOffset, t.byteLength);
  }

  /** @internal */
  raw(tag: string): Uint8Array {
    return this.#tables.get(tag)!;
  }

  /** @internal */
  get longLoca(): boolean {
    return this.#longLoca;
  }

  /** @internal The glyph's program, components and metrics, read once. */
  glyph(id: number): Glyph {
    let g = this.#glyphs.get(id);
    if (g) return g;
    if (!(id >= 0 && id < this.#numGlyphs)) throw new Error(`ttf-subset: no glyph ${id}`);
    const loca = this.#table('loca');
    const [start, end] = this.#longLoca ? [loca.getUint32(4 * id), loca.getUint32(4 * id + 4)] : [loca.getUint16(2 * id) * 2, loca.getUint16(2 * id + 2) * 2];
    const glyf = this.raw('glyf');
    const data = glyf.subarray(start, end);
    const components: Glyph['components'] = [];
    if (data.length > 0) {
      const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
      if (v.getInt16(0) < 0) {
        let at = 10;
        let flags = MORE_COMPONENTS;
        while (flags & MORE_COMPONENTS) {
          flags = v.getUint16(at);
          components.push({ id: v.getUint16(at + 2), at: at + 2 });
          at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
          if (flags & WE_HAVE_A_SCALE) at += 2;
          else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
          else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
        }
      }
    }
    const hmtx = this.#table('hmtx');
    const n = this.#numberOfHMetrics;
    const advance = id < n ? hmtx.getUint16(4 * id) : n > 0 ? hmtx.getUint16(4 * (n - 1)) : 0;
    const bearing = id < n ? hmtx.getInt16(4 * id + 2) : 4 * n + 2 * (id - n) + 2 <= hmtx.byteLength ? hmtx.getInt16(4 * n + 2 * (id - n)) : 0;
    g = { data, components, advance, bearing };
    this.#glyphs.set(id, g);
    return g;
  }
}

/** The glyphs one document uses; the shape pdfkit expects of a subset: includeGlyph() and encode(). */
export class TrueTypeSubset {
  readonly #font: TrueTypeSubsetter;
  readonly #glyphs: number[] = [];
  readonly #mapping = new Map<number, number>();
  /** pdfkit embeds a CFF font differently when this is set; TrueType has none. */
  readonly cff = null;

  constructor(font: TrueTypeSubsetter) {
    this.#font = font;
    this.includeGlyph(0);
  }

  /** The glyph's id in the subset, adding it if new. */
  includeGlyph(id: number): number {
    let sub = this.#mapping.get(id);
    if (sub === undefined) {
      sub = this.#glyphs.length;
      this.#glyphs.push(id);
      this.#mapping.set(id, sub);
    }
    return sub;
  }

  /** The subset as a font file. */
  encode(): Buffer {
    const font = this.#font;
    const programs: Uint8Array[] = [];
    // Components are added as they are met, so the list may grow while it is walked.
    for (let i = 0; i < this.#glyphs.length; i++) {
      const g = font.glyph(this.#glyphs[i]!);
      if (g.components.length === 0) {
        programs.push(g.data);
        continue;
      }
      const copy = Uint8Array.from(g.data);
      const v = new DataView(copy.buffer);
      for (const c of g.components) v.setUint16(c.at, this.includeGlyph(c.id));
      programs.push(copy);
    }
    const count = this.#glyphs.length;
    const glyfLength = programs.reduce((sum, p) => sum + p.length, 0);
    const long = font.longLoca;
    const sizes = {
      head: font.raw('head').length,
      hhea: font.raw('hhea').length,
      loca: (count + 1) * (long ? 4 : 2),
      maxp: font.raw('maxp').length,
      'cvt ': font.raw('cvt ').length,
      prep: font.raw('prep').length,
      glyf: glyfLength,
      hmtx: 4 * count,
      fpgm: font.raw('fpgm').length,
    };
    const directory = 12 + 16 * TAGS.length;
    const out = Buffer.alloc(directory + Object.values(sizes).reduce((a, b) => a + b, 0));
    // The table directory: fontkit writes the tag 'true', no checksums and no padding between tables.
    out.write('true', 0, 'latin1');
    const pow2 = 2 ** Math.floor(Math.log2(TAGS.length));
    out.writeUInt16BE(TAGS.length, 4);
    out.writeUInt16BE(pow2 * 16, 6);
    out.writeUInt16BE(Math.log2(pow2), 8);
    out.writeUInt16BE(TAGS.length * 16 - pow2 * 16, 10);
    let offset = directory;
    TAGS.forEach((tag, i) => {
      const at = 12 + 16 * i;
      out.write(tag, at, 'latin1');
      out.writeUInt32BE(0, at + 4);
      out.writeUInt32BE(offset, at + 8);
      out.writeUInt32BE(sizes[tag], at + 12);
      const start = offset;
      switch (tag) {
        case 'hhea':
          out.set(font.raw(tag), start);
          out.writeUInt16BE(count, start + 34); // numberOfHMetrics
          break;
        case 'maxp':
          out.set(font.raw(tag), start);
          out.writeUInt16BE(count, start + 4); // numGlyphs
          break;
        case 'loca': {
          let o = 0;
          for (let k = 0; k <= count; k++) {
            if (long) out.writeUInt32BE(o, start + 4 * k);
            else out.writeUInt16BE(o >>> 1, start + 2 * k);
            if (k < count) o += programs[k]!.length;
          }
          break;
        }
        case 'glyf': {
          let o = start;
          for (const p of programs) {
            out.set(p, o);
            o += p.length;
          }
          break;
        }
        case 'hmtx':
          for (let k = 0; k < count; k++) {
            const g = font.glyph(this.#glyphs[k]!);
            out.writeUInt16BE(g.advance, start + 4 * k);
            out.writeInt16BE(g.bearing, start + 4 * k + 2);
          }
          break;
        default: // head, cvt, prep, fpgm: as they are
          out.set(font.raw(tag), start);
      }
      offset += sizes[tag];
    });
    return out;
  }
}
