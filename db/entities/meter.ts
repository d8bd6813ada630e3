import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { Service } from './service.ts';
import { milli } from '../types.ts';

export const METER_STATUSES = ['active', 'disconnected'] as const;
export type MeterStatus = (typeof METER_STATUSES)[number];

/** Индивидуальный прибор учёта. */
export const Meter = defineEntity({
  name: 'Meter',
  tableName: 'meter',
  uniques: [{ properties: ['account', 'serial'] }],
  indexes: [{ name: 'meter_verification_due', expression: `create index "meter_verification_due" on "meter" ("verification_due") where "status" = 'active'` }],
  properties: {
    id: p.integer().primary(),
    account: () => p.manyToOne(Account).ref(),
    service: () => p.manyToOne(Service).ref(),
    serial: p.string().length(32),
    model: p.text().nullable(),
    /** Where it is installed: «С/У», «кухня». */
    place: p.text().nullable(),
    installedOn: p.date().nullable(),
    /** Дата поверки: after it the meter's readings are not accepted for billing. */
    verificationDue: p.date().nullable(),
    sealedOn: p.date().nullable(),
    status: p.enum([...METER_STATUSES]).default('active'),
    digitsBefore: p.smallint().default(5),
    digitsAfter: p.smallint().default(3),
  },
});
export type Meter = InferEntity<typeof Meter>;

export const READING_SOURCES = ['initial', 'receipt', 'portal', 'telegram', 'control', 'operator'] as const;
export type ReadingSource = (typeof READING_SOURCES)[number];

/** Показание: one value of one meter; a correction supersedes, never deletes. */
export const Reading = defineEntity({
  name: 'Reading',
  tableName: 'reading',
  indexes: [
    { properties: ['meter', 'takenOn'] },
    { name: 'reading_period_meter', expression: `create index "reading_period_meter" on "reading" ("period", "meter_id") where "superseded_at" is null` },
  ],
  uniques: [
    {
      name: 'reading_submission_unique',
      expression: 'create unique index "reading_submission_unique" on "reading" ("meter_id", "submission") where "submission" is not null',
    },
    {
      name: 'reading_current_unique',
      expression: 'create unique index "reading_current_unique" on "reading" ("meter_id", "taken_on", "source") where "superseded_at" is null',
    },
  ],
  properties: {
    id: p.integer().primary(),
    meter: () => p.manyToOne(Meter).ref(),
    value: milli(),
    takenOn: p.date(),
    recordedAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
    source: p.enum([...READING_SOURCES]),
    /** First day of the billing month the reading counts for. */
    period: p.date(),
    sentBy: p.text().nullable(),
    supersededAt: p.datetime().nullable(),
    /** The front door's id of one submission (one tap on «Подтвердить»): stored once whatever repeats. */
    submission: p.string().length(64).nullable(),
    /** A photo of the meter sent with the reading: the path under the photo storage, for operators. */
    photoPath: p.text().nullable(),
  },
});
export type Reading = InferEntity<typeof Reading>;
