/** How numbers and dates look to a resident: «1 234,56», «10.12.2026». Exact, no floats. */

const NBSP = '\u00a0';

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
}

/** Kopecks → «1 234,56» (no sign; the words say debt or overpayment). */
export function rub(kopecks: number): string {
  const abs = Math.abs(kopecks);
  return `${group(String(Math.floor(abs / 100)))},${String(abs % 100).padStart(2, '0')}`;
}

/** Thousandths of m³ → «18,272». */
export function m3(milli: number): string {
  const abs = Math.abs(milli);
  return `${milli < 0 ? '−' : ''}${group(String(Math.floor(abs / 1000)))},${String(abs % 1000).padStart(3, '0')}`;
}

/** 'YYYY-MM-DD' → 'DD.MM.YYYY'. */
export function day(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

/** 'YYYY-MM' → its month number and year, for a Fluent message to name. */
export function monthParts(month: string): { month: number; year: number } {
  const [y, m] = month.split('-').map(Number);
  return { month: m!, year: y! };
}
