import PgBoss from 'pg-boss';
import type { Logger } from '../logger.ts';
import { isOutage } from '../outage.ts';
import type { JobHandler, JobHandlers } from './handler.ts';
import { JOB_NAMES, MAILING_CRON, NOTICES_CRON, QUEUES, REMINDERS_CRON, REQUESTS_SWEEP_CRON, type JobName, type JobPayloads, type Jobs } from './queues.ts';

export type RunnerState = 'starting' | 'up' | 'down' | 'stopped';

export interface JobRunnerOptions {
  /** The app's database: pg-boss keeps its tables in the `pgboss` schema there. */
  url: string;
  /** Connections of pg-boss's own pool (1 on the embedded database). */
  poolMax?: number;
  log: Logger;
  /** Put the monthly mailing, the requests' sweep, the reminders and the outbox's delivery on their cron schedules (off in tests, which send it when they mean to). */
  schedule?: boolean;
  /** How often an idle worker looks for jobs (pg-boss's minimum is 0.5 s); a job sent here wakes this instance's worker at once. */
  pollingIntervalSeconds?: number;
  /** How many jobs of one queue this instance works on at once. */
  concurrency?: Partial<Record<JobName, number>>;
}

/**
 * The one durable job runner: pg-boss on the app's PostgreSQL. Jobs sent are rows in PostgreSQL,
 * so what was asked for before a crash or restart is done after it, by whichever instance runs.
 */
export function createJobRunner(o: JobRunnerOptions) {
  const log = o.log.child({ part: 'jobs' });
  const boss = new PgBoss({
    connectionString: o.url,
    max: o.poolMax ?? 4,
    application_name: 'vodokanal-jobs',
    // Archive and delete quickly: the records that matter (what was mailed) live in our own tables.
    archiveCompletedAfterSeconds: 3600,
    deleteAfterDays: 7,
  });
  let state: RunnerState = 'starting';
  // pg-boss reports a failed poll or maintenance run here and tries again itself: down while they fail.
  let lastErrorAt = 0;
  boss.on('error', (err) => {
    lastErrorAt = Date.now();
    // The database down or restarting is an outage pg-boss recovers from by itself (and /readyz reports): a warning.
    if (isOutage(err)) log.warn({ err }, 'jobs: pg-boss cannot reach the database; it tries again');
    else log.error({ err }, 'jobs: pg-boss error');
  });
  const workers = new Map<JobName, string[]>();

  const jobs: Jobs = {
    async send(name, payload) {
      const queue = QUEUES[name] as (typeof QUEUES)[typeof name] & { singletonKey?: (p: typeof payload) => string };
      const id = await boss.send(name, payload, queue.singletonKey ? { singletonKey: queue.singletonKey(payload) } : {});
      if (id === null) log.info({ job: name }, 'jobs: the same job is already waiting');
      // A worker of this instance takes it at once rather than at its next poll.
      for (const w of workers.get(name) ?? []) boss.notifyWorker(w);
    },
  };

  async function work<N extends JobName>(name: N, handler: JobHandler<N>) {
    const ids: string[] = [];
    for (let i = 0; i < (o.concurrency?.[name] ?? 2); i++) {
      let self: string | null = null;
      self = await boss.work<JobPayloads[N]>(
        name,
        { includeMetadata: true, batchSize: 1, ...(o.pollingIntervalSeconds ? { pollingIntervalSeconds: o.pollingIntervalSeconds } : {}) },
        async ([job]) => {
          if (!job) return;
          try {
            await handler(job.data, { retried: job.retryCount > 0, jobId: job.id });
          } catch (err) {
            log.error({ err, job: name, id: job.id }, 'jobs: a job failed');
            throw err;
          } finally {
            // pg-boss waits out the polling interval after each job unless told otherwise: a worker
            // that just did one looks for the next at once, so a burst (a hundred receipts asked
            // for at the month's end) is worked through back to back, not one job per interval.
            if (self) boss.notifyWorker(self);
          }
        },
      );
      ids.push(self);
    }
    workers.set(name, ids);
  }

  return {
    jobs,
    /** For /readyz: down after a failed start, or while pg-boss's last error is less than 30 s old. */
    get state(): RunnerState {
      return state === 'up' && Date.now() - lastErrorAt < 30_000 ? 'down' : state;
    },
    /** Installs or updates pg-boss's schema, creates the queues and works those given a handler. */
    async start(handlers: JobHandlers) {
      try {
        await boss.start();
        const existing = new Set((await boss.getQueues()).map((q) => q.name));
        for (const name of JOB_NAMES) {
          const { singletonKey: _, ...options } = QUEUES[name];
          if (existing.has(name)) await boss.updateQueue(name, { name, ...options });
          else await boss.createQueue(name, { name, ...options });
        }
        for (const name of JOB_NAMES) {
          const handler = handlers[name];
          if (handler) await work(name, handler as JobHandler<typeof name>);
        }
        if (o.schedule) {
          await boss.schedule('mailing.monthly', MAILING_CRON, {}, { tz: 'UTC' });
          await boss.schedule('requests.sweep', REQUESTS_SWEEP_CRON, {}, { tz: 'UTC' });
          await boss.schedule('reminders.plan', REMINDERS_CRON, {}, { tz: 'UTC' });
          await boss.schedule('notices.deliver', NOTICES_CRON, {}, { tz: 'UTC' });
        }
        state = 'up';
        log.info({ queues: [...workers.keys()] }, 'jobs: running');
      } catch (err) {
        state = 'down';
        throw err;
      }
    },
    /** Resolves when no job of these queues (default all) waits or runs. */
    async drained(names: JobName[] = JOB_NAMES, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let left = 0;
        for (const name of names) left += await boss.getQueueSize(name, { before: 'completed' });
        if (left === 0) return;
        if (Date.now() > deadline) throw new Error(`jobs: ${left} still waiting or running after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    /** Stops taking jobs, waits for those running (up to `timeoutMs`), closes the pool. */
    async stop(timeoutMs = 30_000) {
      if (state === 'stopped') return;
      state = 'stopped';
      await boss.stop({ graceful: true, wait: true, close: true, timeout: timeoutMs });
    },
  };
}
export type JobRunner = ReturnType<typeof createJobRunner>;
