import QRCode, { type QRCodeErrorCorrectionLevel } from 'qrcode';

/**
 * The modules of `QRCode.create(text, { errorCorrectionLevel })` (the qrcode package), the same
 * symbol bit for bit (test/qr-modules.test.ts checks), in about a third of the time.
 *
 * qrcode picks the data mask the standard asks for, the one of eight with the lowest penalty
 * (ISO/IEC 18004 §7.8.3), by masking the whole symbol eight times through a generic bit matrix:
 * two thirds of the work of a receipt's QR code. Here qrcode builds the symbol once with mask 0,
 * and the eight candidates are scored with the same rules as qrcode's (mask-pattern.js:
 * getPenaltyN1..N4) on flat bytes, with the masks made once per symbol size.
 */
export function qrModules(text: string, errorCorrectionLevel: QRCodeErrorCorrectionLevel = 'M'): { size: number; data: Uint8Array } {
  const qr = QRCode.create(text, { errorCorrectionLevel, maskPattern: 0 });
  const { size, data, reservedBit } = qr.modules;
  const eclBits = ECL_BITS[qr.errorCorrectionLevel.bit as 0 | 1 | 2 | 3];
  const masks = masksFor(size, reservedBit);
  const raw = new Uint8Array(data.length);
  for (let k = 0; k < raw.length; k++) raw[k] = data[k]! ^ masks[0]![k]!; // undo mask 0
  const symbol = new Uint8Array(raw.length);
  let best = 0;
  let lowest = Infinity;
  for (let p = 0; p < 8; p++) {
    masked(symbol, raw, masks[p]!, size, p, eclBits);
    const score = penalty(symbol, size);
    if (score < lowest) {
      lowest = score;
      best = p;
    }
  }
  masked(symbol, raw, masks[best]!, size, best, eclBits);
  return { size, data: symbol };
}

/** The eight masks over the data modules of a symbol of this size, made once per size (= version). */
const maskCache = new Map<number, Uint8Array[]>();
function masksFor(size: number, reserved: Uint8Array): Uint8Array[] {
  let masks = maskCache.get(size);
  if (!masks) {
    masks = [];
    for (let p = 0; p < 8; p++) {
      const m = new Uint8Array(size * size);
      for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) if (!reserved[i * size + j] && maskAt(p, i, j)) m[i * size + j] = 1;
      masks.push(m);
    }
    maskCache.set(size, masks);
  }
  return masks;
}

/** Error correction level bits by qrcode's `bit` (L 01, M 00, Q 11, H 10: the same numbers). */
const ECL_BITS = [0, 1, 2, 3] as const;

/** `raw` with `mask` (pattern `p`) applied to its data modules and the format information for `p` written. */
function masked(out: Uint8Array, raw: Uint8Array, mask: Uint8Array, size: number, p: number, eclBits: number) {
  for (let k = 0; k < out.length; k++) out[k] = raw[k]! ^ mask[k]!;
  const bits = formatBits(eclBits, p);
  for (let i = 0; i < 15; i++) {
    const mod = (bits >> i) & 1;
    // vertical, then horizontal: as qrcode's setupFormatInfo places them
    out[(i < 6 ? i : i < 8 ? i + 1 : size - 15 + i) * size + 8] = mod;
    out[8 * size + (i < 8 ? size - i - 1 : i < 9 ? 15 - i : 15 - i - 1)] = mod;
  }
  out[(size - 8) * size + 8] = 1; // the dark module
}

/** The 15 format bits: error correction level and mask, BCH(15,5) coded, XOR 101010000010010. */
function formatBits(eclBits: number, mask: number): number {
  const data = (eclBits << 3) | mask;
  let d = data << 10;
  for (let bit = 14; bit >= 10; bit--) if (d & (1 << bit)) d ^= 0b10100110111 << (bit - 10);
  return ((data << 10) | d) ^ 0b101010000010010;
}

function maskAt(p: number, i: number, j: number): boolean {
  switch (p) {
    case 0:
      return (i + j) % 2 === 0;
    case 1:
      return i % 2 === 0;
    case 2:
      return j % 3 === 0;
    case 3:
      return (i + j) % 3 === 0;
    case 4:
      return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0;
    case 5:
      return ((i * j) % 2) + ((i * j) % 3) === 0;
    case 6:
      return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0;
    default:
      return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0;
  }
}

/**
 * qrcode's penalty (mask-pattern.js getPenaltyN1 + N2 + N3 + N4) in two passes, rows then columns:
 * N1, runs of five or more same-coloured modules: 3 + (length - 5) each;
 * N2, 2×2 blocks of one colour: 3 each;
 * N3, the 1:1:3:1:1 finder-like pattern with four light modules on one side: 40 each;
 * N4, the deviation of the share of dark modules from 50 %, in steps of 5 %: 10 per step.
 */
function penalty(m: Uint8Array, size: number): number {
  let points = 0;
  let blocks = 0;
  let dark = 0;
  let found = 0;
  for (let a = 0; a < size; a++) {
    const row = a * size;
    let run = 0;
    let last = -1;
    let bits = 0;
    for (let b = 0; b < size; b++) {
      const v = m[row + b]!;
      dark += v;
      if (v === last) run++;
      else {
        if (run >= 5) points += run - 2;
        last = v;
        run = 1;
      }
      bits = ((bits << 1) & 0x7ff) | v;
      if (b >= 10 && (bits === 0x5d0 || bits === 0x05d)) found++;
      if (a < size - 1 && b < size - 1) {
        const sum = v + m[row + b + 1]! + m[row + size + b]! + m[row + size + b + 1]!;
        if (sum === 4 || sum === 0) blocks++;
      }
    }
    if (run >= 5) points += run - 2;
  }
  for (let a = 0; a < size; a++) {
    let run = 0;
    let last = -1;
    let bits = 0;
    for (let b = 0, k = a; b < size; b++, k += size) {
      const v = m[k]!;
      if (v === last) run++;
      else {
        if (run >= 5) points += run - 2;
        last = v;
        run = 1;
      }
      bits = ((bits << 1) & 0x7ff) | v;
      if (b >= 10 && (bits === 0x5d0 || bits === 0x05d)) found++;
    }
    if (run >= 5) points += run - 2;
  }
  return points + blocks * 3 + found * 40 + Math.abs(Math.ceil((dark * 100) / m.length / 5) - 10) * 10;
}

/**
 * The dark modules as few rectangles, in module units [x, y, width, height]: horizontal runs of
 * dark modules, each stacked with the identical runs in the rows right below it. They cover
 * exactly the dark modules, without overlapping.
 */
export function darkRectangles(size: number, data: Uint8Array): [number, number, number, number][] {
  const rects: [number, number, number, number][] = [];
  // The rectangles still growing downwards, by the run (start, width) they repeat.
  let open = new Map<number, [number, number, number, number]>();
  for (let y = 0; y < size; y++) {
    const next = new Map<number, [number, number, number, number]>();
    for (let x = 0; x < size; x++) {
      if (!data[y * size + x]) continue;
      const start = x;
      while (x + 1 < size && data[y * size + x + 1]) x++;
      const key = start * (size + 1) + (x + 1 - start);
      let rect = open.get(key);
      if (rect) rect[3]++;
      else {
        rect = [start, y, x + 1 - start, 1];
        rects.push(rect);
      }
      next.set(key, rect);
    }
    open = next;
  }
  return rects;
}
