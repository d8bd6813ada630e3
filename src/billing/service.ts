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

/**
 * One statement on a connection of the ORM's own pool, prepared once per connection under
 * `name` (PostgreSQL then keeps its plan) and with its values passed as parameters. For the few
 * hot reads and the one-statement writes the bot makes for nearly every update: no
 * EntityManager, no query builder, no hydration — the rows come back as the driver reads them.
 */
export type Sql = <Row>(name: string, text: string, values: unknown[]) => Promise<Row[]>;

interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const statements = new WeakMap<Orm, Sql>();

export function statementsOf(orm: Orm): Sql {
  let run = statements.get(orm);
  if (!run) {
    run = async <Row>(name: string, text: string, values: unknown[]) => {
      const client = orm.em.getConnection().getKnex().client;
      const connection = (await client.acquireConnection()) as PgConnection;
      try {
        return (await connection.query({ name, text, values })).rows as Row[];
      } finally {
        await client.releaseConnection(connection);
      }
    };
    statements.set(orm, run);
  }
  return run;
}

export interface StatementContext {
  sql: Sql;
  now: Date;
}

/** A billing operation made of prepared statements only: validated like the others, without the ORM's unit of work. */
export function defineStatement<S extends z.ZodType, R extends Result<unknown, DomainError>>(
  schema: S,
  run: (input: z.output<S>, ctx: StatementContext) => Promise<R>,
) {
  return (deps: BillingDeps) => {
    const sql = statementsOf(deps.orm);
    return async (input: z.input<S>): Promise<R | ReturnType<typeof invalidInput>> => {
      const parsed = schema.safeParse(input);
      if (!parsed.success) return invalidInput(parsed.error);
      return run(parsed.data, { sql, now: deps.now?.() ?? new Date() });
    };
  };
}

/** A billing operation that only reads. */
export const defineQuery = <S extends z.ZodType, R extends Result<unknown, DomainError>>(
  schema: S,
  run: (input: z.output<S>, ctx: ServiceContext) => Promise<R>,
) => defineService(schema, run, 'read');
