import type { BranchInfo } from '../src/billing/index.ts';
import type { BotDeps, ConversationContext } from '../src/bot/context.ts';
import { lockoutText } from '../src/bot/screens/lockout.ts';
import type { Conv } from './steps.ts';

/**
 * Whether the attempt limits (src/bot/limits.ts) stop this resident now — the user's own counter,
 * and the target's once it is known; if so the resident is told until when and whom to call, and
 * the dialogue ends before another question is put.
 */
export async function lockedOut(
  conversation: Conv,
  ctx: ConversationContext,
  deps: BotDeps,
  o: { userId: number; target?: string; branches: readonly BranchInfo[] },
): Promise<boolean> {
  const { userId, target } = o;
  const wait = await conversation.external(() => (target === undefined ? deps.limits.userBlockedFor(userId) : deps.limits.blockedFor(userId, target)));
  if (wait <= 0) return false;
  const until = await conversation.external(() => Date.now() + wait * 1000);
  await ctx.reply(lockoutText(ctx.t, until, o.branches));
  return true;
}
