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

export interface RequestView extends RequestSummary {
  account: AccountRef | null;
  address: string | null;
  location: { latitude: number; longitude: number } | null;
  contactPhone: string | null;
  comment: string | null;
  details: Record<string, unknown>;
  attachments: { id: number; role: string; meterIndex: number | null; telegramFileId: string; storedPath: string | null }[];
  history: { from: RequestStatus | null; to: RequestStatus; by: 'resident' | 'operator' | 'system'; byId: string | null; comment: string | null; at: string }[];
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

export async function viewOf(em: EntityManager, r: ServiceRequest, residentId: number | null): Promise<RequestView> {
  const [events, attachments, accounts] = await Promise.all([
    em.find(RequestEvent, { request: r }, { orderBy: { at: 'asc', id: 'asc' } }),
    em.find(RequestAttachment, { request: r }, { orderBy: { id: 'asc' } }),
    r.account ? loadAccounts(em, { id: r.account.id }) : Promise.resolve([]),
  ]);
  const lastComment = [...events].reverse().find((e) => e.comment)?.comment ?? null;
  const branch = await em.findOneOrFail(Branch, r.branch.id, { fields: ['code'] });
  return {
    ...summaryOf(r, lastComment, branch.code),
    account: accounts[0] ? toRef(accounts[0]) : null,
    address: r.address ?? null,
    location: r.latitude != null && r.longitude != null ? { latitude: Number(r.latitude), longitude: Number(r.longitude) } : null,
    contactPhone: r.contactPhone ?? null,
    comment: r.comment ?? null,
    details: r.details,
    attachments: attachments.map((a) => ({
      id: a.id,
      role: a.role,
      meterIndex: a.meterIndex ?? null,
      telegramFileId: a.telegramFileId,
      storedPath: a.storedPath ?? null,
    })),
    history: events.map((e) => ({
      from: e.fromStatus ?? null,
      to: e.toStatus,
      by: e.byKind,
      byId: e.byId ?? null,
      comment: e.comment ?? null,
      at: e.at.toISOString(),
    })),
    rating: r.rating ?? null,
    card: r.cardChatId != null && r.cardMessageId != null ? { chatId: r.cardChatId, messageId: r.cardMessageId } : null,
    own: residentId !== null && r.resident?.id === residentId,
  };
}
