import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgresql://user@host:port/database URL');
const redisUrl = z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis://host:port URL');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Unset: an embedded PostgreSQL (PGlite) with its data under DATA_DIR. */
  DATABASE_URL: postgresUrl.optional(),
  /** Unset: sessions are kept in memory (one instance only). */
  REDIS_URL: redisUrl.optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Fill an empty database with demo data at start. */
  SEED_DEMO: flag.default(true),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  logLevel: (typeof LOG_LEVELS)[number];
  database: { kind: 'postgres'; url: string } | { kind: 'embedded'; dataDir: string };
  redisUrl: string | undefined;
  dataDir: string;
  http: { host: string; port: number };
  seedDemo: boolean;
};

export class ConfigError extends Error {
  constructor(readonly variable: string, reason: string) {
    super(`configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

/** Reads and checks the environment once; the first bad variable is named in the error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const reason = issue.code === 'invalid_value' || issue.code === 'invalid_type' || issue.code === 'too_small'
      ? `is invalid: ${issue.message}`
      : issue.message;
    throw new ConfigError(variable, reason);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'embedded', dataDir: e.DATA_DIR },
    redisUrl: e.REDIS_URL,
    dataDir: e.DATA_DIR,
    http: { host: e.HOST, port: e.PORT },
    seedDemo: e.SEED_DEMO,
  };
}
