import { I18n } from '@grammyjs/i18n';
import type { Context } from 'grammy';
import { fileURLToPath } from 'node:url';

// No trailing slash: the i18n loader takes the first folder after this path as the locale.
export const LOCALES_DIR = fileURLToPath(new URL('../templates/locales', import.meta.url));

/** A message of templates/locales in one language. */
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** How the Fluent files are read, the same for the bot and for everything else. */
export function i18nOptions<C extends Context>() {
  return { defaultLocale: 'ru', directory: LOCALES_DIR, fluentBundleOptions: { useIsolating: false } } as const satisfies ConstructorParameters<
    typeof I18n<C>
  >[0];
}

/**
 * Words outside a chat (e-mail, web pages, the PDF of a mailed receipt): `translator('en')`
 * gives that language's messages; an unknown language gets Russian.
 */
export function createTranslator() {
  const i18n = new I18n(i18nOptions());
  return (locale: string): Translate => {
    const language = i18n.locales.includes(locale) ? locale : 'ru';
    return (key, vars) => i18n.t(language, key, vars);
  };
}
export type Translator = ReturnType<typeof createTranslator>;
