import { findAccountByAddress, findAccountByNumber, getAccountSummary, listBranches, resolveShortNumber, searchStreets } from './accounts.ts';
import { getActiveBalance, getBalance, getPublicBalance, listPayments, listStatements } from './balance.ts';
import {
  claimDueMailings,
  confirmEmail,
  finishMailing,
  getEmail,
  removeEmail,
  requestEmailCode,
  subscribeReceipts,
  subscriptionByToken,
  unsubscribeByToken,
  unsubscribeReceipts,
} from './email.ts';
import { exportPeriodReadings } from './export.ts';
import { getAccountMeters } from './meters.ts';
import { getReadingHistory } from './reading-history.ts';
import { findAccountForReadings, prepareReadings, submitReadings } from './readings.ts';
import { getReceipt, listReceiptMonths } from './receipts.ts';
import {
  getActiveAccount,
  getConsent,
  getResident,
  giveConsent,
  linkAccount,
  setActiveAccount,
  setLanguage,
  unlinkAccount,
  withdrawConsent,
} from './residents.ts';
import {
  createCommissioning,
  createInspectorCall,
  findBranchAt,
  findNearbyAccidents,
  getVisitSlots,
  joinAccident,
  listRequestDictionaries,
  reportAccident,
} from './requests/create.ts';
import { claimNotice, clearResidentBlocked, finishNotice, markResidentBlocked, pendingNotices, releaseNotice } from './notices.ts';
import { planReminders, reminderSettings, setReminder } from './reminders.ts';
import { branchesOfDesk, getRequestCard, moveRequest } from './requests/operator.ts';
import { answerRequest, getMyRequest, listMyRequests, rateRequest } from './requests/resident.ts';
import {
  attachmentRefused,
  attachmentsPosted,
  attachmentStored,
  cardAttachments,
  claimTopic,
  forgetTopic,
  listDesks,
  pendingAttachments,
  requestForCard,
  requestsWithoutCard,
  requestsWithPendingFiles,
  setRequestCard,
  setTopic,
  sweepRequests,
  topicThread,
} from './requests/system.ts';
import type { BillingDeps } from './service.ts';

/**
 * The billing services: the one API the bot, the web fallback and the reminders call.
 * Every operation validates its input and answers a typed `Result`.
 */
export function createBilling(deps: BillingDeps) {
  return {
    branches: { list: listBranches(deps) },
    accounts: {
      findByAddress: findAccountByAddress(deps),
      findByNumber: findAccountByNumber(deps),
      resolveShortNumber: resolveShortNumber(deps),
      searchStreets: searchStreets(deps),
      summary: getAccountSummary(deps),
    },
    meters: { ofAccount: getAccountMeters(deps) },
    balance: {
      get: getBalance(deps),
      ofActiveAccount: getActiveBalance(deps),
      getPublic: getPublicBalance(deps),
      statements: listStatements(deps),
      payments: listPayments(deps),
    },
    readings: {
      history: getReadingHistory(deps),
      prepare: prepareReadings(deps),
      submit: submitReadings(deps),
      findAccount: findAccountForReadings(deps),
      /** The billing system's: the month's readings passed through the bot, in the import format. */
      exportPeriod: exportPeriodReadings(deps),
    },
    receipts: {
      months: listReceiptMonths(deps),
      forMonth: getReceipt(deps),
      subscribe: subscribeReceipts(deps),
      unsubscribe: unsubscribeReceipts(deps),
      subscriptionByToken: subscriptionByToken(deps),
      unsubscribeByToken: unsubscribeByToken(deps),
    },
    email: { get: getEmail(deps), requestCode: requestEmailCode(deps), confirm: confirmEmail(deps), remove: removeEmail(deps) },
    mailings: { claimDue: claimDueMailings(deps), finish: finishMailing(deps) },
    requests: {
      dictionaries: listRequestDictionaries(deps),
      visitSlots: getVisitSlots(deps),
      callInspector: createInspectorCall(deps),
      commissionMeters: createCommissioning(deps),
      branchAt: findBranchAt(deps),
      nearbyAccidents: findNearbyAccidents(deps),
      reportAccident: reportAccident(deps),
      joinAccident: joinAccident(deps),
      mine: listMyRequests(deps),
      get: getMyRequest(deps),
      answer: answerRequest(deps),
      rate: rateRequest(deps),
      /** The operators' desk. */
      card: getRequestCard(deps),
      move: moveRequest(deps),
      /** The job runner's. */
      forCard: requestForCard(deps),
      setCard: setRequestCard(deps),
      withoutCard: requestsWithoutCard(deps),
      sweep: sweepRequests(deps),
      pendingAttachments: pendingAttachments(deps),
      attachmentStored: attachmentStored(deps),
      attachmentRefused: attachmentRefused(deps),
      attachmentsPosted: attachmentsPosted(deps),
      cardAttachments: cardAttachments(deps),
      withPendingFiles: requestsWithPendingFiles(deps),
    },
    operators: {
      branchesOfDesk: branchesOfDesk(deps),
      desks: listDesks(deps),
      claimTopic: claimTopic(deps),
      setTopic: setTopic(deps),
      forgetTopic: forgetTopic(deps),
      topicThread: topicThread(deps),
    },
    notices: { claim: claimNotice(deps), finish: finishNotice(deps), release: releaseNotice(deps), pending: pendingNotices(deps) },
    reminders: { plan: planReminders(deps), settings: reminderSettings(deps), set: setReminder(deps) },
    residents: {
      get: getResident(deps),
      activeAccount: getActiveAccount(deps),
      consent: getConsent(deps),
      giveConsent: giveConsent(deps),
      withdrawConsent: withdrawConsent(deps),
      setLanguage: setLanguage(deps),
      linkAccount: linkAccount(deps),
      setActiveAccount: setActiveAccount(deps),
      unlinkAccount: unlinkAccount(deps),
      /** The job runner's: Telegram refused a message with 403. */
      markBlocked: markResidentBlocked(deps),
      /** The bot's: the resident unblocked it (my_chat_member) — reachable again. */
      clearBlocked: clearResidentBlocked(deps),
    },
  };
}

export type Billing = ReturnType<typeof createBilling>;
export type { BillingDeps, Operation, Scope } from './service.ts';
export { operatorViaTelegram, viaTelegram, type Actor, type ResidentActor, type OperatorActor } from './actor.ts';
export type { DomainError, Result } from './result.ts';
export type { AccountRef, AccountSummary, AddressParts, BranchInfo, MeterInfo } from './accounts.ts';
export type { Balance, PaymentRow, StatementRow, Verification, VerificationState } from './balance.ts';
export type { DueMailing, EmailView } from './email.ts';
export type { AverageConsumption, MeterCard } from './meters.ts';
export type { ReadingRow } from './reading-history.ts';
export type { PlaceProof } from './place-proof.ts';
export type { ChargeSummary, MeterForReading, SubmitOutcome } from './readings.ts';
export type { ExportedReading } from './export.ts';
export type { ReceiptData, ReceiptLine } from './receipts.ts';
export type { RequestSummary, RequestView } from './requests/view.ts';
export { canMove, formatNumber, isOpen, needsComment, operatorMoves } from './requests/lifecycle.ts';
export { REMINDER_KINDS, REQUEST_KINDS, REQUEST_STATUSES, type ReminderKind } from '../../db/entities/index.ts';
export type { PlanCount, WindowOccasion } from './reminders.ts';
export type { Language, ResidentView } from './residents.ts';
