import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApiCall, ApiRecorder } from './telegram.ts';

/** Telegram's HTML as a reader sees it: the tags gone, the entities back to characters. */
const plain = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The message id a call made or touched: Telegram's answer for a new one, the payload's for an edit. */
export const messageIdOf = (c: ApiCall): number | undefined => c.payload.message_id ?? c.result?.message_id;

function markup(m: Record<string, any> | undefined): string {
  if (!m) return '';
  // Rows as Telegram shows them: an empty row (grammY's trailing `row()`) is not seen.
  const rows = (keyboard: (string | { text: string })[][]) =>
    keyboard
      .filter((row) => row.length > 0)
      .map((row) => row.map((b) => (typeof b === 'string' ? b : b.text)).join(' | '))
      .join(' / ');
  if (m.inline_keyboard) return m.inline_keyboard.flat().length ? ` [buttons: ${rows(m.inline_keyboard)}]` : ' [no buttons]';
  if (m.keyboard) return ` [keyboard: ${rows(m.keyboard)}]`;
  if (m.remove_keyboard) return ' [keyboard removed]';
  if (m.force_reply) return ' [reply to this message]';
  return '';
}

/** Lines of a multi-line text, the first after the arrow, the others indented under it. */
const block = (text: string) => text.split('\n').join('\n      ');

/**
 * A readable transcript of a walk: the actions of the residents and operators as the test makes
 * them, and what the bot did in Telegram, from the Bot API calls the stand-in recorded — so it
 * shows exactly what each chat would show.
 */
export class Transcript {
  private readonly notes: { at: number; line: string }[] = [];
  private readonly names = new Map<number, string>();
  private readonly topics = new Map<number, string>();
  private readonly threadOfMessage = new Map<number, number>();
  /** What a message relayed by copy was, as the test describes it (the stand-in does not know a message's content). */
  private readonly sources = new Map<string, string>();
  /** The walk begins here: what the bot did before (the consent, the linking) is not in it. */
  private readonly from: number;

  constructor(
    private readonly api: ApiRecorder,
    private readonly groupId: number,
  ) {
    this.from = api.calls.length;
  }

  /** How a private chat is named in the transcript («resident», «resident B»). */
  name(chatId: number, who: string) {
    this.names.set(chatId, who);
  }

  /** What the message `messageId` of `chatId` shows, for the copies of it («the text», «a photo»). */
  source(chatId: number, messageId: number, what: string) {
    this.sources.set(`${chatId}:${messageId}`, what);
  }

  /** An action, placed before the calls the bot makes in answer to it. */
  note(line: string) {
    this.notes.push({ at: this.api.calls.length, line });
  }

  private where(c: ApiCall): string {
    const chatId = c.payload.chat_id;
    if (chatId !== this.groupId) return this.names.get(chatId) ?? `chat ${chatId}`;
    const thread = c.payload.message_thread_id ?? (c.payload.message_id !== undefined ? this.threadOfMessage.get(c.payload.message_id) : undefined);
    if (thread === undefined) return 'group (general)';
    return `group (topic «${this.topics.get(thread) ?? thread}»)`;
  }

  private line(c: ApiCall): string | null {
    const p = c.payload;
    const to = () => this.where(c);
    // A copy's own id is Telegram's answer (its payload's message_id is the source's).
    const id = c.method === 'copyMessage' ? c.result?.message_id : messageIdOf(c);
    if (p.chat_id === this.groupId && id !== undefined && p.message_thread_id !== undefined) this.threadOfMessage.set(id, p.message_thread_id);
    switch (c.method) {
      case 'sendMessage': {
        const text = p.parse_mode === 'HTML' ? plain(p.text) : p.text;
        const reply = p.reply_parameters?.message_id ? ` (in reply to #${p.reply_parameters.message_id})` : '';
        return `🤖 bot → ${to()}: #${id}${reply} ${block(text)}${markup(p.reply_markup)}`;
      }
      case 'editMessageText': {
        const text = p.parse_mode === 'HTML' ? plain(p.text) : p.text;
        return `🤖 bot edits #${p.message_id} in ${to()}: ${block(text)}${markup(p.reply_markup)}`;
      }
      case 'editMessageReplyMarkup':
        return `🤖 bot edits the buttons of #${p.message_id} in ${to()}:${markup(p.reply_markup) || ' [buttons removed]'}`;
      case 'sendPhoto':
        return `🤖 bot → ${to()}: a photo${p.caption ? `: ${block(p.caption)}` : ''}${markup(p.reply_markup)}`;
      case 'sendMediaGroup': {
        const media = p.media as { type: string; media: string; caption?: string }[];
        const caption = media.find((m) => m.caption)?.caption;
        return `🤖 bot → ${to()}: an album of ${media.length} (${media.map((m) => `${m.type} ${m.media}`).join(', ')})${caption ? `: ${caption}` : ''}`;
      }
      case 'sendLocation':
        return `🤖 bot → ${to()}: 📍 a point on the map ${p.latitude}, ${p.longitude}`;
      case 'sendDocument':
        return `🤖 bot → ${to()}: a document${p.caption ? `: ${p.caption}` : ''}`;
      case 'copyMessage': {
        const reply = p.reply_parameters?.message_id ? ` (in reply to #${p.reply_parameters.message_id})` : '';
        const what = this.sources.get(`${p.from_chat_id}:${p.message_id}`) ?? `a copy of #${p.message_id}`;
        const caption = p.caption ? ` [caption: ${block(p.caption)}]` : '';
        return `🤖 bot → ${to()}: #${c.result?.message_id}${reply} ${block(what)}${caption}`;
      }
      case 'copyMessages':
        return `🤖 bot → ${to()}: an album, ${(p.message_ids as number[]).map((m) => this.sources.get(`${p.from_chat_id}:${m}`) ?? `#${m}`).join(', ')}`;
      case 'editMessageCaption':
        return `🤖 bot edits the caption of #${p.message_id} in ${to()}: ${block(p.caption ?? '')}`;
      case 'answerCallbackQuery':
        return p.text ? `   (${p.show_alert ? 'alert' : 'toast'}) ${p.text}` : null;
      case 'createForumTopic':
        this.topics.set(c.result?.message_thread_id, p.name);
        return `🤖 bot creates the topic «${p.name}» in the group`;
      default:
        return null;
    }
  }

  /** Everything so far: each action, then what the bot did. */
  render(): string {
    const out: string[] = [];
    const calls = this.api.calls;
    let n = 0;
    for (let i = this.from; i <= calls.length; i++) {
      while (n < this.notes.length && this.notes[n]!.at <= i) out.push('', this.notes[n++]!.line);
      const c = calls[i];
      const line = c && this.line(c);
      if (line) out.push(line);
    }
    return `${out.join('\n').trim()}\n`;
  }

  /** Written to $WALK_TRANSCRIPT/walk-<kind>.txt when that variable names a directory; otherwise nothing. */
  async save(kind: string) {
    const dir = process.env.WALK_TRANSCRIPT;
    if (!dir) return;
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `walk-${kind}.txt`), this.render());
  }
}
