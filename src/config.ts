import { existsSync } from 'node:fs';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgresql://user@host:port/database URL');
const redisUrl = z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis://host:port URL');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    /** Unset: an embedded PostgreSQL (PGlite) with its data under DATA_DIR. */
    DATABASE_URL: postgresUrl.optional(),
    /** Unset: sessions are kept in memory (one instance only). */
    REDIS_URL: redisUrl.optional(),
    /** Put before every Redis key, so that several deployments (a test bot beside the real one) can share one Redis. */
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{0,64}$/, 'must be up to 64 characters of A-Z, a-z, 0-9, _ . : and -')
      .default('vodokanal:'),
    /** How long a stopping process waits for what is in hand before it exits (seconds). */
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
    DATA_DIR: z.string().min(1).default('./data'),
    /** Files residents send: meter photos, later accident photos and meters' documents (default DATA_DIR/files). */
    FILES_DIR: z.string().min(1).optional(),
    /** The name FILES_DIR had while it kept only meter photos; FILES_DIR wins if both are set. */
    PHOTO_DIR: z.string().min(1).optional(),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Fill an empty database with demo data at start. */
    SEED_DEMO: flag.default(true),
    /** From @BotFather. Unset: the bot does not start (the rest does). */
    BOT_TOKEN: z
      .string()
      .regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-DEF… (from @BotFather)')
      .optional(),
    /** A local Bot API server, or a test double. */
    TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
    /** Set: webhook mode, Telegram posts to this public HTTPS URL; unset: long polling. */
    WEBHOOK_URL: z
      .string()
      .url()
      .regex(/^https:\/\//, 'must be an https:// URL')
      .optional(),
    /** Checked on every webhook call (X-Telegram-Bot-Api-Secret-Token). */
    WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A-Z, a-z, 0-9, _ and -')
      .optional(),
    /** smtp://user:password@host:port (smtps:// for TLS). Unset: letters are written to MAIL_OUTBOX_DIR. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/\S+$/, 'must be an smtp://user:password@host:port URL')
      .optional(),
    /** The sender's address; the name shown is the branch's. */
    MAIL_FROM: z.email().default('no-reply@vodokanal.local'),
    /** Where letters go without SMTP_URL (default DATA_DIR/outbox). */
    MAIL_OUTBOX_DIR: z.string().min(1).optional(),
    /**
     * The operators' forum supergroup for all branches (a branch may name its own in the import,
     * branch.operators_chat_id). Unset and no branch's group: requests work, no card is posted.
     */
    OPERATORS_CHAT_ID: z
      .string()
      .regex(/^-100\d{5,15}$/, 'must be a supergroup id like -1001234567890')
      .transform(Number)
      .optional(),
    /** «💬 Оператор»: an operator's reply reaches the resident with the operator's first name under it. */
    OPERATOR_SIGNATURES: flag.default(false),
    /** «💬 Оператор»: messages the bot puts into one operators' group per minute (Telegram allows about 20). */
    OPERATORS_GROUP_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(60).default(20),
    /** What the bot writes first (reminders, notices), messages a second for all instances together (Telegram's bulk limit is about 30). */
    NOTICES_PER_SECOND: z.coerce.number().positive().max(30).default(25),
    /** How mail clients reach the web part (unsubscribe links). Default: http://HOST:PORT. */
    PUBLIC_URL: z
      .string()
      .url()
      .regex(/^https?:\/\//, 'must be an http(s):// URL')
      .optional(),
    /**
     * Signs the web pages' cookies (the form tokens, later the session). Unset: a new random secret at
     * each start (fine for one instance; set it when several instances share the traffic).
     */
    WEB_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /**
     * Keys the fingerprints by which `npm run import` sees an account's PIN unchanged without scrypt
     * (src/billing/pin.ts). Keep it out of the database and its backups; unset: every PIN is checked by scrypt.
     */
    IMPORT_PIN_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  })
  .superRefine((e, ctx) => {
    if (e.WEBHOOK_URL && !e.WEBHOOK_SECRET) ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'is required when WEBHOOK_URL is set' });
  });

export type Config = {
  env: 'development' | 'production' | 'test';
  logLevel: (typeof LOG_LEVELS)[number];
  database: { kind: 'postgres'; url: string } | { kind: 'embedded'; dataDir: string };
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  shutdownTimeoutMs: number;
  dataDir: string;
  filesDir: string;
  http: { host: string; port: number };
  seedDemo: boolean;
  mail: { smtpUrl: string | undefined; from: string; outboxDir: string };
  publicUrl: string;
  /** PUBLIC_URL was set (not the default): the sign-in through Telegram needs a real address. */
  publicUrlGiven: boolean;
  /** The web pages' cookie secret (null: a random one per start). */
  webSecret: string | null;
  /** The key of the import's PIN fingerprints (null: none, scrypt for every PIN). */
  importPinKey: string | null;
  /** The operators' group for all branches (null: only the branches' own, if any). */
  operatorsChatId: number | null;
  /** The «💬 Оператор» chat: operators' signatures, and messages per minute into one group. */
  operatorChat: { signatures: boolean; groupPerMinute: number };
  /** The global rate of the outbox's messages. */
  noticesPerSecond: number;
  bot: { enabled: false } | { enabled: true; token: string; apiRoot: string; mode: { kind: 'polling' } | { kind: 'webhook'; url: string; secret: string } };
};

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

/** Reads and checks the environment once; the first bad variable is named in the error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const reason = issue.code === 'custom' ? issue.message : `is invalid: ${issue.message}`;
    throw new ConfigError(variable, reason);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'embedded', dataDir: e.DATA_DIR },
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    dataDir: e.DATA_DIR,
    filesDir: e.FILES_DIR ?? e.PHOTO_DIR ?? `${e.DATA_DIR.replace(/\/+$/, '')}/files`,
    http: { host: e.HOST, port: e.PORT },
    seedDemo: e.SEED_DEMO,
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, outboxDir: e.MAIL_OUTBOX_DIR ?? `${e.DATA_DIR.replace(/\/+$/, '')}/outbox` },
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    publicUrlGiven: e.PUBLIC_URL !== undefined,
    webSecret: e.WEB_SESSION_SECRET ?? null,
    importPinKey: e.IMPORT_PIN_KEY ?? null,
    operatorsChatId: e.OPERATORS_CHAT_ID ?? null,
    operatorChat: { signatures: e.OPERATOR_SIGNATURES, groupPerMinute: e.OPERATORS_GROUP_MESSAGES_PER_MINUTE },
    noticesPerSecond: e.NOTICES_PER_SECOND,
    bot: e.BOT_TOKEN
      ? {
          enabled: true,
          token: e.BOT_TOKEN,
          apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
          mode: e.WEBHOOK_URL ? { kind: 'webhook', url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET! } : { kind: 'polling' },
        }
      : { enabled: false },
  };
}

/**
 * The configuration of a process started from the command line (the app, the import, the export):
 * `.env` if there is one, then the environment; a malformed variable stops the process with one line.
 */
export function readConfig(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}
