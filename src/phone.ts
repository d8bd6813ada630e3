/**
 * A phone as typed or shared, in one form: Russian numbers become +7XXXXXXXXXX (from 8…, 7… or
 * the ten digits of a mobile 9…), others keep their + and 10–15 digits; anything else is null.
 * Pure (no database, no zod): the bot's dialogues and billing's schema both use it.
 */
export function normalizePhone(typed: string): string | null {
  const s = typed.trim().replace(/[\s()\-.]/g, '');
  const n = /^8\d{10}$/.test(s) ? `+7${s.slice(1)}` : /^7\d{10}$/.test(s) ? `+${s}` : /^9\d{9}$/.test(s) ? `+7${s}` : s;
  return /^\+\d{10,15}$/.test(n) ? n : null;
}

/**
 * A normalized phone as a resident reads it: a Russian mobile or city number «+7 928 123-45-67»;
 * any other number as it was kept (+ and digits).
 */
export function formatPhone(phone: string): string {
  const m = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return m ? `+7 ${m[1]} ${m[2]}-${m[3]}-${m[4]}` : phone;
}
