import { I18n } from '@grammyjs/i18n';
import { fileURLToPath } from 'node:url';

/*
 * How typed address parts and surnames are compared: case-insensitive, the two spellings of one
 * letter folded, extra spaces and punctuation ignored, street-type words dropped, numerals as
 * digits. The Russian words and endings this takes are in templates/matching/ru/address-words.ftl.
 */
const words = new I18n({
  defaultLocale: 'ru',
  directory: fileURLToPath(new URL('../../templates/matching', import.meta.url)),
  fluentBundleOptions: { useIsolating: false },
});
function word(key: string): string {
  const text = words.t('ru', key);
  if (text === key) throw new Error(`templates/matching: no message ${key}`);
  return text;
}

const YO = new RegExp(word('fold-yo'), 'g');
const YE = word('fold-ye');
const STREET_TYPES = new Set(word('street-types').split(/\s+/));

/** Lower case, the letter folded (fold-yo to fold-ye), collapsed spaces. */
export function foldText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(YO, YE).replace(/\s+/g, ' ').trim();
}

const numerals = (values: number[]): [number, RegExp][] => values.map((n) => [n, new RegExp(word(`numeral-${n}`))]);
/** Cardinal and ordinal forms of 1–9, 10–19 and the tens, in every case. */
const UNITS = numerals([1, 2, 3, 4, 5, 6, 7, 8, 9]);
const TEENS = numerals([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
const TENS = numerals([20, 30, 40, 50, 60, 70, 80, 90]);
/** A number written with its ending (number-with-ending). */
const SUFFIXED = new RegExp(word('number-with-ending'));
const numberIn = (table: [number, RegExp][], w: string) => table.find(([, re]) => re.test(w))?.[0];

const HOUSE_WORD = new RegExp(word('house-word'));
const HOUSE_BLOCK = new RegExp(word('house-block'), 'g');
const HOUSE_BLOCK_LETTER = word('house-block-letter');
const HOUSE_BUILDING = new RegExp(word('house-building'), 'g');
const HOUSE_BUILDING_LETTER = word('house-building-letter');
const FLAT_WORD = new RegExp(word('flat-word'));
const NOT_SURNAME_LETTER = new RegExp(word('surname-letters'), 'g');

/**
 * Numbers in a street's name written as words or with an ending become digits, so that a street
 * named after a date or an anniversary has one key however it is typed: 1–99, cardinal or ordinal,
 * in any case, a tens word followed by a units word as their sum.
 */
function numeralsAsDigits(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const suffixed = SUFFIXED.exec(word);
    if (suffixed) {
      out.push(suffixed[1]!);
      continue;
    }
    const tens = numberIn(TENS, word);
    if (tens !== undefined) {
      const unit = i + 1 < words.length ? numberIn(UNITS, words[i + 1]!) : undefined;
      if (unit !== undefined) i++;
      out.push(String(tens + (unit ?? 0)));
      continue;
    }
    const n = numberIn(UNITS, word) ?? numberIn(TEENS, word);
    out.push(n === undefined ? word : String(n));
  }
  return out;
}

/** A street's name without its type word, folded, its numerals as digits. */
export function streetKey(name: string): string {
  const words = foldText(name)
    .replace(/[«»"'()]/g, ' ')
    .split(/[\s,]+/)
    .map((w) => w.replace(/\.+$/, ''))
    .filter((w) => w.length > 0 && !STREET_TYPES.has(w));
  return numeralsAsDigits(words).join(' ');
}

/** A house number without the word for a house, its block and building words as one letter each, no spaces or signs: "7 A" = "7a". */
export function houseKey(house: string): string {
  return foldText(house)
    .replace(HOUSE_WORD, '')
    .replace(HOUSE_BLOCK, HOUSE_BLOCK_LETTER)
    .replace(HOUSE_BUILDING, HOUSE_BUILDING_LETTER)
    .replace(/[\s\-./№]/g, '');
}

/** A flat with its optional prefix, without the word for a flat, no spaces or signs; a private house: ''. */
export function flatKey(flat: string | null | undefined, prefix?: string | null): string {
  const f = foldText(flat ?? '')
    .replace(FLAT_WORD, '')
    .replace(/[\s\-./№]/g, '');
  const pre = foldText(prefix ?? '').replace(/[\s\-./№]/g, '');
  return pre + f;
}

/** Surname for the ownership check: case, the folded letter, stress marks and stray signs do not count. */
export function surnameKey(surname: string): string {
  return foldText(surname)
    .replace(/[\u0300\u0301]/g, '') // stress marks pasted from dictionaries
    .replace(NOT_SURNAME_LETTER, '');
}

/** The surname is the first word of a full name written as billing writes it (surname, first name, patronymic, in capitals). */
export function surnameOf(fullName: string): string {
  return foldText(fullName).split(' ')[0] ?? '';
}

const capitalize = (w: string) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();

/**
 * The owner as a resident may see it: first name and patronymic initial, never the surname —
 * the surname is what proves the right to the account: "IVANOVA ANNA PETROVNA" → "Anna P.".
 */
export function maskOwnerName(fullName: string): string {
  const parts = fullName.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '';
  if (parts.length === 1) return `${capitalize(parts[0]!).charAt(0)}.`;
  const [, first, patronymic] = parts;
  return patronymic ? `${capitalize(first!)} ${capitalize(patronymic).charAt(0)}.` : `${capitalize(first!)}`;
}
