import { InlineKeyboard } from 'grammy';
import { anyOf, buttons } from '../src/bot/callback-data.ts';
import { viaTelegram, type MeterInfo } from '../src/billing/index.ts';
import { formatReadingValue, parseReadingValue } from '../src/billing/readings-rules.ts';
import type { BotDeps, ConversationContext } from '../src/bot/context.ts';
import { METER_SERIAL } from '../src/billing/schemas.ts';
import { day, localDate } from '../src/format.ts';
import { mainMenu } from '../src/bot/screens/menu.ts';
import { formatPhone } from '../src/phone.ts';
import { accountLines, activeAccountFor, askPhone, handOver, requestRefusal, skipKeyboard } from './request-steps.ts';
import { ask, type Conv, type SentFile } from './steps.ts';

type T = ConversationContext['t'];
type Service = 'cold_water' | 'hot_water';
type RequestType = 'commissioning' | 'sealing';

/** At most this many meters in one request (the service's limit). */
const MAX_METERS = 5;
/** A meter billing does not know yet: the register most household meters have. */
const NEW_METER_DIGITS = { digitsBefore: 5, digitsAfter: 3 };
/** Who fitted a meter: a company's name as typed, or the owner themselves — a code each reader's locale words. */
type Installer = string | { self: true };

interface MeterEntry {
  requestType: RequestType;
  known: MeterInfo | null;
  service: Service;
  serial: string;
  model?: string;
  place?: string;
  verificationDue?: string;
  reading: number;
  digitsAfter: number;
  installer: Installer;
  passport: SentFile;
  certificate?: SentFile;
}

const meterLabel = (t: T, m: { service: string; serial: string; place: string | null }) =>
  t('readings-meter', { service: t(`service-${m.service}`), serial: m.serial, place: m.place ?? 'none' });

/** «DD.MM.YYYY» → 'YYYY-MM-DD', or null if it is no calendar day. */
function parseDay(text: string): string | null {
  const m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(text.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * the commissioning or sealing request (seed 001 §4) for the active
 * account, meter after meter (up to 5): the type of request, which meter (one billing knows —
 * nothing of it asked again — or a new one: service, serial, model, place, next verification),
 * the reading, the installer, the photos of the passport and the verification certificate; then
 * the phone, the two agreements and a summary to send. The owner's passport data is not asked:
 * the inspector sees the document at the visit (the consent does not cover it).
 */
export function commissionMeter(deps: BotDeps) {
  return async function commissionMeterConversation(conversation: Conv, ctx: ConversationContext) {
    const actor = viaTelegram(ctx.from!.id);
    const account = await activeAccountFor(conversation, ctx, deps);
    if (!account) return;
    const accountId = account.accountId;
    const prepared = await conversation.external(() => deps.billing.readings.prepare({ actor, accountId }));
    if (!prepared.ok) throw new Error(`commissioning: ${prepared.error.code}`);
    const today = prepared.value.today;
    const timezone = await conversation.external(async () => {
      const branches = await deps.billing.branches.list({});
      return (branches.ok ? branches.value.find((b) => b.code === account.branchCode)?.timezone : undefined) ?? 'Europe/Moscow';
    });
    await ctx.reply([ctx.t('commission-header'), accountLines(ctx.t, account), '', ctx.t('commission-no-passport-data')].join('\n'));

    const entries: MeterEntry[] = [];
    for (;;) {
      entries.push(await askMeter(conversation, ctx, account.meters, entries, today));
      if (entries.length >= MAX_METERS) break;
      const more = await ask(conversation, ctx, {
        buttons: buttons.requests.more.filter,
        send: (x) =>
          x.reply(x.t('commission-meter-added', { count: entries.length }), {
            reply_markup: new InlineKeyboard()
              .text(x.t('commission-add-meter'), buttons.requests.more.pack({ answer: 'yes' }))
              .row()
              .text(x.t('commission-next'), buttons.requests.more.pack({ answer: 'no' })),
          }),
      });
      if (more.kind !== 'button' || buttons.requests.more.unpack(more.data)?.answer !== 'yes') break;
    }

    const saved = await conversation.external(async () => {
      const r = await deps.billing.residents.phone({ actor });
      return r.ok ? r.value : null;
    });
    const phone = (await askPhone(conversation, ctx, { question: 'request-ask-phone', saved }))!;
    for (const what of ['terms', 'access'] as const) {
      await ask(conversation, ctx, {
        buttons: buttons.requests.agree.filter,
        send: (x) =>
          x.reply(x.t(`commission-${what}`), {
            reply_markup: new InlineKeyboard().text(x.t(`commission-${what}-accept`), buttons.requests.agree.pack({ what })),
          }),
      });
    }

    const rows = entries.map((e, i) =>
      ctx.t('commission-summary-meter', {
        n: i + 1,
        type: ctx.t(`commission-type-${e.requestType}`),
        meter: meterLabel(ctx.t, { service: e.service, serial: e.serial, place: e.place ?? e.known?.place ?? null }),
        model: e.model ?? e.known?.model ?? 'none',
        due: e.verificationDue ? day(e.verificationDue) : e.known?.verificationDue ? day(e.known.verificationDue) : 'none',
        reading: formatReadingValue(e.reading, { digitsAfter: e.digitsAfter }),
        installer: typeof e.installer === 'string' ? e.installer : ctx.t('request-installer-self'),
        files: e.certificate ? 2 : 1,
      }),
    );
    const summary = [
      ctx.t('request-summary'),
      accountLines(ctx.t, account),
      '',
      ...rows,
      '',
      ctx.t('commission-summary-end', { phone: formatPhone(phone) }),
    ].join('\n');
    await ask(conversation, ctx, {
      buttons: buttons.requests.send.filter,
      send: (x) => x.reply(summary, { reply_markup: new InlineKeyboard().text(x.t('request-send'), buttons.requests.send.pack({})) }),
    });

    const result = await conversation.external(() =>
      deps.billing.requests.commissionMeters({
        actor,
        accountId,
        phone,
        acceptTerms: true,
        giveAccess: true,
        meters: entries.map((e) =>
          e.known
            ? {
                requestType: e.requestType,
                meterId: e.known.meterId,
                ...(e.verificationDue ? { verificationDue: e.verificationDue } : {}),
                reading: e.reading,
                installer: e.installer,
                passport: e.passport,
                ...(e.certificate ? { certificate: e.certificate } : {}),
              }
            : {
                requestType: e.requestType,
                service: e.service,
                serial: e.serial,
                ...(e.model ? { model: e.model } : {}),
                ...(e.place ? { place: e.place } : {}),
                verificationDue: e.verificationDue!,
                reading: e.reading,
                installer: e.installer,
                passport: e.passport,
                ...(e.certificate ? { certificate: e.certificate } : {}),
              },
        ),
      }),
    );
    if (result.ok) {
      await handOver(conversation, deps, result.value.requestId);
      await ctx.reply(ctx.t('commission-sent', { number: result.value.number, deadline: localDate(result.value.deadlineAt, timezone) }), {
        reply_markup: mainMenu(ctx.t, true),
      });
      return;
    }
    const code = result.error.code;
    const words =
      code === 'verification_date_past'
        ? ctx.t('commission-due-past')
        : code === 'account_not_found' || code === 'not_permitted'
          ? ctx.t('request-need-link')
          : requestRefusal(ctx.t, code);
    await ctx.reply(words, { reply_markup: mainMenu(ctx.t, true) });
  };
}

async function askMeter(conversation: Conv, ctx: ConversationContext, meters: MeterInfo[], taken: MeterEntry[], today: string): Promise<MeterEntry> {
  const n = taken.length + 1;
  const typeAnswer = await ask(conversation, ctx, {
    buttons: buttons.requests.requestType.filter,
    send: (x) =>
      x.reply(x.t('commission-ask-type', { n }), {
        reply_markup: new InlineKeyboard()
          .text(x.t('commission-type-commissioning'), buttons.requests.requestType.pack({ type: 'commissioning' }))
          .row()
          .text(x.t('commission-type-sealing'), buttons.requests.requestType.pack({ type: 'sealing' })),
      }),
  });
  const requestType: RequestType = (typeAnswer.kind === 'button' && buttons.requests.requestType.unpack(typeAnswer.data)?.type) || 'commissioning';

  // A meter billing knows (in service, not one already in this request), or a new one; a
  // disconnected meter is history (one put back after a repair is entered as a new one).
  const offered = meters.filter((m) => m.status === 'active' && !taken.some((e) => e.known?.meterId === m.meterId));
  let known: MeterInfo | null = null;
  if (offered.length > 0) {
    const which = await ask(conversation, ctx, {
      buttons: anyOf(buttons.requests.meter, buttons.requests.newMeter),
      send: (x) => {
        const k = new InlineKeyboard();
        for (const m of offered) k.text(meterLabel(x.t, m), buttons.requests.meter.pack({ meterId: m.meterId })).row();
        k.text(x.t('commission-new-meter'), buttons.requests.newMeter.pack({}));
        return x.reply(x.t('commission-ask-meter'), { reply_markup: k });
      },
    });
    const picked = which.kind === 'button' ? buttons.requests.meter.unpack(which.data) : null;
    known = picked ? (offered.find((m) => m.meterId === picked.meterId) ?? null) : null;
  }

  const entry: Partial<MeterEntry> = { requestType, known };
  if (known) {
    entry.service = known.service as Service;
    entry.serial = known.serial;
    entry.digitsAfter = known.digitsAfter;
    // After a verification (or a repair) the next one moves: asked, the known date offered as a button.
    entry.verificationDue = await askDue(conversation, ctx, today, known.verificationDue && known.verificationDue > today ? known.verificationDue : null);
  } else {
    const service = await ask(conversation, ctx, {
      buttons: buttons.requests.service.filter,
      send: (x) =>
        x.reply(x.t('commission-ask-service'), {
          reply_markup: new InlineKeyboard()
            .text(x.t('service-cold_water'), buttons.requests.service.pack({ service: 'cold_water' }))
            .row()
            .text(x.t('service-hot_water'), buttons.requests.service.pack({ service: 'hot_water' })),
        }),
    });
    entry.service = (service.kind === 'button' && buttons.requests.service.unpack(service.data)?.service) || 'cold_water';
    for (;;) {
      const serial = await ask(conversation, ctx, { text: true, maxLength: 32, send: (x) => x.reply(x.t('commission-ask-serial')) });
      const s = serial.kind === 'text' ? serial.text.replace(/\s+/g, '') : '';
      if (METER_SERIAL.test(s)) {
        entry.serial = s;
        break;
      }
      await ctx.reply(ctx.t('commission-bad-serial'));
    }
    const optional = async (key: string, max: number) => {
      const a = await ask(conversation, ctx, {
        text: true,
        maxLength: max,
        tooLong: 'request-too-long',
        buttons: buttons.requests.skip.filter,
        send: (x) => x.reply(x.t(key), { reply_markup: skipKeyboard(x.t) }),
      });
      return a.kind === 'text' ? a.text : undefined;
    };
    entry.model = await optional('commission-ask-model', 100);
    entry.place = await optional('commission-ask-place', 100);
    entry.verificationDue = await askDue(conversation, ctx, today, null);
    entry.digitsAfter = NEW_METER_DIGITS.digitsAfter;
  }

  const digits = known ? { digitsBefore: known.digitsBefore, digitsAfter: known.digitsAfter } : NEW_METER_DIGITS;
  for (;;) {
    const typed = await ask(conversation, ctx, { text: true, maxLength: 20, send: (x) => x.reply(x.t('commission-ask-reading')) });
    const parsed = parseReadingValue(typed.kind === 'text' ? typed.text : '', digits);
    if (parsed.ok) {
      entry.reading = parsed.milli;
      break;
    }
    await ctx.reply(ctx.t(`readings-bad-${parsed.error}`, { decimals: digits.digitsAfter, digits: digits.digitsBefore }));
  }

  const installer = await ask(conversation, ctx, {
    text: true,
    maxLength: 300,
    tooLong: 'request-too-long',
    buttons: buttons.requests.installerSelf.filter,
    send: (x) =>
      x.reply(x.t('commission-ask-installer'), {
        reply_markup: new InlineKeyboard().text(x.t('commission-installer-self'), buttons.requests.installerSelf.pack({})),
      }),
  });
  entry.installer = installer.kind === 'text' ? installer.text : { self: true };

  entry.passport = (await askFile(conversation, ctx, 'commission-ask-passport', false))!;
  // For a meter billing knows the certificate is the proof of its new verification: required.
  entry.certificate = await askFile(conversation, ctx, known ? 'commission-ask-certificate' : 'commission-ask-certificate-optional', !known);
  return entry as MeterEntry;
}

/**
 * The next verification date, DD.MM.YYYY, ahead of today; `same` (the date billing knows, if
 * still ahead) is offered as a button «same: 15.03.2032».
 */
async function askDue(conversation: Conv, ctx: ConversationContext, today: string, same: string | null): Promise<string> {
  for (;;) {
    const due = await ask(conversation, ctx, {
      text: true,
      maxLength: 16,
      tooLong: 'commission-bad-due',
      ...(same ? { buttons: buttons.requests.sameDue.filter } : {}),
      send: (x) =>
        x.reply(x.t(same ? 'commission-ask-due-known' : 'commission-ask-due'), {
          ...(same ? { reply_markup: new InlineKeyboard().text(x.t('commission-due-same', { date: day(same) }), buttons.requests.sameDue.pack({})) } : {}),
        }),
    });
    if (due.kind === 'button' && same) return same;
    const date = due.kind === 'text' ? parseDay(due.text) : null;
    if (!date) await ctx.reply(ctx.t('commission-bad-due'));
    else if (date <= today) await ctx.reply(ctx.t('commission-due-past'));
    else return date;
  }
}

/** A photo or a document (an image or a PDF); with `optional`, `request-skip` gives undefined. */
async function askFile(conversation: Conv, ctx: ConversationContext, key: string, optional: boolean): Promise<SentFile | undefined> {
  for (;;) {
    const a = await ask(conversation, ctx, {
      file: 'image_or_pdf',
      hint: 'commission-file-hint',
      ...(optional ? { buttons: buttons.requests.skip.filter } : {}),
      send: (x) => x.reply(x.t(key), optional ? { reply_markup: skipKeyboard(x.t) } : undefined),
    });
    if (a.kind === 'button') return undefined;
    if (a.kind === 'file') {
      await ctx.reply(ctx.t('commission-file-kept'));
      return a.file;
    }
    if (a.kind === 'bad_file') await ctx.reply(ctx.t(a.why === 'too_big' ? 'commission-file-too-big' : 'commission-file-type'));
  }
}
