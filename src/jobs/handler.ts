import type { JobName, JobPayloads } from './queues.ts';

/** A job's work. `retried`: an earlier attempt was cut off (the process died while it was active). */
export type JobHandler<N extends JobName> = (payload: JobPayloads[N], meta: { retried: boolean; jobId: string }) => Promise<void>;
export type JobHandlers = { [N in JobName]?: JobHandler<N> };
