import { viaTelegram, type BranchInfo, type Pointer } from '../src/billing/index.ts';
import type { BotDeps, ConversationContext } from '../src/bot/context.ts';
import { lockoutText } from '../src/bot/screens/lockout.ts';
import type { Conv } from './steps.ts';

/**
 * Whether the limits of failed checks (src/billing/ownership-limits.ts, in PostgreSQL) stop this
 * resident now — their own count, and the account's once the number or address is typed; if so
 * the resident is told until when and whom to call, and the dialogue ends before another
 * question is put.
 */
export async function lockedOut(
  conversation: Conv,
  ctx: ConversationContext,
  deps: BotDeps,
  o: { userId: number; target?: Pointer; branches: readonly BranchInfo[] },
): Promise<boolean> {
  const lock = await conversation.external(() =>
    deps.billing.residents.ownershipLock({ actor: viaTelegram(o.userId), ...(o.target ? { target: o.target } : {}) }),
  );
  if (!lock.ok) throw new Error(`ownershipLock: ${lock.error.code}`);
  if (lock.value.until === null) return false;
  await tellLockout(ctx, lock.value.until, o.branches);
  return true;
}

/** «Слишком много неудачных попыток» until `until` (ISO), with the branches' phones. */
export async function tellLockout(ctx: ConversationContext, until: string, branches: readonly BranchInfo[]) {
  await ctx.reply(lockoutText(ctx.t, Date.parse(until), branches));
}
