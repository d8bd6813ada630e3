import type { Update } from 'grammy/types';

const isId = (v: unknown) => Number.isSafeInteger(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optional = (v: unknown, test: (v: unknown) => boolean) => v === undefined || test(v);
const isString = (v: unknown) => typeof v === 'string';
const isUser = (v: unknown) => isObject(v) && isId(v.id);
const isChat = (v: unknown) => isObject(v) && isId(v.id) && isString(v.type);
const isEntities = (v: unknown) =>
  Array.isArray(v) && v.every((e) => isObject(e) && isString(e.type) && Number.isSafeInteger(e.offset) && Number.isSafeInteger(e.length));
const isFiles = (v: unknown) => Array.isArray(v) && v.every((f) => isObject(f) && isString(f.file_id));

function isMessage(v: unknown): boolean {
  return (
    isObject(v) &&
    isId(v.message_id) &&
    isChat(v.chat) &&
    optional(v.from, isUser) &&
    optional(v.text, isString) &&
    optional(v.caption, isString) &&
    optional(v.entities, isEntities) &&
    optional(v.caption_entities, isEntities) &&
    optional(v.photo, isFiles) &&
    optional(v.message_thread_id, isId)
  );
}

/**
 * Whether the parts of an update the bot reads have the types Telegram's Bot API gives them (ids
 * numbers, texts strings, a callback query's id and data strings). Telegram sends nothing else; a
 * body that is not so (posted by a stranger who has the webhook's secret, or a fault between) is
 * not for this bot. Fields the bot does not read, and kinds it does not take, are not looked at.
 */
export function hasTelegramShape(update: Update): boolean {
  const u = update as unknown as Record<string, unknown>;
  if (!isObject(u) || !isId(u.update_id)) return false;
  for (const kind of ['message', 'edited_message', 'channel_post', 'edited_channel_post'] as const) {
    if (u[kind] !== undefined && !isMessage(u[kind])) return false;
  }
  const q = u.callback_query;
  if (
    q !== undefined &&
    !(
      isObject(q) &&
      isString(q.id) &&
      isUser(q.from) &&
      optional(q.data, isString) &&
      optional(q.message, (m) => isObject(m) && isChat(m.chat) && isId(m.message_id))
    )
  )
    return false;
  const member = u.my_chat_member;
  if (
    member !== undefined &&
    !(isObject(member) && isChat(member.chat) && isUser(member.from) && isObject(member.new_chat_member) && isObject(member.old_chat_member))
  )
    return false;
  return true;
}
