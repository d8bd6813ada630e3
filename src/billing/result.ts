import type { z } from 'zod';

/** What a service answers: a value, or a domain error the front door turns into words. */
export type Result<T, E extends { code: string } = DomainError> = { ok: true; value: T } | { ok: false; error: E };

export type InputIssue = { path: string; message: string };

export type DomainError =
  | { code: 'invalid_input'; issues: InputIssue[] }
  /** Deliberately says nothing about which field did not match. */
  | { code: 'account_not_found' }
  | { code: 'branch_not_found' }
  | { code: 'meter_not_found' }
  /** Readings: the day taken is after today, or before the meter's last reading in force. */
  | { code: 'taken_in_future'; today: string }
  | { code: 'taken_before_last'; meterId: number; lastOn: string }
  | { code: 'pin_required' }
  /** Too many failed checks of the right to an account (ownership-limits.ts): another may be tried at `until`. */
  | { code: 'ownership_locked'; until: string }
  /** The Telegram user has not agreed to the processing of personal data. */
  | { code: 'resident_not_found' }
  /** The resident acting has no live link to the account (or it does not exist: the same answer). */
  | { code: 'account_not_linked' }
  /** The operator acting does not serve the account's branch. */
  | { code: 'not_permitted' }
  | { code: 'statement_not_found' }
  /** E-mail: a code was asked for too often; the next one may be asked for at `retryAt`. */
  | { code: 'too_many_codes'; retryAt: string }
  | { code: 'no_pending_email' }
  | { code: 'code_invalid'; attemptsLeft: number }
  /** The code is too old, or too many wrong ones were typed: a new one must be asked for. */
  | { code: 'code_expired' }
  /** E-mail: the address is another resident's (one address signs one resident in on the web pages). */
  | { code: 'email_taken' }
  /** The web sign-in: no resident has confirmed this address (the front door answers as for a known one). */
  | { code: 'unknown_address' }
  /** The web pages: the session is not there, went idle or was ended (signed out, the consent withdrawn). */
  | { code: 'session_not_found' }
  | { code: 'email_not_confirmed' }
  | { code: 'subscription_not_found' }
  /** The paper-receipt opt-out needs the account's receipt by e-mail first. */
  | { code: 'not_subscribed' }
  /** A month without a per-service detail. */
  | { code: 'month_not_found' }
  /** Reconciliation: the range runs backwards, is too long, or has no statement. */
  | { code: 'range_reversed' }
  | { code: 'range_too_long'; max: number }
  | { code: 'no_statements' }
  /** Requests: at most 10 a day per resident; the same text twice in a day. */
  | { code: 'too_many_requests' }
  | { code: 'duplicate_request' }
  | { code: 'reason_not_found' }
  | { code: 'damage_type_not_found' }
  | { code: 'visit_day_unavailable'; days: string[] }
  | { code: 'visit_hour_unavailable'; hourFrom: number; hourTo: number }
  | { code: 'verification_date_past' }
  /** A point outside every branch's area: another utility's. */
  | { code: 'outside_area' }
  /** Not there, or not the resident's (the same answer). */
  | { code: 'request_not_found' }
  /** Someone else moved it first: the status it has now. */
  | { code: 'status_changed'; status: string }
  | { code: 'move_not_allowed'; status: string }
  | { code: 'comment_required' }
  | { code: 'notice_not_pending' }
  /** Released by someone who does not hold its claim. */
  | { code: 'notice_not_sending' }
  /** The «💬 Оператор» chat: the resident may not write to the operators; no group serves them; with the branch's phones. */
  | { code: 'chat_banned'; phones?: string | null }
  | { code: 'no_operators'; phones: string | null }
  | { code: 'chat_not_open' }
  | { code: 'chat_not_found' }
  /** A topic that is no resident's conversation (a request kind's, the general chat). */
  | { code: 'not_a_chat_topic' }
  | { code: 'message_not_relayed' }
  | { code: 'nothing_to_rate' }
  | { code: 'already_rated' }
  /** Outages: not there, or not of the operator's branches (`not_permitted`). */
  | { code: 'outage_not_found' }
  /** Resolved or cancelled: no more changes. */
  | { code: 'outage_closed'; status: string }
  /** Another operator changed it first: what it is now. */
  | { code: 'outage_changed'; status: string }
  | { code: 'area_empty' }
  | { code: 'street_not_found' }
  | { code: 'ends_before_start' }
  | { code: 'already_over' }
  /** The resident has blocked the bot (403): not sent until they write again. */
  | { code: 'notice_blocked' }
  /** Its moment has passed (a reminder of a window that has closed): dropped. */
  | { code: 'notice_expired' }
  /** In the quiet hours of its branch: put back until the morning. */
  | { code: 'notice_deferred'; until: string }
  /** Neither channel reaches the resident (no Telegram, and no confirmed address or a kind that is not mailed): dropped. */
  | { code: 'notice_unreachable' }
  /** A resident without Telegram: moved to the e-mail channel, which claims it afresh. */
  | { code: 'notice_rerouted' };

export type ErrorCode = DomainError['code'];

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <E extends { code: string }>(error: E): { ok: false; error: E } => ({ ok: false, error });

export function invalidInput(error: z.ZodError): { ok: false; error: { code: 'invalid_input'; issues: InputIssue[] } } {
  return fail({
    code: 'invalid_input',
    issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}
