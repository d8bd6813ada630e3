import type { BranchInfo } from '../../billing/index.ts';

type T = (key: string, vars?: Record<string, string | number>) => string;

/** The timezone of a branch by its code; the region's when the branch is unknown. */
export const timezoneOf = (branches: readonly BranchInfo[], code: string | null | undefined): string =>
  branches.find((b) => b.code === code)?.timezone ?? branches[0]?.timezone ?? 'Europe/Moscow';

/**
 * Whom to call about an accident in a branch: its 24-hour dispatcher, or — when the branch names
 * none — its office, which is not round the clock and is never called the dispatcher.
 */
export const dispatcherOf = (b: Pick<BranchInfo, 'dispatcherPhone' | 'phones'>): { phone: string; office: boolean } | null =>
  b.dispatcherPhone ? { phone: b.dispatcherPhone, office: false } : b.phones ? { phone: b.phones, office: true } : null;

/**
 * «Аварийно-диспетчерская служба, круглосуточно: …» for one branch, or for each when the place is
 * not known yet; a branch without a dispatcher's number is listed apart, under its office.
 */
export function dispatcherLine(t: T, branches: readonly BranchInfo[], only?: string | null): string {
  const chosen = only ? branches.filter((b) => b.code === only) : branches;
  const known = chosen.flatMap((b) => {
    const d = dispatcherOf(b);
    return d ? [{ name: b.name, ...d }] : [];
  });
  const dispatchers = known.filter((b) => !b.office);
  const offices = known.filter((b) => b.office);
  if (known.length === 0) return t('accident-dispatcher-unknown');
  if (known.length === 1) return t(offices.length ? 'accident-office' : 'accident-dispatcher', { phone: known[0]!.phone });
  const of = (list: typeof known) => list.map((b) => t('accident-dispatcher-of', { branch: b.name, phone: b.phone }));
  return [
    ...(dispatchers.length ? [t('accident-dispatchers'), ...of(dispatchers)] : []),
    ...(offices.length ? [t('accident-offices'), ...of(offices)] : []),
  ].join('\n');
}
