import type { AddressParts } from './billing/index.ts';

type T = (key: string, vars?: Record<string, string | number>) => string;

/** «г. Ессентуки, ул. Ермакова, д. 7, кв. 30» in the resident's language. */
export function addressLine(t: T, a: AddressParts): string {
  return t('address-line', {
    settlement: a.settlement,
    street: a.street,
    house: a.house,
    flat: a.flat ?? 'none',
    flatPrefix: a.flatPrefix ?? 'none',
  });
}
