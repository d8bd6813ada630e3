import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A meter problem for which the bot, refusing a reading, offers an inspector call with a reason. */
export const METER_ISSUES = ['verification_expired', 'below_previous'] as const;
export type MeterIssue = (typeof METER_ISSUES)[number];

/** Причина вызова контролёра; only those with `useInBot` are offered to residents. */
export const InspectorCallReason = defineEntity({
  name: 'InspectorCallReason',
  tableName: 'inspector_call_reason',
  properties: {
    id: p.integer().primary(),
    code: p.string().length(32).unique(),
    name: p.text(),
    useInBot: p.boolean().default(true),
    sort: p.smallint().default(0),
    /** The reason offered, filled in, when the bot refuses a meter's reading for this: expired verification or below the previous one. */
    meterIssue: p.enum([...METER_ISSUES]).nullable(),
  },
});
export type InspectorCallReason = InferEntity<typeof InspectorCallReason>;

/** Вид повреждения for accident reports. */
export const DamageType = defineEntity({
  name: 'DamageType',
  tableName: 'damage_type',
  properties: {
    id: p.integer().primary(),
    code: p.string().length(32).unique(),
    name: p.text(),
    useInBot: p.boolean().default(true),
    sort: p.smallint().default(0),
  },
});
export type DamageType = InferEntity<typeof DamageType>;
