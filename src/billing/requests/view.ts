import type { EntityManager } from '@mikro-orm/postgresql';
import { Branch, RequestAttachment, RequestEvent, type ServiceRequest, type RequestKind, type RequestStatus } from '../../../db/entities/index.ts';
import { loadAccounts, toRef, type AccountRef } from '../accounts.ts';

/** What a resident sees of a request in «Мои заявки». */
export interface RequestSummary {
  requestId: number;
  number: string;
  kind: RequestKind;
  /** The branch it belongs to (its timezone for the dates shown). */
  branchCode: string;
  createdAt: string;
  status: RequestStatus;
  deadlineAt: string;
  /** The last comment an operator (or the resident) wrote with a move. */
  lastComment: string | null;
}

/**
 * A request in full for the operators (and the jobs that post its card); a resident sees it as
 * `viewOf` leaves it for them: one who joined an accident gets neither the reporter's phone, account nor
 * photos, and no resident gets another person's or an operator's id in the history.
 */
export interface RequestView extends RequestSummary {
  /** The author's account; null for an accident (it is about a place, not an account) and for one who joined. */
  account: AccountRef | null;
  address: string | null;
  location: { latitude: number; longitude: number } | null;
  /** The author's phone: null for one who joined. */
  contactPhone: string | null;
  /** What the author wrote (the description, the comment): null for one who joined. */
  comment: string | null;
  details: Record<string, unknown>;
  /** The author's files: none for one who joined. */
  /** A file from Telegram has its file id; one uploaded on the web pages only its path in the file store. */
  attachments: { id: number; role: string; meterIndex: number | null; telegramFileId: string | null; storedPath: string | null }[];
  history: {
    from: RequestStatus | null;
    to: RequestStatus;
    by: 'resident' | 'operator' | 'system';
    /**
     * Who moved it: an operator's id or `telegram:<id>` in the operators' view; in a resident's,
     * only their own `telegram:<id>` (null for anybody else). Prefer `mine`.
     */
    byId: string | null;
    /** Whether the resident looking at it made this move (always false in the operators' view). */
    mine: boolean;
    /** An operator's words, or the viewing resident's own; another resident's words are null. */
    comment: string | null;
    at: string;
  }[];
  rating: number | null;
  card: { chatId: number; messageId: number } | null;
  /** Whether the asking resident is its author (not one who joined an accident). */
  own: boolean;
}

export function summaryOf(r: ServiceRequest, lastComment: string | null, branchCode: string): RequestSummary {
  return {
    requestId: r.id,
    number: r.number,
    kind: r.kind,
    branchCode,
    createdAt: r.createdAt.toISOString(),
    status: r.status,
    deadlineAt: r.deadlineAt.toISOString(),
    lastComment,
  };
}

/** Who is looking: an operator (or a job), or a resident by their row and channel id. */
export type Viewer = { kind: 'operator' } | { kind: 'resident'; residentId: number; byId: string };

export async function viewOf(em: EntityManager, r: ServiceRequest, viewer: Viewer): Promise<RequestView> {
  const own = viewer.kind === 'resident' && r.resident?.id === viewer.residentId;
  // A resident who joined an accident is told of its statuses, not of its reporter.
  const full = viewer.kind === 'operator' || own;
  const [events, attachments, accounts] = await Promise.all([
    em.find(RequestEvent, { request: r }, { orderBy: { at: 'asc', id: 'asc' } }),
    full ? em.find(RequestAttachment, { request: r }, { orderBy: { id: 'asc' } }) : Promise.resolve([]),
    r.account && full ? loadAccounts(em, { id: r.account.id }) : Promise.resolve([]),
  ]);
  // What a resident wrote is shown to operators and to that resident only; an operator's question
  // to the author («На исправление») to the author, not to one who joined.
  const said = (e: RequestEvent) =>
    viewer.kind === 'operator' || (e.byKind !== 'resident' && (full || e.toStatus !== 'needs_info')) || (viewer.kind === 'resident' && e.byId === viewer.byId)
      ? (e.comment ?? null)
      : null;
  const lastComment = [...events].reverse().find((e) => said(e))?.comment ?? null;
  const branch = await em.findOneOrFail(Branch, r.branch.id, { fields: ['code'] });
  return {
    ...summaryOf(r, lastComment, branch.code),
    account: accounts[0] ? toRef(accounts[0]) : null,
    address: r.address ?? null,
    location: r.latitude != null && r.longitude != null ? { latitude: Number(r.latitude), longitude: Number(r.longitude) } : null,
    contactPhone: full ? (r.contactPhone ?? null) : null,
    comment: full ? (r.comment ?? null) : null,
    details: r.details,
    attachments: attachments.map((a) => ({
      id: a.id,
      role: a.role,
      meterIndex: a.meterIndex ?? null,
      telegramFileId: a.telegramFileId ?? null,
      storedPath: a.storedPath ?? null,
    })),
    history: events.map((e) => {
      const mine = viewer.kind === 'resident' && e.byKind === 'resident' && e.byId === viewer.byId;
      return {
        from: e.fromStatus ?? null,
        to: e.toStatus,
        by: e.byKind,
        byId: viewer.kind === 'operator' || mine ? (e.byId ?? null) : null,
        mine,
        comment: said(e),
        at: e.at.toISOString(),
      };
    }),
    rating: r.rating ?? null,
    card: r.cardChatId != null && r.cardMessageId != null ? { chatId: r.cardChatId, messageId: r.cardMessageId } : null,
    own,
  };
}
