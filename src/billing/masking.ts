import { normalizePhone } from '../phone.ts';

/**
 * A phone on file, shown so its owner recognises it and nobody else learns it: the last four
 * digits only, «+7 *** ***-45-67» for a Russian number, «***-45-67» for any other. Several
 * numbers in one field («…, …») are masked each; a field with fewer than four digits is «***».
 */
export function maskPhone(raw: string | null | undefined): string | null {
  if (!raw?.trim()) return null;
  const masked = raw
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const digits = part.replace(/\D/g, '');
      if (digits.length < 4) return '***';
      const tail = `${digits.slice(-4, -2)}-${digits.slice(-2)}`;
      return normalizePhone(part)?.startsWith('+7') ? `+7 *** ***-${tail}` : `***-${tail}`;
    });
  return masked.length ? masked.join(', ') : null;
}

/** An e-mail on file: the first letter of the name and the domain, «a***@mail.ru». */
export function maskEmail(raw: string | null | undefined): string | null {
  const address = raw?.trim();
  if (!address) return null;
  const at = address.lastIndexOf('@');
  if (at < 1 || at === address.length - 1) return '***';
  return `${address.charAt(0)}***${address.slice(at)}`;
}
