import { getAccountSummary, listBranches, resolveShortNumber, searchStreets } from './accounts.ts';
import { getActiveBalance, getBalance, getPublicBalance, listPayments, listStatements } from './balance.ts';
import {
  confirmEmail,
  getEmail,
  mailingSubscription,
  planReceiptMailings,
  removeEmail,
  requestEmailCode,
  setPaperOptOut,
  requestSignInCode,
  signInByCode,
  subscribeReceipts,
  subscriptionByToken,
  unsubscribeByToken,
  unsubscribeReceipts,
} from './email.ts';
import { exportPaperOptOut, exportPeriodReadings } from './export.ts';
import {
  chatCommand,
  chatForRelay,
  chatOfTopic,
  chatResidentBlocked,
  chatState,
  closeChatByResident,
  copyOf,
  counterpartOf,
  editFromResident,
  editToResident,
  finishRelays,
  getChatContext,
  openChat,
  pendingRelays,
  rateChat,
  recordReplySent,
  recordSent,
  relayFromResident,
  replyToResident,
  sentSince,
  setChatCard,
  toldToCall,
  claimGroupWarning,
} from './chats.ts';
import { getAccountMeters } from './meters.ts';
import { getReadingHistory } from './reading-history.ts';
import { findAccountForReadings, prepareReadings, submitReadings } from './readings.ts';
import { getLastReceiptByProof, getReceipt, listReceiptMonths } from './receipts.ts';
import { getReconciliation, getServiceDetail } from './service-detail.ts';
import {
  getActiveAccount,
  getConsent,
  getPhone,
  getResident,
  removePhone,
  giveConsent,
  linkAccount,
  setActiveAccount,
  setLanguage,
  setPhone,
  startOnWeb,
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
import { getOwnershipLock } from './ownership-limits.ts';
import { knownOutages } from './outages/known.ts';
import { announceOutage, cancelOutage, getOutage, resolveOutage, updateOutage } from './outages/operator.ts';
import { notifyOutages } from './outages/system.ts';
import type { BillingDeps } from './service.ts';
import { endAllWebSessions, endWebSession, openWebSession, resumeWebSession } from './web-sessions.ts';

/**
 * The billing services: the one API the bot, the web fallback and the reminders call.
 * Every operation validates its input and answers a typed `Result`.
 */
export function createBilling(deps: BillingDeps) {
  return {
    branches: { list: listBranches(deps) },
    accounts: {
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
      /** The detail by service of one month (seeds 001/002, 004). */
      services: getServiceDetail(deps),
      /** The reconciliation from one month to another (seed 003). */
      reconciliation: getReconciliation(deps),
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
      lastByProof: getLastReceiptByProof(deps),
      subscribe: subscribeReceipts(deps),
      unsubscribe: unsubscribeReceipts(deps),
      subscriptionByToken: subscriptionByToken(deps),
      unsubscribeByToken: unsubscribeByToken(deps),
      /** The paper-receipt opt-out (seed 002): only with the e-mail subscription. */
      paperOptOut: setPaperOptOut(deps),
      /** The billing system's: the opt-outs chosen in the bot. */
      exportPaperOptOut: exportPaperOptOut(deps),
    },
    email: {
      get: getEmail(deps),
      requestCode: requestEmailCode(deps),
      confirm: confirmEmail(deps),
      remove: removeEmail(deps),
      requestSignInCode: requestSignInCode(deps),
      signIn: signInByCode(deps),
    },
    /** The monthly receipts by e-mail: planned into the outbox (kind `receipt_email`), each letter's subscription. */
    mailings: { plan: planReceiptMailings(deps), subscription: mailingSubscription(deps) },
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
      /** The operators' chat with a resident, in its topic. */
      chatOfTopic: chatOfTopic(deps),
      chatReply: replyToResident(deps),
      chatEdit: editToResident(deps),
      chatCommand: chatCommand(deps),
      chatContext: getChatContext(deps),
    },
    /** The resident's side of the operators' chat, and the relay job's bookkeeping. */
    chats: {
      open: openChat(deps),
      state: chatState(deps),
      relay: relayFromResident(deps),
      edit: editFromResident(deps),
      close: closeChatByResident(deps),
      rate: rateChat(deps),
      residentBlocked: chatResidentBlocked(deps),
      pending: pendingRelays(deps),
      sentSince: sentSince(deps),
      finish: finishRelays(deps),
      recordSent: recordSent(deps),
      /** The outbox's: an operator's reply sent as a notice, its pair of message ids kept. */
      recordReplySent: recordReplySent(deps),
      counterpart: counterpartOf(deps),
      copyOf: copyOf(deps),
      setCard: setChatCard(deps),
      forRelay: chatForRelay(deps),
      toldToCall: toldToCall(deps),
      claimGroupWarning: claimGroupWarning(deps),
    },
    outages: {
      /** The accident report's: outages in force at the resident's place and their accounts' houses. */
      known: knownOutages(deps),
      /** The operators' desk. */
      announce: announceOutage(deps),
      get: getOutage(deps),
      update: updateOutage(deps),
      resolve: resolveOutage(deps),
      cancel: cancelOutage(deps),
      /** The job runner's: the notices of versions the import made. */
      notifyPending: notifyOutages(deps),
    },
    notices: { claim: claimNotice(deps), finish: finishNotice(deps), release: releaseNotice(deps), pending: pendingNotices(deps) },
    reminders: { plan: planReminders(deps), settings: reminderSettings(deps), set: setReminder(deps) },
    residents: {
      get: getResident(deps),
      activeAccount: getActiveAccount(deps),
      consent: getConsent(deps),
      giveConsent: giveConsent(deps),
      startOnWeb: startOnWeb(deps),
      withdrawConsent: withdrawConsent(deps),
      setLanguage: setLanguage(deps),
      phone: getPhone(deps),
      setPhone: setPhone(deps),
      removePhone: removePhone(deps),
      linkAccount: linkAccount(deps),
      setActiveAccount: setActiveAccount(deps),
      unlinkAccount: unlinkAccount(deps),
      /** Until when the acting resident may not try to show an account is theirs (the limits of failed checks). */
      ownershipLock: getOwnershipLock(deps),
      /** The job runner's: Telegram refused a message with 403. */
      markBlocked: markResidentBlocked(deps),
      /** The bot's: the resident unblocked it (my_chat_member) — reachable again. */
      clearBlocked: clearResidentBlocked(deps),
    },
    /** The web pages' sessions: server-side, so that signing out and withdrawing the consent revoke them. */
    webSessions: {
      open: openWebSession(deps),
      resume: resumeWebSession(deps),
      end: endWebSession(deps),
      endAll: endAllWebSessions(deps),
    },
  };
}

export type Billing = ReturnType<typeof createBilling>;
export type { BillingDeps, Operation, Scope } from './service.ts';
export { operatorViaTelegram, viaTelegram, viaWeb, viaWebVisitor, type Actor, type ResidentActor, type OperatorActor, type VisitorActor } from './actor.ts';
export type { DomainError, Result } from './result.ts';
export { EMAIL_NOTICE_KINDS, MAIL_ATTEMPTS, RETRY_MAIL_SECONDS, type ClaimedNotice } from './notices.ts';
export type { NoticeChannel } from '../../db/entities/index.ts';
export type { AccountRef, AccountSummary, AddressParts, BranchInfo, MeterInfo } from './accounts.ts';
export type { Balance, PaymentRow, StatementRow, Verification, VerificationState } from './balance.ts';
export type { EmailView } from './email.ts';
export type { AverageConsumption, MeterCard } from './meters.ts';
export type { ReadingRow } from './reading-history.ts';
export type { PlaceProof } from './place-proof.ts';
export type { Pointer } from './ownership-limits.ts';
export { OWNERSHIP_LIMITS } from './ownership-limits.ts';
export type { ChargeSummary, MeterForReading, SubmitOutcome } from './readings.ts';
export type { ExportedPaperOptOut, ExportedReading } from './export.ts';
export type { Reconciliation, ReconciliationMonth, ServiceDetail, ServiceDetailRow } from './service-detail.ts';
export type { ReceiptData, ReceiptLine } from './receipts.ts';
export type { RequestSummary, RequestView } from './requests/view.ts';
export type { OutageView } from './outages/common.ts';
export { OUTAGE_KINDS } from '../../db/entities/index.ts';
export { canMove, formatNumber, isOpen, needsComment, operatorMoves } from './requests/lifecycle.ts';
export { REMINDER_KINDS, REQUEST_KINDS, REQUEST_STATUSES, type ReminderKind } from '../../db/entities/index.ts';
export type { PlanCount, WindowOccasion } from './reminders.ts';
export type { Language, ResidentView } from './residents.ts';
export { CHAT_COMMANDS, chatTopicPurpose, LONG_QUEUE, type ChatCommand, type ChatContext, type ChatHours, type RelayRow } from './chats.ts';
