import addressWords from '../../templates/address-words.json' with { type: 'json' };

/**
 * How typed address parts and surnames are compared: case-insensitive, ё = е, extra spaces
 * and punctuation ignored, street-type words («ул.», «улица», «пр-т») dropped.
 */
const STREET_TYPES = new Set(addressWords.streetTypes);

/** Lower case, ё→е, collapsed spaces. */
export function foldText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

/** «ул. Ермакова» / «Ермакова улица» / «ермакова» → «ермакова». */
export function streetKey(name: string): string {
  const words = foldText(name)
    .replace(/[«»"'()]/g, ' ')
    .split(/[\s,]+/)
    .map((w) => w.replace(/\.+$/, ''))
    .filter((w) => w.length > 0 && !STREET_TYPES.has(w));
  return words.join(' ');
}

/** «7 А», «7а», «д. 7-А» → «7а»; «12 корп. 2», «12к2» → «12к2». */
export function houseKey(house: string): string {
  return foldText(house)
    .replace(/^(дом|д\.?)\s*/, '')
    .replace(/корпус|корп\.?/g, 'к')
    .replace(/строение|стр\.?/g, 'с')
    .replace(/[\s\-./№]/g, '');
}

const FLAT_WORD = /^(кв\.?|квартира)\s*/;

/** Flat with its optional prefix: («кв. 30») → «30»; («ком.», «5») → «ком5»; private house → ''. */
export function flatKey(flat: string | null | undefined, prefix?: string | null): string {
  const f = foldText(flat ?? '')
    .replace(FLAT_WORD, '')
    .replace(/[\s\-./№]/g, '');
  const pre = foldText(prefix ?? '').replace(/[\s\-./№]/g, '');
  return pre + f;
}

/** Surname for the ownership check: «Кирее́ва», «КИРЕЕВА », «киреёва» compare equal. */
export function surnameKey(surname: string): string {
  return foldText(surname)
    .replace(/[\u0300\u0301]/g, '') // stress marks pasted from dictionaries
    .replace(/[^a-zа-я-]/g, '');
}

/** The surname is the first word of a full name written as billing writes it: «КИРЕЕВА НАСИБХАН МАГОМЕДОВНА». */
export function surnameOf(fullName: string): string {
  return foldText(fullName).split(' ')[0] ?? '';
}

const capitalize = (w: string) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();

/**
 * The owner as a resident may see it: first name and patronymic initial, never the surname —
 * the surname is what proves the right to the account. «КИРЕЕВА НАСИБХАН МАГОМЕДОВНА» → «Насибхан М.».
 */
export function maskOwnerName(fullName: string): string {
  const parts = fullName.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '';
  if (parts.length === 1) return `${capitalize(parts[0]!).charAt(0)}.`;
  const [, first, patronymic] = parts;
  return patronymic ? `${capitalize(first!)} ${capitalize(patronymic).charAt(0)}.` : `${capitalize(first!)}`;
}
