import type { Api } from 'grammy';
import type { Billing } from '../billing/index.ts';
import type { Logger } from '../logger.ts';

/** What a group lacks for the desk: the bot an administrator there, with the right to manage topics, in a forum. */
export type Missing = 'not_reachable' | 'not_admin' | 'cannot_manage_topics' | 'not_a_forum';

export interface GroupCheck {
  chatId: number;
  /** The branches it serves ('*': those that name no group of their own). */
  branches: string[];
  missing: Missing[];
}

const WHAT: Record<Missing, string> = {
  not_reachable: 'the bot cannot reach the group (wrong id, or the bot is not a member)',
  not_admin: 'the bot is not an administrator',
  cannot_manage_topics: 'the bot lacks the right to manage topics',
  not_a_forum: 'the group has no topics (turn on Topics in the group settings)',
};

/**
 * At start: which operators' groups are configured (OPERATORS_CHAT_ID and the branches' own),
 * and whether the bot can work in each — an administrator with the right to manage topics, in
 * a forum supergroup. Logs what is missing, clearly, once; never throws (requests work without
 * a desk: the card then goes to the general chat, or nowhere).
 */
export async function checkOperatorsGroups(o: { api: Api; billing: Billing; botId: number; defaultChatId: number | null; log: Logger }): Promise<GroupCheck[]> {
  const log = o.log.child({ part: 'desk' });
  const groups = new Map<number, string[]>();
  if (o.defaultChatId !== null) groups.set(o.defaultChatId, ['*']);
  const desks = await o.billing.operators.desks({});
  if (desks.ok) for (const d of desks.value) groups.set(d.chatId, [...(groups.get(d.chatId) ?? []), ...d.branchCodes]);
  else log.warn({ code: desks.error.code }, 'desk: the branches’ operators’ groups could not be read');
  if (groups.size === 0) {
    log.warn('operators are not connected: no OPERATORS_CHAT_ID and no branch names an operators’ group; requests are taken, but no card is posted');
    return [];
  }
  const checks: GroupCheck[] = [];
  for (const [chatId, branches] of groups) {
    const missing: Missing[] = [];
    try {
      const member = await o.api.getChatMember(chatId, o.botId);
      if (member.status === 'administrator') {
        if (!member.can_manage_topics) missing.push('cannot_manage_topics');
      } else if (member.status !== 'creator') missing.push('not_admin', 'cannot_manage_topics');
      const chat = await o.api.getChat(chatId);
      if (!('is_forum' in chat) || !chat.is_forum) missing.push('not_a_forum');
    } catch (err) {
      missing.push('not_reachable');
      log.debug({ err, chatId }, 'desk: the group check failed');
    }
    checks.push({ chatId, branches, missing });
    if (missing.length) log.warn({ chatId, branches, missing }, `desk: the operators' group ${chatId} is not ready: ${missing.map((m) => WHAT[m]).join('; ')}`);
    else log.info({ chatId, branches }, `desk: the operators' group ${chatId} is connected`);
  }
  return checks;
}
