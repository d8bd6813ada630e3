/**
 * Every inline button's data, typed: each kind is declared once here with its fields, and the
 * keyboard that shows it (`pack`) and the handler that answers it (`filter`, `unpack`) use the
 * same declaration, so a button and its handler cannot drift apart. The data is what Telegram
 * sends back verbatim — anyone can forge it — so `unpack` only checks its shape; whether the
 * account in it is the resident's is for the billing services to decide.
 */

const FIELD = {
  /** A database id. */
  id: '[1-9]\\d{0,9}',
  /** A count or an offset. */
  int: '\\d{1,6}',
  month: '\\d{4}-(?:0[1-9]|1[0-2])',
  /** A short code (a branch). */
  code: '[A-Za-z0-9_-]{1,32}',
  /** A calendar day, 'YYYY-MM-DD'. */
  date: '\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])',
} as const;
type FieldKind = keyof typeof FIELD | readonly string[];
type ValueOf<K> = K extends 'id' | 'int' ? number : K extends readonly (infer C)[] ? C : string;
export type ButtonData<F extends Record<string, FieldKind>> = { [k in keyof F]: ValueOf<F[k]> };

/** Telegram's limit for callback data, in bytes. */
const MAX_BYTES = 64;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface Button<F extends Record<string, FieldKind>> {
  /** Matches exactly this kind of button, every field in its shape (for `callbackQuery` and conversations). */
  readonly filter: RegExp;
  pack(values: ButtonData<F>): string;
  /** The fields of data that `filter` matches; null for anything else. */
  unpack(data: string | undefined): ButtonData<F> | null;
}

export function button<const F extends Record<string, FieldKind> = Record<never, never>>(prefix: string, fields: F = {} as F): Button<F> {
  const keys = Object.keys(fields) as (keyof F & string)[];
  const pattern = (k: FieldKind) => (typeof k === 'string' ? FIELD[k as keyof typeof FIELD] : (k as readonly string[]).map(escapeRegExp).join('|'));
  const filter = new RegExp(`^${escapeRegExp(prefix)}${keys.map((k) => `:(${pattern(fields[k]!)})`).join('')}$`);
  const numeric = (k: keyof F) => fields[k] === 'id' || fields[k] === 'int';
  return {
    filter,
    pack(values) {
      const data = [prefix, ...keys.map((k) => String(values[k]))].join(':');
      if (!filter.test(data) || Buffer.byteLength(data) > MAX_BYTES) throw new Error(`callback data of ${prefix} out of shape: ${data}`);
      return data;
    },
    unpack(data) {
      const m = data === undefined ? null : filter.exec(data);
      if (!m) return null;
      return Object.fromEntries(keys.map((k, i) => [k, numeric(k) ? Number(m[i + 1]) : m[i + 1]])) as ButtonData<F>;
    },
  };
}

/** All the buttons of the bot, by the feature or dialogue that answers them. */
export const buttons = {
  consent: { yes: button('consent:yes'), no: button('consent:no') },
  accounts: {
    link: button('link:start'),
    list: button('acc:list'),
    use: button('acc:use', { accountId: 'id' }),
    /** The account card (seed 000 §5, 004). */
    card: button('acc:card', { accountId: 'id' }),
    unlink: button('acc:del', { accountId: 'id' }),
    unlinkConfirmed: button('acc:del!', { accountId: 'id' }),
  },
  balance: {
    statements: button('st', { accountId: 'id' }),
    statementsBefore: button('st', { accountId: 'id', before: 'month' }),
    payments: button('pay', { accountId: 'id', offset: 'int' }),
    /** The detail by service (features/service-detail.ts): the newest month, and a month paged to with ‹ ›. */
    services: button('sv', { accountId: 'id' }),
    servicesMonth: button('sv', { accountId: 'id', month: 'month' }),
  },
  /** The reconciliation (features/service-detail.ts): pick from, pick to, the table, its PDF. */
  reconciliation: {
    start: button('rcn', { accountId: 'id' }),
    from: button('rcn:f', { accountId: 'id', from: 'month' }),
    range: button('rcn:t', { accountId: 'id', from: 'month', to: 'month' }),
    pdf: button('rcn:pdf', { how: ['chat', 'mail'], accountId: 'id', from: 'month', to: 'month' }),
  },
  history: {
    meters: button('rh', { accountId: 'id' }),
    page: button('rh', { accountId: 'id', meterId: 'id', offset: 'int' }),
  },
  /** «Счётчики» (features/meters.ts): the screen, and passing one meter's reading from it. */
  meters: { show: button('mt', { accountId: 'id' }), pass: button('mt:rd', { accountId: 'id', meterId: 'id' }) },
  receipt: {
    month: button('rc', { accountId: 'id', month: 'month' }),
    /** The month picker's newest page, and a page of the months before `before` (edited in place). */
    months: button('rcp', { accountId: 'id' }),
    monthsBefore: button('rcp', { accountId: 'id', before: 'month' }),
    email: button('rm', { accountId: 'id', month: 'month' }),
    subscription: button('rs', { mode: ['on', 'off'], accountId: 'id' }),
  },
  settings: {
    language: button('set:lang'),
    pick: button('lang', { language: ['ru', 'en'] }),
    withdraw: button('set:withdraw'),
    withdrawConfirmed: button('set:withdraw!'),
    back: button('set:back'),
    email: button('set:email'),
    /** The resident's phone (seeds 001/002, the change of phone number): the screen, sharing, removing. */
    phone: button('set:phone'),
    phoneShare: button('set:phone:share'),
    phoneRemove: button('set:phone:rm'),
    reminders: button('set:rmd'),
  },
  /** Under a reminder the bot wrote first, and the reminders' settings (features/reminders.ts). */
  reminders: {
    /** Opens the readings dialogue for that account. */
    readings: button('rmd:rd', { accountId: 'id' }),
    /** Opens the inspector call for that account, that meter and its expired verification. */
    inspector: button('rmd:in', { accountId: 'id', meterId: 'id' }),
    /** «Не напоминать»: that kind off for that account, in one tap. */
    off: button('rmd:off', { kind: ['reading_window', 'verification'], accountId: 'id' }),
    /** Settings: turn that kind on or off for that account (the screen edited in place). */
    toggle: button('rmd:set', { kind: ['reading_window', 'verification'], on: ['on', 'off'], accountId: 'id' }),
  },
  email: {
    set: button('em:set'),
    code: button('em:code'),
    subscription: button('em', { mode: ['sub', 'unsub'], accountId: 'id' }),
    /** The paper-receipt opt-out (seed 002), per subscribed account. */
    paper: button('em:paper', { mode: ['on', 'off'], accountId: 'id' }),
    remove: button('em:rm'),
    removeConfirmed: button('em:rm!'),
    back: button('em:back'),
    resend: button('em:resend'),
    other: button('em:other'),
  },
  publicBalance: { start: button('pb:start'), short: button('pb:short'), branch: button('pb:b', { branch: 'code' }) },
  link: {
    branch: button('lk:b', { branch: 'code' }),
    way: button('lk', { way: ['addr', 'num'] }),
    street: button('lk:s', { streetId: 'id' }),
    streetOther: button('lk:s:other'),
    privateHouse: button('lk:nf'),
  },
  readings: {
    choose: button('rd', { which: ['all'] }),
    meter: button('rd:m', { meterId: 'id' }),
    skip: button('rd:skip'),
    sure: button('rd', { answer: ['sure', 'fix'] }),
    confirm: button('rd', { answer: ['ok', 'again'] }),
    privateHouse: button('rd:nf'),
    /** On the summary: the readings were taken on another day than today; and back to today. */
    otherDate: button('rd:date'),
    takenToday: button('rd:date:today'),
  },
  /** The resident's requests (conversations/inspector-call.ts, commission-meter.ts, report-accident.ts; features/requests.ts). */
  requests: {
    /** «Мои заявки», a page of them. */
    list: button('rq:list', { offset: 'int' }),
    open: button('rq:o', { requestId: 'id' }),
    /** Answer «На исправление». */
    answer: button('rq:ans', { requestId: 'id' }),
    /** After «Выполнено»: good or bad. */
    rate: button('rq:rate', { requestId: 'id', mark: ['good', 'bad'] }),
    /** After 👎: rate without saying what went wrong (rate-reason.ts). */
    rateSkip: button('rq:rs', { requestId: 'id' }),
    /** A refused reading offers the inspector with the reason and meter filled in. */
    inspectorFor: button('rq:insp', { meterId: 'id', issue: ['expired', 'below'] }),
    /** «Уже известно — подтвердить?»: join an accident instead of filing a duplicate. */
    joinAccident: button('rq:join', { requestId: 'id' }),
    /** The inspector's screen: call an inspector, or commission / seal a meter. */
    start: button('rq:new', { kind: ['inspector', 'commissioning'] }),
    /** Steps of the resident's request dialogues (inspector-call.ts, commission-meter.ts). */
    reason: button('rq:r', { code: 'code' }),
    day: button('rq:d', { date: 'date' }),
    hour: button('rq:h', { hour: 'int' }),
    skip: button('rq:skip'),
    send: button('rq:send'),
    requestType: button('rq:t', { type: ['commissioning', 'sealing'] }),
    meter: button('rq:m', { meterId: 'id' }),
    newMeter: button('rq:m:new'),
    service: button('rq:s', { service: ['cold_water', 'hot_water'] }),
    installerSelf: button('rq:self'),
    /** A known meter's next verification stays the date billing knows. */
    sameDue: button('rq:due'),
    more: button('rq:more', { answer: ['yes', 'no'] }),
    agree: button('rq:ok', { what: ['terms', 'access'] }),
  },
  /** Steps of «Сообщить об аварии» (conversations/report-accident.ts). */
  accident: {
    /** The photos are all sent. */
    photosDone: button('ac:ph'),
    /** The branch of a typed address, when the bot cannot tell it. */
    branch: button('ac:b', { branch: 'code' }),
    damage: button('ac:d', { code: 'code' }),
    /** «Нет, это другое»: not one of the accidents already known nearby. */
    another: button('ac:new'),
    noPhone: button('ac:nophone'),
    /** A known outage at the place: no report needed, or «это другое». */
    outageFine: button('ac:of'),
    outageReport: button('ac:or'),
    send: button('ac:send'),
  },
  /** The answer to «На исправление» (conversations/answer-request.ts): send it as it is now. */
  answering: { send: button('ans:send') },
  /** The operators' desk in the operators' forum group (features/operator-desk.ts). */
  desk: {
    /** Move a request from the status the card showed to another. */
    move: button('dk:mv', {
      requestId: 'id',
      from: ['sent', 'accepted', 'in_work', 'needs_info', 'refused', 'done', 'closed'],
      to: ['accepted', 'in_work', 'needs_info', 'refused', 'done', 'closed'],
    }),
    refresh: button('dk:rf', { requestId: 'id' }),
  },
  /** The «💬 Оператор» chat (features/operator-chat.ts): the card's buttons in the topic, the resident's rating. */
  chat: {
    refresh: button('ch:rf', { conversationId: 'id' }),
    requests: button('ch:rq', { conversationId: 'id' }),
    rate: button('ch:rate', { mark: ['good', 'bad'] }),
  },
  /** Outages at the desk (features/outage-desk.ts): the /outage dialogue and the buttons under an announcement. */
  outages: {
    kind: button('og:k', { kind: ['planned', 'emergency'] }),
    branch: button('og:b', { branch: 'code' }),
    confirm: button('og:ok'),
    drop: button('og:x'),
    extend: button('og:ex', { outageId: 'id' }),
    resolve: button('og:rs', { outageId: 'id' }),
    cancel: button('og:cn', { outageId: 'id' }),
    /** `card`: the announcement's message, whose buttons go with the cancellation. */
    cancelConfirmed: button('og:cn!', { outageId: 'id', card: 'id' }),
  },
} as const;

/** One filter for several kinds (a dialogue step that accepts any of them). */
export const anyOf = (...kinds: { filter: RegExp }[]) => new RegExp(kinds.map((k) => k.filter.source).join('|'));
