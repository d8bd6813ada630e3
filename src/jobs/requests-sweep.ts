import type { Billing } from '../billing/index.ts';
import type { Logger } from '../logger.ts';
import type { JobHandler } from './handler.ts';
import type { Jobs } from './queues.ts';

/** How old a pending notice must be to count as lost (its own job should have sent it by then). */
const LOST_AFTER_SECONDS = 120;
/** How old a request without a card must be to count as lost (its card job, retries included, should have posted it). */
const CARD_LOST_AFTER_SECONDS = 600;
/** How old an attachment neither copied nor refused must be to count as lost (its files job, retries included, should have copied it). */
const FILES_LOST_AFTER_SECONDS = 600;

/**
 * `requests.sweep` (every 5 minutes): the clock's moves — done closed after 7 days,
 * needs_info refused after 3 days without an answer — told and shown like any other move;
 * then the notices of outage versions not yet told are made, and the notices whose jobs were lost
 * or whose time (`due_at`, a planned outage's evening before) has come are queued (the claim keeps each single), and the
 * cards never posted where there is a group for them (the branch's own, or OPERATORS_CHAT_ID),
 * and the files never copied (when there is a file store).
 */
export function requestsSweepJob(deps: {
  billing: Billing;
  jobs: Jobs;
  log: Logger;
  /** OPERATORS_CHAT_ID (null: only the branches' own groups). */
  operatorsChatId?: number | null;
  /** Whether a runner copies the requests' files (a file store is configured): only then are lost files jobs queued again. */
  copiesFiles?: boolean;
}): JobHandler<'requests.sweep'> {
  return async (_payload, meta) => {
    const moved = await deps.billing.requests.sweep({});
    if (!moved.ok) throw new Error(`sweep: ${moved.error.code}`);
    const cards = new Set<number>();
    for (const m of moved.value) {
      for (const noticeId of m.notices) await deps.jobs.send('notice', { noticeId });
      cards.add(m.requestId);
    }
    // Outage versions the import made, and residents linked inside an outage since: their notices (those due later are queued below when due).
    const outages = await deps.billing.outages.notifyPending({});
    if (!outages.ok) throw new Error(`sweep: outages ${outages.error.code}`);
    for (const noticeId of outages.value.notices) await deps.jobs.send('notice', { noticeId });
    const lost = await deps.billing.notices.pending({ olderThanSeconds: LOST_AFTER_SECONDS });
    if (!lost.ok) throw new Error(`sweep: pending notices ${lost.error.code}`);
    for (const noticeId of lost.value) await deps.jobs.send('notice', { noticeId });
    const cardless = await deps.billing.requests.withoutCard({ olderThanSeconds: CARD_LOST_AFTER_SECONDS, defaultChatId: deps.operatorsChatId ?? null });
    if (!cardless.ok) throw new Error(`sweep: requests without a card ${cardless.error.code}`);
    for (const requestId of cardless.value) cards.add(requestId);
    for (const requestId of cards) await deps.jobs.send('request.card', { requestId });
    let filesRequeued = 0;
    if (deps.copiesFiles) {
      const uncopied = await deps.billing.requests.withPendingFiles({ olderThanSeconds: FILES_LOST_AFTER_SECONDS });
      if (!uncopied.ok) throw new Error(`sweep: requests with files not copied ${uncopied.error.code}`);
      for (const requestId of uncopied.value) await deps.jobs.send('request.files', { requestId });
      filesRequeued = uncopied.value.length;
    }
    if (moved.value.length || lost.value.length || cardless.value.length || filesRequeued || outages.value.notices.length)
      deps.log.info(
        {
          job: meta.jobId,
          moved: moved.value.length,
          outageNotices: outages.value.notices.length,
          requeued: lost.value.length,
          cardsRequeued: cardless.value.length,
          filesRequeued,
        },
        'jobs: requests swept',
      );
  };
}
