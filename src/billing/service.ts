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
export interface Sql {
  <Row>(name: string, text: string, values: unknown[]): Promise<Row[]>;
  /**
   * The row whose `column` equals `key`, by a statement that takes all the keys as `$1` (an
   * array) and, per key, each of `params` in an array after it ($2, $3, …): the same statement
   * asked for several keys while one event is handled (under load, many residents at once) goes
   * to PostgreSQL once, for all of them. A key asked twice in one turn goes in a query of its own.
   */
  byKey<Row extends object>(name: string, text: string, column: keyof Row & string, key: string | number, params?: unknown[]): Promise<Row | undefined>;
}

interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const statements = new WeakMap<Orm, Sql>();

export function statementsOf(orm: Orm): Sql {
  let sql = statements.get(orm);
  if (!sql) {
    const run = async <Row>(name: string, text: string, values: unknown[]) => {
      const client = orm.em.getConnection().getKnex().client;
      const connection = (await client.acquireConnection()) as PgConnection;
      try {
        return (await connection.query({ name, text, values })).rows as Row[];
      } finally {
        await client.releaseConnection(connection);
      }
    };
    type Batch = Map<string, { params: unknown[]; resolve: (row: unknown) => void; reject: (err: unknown) => void }>;
    const send = (name: string, text: string, column: string, batch: Batch) => {
      const keys = [...batch.keys()];
      const values = [keys, ...[...Array(batch.get(keys[0]!)!.params.length).keys()].map((i) => keys.map((k) => batch.get(k)!.params[i]))];
      run<Record<string, unknown>>(name, text, values).then(
        (rows) => {
          const found = new Map(rows.map((row) => [String(row[column]), row]));
          for (const [k, waiter] of batch) waiter.resolve(found.get(k));
        },
        (err) => {
          for (const waiter of batch.values()) waiter.reject(err);
        },
      );
    };
    const pending = new Map<string, Batch>();
    const byKey = (name: string, text: string, column: string, key: string | number, params: unknown[] = []) =>
      new Promise<unknown>((resolve, reject) => {
        const k = String(key);
        let batch = pending.get(name);
        if (batch?.has(k)) return send(name, text, column, new Map([[k, { params, resolve, reject }]]));
        if (!batch) {
          const queued: Batch = (batch = new Map());
          pending.set(name, queued);
          process.nextTick(() => {
            pending.delete(name);
            send(name, text, column, queued);
          });
        }
        batch.set(k, { params, resolve, reject });
      });
    sql = Object.assign(run, { byKey }) as Sql;
    statements.set(orm, sql);
  }
  return sql;
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
