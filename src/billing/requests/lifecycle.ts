import type { RequestKind, RequestStatus } from '../../../db/entities/index.ts';

/**
 * The life of a request (seed 001): Отправлено → Принято → В работу | На исправление | Отказано →
 * Выполнено, then closed 7 days after without objection. Every move is in this table, with who may
 * make it; any other is refused.
 */
type Mover = 'operator' | 'resident' | 'system';

const MOVES: Record<RequestStatus, Partial<Record<RequestStatus, readonly Mover[]>>> = {
  sent: { accepted: ['operator'], refused: ['operator'] },
  accepted: { in_work: ['operator'], needs_info: ['operator'], refused: ['operator'] },
  in_work: { done: ['operator'], needs_info: ['operator'], refused: ['operator'] },
  // The resident's answer returns it to «Принято»; an operator may also take it back (answered by phone).
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

/** Closed this long after «Выполнено» without a bad rating. */
export const CLOSE_AFTER_DONE_DAYS = 7;
/** Refused this long after «На исправление» without the resident's answer. */
export const REFUSE_UNANSWERED_DAYS = 3;

/** Numbers residents quote: «К-000045», per branch and kind. */
export const NUMBER_PREFIX: Record<RequestKind, string> = { inspector: 'К', commissioning: 'П', accident: 'А' };
export const formatNumber = (kind: RequestKind, n: number): string => `${NUMBER_PREFIX[kind]}-${String(n).padStart(6, '0')}`;

/**
 * An accident on the street networks: ПП 354, прил. 1, п. 1 and 4 — a break in supply of no more
 * than 4 hours at a time, 24 hours in an accident on a dead-end main; the stricter limits of the
 * supply contract (ПП 416) are the branch's to set. The request is due within 24 hours.
 */
export const ACCIDENT_DEADLINE_HOURS = 24;

/** At most this many requests a day per resident. */
export const REQUESTS_PER_DAY = 10;
/** An accident reported within this distance and time is offered to join instead of a new report. */
export const NEARBY_METRES = 150;
export const NEARBY_HOURS = 48;
