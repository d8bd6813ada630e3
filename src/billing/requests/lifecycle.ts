import type { RequestKind, RequestStatus } from '../../../db/entities/index.ts';
import { createTranslator, type Translate } from '../../i18n.ts';

/**
 * The life of a request (seed 001): sent → accepted → in_work | needs_info | refused → done
 * (request-status-* in templates), then closed 7 days after without objection. Every move is in this table, with who may
 * make it; any other is refused.
 */
type Mover = 'operator' | 'resident' | 'system';

const MOVES: Record<RequestStatus, Partial<Record<RequestStatus, readonly Mover[]>>> = {
  sent: { accepted: ['operator'], refused: ['operator'] },
  accepted: { in_work: ['operator'], needs_info: ['operator'], refused: ['operator'] },
  in_work: { done: ['operator'], needs_info: ['operator'], refused: ['operator'] },
  // The resident's answer returns it to accepted; an operator may also take it back (answered by phone).
  needs_info: { accepted: ['resident', 'operator'], refused: ['operator', 'system'] },
  // A bad rating or the operator reopens it; a good rating or 7 days close it.
  done: { in_work: ['resident', 'operator'], closed: ['resident', 'system'] },
  refused: {},
  closed: {},
};

export const canMove = (from: RequestStatus, to: RequestStatus, by: Mover): boolean => MOVES[from][to]?.includes(by) ?? false;

/** The statuses an operator may move a request to from `from`, in the order buttons show them. */
export const operatorMoves = (from: RequestStatus): RequestStatus[] =>
  (Object.keys(MOVES[from]) as RequestStatus[]).filter((to) => MOVES[from][to]?.includes('operator'));

/** An operator must say why when asking for corrections or refusing. */
export const needsComment = (to: RequestStatus): boolean => to === 'needs_info' || to === 'refused';

/** A request is open until it is refused, done or closed. */
export const isOpen = (s: RequestStatus): boolean => s !== 'refused' && s !== 'done' && s !== 'closed';

/** Closed this long after done without a bad rating. */
export const CLOSE_AFTER_DONE_DAYS = 7;
/** Refused this long after needs_info without the resident's answer. */
export const REFUSE_UNANSWERED_DAYS = 3;

/**
 * Numbers residents quote, per branch and kind: the kind's letter (request-number-prefix-<kind>,
 * requests-common.ftl, always the Russian one: the number is stored and quoted as it was given),
 * a hyphen and six digits.
 */
let prefixes: Translate | null = null;
export const formatNumber = (kind: RequestKind, n: number): string => {
  prefixes ??= createTranslator()('ru');
  return `${prefixes(`request-number-prefix-${kind}`)}-${String(n).padStart(6, '0')}`;
};

/**
 * An accident on the street networks: the Government's rules no. 354 (appendix 1, items 1 and 4) — a break in supply of no more
 * than 4 hours at a time, 24 hours in an accident on a dead-end main; the stricter limits of the
 * supply contract (rules no. 416) are the branch's to set. The request is due within 24 hours.
 */
export const ACCIDENT_DEADLINE_HOURS = 24;

/** At most this many requests a day per resident. */
export const REQUESTS_PER_DAY = 10;
/** An accident reported within this distance and time is offered to join instead of a new report. */
export const NEARBY_METRES = 150;
export const NEARBY_HOURS = 48;
