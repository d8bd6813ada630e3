import { z } from 'zod';

/** Input shapes shared by several services. Messages are codes, not prose: front doors word them. */
export const longNumber = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{15}$/, 'long_number_15_digits'));
export const shortNumber = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{1,15}$/, 'short_number_digits'));
/** A meter's serial number as on its body and passport: 3–32 letters, digits, «-» and «/». */
export const METER_SERIAL = /^[0-9A-Za-zА-Яа-я\-/]{3,32}$/;
export const branchCode = z.string().trim().min(1).max(32);
export const id = z.number().int().positive();
export const telegramId = z.number().int().positive();
export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month_yyyy_mm');
export const text = (max: number) => z.string().trim().min(1).max(max);
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .nullable()
    .transform((s) => (s ? s : null));
export const page = {
  limit: z.number().int().min(1).max(100).default(20),
  offset: z.number().int().min(0).default(0),
};
export const isoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'date_yyyy_mm_dd');
