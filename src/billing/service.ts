import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import type { Orm } from '../db/orm.ts';
import { invalidInput, type DomainError, type Result } from './result.ts';

export interface BillingDeps {
  orm: Orm;
  /** The clock, so that "today" can be pinned in tests. */
  now?: () => Date;
}

export interface ServiceContext {
  em: EntityManager;
  now: Date;
}

/**
 * A billing operation: the input is checked against `schema`, then `run` gets a fresh
 * EntityManager — inside a transaction for a `write`; a `read` runs without one, which saves
 * two round trips on the hot paths of the bot. Callers never see the ORM, only the typed result.
 */
export function defineService<S extends z.ZodType, R extends Result<unknown, DomainError>>(
  schema: S,
  run: (input: z.output<S>, ctx: ServiceContext) => Promise<R>,
  mode: 'read' | 'write' = 'write',
) {
  return (deps: BillingDeps) =>
    async (input: z.input<S>): Promise<R | ReturnType<typeof invalidInput>> => {
      const parsed = schema.safeParse(input);
      if (!parsed.success) return invalidInput(parsed.error);
      const now = deps.now?.() ?? new Date();
      const em = deps.orm.em.fork();
      return mode === 'read' ? run(parsed.data, { em, now }) : em.transactional((tx) => run(parsed.data, { em: tx, now }));
    };
}

/** A billing operation that only reads. */
export const defineQuery = <S extends z.ZodType, R extends Result<unknown, DomainError>>(
  schema: S,
  run: (input: z.output<S>, ctx: ServiceContext) => Promise<R>,
) => defineService(schema, run, 'read');
