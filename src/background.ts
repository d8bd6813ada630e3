import PQueue from 'p-queue';
import type { Logger } from './logger.ts';

/**
 * Slow work a front door hands off so that its request is answered at once (a PDF to render, a
 * letter to send): run in this process, a few at a time, failures logged. `idle()` resolves when
 * everything handed off so far is done (tests, and a graceful shutdown).
 */
export interface Background {
  run(what: string, task: () => Promise<unknown>): void;
  idle(): Promise<void>;
}

export function createBackground(log: Logger, concurrency = 2): Background {
  const queue = new PQueue({ concurrency });
  return {
    run(what, task) {
      void queue.add(task).catch((err: unknown) => log.error({ err, what }, 'background task failed'));
    },
    idle: () => queue.onIdle(),
  };
}
