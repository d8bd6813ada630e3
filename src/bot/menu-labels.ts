import type { I18n } from '@grammyjs/i18n';

export const MENU_KEYS = [
  'menu-readings',
  'menu-balance',
  'menu-receipt',
  'menu-inspector',
  'menu-accident',
  'menu-operator',
  'menu-accounts',
  'menu-requests',
  'menu-settings',
  'menu-public-balance',
  'menu-cancel',
  'menu-chat-end',
] as const;
export type MenuKey = (typeof MENU_KEYS)[number];

/** Every label of every locale → its key, so a tap is understood whatever the language. */
export function menuLabels(i18n: Pick<I18n, 'locales' | 't'>): Map<string, MenuKey> {
  const labels = new Map<string, MenuKey>();
  for (const locale of i18n.locales) for (const key of MENU_KEYS) labels.set(i18n.t(locale, key), key);
  return labels;
}
