import type { ConversationData, VersionedState } from '@grammyjs/conversations';
import type { Context, MiddlewareFn, StorageAdapter } from 'grammy';
import { isOutage } from '../outage.ts';

type State = VersionedState<ConversationData>;
type Held = { op: 'write'; key: string; state: State } | { op: 'delete'; key: string };

/** This update's writes of the dialogues' state, until its outcome is known (one per update). */
const HELD = Symbol('held dialogue writes');
/** This update read no dialogue state: a delete at its end has nothing to delete. */
const ABSENT = Symbol('no dialogue state was read');
type WithHeld = Context & { [HELD]?: Held; [ABSENT]?: boolean };

/**
 * The dialogues' state, written only once the update has been handled. The conversations plugin
 * writes its state when the update ends, also when it ends with an error, and an error inside a
 * dialogue ends the dialogue. When the error is an outage (PostgreSQL or Redis unavailable: the
 * resident's confirmation could not be stored), that write is dropped, so the dialogue stays
 * where it was and the same button works again once the update is handled again. Any other error
 * ends the dialogue as before (a bug is not replayed for ever).
 */
export function heldDialogues(adapter: StorageAdapter<State>, keyOf: (ctx: Context) => string | undefined) {
  const storage = {
    type: 'context' as const,
    version: 1,
    adapter: {
      read: async (ctx: Context) => {
        const key = keyOf(ctx);
        if (key === undefined) return undefined;
        const state = await adapter.read(key);
        (ctx as WithHeld)[ABSENT] = state === undefined;
        return state;
      },
      write: (ctx: Context, state: State) => {
        const key = keyOf(ctx);
        if (key !== undefined) (ctx as WithHeld)[HELD] = { op: 'write', key, state };
      },
      delete: (ctx: Context) => {
        const key = keyOf(ctx);
        if (key !== undefined) (ctx as WithHeld)[HELD] = { op: 'delete', key };
      },
    },
  };

  async function flush(ctx: WithHeld) {
    const held = ctx[HELD];
    delete ctx[HELD];
    if (!held) return;
    if (held.op === 'write') await adapter.write(held.key, held.state);
    else if (!ctx[ABSENT]) await adapter.delete(held.key);
  }

  /** Installed right before the conversations plugin: writes what it held, or drops it after an outage. */
  const guard: MiddlewareFn<Context> = async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (isOutage(err)) delete (ctx as WithHeld)[HELD];
      else await flush(ctx as WithHeld);
      throw err;
    }
    await flush(ctx as WithHeld);
  };

  return { storage, guard };
}
