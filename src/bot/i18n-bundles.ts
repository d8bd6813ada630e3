import type { I18n } from '@grammyjs/i18n';

interface FluentInternals {
  bundles: Set<unknown>;
  matchBundles?: (locales: string[]) => Set<unknown>;
}

/**
 * @grammyjs/i18n negotiates the languages again on every `ctx.t` (parsing each locale tag with
 * @fluent/langneg), which cost more than the rest of a translation. The bundles do not change
 * once the templates are loaded, so the match for a list of locales is remembered (per number of
 * bundles, should one be added later). If a version of the plugin no longer has the method,
 * nothing changes.
 */
export function rememberBundleMatches(i18n: Pick<I18n, 'fluent'>) {
  const fluent = i18n.fluent as unknown as FluentInternals;
  const match = fluent.matchBundles?.bind(fluent);
  if (!match) return;
  const known = new Map<string, Set<unknown>>();
  fluent.matchBundles = (locales) => {
    const key = `${fluent.bundles.size}\n${locales.join('\n')}`;
    let bundles = known.get(key);
    if (!bundles) {
      bundles = match(locales);
      if (known.size < 100) known.set(key, bundles);
    }
    return bundles;
  };
}
