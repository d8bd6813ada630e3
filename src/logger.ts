import { pino, type Logger } from 'pino';

/**
 * Structured logs. Personal data and secrets are redacted by key wherever they appear,
 * so a careless `log.info({ account })` still prints no name, phone or address.
 */
export const REDACTED_KEYS = [
  'ownerFullName',
  'ownerSurnameKey',
  'fullName',
  'surname',
  'name_of_owner',
  'phone',
  'email',
  'address',
  'flat',
  'house',
  'street',
  'pin',
  'pinHash',
  'pinFingerprint',
  'importPinKey',
  'password',
  'token',
  'secret',
  'authorization',
  'cookie',
  'databaseUrl',
  'redisUrl',
  'smtpUrl',
  'codeHash',
];

/** The fields of an error that say what went wrong without carrying anybody's data. */
const ERROR_FIELDS = ['code', 'constraint', 'routine', 'severity', 'table', 'column', 'error_code', 'method', 'description'] as const;
const STATEMENT = /^\s*\(?\s*(select|insert|update|delete|with|begin|commit|savepoint|release|rollback)\b/i;

/**
 * What of an error may be logged. The ORM writes a statement's values into its SQL and the driver
 * puts that SQL in front of the message («insert into … values (…, 'ivan@mail.ru') - duplicate
 * key…»); a failed Bot API call carries its whole request (chat id, text, addresses) as `payload`.
 * Redaction by key cannot reach either, so an error is logged as its kind, codes, the part of the
 * message after the statement, and the stack without the message line.
 */
export function safeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const e = err as Error & Record<string, unknown>;
  const cut = e.message.lastIndexOf(' - ');
  const message = STATEMENT.test(e.message) ? (cut >= 0 ? `[statement] - ${e.message.slice(cut + 3)}` : '[statement]') : e.message;
  const out: Record<string, unknown> = { type: e.name, message };
  for (const k of ERROR_FIELDS) if (typeof e[k] === 'string' || typeof e[k] === 'number') out[k] = e[k];
  if (e.stack)
    out.stack = e.stack
      .split('\n')
      .filter((l) => /^\s+at /.test(l))
      .join('\n');
  if (e.cause !== undefined) out.cause = safeError(e.cause);
  // grammY's HttpError wraps the network error as `error`.
  if (e.error instanceof Error) out.error = safeError(e.error);
  return out;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'vodokanal' },
      serializers: { err: safeError, error: safeError },
      redact: {
        paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`), ...REDACTED_KEYS.map((k) => `*.*.${k}`)],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** A connection URL with its password removed, safe to print. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}

export type { Logger };
