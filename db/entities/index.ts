export * from './branch.ts';
export * from './address.ts';
export * from './service.ts';
export * from './account.ts';
export * from './meter.ts';
export * from './finance.ts';
export * from './dictionaries.ts';
export * from './resident.ts';
export * from './mail.ts';
export * from './request.ts';
export * from './chat.ts';
export * from './outage.ts';

import { Branch } from './branch.ts';
import { Building, Premise, Settlement, Street } from './address.ts';
import { Norm, Service, Tariff } from './service.ts';
import { Account } from './account.ts';
import { Meter, Reading } from './meter.ts';
import { Charge, Payment, ServiceStatement, Statement } from './finance.ts';
import { DamageType, InspectorCallReason } from './dictionaries.ts';
import { AccountLink, OwnershipFailure, ReminderOptOut, Resident, WebSession } from './resident.ts';
import { EmailConfirmation, ReceiptSubscription } from './mail.ts';
import { OperatorChat, OperatorChatMessage } from './chat.ts';
import { Outage } from './outage.ts';
import { Notice, OperatorTopic, RequestAttachment, RequestCounter, RequestEvent, RequestFollower, ServiceRequest } from './request.ts';

export const entities = [
  Branch,
  Settlement,
  Street,
  Building,
  Premise,
  Service,
  Tariff,
  Norm,
  Account,
  Meter,
  Reading,
  Charge,
  Payment,
  Statement,
  ServiceStatement,
  InspectorCallReason,
  DamageType,
  Resident,
  AccountLink,
  OwnershipFailure,
  EmailConfirmation,
  ReceiptSubscription,
  ServiceRequest,
  RequestEvent,
  RequestAttachment,
  RequestFollower,
  RequestCounter,
  OperatorTopic,
  Notice,
  OperatorChat,
  OperatorChatMessage,
  Outage,
  ReminderOptOut,
  WebSession,
];
