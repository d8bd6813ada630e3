import { InlineKeyboard } from 'grammy';
import { anyOf, buttons } from '../src/bot/callback-data.ts';
import { viaTelegram, type Pointer } from '../src/billing/index.ts';
import type { BotDeps, ConversationContext } from '../src/bot/context.ts';
import { consentScreen } from '../src/bot/screens/consent.ts';
import { mainMenu } from '../src/bot/screens/menu.ts';
import { addressLine } from '../src/words.ts';
import { surnameOf } from '../src/billing/normalize.ts';
import { lockedOut, tellLockout } from './lockout.ts';
import { ask, rows, type Conv } from './steps.ts';

type Proof =
  | { by: 'address'; branchCode: string; streetId: number; house: string; flat: string | null; surname: string; pin?: string }
  | { by: 'number'; longNumber: string; house: string; flat: string | null; surname: string; pin?: string }
  | { by: 'number'; branchCode: string; shortNumber: string; house: string; flat: string | null; surname: string; pin?: string };

/**
 * «Привязать лицевой счёт» (seeds 001–003): by address — branch, street, house, flat, surname —
 * or by number — the 15-digit one, or a short one with its branch — then house, flat, surname;
 * and the PIN where the branch asks for it. Failures are uniform and counted.
 */
export function linkAccount(deps: BotDeps) {
  return async function linkAccountConversation(conversation: Conv, ctx: ConversationContext) {
    const userId = ctx.from!.id;
    const branchesResult = await conversation.external(() => deps.billing.branches.list({}));
    if (!branchesResult.ok) throw new Error('branches unavailable');
    const branches = branchesResult.value;
    // Locked out already (ten failures of this user today): said now, not after every field was typed.
    if (await lockedOut(conversation, ctx, deps, { userId, branches })) return;

    const pickBranch = async (c: ConversationContext, questionKey: string) => {
      if (branches.length === 1) return branches[0]!;
      const a = await ask(conversation, c, {
        buttons: buttons.link.branch.filter,
        send: (x) =>
          x.reply(x.t(questionKey), {
            reply_markup: rows(
              new InlineKeyboard(),
              branches.map((b) => ({ label: b.name, data: buttons.link.branch.pack({ branch: b.code }) })),
            ),
          }),
      });
      const code = a.kind === 'button' ? buttons.link.branch.unpack(a.data)?.branch : undefined;
      return branches.find((b) => b.code === code) ?? branches[0]!;
    };
    const askText = async (c: ConversationContext, key: string, extra?: InlineKeyboard, buttons?: RegExp) =>
      ask(conversation, c, { text: true, buttons, send: (x) => x.reply(x.t(key), extra ? { reply_markup: extra } : undefined) });

    const how = await ask(conversation, ctx, {
      buttons: buttons.link.way.filter,
      send: (x) =>
        x.reply(x.t('link-start'), {
          reply_markup: new InlineKeyboard()
            .text(x.t('link-by-address'), buttons.link.way.pack({ way: 'addr' }))
            .row()
            .text(x.t('link-by-number'), buttons.link.way.pack({ way: 'num' })),
        }),
    });

    let proof: Proof;
    let branch: (typeof branches)[number] | undefined;
    let target: Pointer;
    if (how.kind === 'button' && buttons.link.way.unpack(how.data)?.way === 'addr') {
      branch = await pickBranch(ctx, 'link-ask-branch');
      let streetId: number | null = null;
      while (streetId === null) {
        const typed = await askText(ctx, 'link-ask-street');
        if (typed.kind !== 'text') continue;
        const found = await conversation.external(() => deps.billing.accounts.searchStreets({ branchCode: branch!.code, query: typed.text, limit: 8 }));
        const streets = found.ok ? found.value : [];
        if (streets.length === 0) {
          await ctx.reply(ctx.t('link-street-not-found'));
          continue;
        }
        const keyboard = rows(
          new InlineKeyboard(),
          streets.map((s) => ({ label: `${s.name} (${s.settlement})`, data: buttons.link.street.pack({ streetId: s.streetId }) })),
        );
        keyboard.text(ctx.t('link-street-other'), buttons.link.streetOther.pack({}));
        const picked = await ask(conversation, ctx, {
          buttons: anyOf(buttons.link.street, buttons.link.streetOther),
          send: (x) => x.reply(x.t('link-street-pick'), { reply_markup: keyboard }),
        });
        if (picked.kind === 'button') streetId = buttons.link.street.unpack(picked.data)?.streetId ?? null;
      }
      const { house, flat } = await askHouseFlat(ctx);
      // The account at this address, once its house and flat are known (billing compares them as it links).
      target = { branchCode: branch.code, streetId, house, flat };
      if (await lockedOut(conversation, ctx, deps, { userId, target, branches: [branch] })) return;
      const surname = await askSurname(ctx);
      proof = { by: 'address', branchCode: branch.code, streetId, house, flat, surname };
    } else {
      let digits = '';
      for (;;) {
        const typed = await askText(ctx, 'link-ask-number');
        digits = typed.kind === 'text' ? typed.text.replace(/[\s-]/g, '') : '';
        if (/^\d{1,15}$/.test(digits)) break;
        await ctx.reply(ctx.t('link-bad-number'));
      }
      if (digits.length === 15) {
        target = { longNumber: digits };
        if (await lockedOut(conversation, ctx, deps, { userId, target, branches })) return;
        const { house, flat } = await askHouseFlat(ctx);
        const surname = await askSurname(ctx);
        proof = { by: 'number', longNumber: digits, house, flat, surname };
      } else {
        branch = await pickBranch(ctx, 'link-ask-branch-for-short');
        target = { branchCode: branch.code, shortNumber: digits };
        if (await lockedOut(conversation, ctx, deps, { userId, target, branches: [branch] })) return;
        const { house, flat } = await askHouseFlat(ctx);
        const surname = await askSurname(ctx);
        proof = { by: 'number', branchCode: branch.code, shortNumber: digits, house, flat, surname };
      }
    }

    async function askHouseFlat(c: ConversationContext) {
      const houseAnswer = await askText(c, 'link-ask-house');
      const house = houseAnswer.kind === 'text' ? houseAnswer.text : '';
      const flatAnswer = await askText(
        c,
        'link-ask-flat',
        new InlineKeyboard().text(c.t('link-private-house'), buttons.link.privateHouse.pack({})),
        buttons.link.privateHouse.filter,
      );
      const flat = flatAnswer.kind === 'text' ? flatAnswer.text : null;
      return { house, flat };
    }
    async function askSurname(c: ConversationContext) {
      const surnameAnswer = await askText(c, 'link-ask-surname');
      // «Ковалёва Анна Петровна», as the receipt prints it: the surname is its first word, and
      // only that goes to billing's check (which still says nothing of what did not match).
      return surnameAnswer.kind === 'text' ? surnameOf(surnameAnswer.text) : '';
    }

    // Once more before the PIN is asked: another chat may have used up the target's tries meanwhile.
    // Without a PIN to ask first, the check itself says so (it refuses a locked target before
    // anything else, answered as `ownership_locked` below, with the same text): no second round trip.
    if (branch?.requiresPin && (await lockedOut(conversation, ctx, deps, { userId, target, branches: [branch] }))) return;
    if (branch?.requiresPin) {
      const pin = await askText(ctx, 'link-ask-pin');
      if (pin.kind === 'text') proof.pin = pin.text;
    }

    let result = await conversation.external(() => deps.billing.residents.linkAccount({ actor: viaTelegram(userId), proof }));
    if (!result.ok && result.error.code === 'pin_required') {
      const pin = await askText(ctx, 'link-ask-pin');
      if (pin.kind === 'text') proof.pin = pin.text;
      result = await conversation.external(() => deps.billing.residents.linkAccount({ actor: viaTelegram(userId), proof }));
    }
    if (result.ok) {
      const a = result.value.account;
      const key = result.value.alreadyLinked ? 'link-already' : 'link-done';
      await ctx.reply(ctx.t(key, { number: a.longNumber, address: addressLine(ctx.t, a.address), owner: a.owner }), {
        reply_markup: mainMenu(ctx.t, true),
      });
      return;
    }
    switch (result.error.code) {
      case 'ownership_locked':
        // Tried meanwhile from elsewhere (billing counts every way of trying).
        await tellLockout(ctx, result.error.until, branch ? [branch] : branches);
        return;
      case 'account_not_found':
      case 'pin_required':
      case 'invalid_input':
        // Counted by billing as it refused; the answer is the same whatever did not match.
        await ctx.reply(ctx.t('link-not-found'), {
          reply_markup: new InlineKeyboard().text(ctx.t('link-try-again'), buttons.accounts.link.pack({})),
        });
        return;
      case 'resident_not_found':
        // The consent was withdrawn meanwhile (elsewhere): offer it again, or the resident is stuck.
        await ctx.reply(ctx.t('consent-required'));
        await consentScreen(ctx);
        return;
      default:
        await ctx.reply(ctx.t('error-generic'));
    }
  };
}
