import type { Api } from 'grammy';
import type { Translator } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import type { JobName, JobPayloads } from './queues.ts';

/** A job's work. `retried`: an earlier attempt was cut off (the process died while it was active). */
export type JobHandler<N extends JobName> = (payload: JobPayloads[N], meta: { retried: boolean; jobId: string }) => Promise<void>;
export type JobHandlers = { [N in JobName]?: JobHandler<N> };

export interface ChatJobDeps {
  api: Api;
  translator: Translator;
  log: Logger;
}

/**
 * A job that answers a resident in their chat, at most once. If it fails — or an earlier attempt
 * was cut off and may already have sent its answer — the resident is told `failureKey` instead,
 * never sent the answer a second time.
 */
export function answeredInChat<N extends 'receipt.pdf' | 'receipt.email' | 'reconciliation.pdf' | 'reconciliation.email'>(
  deps: ChatJobDeps,
  failure: { key: string; log: string },
  work: (p: JobPayloads[N], t: ReturnType<Translator>) => Promise<void>,
): JobHandler<N> {
  return async (p, meta) => {
    const t = deps.translator(p.language);
    const tell = () => deps.api.sendMessage(p.chatId, t(failure.key)).then(() => undefined);
    if (meta.retried) return tell();
    try {
      await work(p, t);
    } catch (err) {
      deps.log.error({ err, job: meta.jobId }, failure.log);
      await tell().catch(() => undefined);
    }
  };
}
