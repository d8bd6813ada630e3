import type { Translate } from '../i18n.ts';
import { localDateTime } from '../format.ts';

/** What an outage notice carries (src/billing/outages/notify.ts), as JSON from the outbox. */
export interface OutagePayload {
  outageId: number;
  version: number;
  kind: 'planned' | 'emergency';
  change: 'announced' | 'updated' | 'resolved' | 'cancelled';
  reason: string;
  startsAt: string;
  endsAt: string;
  expectedEndAt: string;
  previousEndAt?: string | null;
  timezone: string;
  address: string;
}

/**
 * outage-notice-* (outages.ftl): what (planned or emergency), where (the resident's address),
 * from–to, the reason and the expected end; an update says what changed; «вода есть» when resolved.
 */
export function outageNotice(t: Translate, p: OutagePayload): { text: string } {
  const at = (iso: string) => localDateTime(iso, p.timezone);
  const vars = { address: p.address, from: at(p.startsAt), to: at(p.expectedEndAt), reason: p.reason };
  const kind = p.kind === 'emergency' ? 'emergency' : 'planned';
  switch (p.change) {
    case 'resolved':
      return { text: t('outage-notice-resolved', vars) };
    case 'cancelled':
      return { text: t('outage-notice-cancelled', vars) };
    case 'updated':
      return {
        text: [t('outage-notice-updated', { ...vars, before: p.previousEndAt ? at(p.previousEndAt) : vars.to }), t('outage-notice-reason', vars)].join('\n'),
      };
    default:
      return { text: [t(`outage-notice-${kind}`, vars), t('outage-notice-reason', vars), t(`outage-notice-${kind}-hint`)].join('\n') };
  }
}
