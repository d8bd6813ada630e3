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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'vodokanal' },
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
