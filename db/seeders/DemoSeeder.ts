/**
 * Demo data for an empty database: two branches of «Ставрополькрайводоканал» with their streets,
 * ~200 accounts, meters, 24 months of readings, charges, payments and monthly statements.
 *
 * Deterministic: every random choice comes from a seeded PRNG, so the same `now` gives the same
 * data (PIN hashes aside: their salts are random). Dates are laid out relative to `now`: the
 * history ends with the month before the current one in the branch's timezone.
 */
import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import {
  Account,
  Branch,
  Building,
  Charge,
  DamageType,
  InspectorCallReason,
  Meter,
  Norm,
  Payment,
  Premise,
  Reading,
  Service,
  Settlement,
  ServiceStatement,
  Statement,
  Street,
  Tariff,
  type MeterIssue,
  type MeterStatus,
  type ReadingSource,
  type ServiceCode,
} from '../entities/index.ts';
import { chargeFor } from '../../src/money/exact.ts';
import { flatKey, houseKey, streetKey, surnameKey, surnameOf } from '../../src/billing/normalize.ts';
import { hashPin } from '../../src/billing/pin.ts';
import { addDays, todayIn } from '../../src/billing/calendar.ts';

// ---------------------------------------------------------------------------------------------
// Fixed facts other code and tests may rely on
// ---------------------------------------------------------------------------------------------

export interface DemoMeterFacts {
  service: ServiceCode;
  serial: string;
  place: string;
  model: string;
  status: MeterStatus;
  /** Verification date relative to today in the branch's timezone; absent: years ahead. */
  dueInDays?: number;
}

export interface DemoAccountFacts {
  branchCode: 'essentuki' | 'zheleznovodsk';
  longNumber: string;
  shortNumber: string;
  ownerFullName: string;
  /** The surname as a resident would type it. */
  surname: string;
  settlement: string;
  street: string;
  house: string;
  /** null for a private house. */
  flat: string | null;
  flatPrefix: string | null;
  residents: number;
  area: string;
  normCode: string;
  /** The PIN (only for branches that require one). */
  pin: string | null;
  phone: string | null;
  email: string | null;
  /** Empty: billed by norm. */
  meters: readonly DemoMeterFacts[];
}

type PayProfile = 'exact' | 'round' | 'skipper' | 'debtor' | 'overpayer';

interface FixedAccount extends DemoAccountFacts {
  profile: PayProfile;
  /** Opening balance of the first month, kopecks. */
  priorDebt: number;
  /** The account is made to end the history with an overpayment. */
  endOverpaid?: boolean;
}

const MIKHAILOVA: FixedAccount = {
  branchCode: 'essentuki',
  longNumber: '002901800602302',
  shortNumber: '602302',
  ownerFullName: 'МИХАЙЛОВА АЛЛА МИХАЙЛОВНА',
  surname: 'Михайлова',
  settlement: 'г. Ессентуки',
  street: 'ул. Ермакова',
  house: '7',
  flat: '30',
  flatPrefix: null,
  residents: 1,
  area: '73.50',
  normCode: 'mkd_full',
  pin: null,
  phone: null,
  email: null,
  meters: [
    { service: 'cold_water', serial: '17356088', place: 'С/У', model: 'СХВ-15', status: 'active' },
    { service: 'hot_water', serial: '17356089', place: 'С/У', model: 'СГВ-15', status: 'active' },
    { service: 'cold_water', serial: '0311046', place: 'С/У', model: 'СВ-15Х', status: 'disconnected' },
  ],
  profile: 'exact',
  priorDebt: 0,
};

const KIREEVA: FixedAccount = {
  branchCode: 'zheleznovodsk',
  longNumber: '051424000000012',
  shortNumber: '12',
  ownerFullName: 'КИРЕЕВА НАСИБХАН МАГОМЕДОВНА',
  surname: 'Киреева',
  settlement: 'г. Железноводск',
  street: 'ул. Лесная',
  house: '2',
  flat: null,
  flatPrefix: null,
  residents: 4,
  area: '96.40',
  normCode: 'private_house',
  pin: 'FaEGlc',
  phone: '+7 928 315-47-02',
  email: null,
  meters: [{ service: 'cold_water', serial: '20417735', place: 'колодец', model: 'ВСКМ 90-15', status: 'active' }],
  profile: 'exact',
  priorDebt: 0,
};

/** Accounts with one notable property each, for tests and for showing the bot. */
const SHOWCASE = {
  /** ХВС meter whose verification date passed 95 days ago; ГВС fine. */
  overdueMeter: {
    branchCode: 'essentuki',
    longNumber: '002901800602303',
    shortNumber: '602303',
    ownerFullName: 'СЕМЁНОВ АЛЕКСЕЙ ПЕТРОВИЧ',
    surname: 'Семёнов',
    settlement: 'г. Ессентуки',
    street: 'ул. Пятигорская',
    house: '101А',
    flat: '12',
    flatPrefix: null,
    residents: 2,
    area: '54.20',
    normCode: 'mkd_full',
    pin: null,
    phone: '+7 918 764-20-31',
    email: null,
    meters: [
      { service: 'cold_water', serial: '15220417', place: 'С/У', model: 'ВСХ-15', status: 'active', dueInDays: -95 },
      { service: 'hot_water', serial: '19730556', place: 'С/У', model: 'ВСГ-15', status: 'active' },
    ],
    profile: 'exact',
    priorDebt: 64_812,
  },
  /** No meters at all: billed by norm × residents. */
  noMeters: {
    branchCode: 'essentuki',
    longNumber: '002901800603118',
    shortNumber: '603118',
    ownerFullName: 'КОРОЛЁВА ГАЛИНА ВАСИЛЬЕВНА',
    surname: 'Королёва',
    settlement: 'г. Ессентуки',
    street: 'ул. Новопятигорская',
    house: '5 к2',
    flat: '47',
    flatPrefix: null,
    residents: 3,
    area: '61.80',
    normCode: 'mkd_full',
    pin: null,
    phone: null,
    email: null,
    meters: [],
    profile: 'exact',
    priorDebt: 0,
  },
  /** A private house that rarely pays: a large debt. */
  debtor: {
    branchCode: 'essentuki',
    longNumber: '002901800601977',
    shortNumber: '601977',
    ownerFullName: 'ГАЙДУКОВ СЕРГЕЙ НИКОЛАЕВИЧ',
    surname: 'Гайдуков',
    settlement: 'ст. Ессентукская',
    street: 'ул. Гоголя',
    house: '41',
    flat: null,
    flatPrefix: null,
    residents: 3,
    area: '88.00',
    normCode: 'private_house',
    pin: null,
    phone: '+7 962 401-18-77',
    email: null,
    meters: [{ service: 'cold_water', serial: '11604328', place: 'колодец', model: 'СХВ-15', status: 'active' }],
    profile: 'debtor',
    priorDebt: 1_512_040,
  },
  /** A room in a former dormitory: «ком. 5». */
  communalRoom: {
    branchCode: 'essentuki',
    longNumber: '002901800604510',
    shortNumber: '604510',
    ownerFullName: 'ТОЛСТАЯ ЕЛЕНА ЮРЬЕВНА',
    surname: 'Толстая',
    settlement: 'г. Ессентуки',
    street: 'ул. Октябрьская',
    house: '337',
    flat: '5',
    flatPrefix: 'ком.',
    residents: 1,
    area: '18.60',
    normCode: 'mkd_heater',
    pin: null,
    phone: '+7 905 118-63-40',
    email: 'tolstaya.elena@example.com',
    meters: [{ service: 'cold_water', serial: '22081946', place: 'кухня', model: 'Пульсар 15', status: 'active' }],
    profile: 'round',
    priorDebt: 0,
  },
  /** Pays ahead: ends with an overpayment. */
  overpaid: {
    branchCode: 'zheleznovodsk',
    longNumber: '051424000001512',
    shortNumber: '1512',
    ownerFullName: 'БУЛЫГА ТАТЬЯНА НИКОЛАЕВНА',
    surname: 'Булыга',
    settlement: 'г. Железноводск',
    street: 'ул. Калинина',
    house: '3',
    flat: '15',
    flatPrefix: null,
    residents: 2,
    area: '48.70',
    normCode: 'mkd_full',
    pin: 'Kt7mQa',
    phone: '+7 928 640-55-19',
    email: 'bulyga.tn@example.org',
    meters: [
      { service: 'cold_water', serial: '18845021', place: 'кухня', model: 'Бетар СХВ-15', status: 'active' },
      { service: 'hot_water', serial: '18845022', place: 'кухня', model: 'Бетар СГВ-15', status: 'active' },
    ],
    profile: 'overpayer',
    priorDebt: -150_000,
    endOverpaid: true,
  },
  /** ХВС meter whose verification date comes in 12 days. */
  soonDue: {
    branchCode: 'zheleznovodsk',
    longNumber: '051424000000347',
    shortNumber: '347',
    ownerFullName: 'АРУТЮНЯН АШОТ ГУРГЕНОВИЧ',
    surname: 'Арутюнян',
    settlement: 'пос. Иноземцево',
    street: 'ул. Шоссейная',
    house: '157',
    flat: '8',
    flatPrefix: null,
    residents: 4,
    area: '67.30',
    normCode: 'mkd_heater',
    pin: 'pR4vXe',
    phone: '+7 988 702-34-65',
    email: null,
    meters: [{ service: 'cold_water', serial: '20195573', place: 'С/У', model: 'ВСКМ 90-15', status: 'active', dueInDays: 12 }],
    profile: 'skipper',
    priorDebt: 120_000,
  },
} satisfies Record<string, FixedAccount>;

const SEED = 0x0602_302;
const HISTORY_MONTHS = 24;

export const DEMO = {
  seed: SEED,
  historyMonths: HISTORY_MONTHS,
  accountsPerBranch: { essentuki: 120, zheleznovodsk: 80 },
  /** The first account of «Ессентукский «Водоканал»» (seed 000 §5–8). */
  essentukiAccount: MIKHAILOVA as DemoAccountFacts,
  /** The first account of «Железноводский «Водоканал»» (seed 000 §4), a private house with a PIN. */
  zheleznovodskAccount: KIREEVA as DemoAccountFacts,
  showcase: SHOWCASE as Record<keyof typeof SHOWCASE, DemoAccountFacts>,
} as const;

// ---------------------------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------------------------

interface StreetSpec {
  name: string;
  /** Apartment blocks: house and number of flats. */
  blocks?: Array<[house: string, flats: number]>;
  /** Former dormitories: house and number of rooms («ком.»). */
  dorms?: Array<[house: string, rooms: number]>;
  /** Has private houses. */
  houses?: boolean;
}

interface BranchSpec {
  code: 'essentuki' | 'zheleznovodsk';
  branch: {
    name: string;
    readingDayFrom: number;
    readingDayTo: number;
    requiresPin: boolean;
    phones: string;
    address: string;
    hours: string;
    email: string;
    payeeName: string;
    payeeInn: string;
    payeeKpp: string;
    bankName: string;
    bankBic: string;
    bankAccount: string;
    bankCorrAccount: string;
    dispatcherPhone: string;
    visitDays: string;
    visitHourFrom: number;
    visitHourTo: number;
    workDays: string;
    workHourFrom: number;
    workHourTo: number;
    daysOff: string;
    /** The area served: a circle around the town. */
    areaLatitude: number;
    areaLongitude: number;
    areaRadiusKm: number;
  };
  timezone: string;
  longPrefix: string;
  shortNumber: (rng: Rng) => string;
  kinds: { flat: number; room: number; house: number };
  settlements: Array<{ name: string; streets: StreetSpec[] }>;
  /** Price per m³ in kopecks from 1 July 2024; indexed by 9% every 1 July. */
  prices2024: Record<ServiceCode, number>;
  fixed: FixedAccount[];
}

const SBERBANK = {
  bankName: 'Ставропольское отделение № 5230 ПАО Сбербанк',
  bankBic: '040702615',
  bankCorrAccount: '30101810907020000615',
};
const HOURS = 'Пн–Пт 8:00–17:00, обед 12:00–13:00';

/**
 * Нерабочие праздничные дни (ТК РФ ст. 112): 1–8 января, 23 февраля, 8 марта, 1 и 9 мая, 12 июня,
 * 4 ноября; a holiday on a weekend gives the next working day off. 2026 as the government's
 * calendar has it (3 and 4 January moved to 9 January and 31 December); 2027 by the law only,
 * without the January transfers, which a decree fixes each year.
 */
const PUBLIC_DAYS_OFF = [
  ...['01', '02', '03', '04', '05', '06', '07', '08', '09'].map((d) => `2026-01-${d}`),
  '2026-02-23',
  '2026-03-08',
  '2026-03-09',
  '2026-05-01',
  '2026-05-09',
  '2026-05-11',
  '2026-06-12',
  '2026-11-04',
  '2026-12-31',
  ...['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => `2027-01-${d}`),
  '2027-02-23',
  '2027-03-08',
  '2027-05-01',
  '2027-05-03',
  '2027-05-09',
  '2027-05-10',
  '2027-06-12',
  '2027-06-14',
  '2027-11-04',
].join(',');
/** The inspectors' visits and the operators' working hours (the «💬 Оператор» chat). */
const VISITS = { visitDays: '12345', visitHourFrom: 8, visitHourTo: 17, workDays: '12345', workHourFrom: 8, workHourTo: 17, daysOff: PUBLIC_DAYS_OFF };

const BRANCHES: BranchSpec[] = [
  {
    code: 'essentuki',
    branch: {
      name: 'Ессентукский «Водоканал»',
      readingDayFrom: 20,
      readingDayTo: 25,
      requiresPin: false,
      phones: '(87934) 6-66-82',
      address: '357600, Ставропольский край, г. Ессентуки, ул. Ермакова, д. 75А',
      hours: HOURS,
      email: 'abonent.essentuki@vodokanal.example',
      payeeName: 'Филиал ГУП СК «Ставрополькрайводоканал» — «Ессентукский водоканал»',
      payeeInn: '2635040105',
      payeeKpp: '262643001',
      ...SBERBANK,
      bankAccount: '40602810860100000871',
      dispatcherPhone: '(87934) 6-34-00',
      ...VISITS,
      areaLatitude: 44.044,
      areaLongitude: 42.86,
      areaRadiusKm: 12,
    },
    timezone: 'Europe/Moscow',
    longPrefix: '0029018',
    shortNumber: (rng) => String(rng.int(600_100, 609_999)),
    kinds: { flat: 86, room: 10, house: 24 },
    settlements: [
      {
        name: 'г. Ессентуки',
        streets: [
          {
            name: 'ул. Ермакова',
            blocks: [
              ['7', 80],
              ['12 к2', 60],
              ['14', 45],
            ],
          },
          {
            name: 'ул. Пятигорская',
            blocks: [
              ['23', 45],
              ['101А', 80],
            ],
          },
          { name: 'ул. Кисловодская', blocks: [['30', 36]], houses: true },
          { name: 'ул. Октябрьская', blocks: [['339', 60]], dorms: [['337', 48]] },
          { name: 'пер. Садовый', houses: true },
          { name: 'ул. Гагарина', blocks: [['18', 40]], houses: true },
          {
            name: 'ул. Новопятигорская',
            blocks: [
              ['5 к1', 72],
              ['5 к2', 72],
            ],
          },
          { name: 'ул. Володарского', houses: true },
        ],
      },
      {
        name: 'ст. Ессентукская',
        streets: [
          { name: 'ул. Гоголя', houses: true },
          { name: 'ул. Школьная', blocks: [['1', 16]], houses: true },
          { name: 'пер. Степной', houses: true },
        ],
      },
    ],
    prices2024: { cold_water: 4987, hot_water: 20540, sewerage: 2612 },
    fixed: [MIKHAILOVA, SHOWCASE.overdueMeter, SHOWCASE.noMeters, SHOWCASE.debtor, SHOWCASE.communalRoom],
  },
  {
    code: 'zheleznovodsk',
    branch: {
      name: 'Железноводский «Водоканал»',
      readingDayFrom: 15,
      readingDayTo: 25,
      requiresPin: true,
      phones: '(87932) 4-21-36, 4-17-80',
      address: '357400, Ставропольский край, г. Железноводск, ул. Калинина, д. 1',
      hours: HOURS,
      email: 'abonent.zheleznovodsk@vodokanal.example',
      payeeName: 'Филиал ГУП СК «Ставрополькрайводоканал» — «Железноводский водоканал»',
      payeeInn: '2635040105',
      payeeKpp: '262743001',
      ...SBERBANK,
      bankAccount: '40602810060100002459',
      dispatcherPhone: '(87932) 3-11-50',
      ...VISITS,
      areaLatitude: 44.139,
      areaLongitude: 43.02,
      areaRadiusKm: 8,
    },
    timezone: 'Europe/Moscow',
    longPrefix: '0514240',
    shortNumber: (rng) => String(rng.int(20, 4999)),
    kinds: { flat: 48, room: 6, house: 26 },
    settlements: [
      {
        name: 'г. Железноводск',
        streets: [
          { name: 'ул. Лесная', houses: true },
          {
            name: 'ул. Ленина',
            blocks: [
              ['10', 40],
              ['15А', 30],
            ],
          },
          {
            name: 'ул. Калинина',
            blocks: [
              ['3', 60],
              ['7 к1', 45],
            ],
          },
          { name: 'ул. Семашко', blocks: [['22', 36]] },
          { name: 'ул. Космонавтов', blocks: [['40', 80]], dorms: [['44', 30]] },
          { name: 'ул. Чапаева', houses: true },
        ],
      },
      {
        name: 'пос. Иноземцево',
        streets: [
          { name: 'ул. Шоссейная', blocks: [['157', 24]] },
          // Every settlement has its own ул. Ленина: lookups must not mix them up.
          { name: 'ул. Ленина', houses: true },
          { name: 'ул. Берёзовая', houses: true },
          { name: 'пер. Дачный', houses: true },
        ],
      },
    ],
    prices2024: { cold_water: 5040, hot_water: 21470, sewerage: 2785 },
    fixed: [KIREEVA, SHOWCASE.overpaid, SHOWCASE.soonDue],
  },
];

const NORMS: Array<{ code: string; description: string; perPerson: Partial<Record<ServiceCode, number>> }> = [
  {
    code: 'mkd_full',
    description: 'Многоквартирный дом с централизованным холодным и горячим водоснабжением, водоотведением, оборудованный ваннами и душем',
    perPerson: { cold_water: 3700, hot_water: 2900, sewerage: 6600 },
  },
  {
    code: 'mkd_heater',
    description: 'Многоквартирный дом с централизованным холодным водоснабжением, водонагревателями, водоотведением, оборудованный ваннами и душем',
    perPerson: { cold_water: 6600, sewerage: 6600 },
  },
  {
    code: 'private_house',
    description: 'Жилой дом с централизованным холодным водоснабжением, водонагревателем, водоотведением, оборудованный ванной и душем',
    perPerson: { cold_water: 5500, sewerage: 5500 },
  },
];

/** `meterIssue`: the reason the bot offers when it refuses a reading for that (one reason each). */
const INSPECTOR_CALL_REASONS: Array<{ code: string; name: string; useInBot: boolean; meterIssue?: MeterIssue }> = [
  { code: 'seal', name: 'Пломбировка счётчика', useInBot: true },
  { code: 'commissioning', name: 'Ввод прибора учёта в эксплуатацию', useInBot: true },
  { code: 'replacement', name: 'Замена прибора учёта', useInBot: true },
  { code: 'control_reading', name: 'Снятие контрольных показаний', useInBot: true },
  // A meter past its verification date: verified (or replaced), it is checked and sealed again.
  { code: 'after_verification', name: 'Проверка после поверки', useInBot: true, meterIssue: 'verification_expired' },
  { code: 'reading_check', name: 'Показания меньше предыдущих (проверка счётчика)', useInBot: true, meterIssue: 'below_previous' },
  { code: 'debt_disconnection', name: 'Отключение за долги', useInBot: false },
  { code: 'other', name: 'Прочее', useInBot: true },
];

const DAMAGE_TYPES = [
  { code: 'pipe_burst', name: 'Порыв трубы' },
  { code: 'open_manhole', name: 'Открытый люк' },
  { code: 'well_leak', name: 'Течь из колодца' },
  { code: 'no_water', name: 'Нет воды' },
  { code: 'low_pressure', name: 'Низкое давление' },
  { code: 'basement_flood', name: 'Затопление подвала' },
  { code: 'other', name: 'Прочее' },
];

const PAYMENT_KINDS: Array<[string, number]> = [
  ['Сбербанк Онлайн', 45],
  ['оплата "Город"', 25],
  ['Почта России', 15],
  ['касса водоканала', 15],
];

const METER_MODELS: Record<'cold_water' | 'hot_water', string[]> = {
  cold_water: ['СХВ-15', 'ВСХ-15', 'Бетар СХВ-15', 'Пульсар 15', 'ВСКМ 90-15', 'Itelma WFK20.D080'],
  hot_water: ['СГВ-15', 'ВСГ-15', 'Бетар СГВ-15', 'Пульсар 15 ГВС', 'ВСКМ 90-15 ГВС', 'Itelma WFW20.D080'],
};
/** Межповерочный интервал, years. */
const VERIFICATION_YEARS: Record<'cold_water' | 'hot_water', number> = { cold_water: 6, hot_water: 4 };

const INSPECTOR = 'контролёр Ольшун В. А.';
const OPERATOR = 'оператор Сидоренко Н. П.';

// ---------------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------------

interface NamePool {
  weight: number;
  surnames: Array<[male: string, female: string]>;
  male: string[];
  female: string[];
  patronymics: Array<[male: string, female: string]>;
}

const same = (s: string): [string, string] => [s, s];
const ov = (s: string): [string, string] => [s, `${s}а`];
const sky = (stem: string): [string, string] => [`${stem}ий`, `${stem}ая`];

const NAME_POOLS: NamePool[] = [
  {
    weight: 76,
    surnames: [
      ...[
        'Семёнов',
        'Королёв',
        'Соловьёв',
        'Воробьёв',
        'Ковалёв',
        'Журавлёв',
        'Фёдоров',
        'Артёмов',
        'Михайлов',
        'Киреев',
        'Иванов',
        'Кузнецов',
        'Попов',
        'Лебедев',
        'Козлов',
        'Новиков',
        'Морозов',
        'Волков',
        'Зайцев',
        'Павлов',
        'Степанов',
        'Николаев',
        'Орлов',
        'Андреев',
        'Макаров',
        'Никитин',
        'Захаров',
        'Борисов',
        'Яковлев',
        'Тарасов',
        'Белоусов',
        'Гусев',
        'Калинин',
        'Сорокин',
        'Виноградов',
        'Крылов',
        'Поляков',
        'Герасимов',
        'Гайдуков',
        'Зуйков',
        'Чайкин',
        'Майоров',
        'Кудрявцев',
        'Дьячков',
        'Папазов',
      ].map(ov),
      ['Белый', 'Белая'],
      ['Полевой', 'Полевая'],
      ['Толстой', 'Толстая'],
      ['Крутой', 'Крутая'],
      sky('Покровск'),
      sky('Закревск'),
      sky('Чайковск'),
      sky('Яворск'),
      ...['Бойко', 'Булыга', 'Шевченко', 'Кравченко', 'Литвиненко', 'Харченко', 'Мартынюк', 'Гайдай'].map(same),
    ],
    male: [
      'Алексей',
      'Сергей',
      'Николай',
      'Андрей',
      'Владимир',
      'Александр',
      'Виктор',
      'Юрий',
      'Михаил',
      'Иван',
      'Пётр',
      'Геннадий',
      'Валерий',
      'Анатолий',
      'Дмитрий',
      'Василий',
      'Фёдор',
      'Артём',
      'Евгений',
      'Олег',
      'Игорь',
      'Аркадий',
      'Григорий',
      'Семён',
    ],
    female: [
      'Алла',
      'Татьяна',
      'Галина',
      'Наталья',
      'Елена',
      'Ольга',
      'Светлана',
      'Людмила',
      'Нина',
      'Валентина',
      'Тамара',
      'Ирина',
      'Марина',
      'Анна',
      'Лариса',
      'Зинаида',
      'Раиса',
      'Любовь',
      'Надежда',
      'Вера',
      'Антонина',
      'Ксения',
      'Юлия',
      'Алёна',
    ],
    patronymics: [
      ['Михайлович', 'Михайловна'],
      ['Петрович', 'Петровна'],
      ['Николаевич', 'Николаевна'],
      ['Иванович', 'Ивановна'],
      ['Алексеевич', 'Алексеевна'],
      ['Сергеевич', 'Сергеевна'],
      ['Владимирович', 'Владимировна'],
      ['Александрович', 'Александровна'],
      ['Викторович', 'Викторовна'],
      ['Анатольевич', 'Анатольевна'],
      ['Юрьевич', 'Юрьевна'],
      ['Васильевич', 'Васильевна'],
      ['Фёдорович', 'Фёдоровна'],
      ['Григорьевич', 'Григорьевна'],
      ['Андреевич', 'Андреевна'],
      ['Дмитриевич', 'Дмитриевна'],
      ['Геннадьевич', 'Геннадьевна'],
      ['Валерьевич', 'Валерьевна'],
      ['Аркадьевич', 'Аркадьевна'],
      ['Семёнович', 'Семёновна'],
      ['Артёмович', 'Артёмовна'],
    ],
  },
  {
    weight: 13,
    surnames: ['Магомедов', 'Алиев', 'Гаджиев', 'Абдуллаев', 'Кочкаров', 'Батчаев', 'Джанибеков', 'Байрамуков', 'Узденов'].map(ov),
    male: ['Магомед', 'Руслан', 'Рашид', 'Ахмед', 'Мурат', 'Казбек', 'Ислам', 'Шамиль'],
    female: ['Насибхан', 'Заира', 'Фатима', 'Мадина', 'Асият', 'Патимат', 'Аминат', 'Зульфия'],
    patronymics: [
      ['Магомедович', 'Магомедовна'],
      ['Русланович', 'Руслановна'],
      ['Ахмедович', 'Ахмедовна'],
      ['Муратович', 'Муратовна'],
      ['Казбекович', 'Казбековна'],
      ['Исмаилович', 'Исмаиловна'],
      ['Рашидович', 'Рашидовна'],
    ],
  },
  {
    weight: 11,
    surnames: ['Арутюнян', 'Саркисян', 'Оганесян', 'Хачатурян', 'Бабаян', 'Григорян', 'Петросян', 'Аванесян'].map(same),
    male: ['Ашот', 'Арсен', 'Гурген', 'Карен', 'Армен', 'Самвел', 'Ованес'],
    female: ['Анаит', 'Гаянэ', 'Карине', 'Асмик', 'Лусине', 'Нарине', 'Сирануш'],
    patronymics: [
      ['Ашотович', 'Ашотовна'],
      ['Арсенович', 'Арсеновна'],
      ['Гургенович', 'Гургеновна'],
      ['Каренович', 'Кареновна'],
      ['Арменович', 'Арменовна'],
      ['Самвелович', 'Самвеловна'],
      ['Ованесович', 'Ованесовна'],
    ],
  },
];

const TRANSLIT: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};
const translit = (s: string) => [...s.toLowerCase()].map((c) => TRANSLIT[c] ?? c).join('');

// ---------------------------------------------------------------------------------------------
// Deterministic randomness and dates
// ---------------------------------------------------------------------------------------------

class Rng {
  private state: number;
  constructor(private readonly seed: number) {
    this.state = seed >>> 0;
  }
  /** mulberry32 */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }
  /** An independent stream derived from this one's seed, so that one account's draws do not shift the next's. */
  fork(salt: number): Rng {
    return new Rng(mix32(this.seed ^ mix32(salt + 0x9e3779b9)));
  }
}

/** murmur3's finaliser: spreads nearby seeds far apart. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
/** Month index (year × 12 + month − 1) of a 'YYYY-MM-DD' date. */
const monthIndexOf = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
const yearOf = (mi: number) => Math.floor(mi / 12);
const monthOfYear = (mi: number) => (mi % 12) + 1;
const periodOf = (mi: number) => `${yearOf(mi)}-${pad2(monthOfYear(mi))}-01`;
const dateIn = (mi: number, day: number) => `${yearOf(mi)}-${pad2(monthOfYear(mi))}-${pad2(day)}`;
const daysIn = (mi: number) => new Date(Date.UTC(yearOf(mi), monthOfYear(mi), 0)).getUTCDate();
const minDate = (a: string, b: string) => (a < b ? a : b);
function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5) === '02-29' ? '02-28' : date.slice(5);
  return `${y}-${md}`;
}
/** The tariff year a month falls in: tariffs change on 1 July. */
const tariffYearOf = (mi: number) => (monthOfYear(mi) >= 7 ? yearOf(mi) : yearOf(mi) - 1);
/** A moment on a branch-local date (Europe/Moscow has been UTC+3 all year since 2014). */
const localMoment = (date: string, hour: number, minute: number) => new Date(Date.parse(`${date}T${pad2(hour)}:${pad2(minute)}:00+03:00`));
/** Kopecks → the decimal string for `area`-like fields. */
const decimal2 = (hundredths: number) => `${Math.floor(hundredths / 100)}.${pad2(hundredths % 100)}`;
const roundUp = (value: number, step: number) => Math.ceil(value / step) * step;

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

type WaterCode = 'cold_water' | 'hot_water';

interface MeterPlan {
  service: WaterCode;
  entity: Meter;
  status: MeterStatus;
  verificationDue: string;
  /** Share of the service's consumption through this meter (two risers: kitchen and bathroom). */
  share: number;
  /** What the meter shows, thousandths of m³. */
  physical: number;
  /** The last reading accepted for billing. */
  accepted: number;
}

interface AccountPlan {
  entity: Account;
  normCode: string;
  residents: number;
  meters: MeterPlan[];
  /** Water services the account is billed for. */
  services: WaterCode[];
  house: boolean;
  /** Mean monthly consumption, thousandths of m³. */
  mean: Record<WaterCode, number>;
  /** Submits whole cubic metres. */
  wholeCubes: boolean;
  profile: PayProfile;
  roundStep: number;
  priorDebt: number;
  benefitShare: number;
  payKind: string;
  endOverpaid: boolean;
  /** Month offset and volume of a recalculation (перерасчёт), if any. */
  recalc: { month: number; service: WaterCode; volume: number } | null;
  /** Month offset of a mistyped reading that was then corrected. */
  correctionMonth: number | null;
}

interface BuildingSlot {
  entity: Building;
  kind: 'block' | 'dorm' | 'house';
  capacity: number;
  used: Set<string>;
}

interface StreetSlot {
  settlement: string;
  name: string;
  entity: Street;
  spec: StreetSpec;
  buildings: Map<string, BuildingSlot>;
}

export interface DemoSeedResult {
  branches: number;
  accounts: number;
  meters: number;
  readings: number;
  charges: number;
  payments: number;
  statements: number;
}

export async function seedDemo(em: EntityManager, { now }: { now: Date }): Promise<DemoSeedResult> {
  const existing = await em.count(Branch, { code: { $in: BRANCHES.map((b) => b.code) } });
  if (existing > 0) throw new Error('demo data: the branches already exist; the demo seeder fills an empty database');

  const services = {
    cold_water: await em.findOneOrFail(Service, { code: 'cold_water' }),
    hot_water: await em.findOneOrFail(Service, { code: 'hot_water' }),
    sewerage: await em.findOneOrFail(Service, { code: 'sewerage' }),
  } satisfies Record<ServiceCode, Service>;

  const counts: DemoSeedResult = { branches: 0, accounts: 0, meters: 0, readings: 0, charges: 0, payments: 0, statements: 0 };

  for (const [i, r] of INSPECTOR_CALL_REASONS.entries()) em.create(InspectorCallReason, { ...r, sort: (i + 1) * 10 });
  for (const [i, d] of DAMAGE_TYPES.entries()) em.create(DamageType, { ...d, useInBot: true, sort: (i + 1) * 10 });

  const root = new Rng(SEED);
  BRANCHES.forEach((spec, branchIndex) => {
    seedBranch(em, spec, root.fork(branchIndex), services, now, counts);
  });
  await em.flush();
  return counts;
}

function seedBranch(em: EntityManager, spec: BranchSpec, rng: Rng, services: Record<ServiceCode, Service>, now: Date, counts: DemoSeedResult): void {
  const today = todayIn(spec.timezone, now);
  const currentMonth = monthIndexOf(today);
  const firstMonth = currentMonth - HISTORY_MONTHS;
  const windowStart = periodOf(firstMonth);

  const branch = em.create(Branch, { code: spec.code, timezone: spec.timezone, ...spec.branch });
  counts.branches++;

  // Tariffs: one per service for each 1 July from the one in force at the start of the history.
  const price = (service: ServiceCode, year: number) => Math.round(spec.prices2024[service] * 1.09 ** (year - 2024));
  for (let year = tariffYearOf(firstMonth); year <= tariffYearOf(currentMonth); year++) {
    for (const code of ['cold_water', 'hot_water', 'sewerage'] as const) {
      em.create(Tariff, { branch, service: services[code], validFrom: `${year}-07-01`, price: price(code, year) });
    }
  }
  const tariffAt = (service: ServiceCode, mi: number) => price(service, tariffYearOf(mi));

  for (const norm of NORMS) {
    for (const [code, perPerson] of Object.entries(norm.perPerson) as Array<[ServiceCode, number]>) {
      em.create(Norm, { branch, code: norm.code, service: services[code], description: norm.description, perPerson });
    }
  }
  const normOf = (code: string, service: ServiceCode) => NORMS.find((n) => n.code === code)?.perPerson[service] ?? 0;

  // Addresses.
  const streets: StreetSlot[] = [];
  for (const s of spec.settlements) {
    const settlement = em.create(Settlement, { branch, name: s.name });
    for (const st of s.streets) {
      const street = em.create(Street, { settlement, name: st.name, searchKey: streetKey(st.name) });
      const slot: StreetSlot = { settlement: s.name, name: st.name, entity: street, spec: st, buildings: new Map() };
      for (const [house, capacity] of st.blocks ?? []) addBuilding(slot, house, 'block', capacity);
      for (const [house, capacity] of st.dorms ?? []) addBuilding(slot, house, 'dorm', capacity);
      streets.push(slot);
    }
  }
  function addBuilding(street: StreetSlot, house: string, kind: BuildingSlot['kind'], capacity: number): BuildingSlot {
    const entity = em.create(Building, { street: street.entity, house, houseKey: houseKey(house) });
    const slot: BuildingSlot = { entity, kind, capacity, used: new Set() };
    street.buildings.set(houseKey(house), slot);
    return slot;
  }
  function premiseIn(building: BuildingSlot, flat: string | null, prefix: string | null): Premise {
    const key = flatKey(flat, prefix);
    if (building.used.has(key)) throw new Error(`demo data: premise ${key || '(house)'} taken twice`);
    building.used.add(key);
    return em.create(Premise, { building: building.entity, flat, flatPrefix: prefix, flatKey: key });
  }
  function fixedPremise(a: FixedAccount): Premise {
    const street = streets.find((s) => s.settlement === a.settlement && s.name === a.street);
    if (!street) throw new Error(`demo data: no street ${a.settlement}, ${a.street}`);
    const building = street.buildings.get(houseKey(a.house)) ?? addBuilding(street, a.house, 'house', 1);
    return premiseIn(building, a.flat, a.flatPrefix);
  }
  function randomPremise(kind: 'flat' | 'room' | 'house'): Premise {
    if (kind === 'house') {
      const street = rng.pick(streets.filter((s) => s.spec.houses));
      for (;;) {
        const house = `${rng.int(1, 148)}${rng.chance(0.12) ? rng.pick(['А', 'Б']) : ''}`;
        if (!street.buildings.has(houseKey(house))) return premiseIn(addBuilding(street, house, 'house', 1), null, null);
      }
    }
    const wanted = kind === 'flat' ? 'block' : 'dorm';
    const buildings = streets.flatMap((s) => [...s.buildings.values()]).filter((b) => b.kind === wanted);
    const building = rng.weighted(buildings.map((b) => [b, b.capacity - b.used.size] as const));
    const prefix = kind === 'room' ? 'ком.' : null;
    for (;;) {
      const flat = String(rng.int(1, building.capacity));
      if (!building.used.has(flatKey(flat, prefix))) return premiseIn(building, flat, prefix);
    }
  }

  // Numbers.
  const shortNumbers = new Set(spec.fixed.map((a) => a.shortNumber));
  const serials = new Set<string>();
  for (const a of spec.fixed) for (const m of a.meters) serials.add(m.serial);
  const newShortNumber = () => {
    for (;;) {
      const n = spec.shortNumber(rng);
      if (!shortNumbers.has(n)) {
        shortNumbers.add(n);
        return n;
      }
    }
  };
  const newSerial = () => {
    for (;;) {
      const s = String(rng.int(10_000_000, 23_999_999));
      if (!serials.has(s) && !serials.has(String(Number(s) + 1))) {
        serials.add(s);
        return s;
      }
    }
  };

  // Accounts.
  const kinds: Array<'flat' | 'room' | 'house'> = [
    ...Array<'flat'>(spec.kinds.flat).fill('flat'),
    ...Array<'room'>(spec.kinds.room).fill('room'),
    ...Array<'house'>(spec.kinds.house).fill('house'),
  ];
  // Fixed accounts take the place of a random one of their kind.
  for (const a of spec.fixed) {
    const kind = a.flatPrefix ? 'room' : a.flat ? 'flat' : 'house';
    kinds.splice(kinds.indexOf(kind), 1);
  }
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }

  const plans: AccountPlan[] = [];
  const total = spec.fixed.length + kinds.length;
  for (let index = 0; index < total; index++) {
    const fixed = spec.fixed[index];
    const arng = rng.fork(index);
    plans.push(fixed ? fixedAccount(fixed, arng) : randomAccount(kinds[index - spec.fixed.length]!, arng));
  }

  function createAccount(
    a: Pick<DemoAccountFacts, 'shortNumber' | 'ownerFullName' | 'residents' | 'area' | 'phone' | 'email' | 'normCode' | 'pin'>,
    premise: Premise,
    optOut: boolean,
  ): Account {
    counts.accounts++;
    return em.create(Account, {
      branch,
      premise,
      longNumber: spec.longPrefix + a.shortNumber.padStart(8, '0'),
      shortNumber: a.shortNumber,
      ownerFullName: a.ownerFullName,
      ownerSurnameKey: surnameKey(surnameOf(a.ownerFullName)),
      residents: a.residents,
      area: a.area,
      phone: a.phone,
      email: a.email,
      // The column is nullable, but `.nullable().hidden()` loses `null` in MikroORM's inferred type.
      pinHash: (spec.branch.requiresPin && a.pin ? hashPin(a.pin) : null) as Account['pinHash'],
      normCode: a.normCode,
      paperReceiptOptOut: optOut,
    });
  }

  function createMeter(
    account: Account,
    m: { service: WaterCode; serial: string; model: string; place: string; status: MeterStatus },
    installedOn: string,
    verificationDue: string,
    r: Rng,
  ): Meter {
    counts.meters++;
    return em.create(Meter, {
      account,
      service: services[m.service],
      serial: m.serial,
      model: m.model,
      place: m.place,
      installedOn,
      verificationDue,
      sealedOn: minDate(addDays(installedOn, r.int(0, 12)), today),
      status: m.status,
      digitsBefore: 5,
      digitsAfter: 3,
    });
  }

  /** Installation date for a meter due on `due`: an interval back, or more so that it predates the history. */
  function installedFor(service: WaterCode, due: string, r: Rng): string {
    let installed = addYears(due, -VERIFICATION_YEARS[service]);
    while (installed > addDays(windowStart, -60)) installed = addYears(installed, -VERIFICATION_YEARS[service]);
    return addDays(installed, -r.int(0, 20));
  }

  function meanFor(service: WaterCode, residents: number, house: boolean, r: Rng): number {
    const factor = 0.75 + r.next() * 0.45;
    if (service === 'cold_water') {
      return Math.round(Math.min(house ? 11 : 7.5, (house ? 2.8 : 1.4) + residents * 1.15 * factor) * 1000);
    }
    return Math.round(Math.min(4.6, 0.55 + residents * 0.75 * factor) * 1000);
  }

  function behaviour(profile: PayProfile, r: Rng) {
    const priorDebt = {
      exact: r.chance(0.5) ? 0 : r.int(30_000, 150_000),
      round: r.int(0, 100_000),
      skipper: r.int(50_000, 300_000),
      debtor: r.int(400_000, 1_800_000),
      overpayer: -r.int(50_000, 300_000),
    }[profile];
    return {
      profile,
      priorDebt,
      roundStep: r.pick([10_000, 50_000, 100_000]),
      payKind: r.weighted(PAYMENT_KINDS),
      wholeCubes: r.chance(0.6),
    };
  }

  function fixedAccount(a: FixedAccount, r: Rng): AccountPlan {
    const premise = fixedPremise(a);
    const account = createAccount(a, premise, false);
    const house = a.flat === null;
    const activeInstalled = addDays(windowStart, -400);
    const meters: MeterPlan[] = a.meters.map((m) => {
      if (m.service === 'sewerage') throw new Error('demo data: no sewerage meters');
      const service = m.service;
      let installedOn: string;
      let due: string;
      if (m.status === 'disconnected') {
        due = activeInstalled;
        installedOn = addYears(activeInstalled, -VERIFICATION_YEARS[service]);
      } else if (m.dueInDays !== undefined) {
        due = addDays(today, m.dueInDays);
        installedOn = installedFor(service, due, r);
      } else {
        installedOn = activeInstalled;
        due = addYears(installedOn, VERIFICATION_YEARS[service]);
      }
      const entity = createMeter(account, { ...m, service }, installedOn, due, r);
      return meterPlan(entity, service, m.status, installedOn, due, r);
    });
    const active = meters.filter((m) => m.status === 'active');
    for (const service of ['cold_water', 'hot_water'] as const) {
      const list = active.filter((m) => m.service === service);
      for (const m of list) m.share = 1 / list.length;
    }
    return {
      entity: account,
      normCode: a.normCode,
      residents: a.residents,
      meters,
      services: a.normCode === 'mkd_full' ? ['cold_water', 'hot_water'] : ['cold_water'],
      house,
      mean: { cold_water: meanFor('cold_water', a.residents, house, r), hot_water: meanFor('hot_water', a.residents, house, r) },
      ...behaviour(a.profile, r),
      priorDebt: a.priorDebt,
      benefitShare: 0,
      endOverpaid: a.endOverpaid ?? false,
      recalc: null,
      correctionMonth: null,
    };
  }

  function meterPlan(entity: Meter, service: WaterCode, status: MeterStatus, installedOn: string, due: string, r: Rng): MeterPlan {
    const plan: MeterPlan = { service, entity, status, verificationDue: due, share: 0, physical: 0, accepted: 0 };
    // 'initial' at installation; a disconnected meter also got a last control reading when removed.
    const initial = r.int(0, 3) * 1000;
    addReading(plan, initial, installedOn, 'initial', null, localMoment(installedOn, 15, r.int(0, 59)));
    if (status === 'disconnected') {
      const years = (Date.parse(due) - Date.parse(installedOn)) / (365.25 * 86_400_000);
      const last = initial + Math.round(years * 12 * r.int(1800, 3200));
      addReading(plan, last, due, 'control', INSPECTOR, localMoment(due, 11, r.int(0, 59)));
    } else {
      const months = (Date.parse(windowStart) - Date.parse(installedOn)) / (30.44 * 86_400_000);
      plan.physical = initial + Math.max(0, Math.round(months * r.int(1500, 4000)));
      plan.accepted = Math.floor(plan.physical / 1000) * 1000;
      // The reading the first month of the history is counted from.
      const takenOn = dateIn(firstMonth - 1, r.int(spec.branch.readingDayFrom, spec.branch.readingDayTo));
      addReading(plan, plan.accepted, takenOn, 'receipt', null, localMoment(addDays(takenOn, r.int(2, 8)), 9, r.int(0, 59)));
    }
    return plan;
  }

  function addReading(
    m: MeterPlan,
    value: number,
    takenOn: string,
    source: ReadingSource,
    sentBy: string | null,
    recordedAt: Date,
    supersededAt: Date | null = null,
  ): void {
    counts.readings++;
    em.create(Reading, {
      meter: m.entity,
      value,
      takenOn,
      source,
      period: `${takenOn.slice(0, 8)}01`,
      sentBy,
      recordedAt: recordedAt > now ? now : recordedAt,
      supersededAt: supersededAt && supersededAt > now ? now : supersededAt,
    });
  }

  function randomAccount(kind: 'flat' | 'room' | 'house', r: Rng): AccountPlan {
    const premise = randomPremise(kind);
    const house = kind === 'house';
    const pool = r.weighted(NAME_POOLS.map((p) => [p, p.weight] as const));
    const female = r.chance(0.6);
    const g = female ? 1 : 0;
    const ownerFullName = [r.pick(pool.surnames)[g], r.pick(female ? pool.female : pool.male), r.pick(pool.patronymics)[g]].join(' ').toUpperCase();
    const residents =
      kind === 'room'
        ? r.int(1, 2)
        : r.weighted([
            [1, 25],
            [2, 32],
            [3, 22],
            [4, 14],
            [5, 7],
          ] as const);
    const area = kind === 'room' ? r.int(1420, 2480) : kind === 'house' ? r.int(5500, 12000) : residents === 1 ? r.int(3540, 5600) : r.int(4200, 9500);
    const phone = r.chance(0.6)
      ? `+7 9${r.pick(['28', '18', '62', '05', '88', '61', '03'])} ${r.int(100, 999)}-${pad2(r.int(0, 99))}-${pad2(r.int(0, 99))}`
      : null;
    const [surname = '', first = ''] = ownerFullName.split(' ');
    const email = r.chance(0.12)
      ? `${translit(surname)}.${translit(first).charAt(0)}${r.int(1950, 1999)}@${r.pick(['example.com', 'example.org', 'example.net'])}`
      : null;
    const pin = Array.from({ length: 6 }, () => r.pick([...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'])).join('');

    // Meters: ХВС nearly always, ГВС in about half of the flats; some rooms and houses have none.
    const noMeters = r.chance(kind === 'room' ? 0.4 : kind === 'house' ? 0.1 : 0.04);
    const hot = kind === 'flat' && r.chance(0.5);
    const normCode = house ? 'private_house' : hot || (noMeters && r.chance(0.5)) ? 'mkd_full' : 'mkd_heater';
    const account = createAccount(
      { shortNumber: newShortNumber(), ownerFullName, residents, area: decimal2(area), phone, email, normCode, pin },
      premise,
      email !== null ? r.chance(0.5) : r.chance(0.03),
    );

    const meters: MeterPlan[] = [];
    if (!noMeters) {
      const risers =
        kind === 'flat' && r.chance(0.08)
          ? ['кухня', 'С/У']
          : [
              house
                ? r.weighted([
                    ['колодец', 5],
                    ['дом', 3],
                    ['подвал', 2],
                  ] as const)
                : r.weighted([
                    ['С/У', 7],
                    ['кухня', 2],
                    ['ванная', 1],
                  ] as const),
            ];
      const paired = r.chance(0.5);
      for (const service of hot ? (['cold_water', 'hot_water'] as const) : (['cold_water'] as const)) {
        risers.forEach((place, i) => {
          const category = r.next();
          const due = category < 0.1 ? addDays(today, -r.int(20, 300)) : category < 0.2 ? addDays(today, r.int(1, 30)) : addDays(today, r.int(380, 6 * 365));
          const installedOn = installedFor(service, due, r);
          // Meters fitted together often have consecutive serial numbers.
          const prev = meters.find((m) => m.service === 'cold_water' && risers.length === 1);
          const serial =
            paired && service === 'hot_water' && prev && !serials.has(String(Number(prev.entity.serial) + 1))
              ? String(Number(prev.entity.serial) + 1)
              : newSerial();
          serials.add(serial);
          const model = r.pick(METER_MODELS[service]);
          const entity = createMeter(account, { service, serial, model, place, status: 'active' }, installedOn, due, r);
          const plan = meterPlan(entity, service, 'active', installedOn, due, r);
          plan.share = risers.length === 1 ? 1 : i === 0 ? 0.4 : 0.6;
          meters.push(plan);
        });
      }
      // The old meter this one replaced.
      if (r.chance(0.06)) {
        const first = meters[0]!;
        const removed = first.entity.installedOn ?? windowStart;
        const oldInstalled = addYears(removed, -VERIFICATION_YEARS.cold_water);
        const entity = createMeter(
          account,
          {
            service: 'cold_water',
            serial: String(r.int(100_000, 999_999)).padStart(7, '0'),
            model: r.pick(['СВ-15Х', 'СХВ-15', 'ВСХ-15']),
            place: first.entity.place ?? 'С/У',
            status: 'disconnected',
          },
          oldInstalled,
          removed,
          r,
        );
        meters.push(meterPlan(entity, 'cold_water', 'disconnected', oldInstalled, removed, r));
      }
    }

    const profile = r.weighted([
      ['exact', 60],
      ['round', 16],
      ['skipper', 12],
      ['debtor', 5],
      ['overpayer', 7],
    ] as const);
    return {
      entity: account,
      normCode,
      residents,
      meters,
      services: normCode === 'mkd_full' ? ['cold_water', 'hot_water'] : ['cold_water'],
      house,
      mean: { cold_water: meanFor('cold_water', residents, house, r), hot_water: meanFor('hot_water', residents, house, r) },
      ...behaviour(profile, r),
      benefitShare: r.chance(0.05) ? 0.5 : 0,
      endOverpaid: false,
      recalc: null,
      correctionMonth: meters.length > 0 && r.chance(0.03) ? r.int(HISTORY_MONTHS - 8, HISTORY_MONTHS - 1) : null,
    };
  }

  // A few recalculations (перерасчёт): after a control reading (less) and for an unregistered resident (more).
  const recalcTargets: Array<[number, WaterCode, number]> =
    spec.code === 'essentuki'
      ? [
          [11, 'cold_water', -4500],
          [47, 'cold_water', 7400],
        ]
      : [[9, 'hot_water', 5800]];
  for (const [from, service, volume] of recalcTargets) {
    const plan = plans.slice(from).find((p) => p.services.includes(service) && p.meters.some((m) => m.service === service && m.status === 'active'));
    if (plan) plan.recalc = { month: rng.int(8, HISTORY_MONTHS - 2), service, volume };
  }

  for (const plan of plans) history(plan, rng.fork(1000 + plans.indexOf(plan)));

  function history(a: AccountPlan, r: Rng): void {
    let opening = a.priorDebt;
    let lastCharged = 0;
    // «Детализация по услугам»: the same month per service; the debt carried in starts on cold water.
    const SERVICE_ORDER: ServiceCode[] = ['cold_water', 'hot_water', 'sewerage'];
    const serviceOpening: Record<ServiceCode, number> = { cold_water: a.priorDebt, hot_water: 0, sewerage: 0 };
    for (let k = 0; k < HISTORY_MONTHS; k++) {
      const mi = firstMonth + k;
      const period = periodOf(mi);
      const month = monthOfYear(mi);
      const dim = daysIn(mi);
      const season = a.house ? ([5, 6, 7, 8, 9].includes(month) ? 1.6 : 1) : [6, 7, 8].includes(month) ? 1.12 : 1;
      const away = r.chance(0.03);

      // Readings and volumes.
      const volumes: Record<WaterCode, number> = { cold_water: 0, hot_water: 0 };
      const takenOn = dateIn(mi, r.chance(0.9) ? r.int(spec.branch.readingDayFrom, spec.branch.readingDayTo) : r.int(5, dim - 2));
      const source = r.chance(0.03)
        ? 'control'
        : r.weighted<ReadingSource>(
            k >= HISTORY_MONTHS - 8
              ? [
                  ['portal', 40],
                  ['telegram', 30],
                  ['receipt', 24],
                  ['operator', 6],
                ]
              : [
                  ['portal', 55],
                  ['receipt', 38],
                  ['operator', 7],
                ],
          );
      const sentBy = source === 'control' ? INSPECTOR : source === 'operator' ? OPERATOR : null;
      const recordedAt = source === 'receipt' ? localMoment(addDays(takenOn, r.int(2, 8)), 9, r.int(0, 59)) : localMoment(takenOn, r.int(8, 22), r.int(0, 59));
      for (const service of a.services) {
        const meters = a.meters.filter((m) => m.service === service && m.status === 'active');
        const used = Math.round(a.mean[service] * season * (away ? 0.15 : 0.75 + r.next() * 0.5));
        let byNorm = meters.length === 0;
        for (const m of meters) {
          m.physical += Math.round(used * m.share);
          if (takenOn > m.verificationDue) {
            byNorm = true; // a meter past its verification date does not count
            continue;
          }
          const value = a.wholeCubes ? Math.floor(m.physical / 1000) * 1000 : m.physical;
          if (a.correctionMonth === k && source !== 'control') {
            // A mistyped value (an extra digit), corrected the same day.
            const typo = new Date(recordedAt.getTime() - 3 * 3_600_000);
            addReading(m, value + 100_000, takenOn, source, sentBy, typo, recordedAt);
          }
          addReading(m, value, takenOn, source, sentBy, recordedAt);
          volumes[service] += value - m.accepted;
          m.accepted = value;
        }
        if (byNorm) volumes[service] = normOf(a.normCode, service) * a.residents;
      }

      // Charges.
      let charged = 0;
      let recalculation = 0;
      let volume = 0;
      const serviceCharged: Record<ServiceCode, number> = { cold_water: 0, hot_water: 0, sewerage: 0 };
      const serviceRecalculation: Record<ServiceCode, number> = { cold_water: 0, hot_water: 0, sewerage: 0 };
      const charge = (service: ServiceCode, kind: 'accrual' | 'recalculation', v: number, extra: { recalcFrom?: string; recalcTo?: string } = {}) => {
        const tariff = tariffAt(service, mi);
        const amount = chargeFor(v, tariff);
        counts.charges++;
        em.create(Charge, { account: a.entity, service: services[service], period, kind, volume: v, tariff, amount, ...extra });
        charged += amount;
        serviceCharged[service] += amount;
        if (kind === 'recalculation') {
          recalculation += amount;
          serviceRecalculation[service] += amount;
        }
        if (service !== 'sewerage') volume += v;
      };
      for (const service of a.services) charge(service, 'accrual', volumes[service]);
      charge('sewerage', 'accrual', volumes.cold_water + volumes.hot_water);
      if (a.recalc?.month === k) {
        const span = { recalcFrom: periodOf(mi - 3), recalcTo: periodOf(mi - 1) };
        charge(a.recalc.service, 'recalculation', a.recalc.volume, span);
        charge('sewerage', 'recalculation', a.recalc.volume, span);
      }
      const benefits = charged > 0 ? Math.round(charged * a.benefitShare) : 0;

      // Payments: the receipt for the previous month arrives early in the month.
      let pay = 0;
      switch (a.profile) {
        case 'exact':
          if (opening > 0 && !r.chance(0.06)) pay = opening;
          break;
        case 'round':
          if (opening > 0 && !r.chance(0.08)) pay = roundUp(opening, a.roundStep);
          break;
        case 'skipper':
          if (opening > 0 && r.chance(0.35)) pay = opening;
          break;
        case 'debtor':
          if (opening > 0 && r.chance(0.12)) pay = Math.min(roundUp(opening, 10_000), r.int(5, 30) * 10_000);
          break;
        case 'overpayer':
          if (opening > -Math.max(lastCharged, charged)) pay = roundUp(Math.max(lastCharged, charged, 50_000) * r.int(3, 6), 100_000);
          break;
      }
      if (a.endOverpaid && k === HISTORY_MONTHS - 1 && opening + charged - benefits - pay >= 0) {
        pay = roundUp(opening + charged - benefits + 100_000, 100_000);
      }
      if (pay > 0) {
        const receivedOn = dateIn(mi, a.profile === 'exact' ? r.int(5, Math.min(27, dim)) : r.int(1, dim));
        const kind = r.chance(0.8) ? a.payKind : r.weighted(PAYMENT_KINDS);
        counts.payments++;
        em.create(Payment, {
          account: a.entity,
          ref: `PAY-${a.entity.longNumber}-${period.slice(0, 4)}${period.slice(5, 7)}`,
          kind,
          receivedOn,
          processedOn: minDate(addDays(receivedOn, r.int(1, 5)), today),
          amount: pay,
        });
      }

      const closing = opening + charged - benefits - pay;
      counts.statements++;
      em.create(Statement, {
        account: a.entity,
        period,
        opening,
        charged,
        recalculation,
        volume,
        benefits,
        paid: pay,
        closing,
      });
      // Benefits by each service's share of the charge, the payment by each service's due; the
      // kopecks left by rounding go to the first service, so the services add up to the statement.
      const split = (total: number, weight: (s: ServiceCode) => number): Record<ServiceCode, number> => {
        const weights = SERVICE_ORDER.map((s) => Math.max(weight(s), 0));
        const sum = weights.reduce((x, y) => x + y, 0);
        const parts = weights.map((w) => (sum > 0 ? Math.floor((total * w) / sum) : 0));
        parts[0]! += total - parts.reduce((x, y) => x + y, 0);
        return { cold_water: parts[0]!, hot_water: parts[1]!, sewerage: parts[2]! };
      };
      const serviceBenefits = split(benefits, (s) => serviceCharged[s]);
      const servicePaid = split(pay, (s) => serviceOpening[s] + serviceCharged[s] - serviceBenefits[s]);
      for (const service of SERVICE_ORDER) {
        if (serviceOpening[service] === 0 && serviceCharged[service] === 0 && servicePaid[service] === 0) continue;
        const serviceClosing = serviceOpening[service] + serviceCharged[service] - serviceBenefits[service] - servicePaid[service];
        em.create(ServiceStatement, {
          account: a.entity,
          service: services[service],
          period,
          opening: serviceOpening[service],
          charged: serviceCharged[service],
          recalculation: serviceRecalculation[service],
          benefits: serviceBenefits[service],
          paid: servicePaid[service],
          closing: serviceClosing,
        });
        serviceOpening[service] = serviceClosing;
      }
      opening = closing;
      lastCharged = charged;
    }
  }
}

export class DemoSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    await seedDemo(em, { now: new Date() });
  }
}
