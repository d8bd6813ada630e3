import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { z } from 'zod';
import { Account, Resident } from '../../db/entities/index.ts';
import type { Orm } from '../db/orm.ts';
import { actor as actorSchema, operatorActor, residentActor, residentWhere, type Actor, type OperatorActor, type ResidentActor } from './actor.ts';
import { placeProof, proveByPlace } from './place-proof.ts';
import { fail, invalidInput, type DomainError, type Result } from './result.ts';
import { id } from './schemas.ts';

export interface BillingDeps {
  orm: Orm;
  /** The clock, so that "today" can be pinned in tests. */
  now?: () => Date;
}

export interface ServiceContext {
  em: EntityManager;
  now: Date;
  /**
   * The same lookup asked by several operations at once (many residents' updates in one turn of
   * the event loop) goes to PostgreSQL as one query (dataloader, batching only, no cache). Inside a
   * write it runs on the transaction, unbatched, so it sees what the transaction wrote.
   */
  batched: Batched;
}

/** A lookup of many keys at once; answers in the order of the keys (undefined where none). */
export type BatchLoad<K, V> = (em: EntityManager, keys: readonly K[]) => Promise<(V | undefined)[]>;
type Batched = <K, V>(load: BatchLoad<K, V>) => (key: K) => Promise<V | undefined>;

const loaders = new WeakMap<Orm, Map<BatchLoad<never, unknown>, DataLoader<unknown, unknown>>>();

/** One loader per ORM and kind of lookup, shared by every operation that asks it. */
function batchedReads(orm: Orm): Batched {
  const known = loaders.get(orm) ?? new Map();
  loaders.set(orm, known);
  return <K, V>(load: BatchLoad<K, V>) => {
    let loader = known.get(load as BatchLoad<never, unknown>) as DataLoader<K, V | undefined> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V | undefined>((keys) => load(orm.em.fork() as EntityManager, keys), { cache: false, maxBatchSize: 500 });
      known.set(load as BatchLoad<never, unknown>, loader as DataLoader<unknown, unknown>);
    }
    const l = loader;
    return (key: K) => l.load(key);
  };
}

const unbatched =
  (em: EntityManager): Batched =>
  (load) =>
  async (key) =>
    (await load(em, [key]))[0];

/**
 * Who may call an operation:
 * - `public`: anyone (dictionaries, lookups that need a proof or a token in the input);
 * - `resident`: a resident about themselves, the actor is the only subject;
 * - `account`: about one account, which the actor must be entitled to (checked before `run`);
 * - `operator`: an operator's work, within the branches they serve (checked by the operation on its subject);
 * - `system`: the job runner's own bookkeeping, no front door of a person calls it.
 */
export type Scope = 'public' | 'resident' | 'account' | 'operator' | 'system';

export type Operation<I, R> = ((input: I) => Promise<R | ReturnType<typeof invalidInput>>) & { readonly scope: Scope };

/**
 * `read` runs without a transaction; `write` inside one; `statements` is a write made of
 * statements each whole on its own (an insert that ignores a conflict, an update of one row), run
 * without BEGIN/COMMIT: two round trips fewer on the bot's hottest write, the consent.
 */
type Mode = 'read' | 'write' | 'statements';

/** The fields an operation adds to its actor and target (none: an empty object, not `Record<string, never>`). */
type In<S extends z.ZodRawShape> = keyof S extends never ? object : z.input<z.ZodObject<S>>;
type Out<S extends z.ZodRawShape> = keyof S extends never ? object : z.output<z.ZodObject<S>>;

/**
 * The one way an operation runs: the input is checked, then `run` gets a fresh EntityManager —
 * inside a transaction for a write; a read runs without one (two round trips fewer on the bot's
 * hot paths). Callers never see the ORM, only the typed result.
 */
function operation<S extends z.ZodType, R extends Result<unknown, DomainError>>(
  scope: Scope,
  mode: Mode,
  schema: S,
  run: (input: z.output<S>, ctx: ServiceContext) => Promise<R>,
) {
  return (deps: BillingDeps): Operation<z.input<S>, R> => {
    const batched = batchedReads(deps.orm);
    return Object.assign(
      async (input: z.input<S>) => {
        const parsed = schema.safeParse(input);
        if (!parsed.success) return invalidInput(parsed.error);
        const now = deps.now?.() ?? new Date();
        const em = deps.orm.em.fork() as EntityManager;
        if (mode === 'read') return run(parsed.data, { em, now, batched });
        if (mode === 'statements') return run(parsed.data, { em, now, batched: unbatched(em) });
        return em.transactional((tx) => run(parsed.data, { em: tx, now, batched: unbatched(tx) }));
      },
      { scope },
    );
  };
}

/** An operation anyone may call: what it needs to prove, it takes in its input. */
export const defineQuery = <S extends z.ZodType, R extends Result<unknown, DomainError>>(
  schema: S,
  run: (input: z.output<S>, ctx: ServiceContext) => Promise<R>,
) => operation('public', 'read', schema, run);
export const defineService = <S extends z.ZodType, R extends Result<unknown, DomainError>>(
  schema: S,
  run: (input: z.output<S>, ctx: ServiceContext) => Promise<R>,
) => operation('public', 'write', schema, run);
/** Bookkeeping of the job runner (claims, outcomes): no person's front door calls these. */
export const defineSystemService = <S extends z.ZodType, R extends Result<unknown, DomainError>>(
  schema: S,
  run: (input: z.output<S>, ctx: ServiceContext) => Promise<R>,
) => operation('system', 'write', schema, run);

export interface ResidentContext extends ServiceContext {
  actor: ResidentActor;
  /** The resident's row, if they have given consent (nothing is kept before that). */
  resident: () => Promise<Resident | null>;
}

/** The input of an operation by one kind of actor: `{ actor }` and the operation's own fields. */
const withActor = <A extends z.ZodType, S extends z.ZodRawShape>(actorSchema: A, shape: S) =>
  z.object({ actor: actorSchema }).and(z.object(shape)) as unknown as z.ZodType<{ actor: z.output<A> } & Out<S>, { actor: z.output<A> } & In<S>>;

/** About the acting resident themselves: the input names no other person. */
export function defineResidentService<S extends z.ZodRawShape, R extends Result<unknown, DomainError>>(
  mode: Mode,
  shape: S,
  run: (input: { actor: ResidentActor } & Out<S>, ctx: ResidentContext) => Promise<R>,
) {
  return operation('resident', mode, withActor(residentActor, shape), (input, ctx) =>
    run(input, { ...ctx, actor: input.actor, resident: () => ctx.em.findOne(Resident, residentWhere(input.actor)) }),
  );
}

export interface OperatorContext extends ServiceContext {
  actor: OperatorActor;
}

/** An operator's work: the actor must be an operator; the operation checks the subject's branch against theirs. */
export function defineOperatorService<S extends z.ZodRawShape, R extends Result<unknown, DomainError>>(
  mode: Mode,
  shape: S,
  run: (input: { actor: OperatorActor } & Out<S>, ctx: OperatorContext) => Promise<R>,
) {
  return operation('operator', mode, withActor(operatorActor, shape), (input, ctx) => run(input, { ...ctx, actor: input.actor }));
}

export interface AccountAccess {
  accountId: number;
  actor: Actor;
  /** The acting resident's id when the right comes from their link (null for an operator or a proof by place). */
  residentId: number | null;
  /** How the right to the account was shown: a live link, an operator's branch, or the number with house and flat. */
  by: 'link' | 'operator' | 'place';
}

export interface AccountContext extends ServiceContext {
  access: AccountAccess;
}

const accountTarget = z.object({ accountId: id });
const placeTarget = z.object({ byPlace: placeProof });

type AccountTarget<P extends boolean> = P extends true ? { accountId: number } | { byPlace: z.input<typeof placeProof> } : { accountId: number };

const LINK_SQL = (
  by: 'telegram_id' | 'id',
) => `select r.id as resident_id, exists (select 1 from account_link l where l.resident_id = r.id and l.account_id = ?) as linked
  from resident r where r.${by} = ?`;
const LINK_BY_TELEGRAM = LINK_SQL('telegram_id');
const LINK_BY_ID = LINK_SQL('id');

/**
 * Whether the actor may see or change the account: a resident with a live link to it, an
 * operator serving its branch, or — where the operation allows it (seeds 001/002, readings
 * without registration) — anyone who names its number, house and flat. A resident who is a
 * stranger learns nothing: the refusal is the same whether the account exists or not.
 */

async function authorize(em: EntityManager, who: Actor, target: { accountId: number } | { byPlace: z.output<typeof placeProof> }) {
  if ('byPlace' in target) {
    const proven = await proveByPlace(em, target.byPlace);
    if (!proven) return fail({ code: 'account_not_found' as const });
    return { accountId: proven, actor: who, residentId: null, by: 'place' as const };
  }
  // Someone not signed in on the web shows a right to an account only by its place (above).
  if (who.kind === 'visitor') return fail({ code: 'not_permitted' as const });
  if (who.kind === 'operator') {
    const account = await em.findOne(Account, target.accountId, { populate: ['branch'], strategy: 'joined' });
    if (!account) return fail({ code: 'account_not_found' as const });
    if (!who.branchCodes.includes(account.branch.$.code)) return fail({ code: 'not_permitted' as const });
    return { accountId: account.id, actor: who, residentId: null, by: 'operator' as const };
  }
  // Asked on nearly every update of the bot, so one plain indexed statement: the resident's id,
  // and whether their link to the account is there (no row: no consent).
  const [row] = await em.execute<{ resident_id: number; linked: boolean }[]>(who.channel === 'telegram' ? LINK_BY_TELEGRAM : LINK_BY_ID, [
    target.accountId,
    who.channel === 'telegram' ? who.telegramId : who.residentId,
  ]);
  if (row?.linked) return { accountId: target.accountId, actor: who, residentId: Number(row.resident_id), by: 'link' as const };
  return fail({ code: row ? ('account_not_linked' as const) : ('resident_not_found' as const) });
}

/**
 * About one account: the actor's right to it is checked before `run`, which gets the proven
 * access. `byPlace` lets the input name the account by number, house and flat instead of an id.
 */
export function defineAccountService<S extends z.ZodRawShape, R extends Result<unknown, DomainError>, P extends boolean = false>(
  mode: Mode,
  shape: S,
  run: (input: Out<S>, ctx: AccountContext) => Promise<R>,
  options: { byPlace?: P } = {},
) {
  const rest = z.object(shape);
  const target = options.byPlace ? z.union([accountTarget, placeTarget]) : accountTarget;
  const schema = z.object({ actor: actorSchema }).and(target).and(rest) as unknown as z.ZodType<
    { actor: Actor } & ({ accountId: number } | { byPlace: z.output<typeof placeProof> }) & Out<S>,
    { actor: Actor } & AccountTarget<P> & In<S>
  >;
  type Denied = ReturnType<
    typeof fail<{ code: 'account_not_found' } | { code: 'not_permitted' } | { code: 'account_not_linked' } | { code: 'resident_not_found' }>
  >;
  return operation('account', mode, schema, async (input, ctx): Promise<R | Denied> => {
    const target = 'byPlace' in input ? { byPlace: input.byPlace as z.output<typeof placeProof> } : { accountId: input.accountId };
    const access = await authorize(ctx.em, input.actor, target);
    if ('ok' in access) return access;
    return run(input as Out<S>, { ...ctx, access });
  });
}
