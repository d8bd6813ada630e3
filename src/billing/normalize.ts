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

/** Endings of an ordinal numeral (after ё→е): «-ый», «-ая», «-ого», «-ому», «-ых»… */
const ADJ = '(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ом|ем|ую|юю|ых|их|ыми|ими|ей)';
/** Ordinal stems and cardinal forms of 1–9, 10–19 and the tens, in every case. */
const UNITS: [number, RegExp][] = [
  [1, new RegExp(`^(?:один|одн(?:а|о|ого|ой|ому|им|ом|у)|перв${ADJ})$`)],
  [2, new RegExp(`^(?:два|две|двух|двум|двумя|втор${ADJ})$`)],
  [3, /^(?:три|трех|трем|тремя|трет(?:ий|ья|ье|ьего|ьей|ьему|ьим|ьем|ьи|ьих|ью))$/],
  [4, new RegExp(`^(?:четыре|четырех|четырем|четырьмя|четверт${ADJ})$`)],
  [5, new RegExp(`^(?:пять|пяти|пятью|пят${ADJ})$`)],
  [6, new RegExp(`^(?:шесть|шести|шестью|шест${ADJ})$`)],
  [7, new RegExp(`^(?:семь|семи|семью|седьм${ADJ})$`)],
  [8, new RegExp(`^(?:восемь|восьми|восемью|восьмью|восьм${ADJ})$`)],
  [9, new RegExp(`^(?:девять|девяти|девятью|девят${ADJ})$`)],
];
const TEEN_STEMS = ['десят', 'одиннадцат', 'двенадцат', 'тринадцат', 'четырнадцат', 'пятнадцат', 'шестнадцат', 'семнадцат', 'восемнадцат', 'девятнадцат'];
const TEENS: [number, RegExp][] = TEEN_STEMS.map((stem, i) => [10 + i, new RegExp(`^${stem}(?:ь|и|ью|${ADJ})$`)]);
const TENS: [number, RegExp][] = [
  [20, new RegExp(`^двадцат(?:ь|и|ью|${ADJ})$`)],
  [30, new RegExp(`^тридцат(?:ь|и|ью|${ADJ})$`)],
  [40, new RegExp(`^(?:сорок|сорока|сороков${ADJ})$`)],
  [50, new RegExp(`^(?:пятьдесят|пятидесяти|пятьюдесятью|пятидесят${ADJ})$`)],
  [60, new RegExp(`^(?:шестьдесят|шестидесяти|шестьюдесятью|шестидесят${ADJ})$`)],
  [70, new RegExp(`^(?:семьдесят|семидесяти|семьюдесятью|семидесят${ADJ})$`)],
  [80, new RegExp(`^(?:восемьдесят|восьмидесяти|восемьюдесятью|восьмидесят${ADJ})$`)],
  [90, new RegExp(`^(?:девяносто|девяноста|девяност${ADJ})$`)],
];
/** «8-го», «1-я», «50-ти», «2ой»: a number with its ending (one letter only after a hyphen: «1а» is a letter, not an ending). */
const LONG_ENDINGS = 'го|ого|его|му|ому|ему|ый|ий|ой|ая|яя|ое|ее|ые|ие|ым|им|ом|ем|ую|юю|ых|их|ти|ми|ью';
const SUFFIXED = new RegExp(`^(\\d+)(?:-(?:й|я|е|ю|х|м|${LONG_ENDINGS})|${LONG_ENDINGS})$`);
const numberIn = (table: [number, RegExp][], word: string) => table.find(([, re]) => re.test(word))?.[0];

/**
 * Numbers in a street's name written as words or with an ending become digits, so that
 * «Восьмого Марта», «8-го Марта» and «8 Марта», «Пятидесяти лет Октября» and «50 лет Октября»,
 * «Тридцать первого» and «31-й» are one key: 1–99, cardinal or ordinal, in any case.
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

/** «ул. Ермакова» / «Ермакова улица» / «ермакова» → «ермакова»; «ул. Восьмого Марта» → «8 марта». */
export function streetKey(name: string): string {
  const words = foldText(name)
    .replace(/[«»"'()]/g, ' ')
    .split(/[\s,]+/)
    .map((w) => w.replace(/\.+$/, ''))
    .filter((w) => w.length > 0 && !STREET_TYPES.has(w));
  return numeralsAsDigits(words).join(' ');
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
