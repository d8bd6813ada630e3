/**
 * Whether an error means that PostgreSQL or Redis is unavailable right now (down, restarting,
 * unreachable, out of connections), as opposed to a fault of the update or of the code. Such an
 * update is not lost: it is not marked handled, and it is handled again once they are back.
 * Telegram being unreachable is not one of these (the Bot API's own errors are grammY's
 * HttpError and GrammyError, which are left to their own handling).
 */
export function isOutage(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    if (outageItself(e as Record<string, unknown>)) return true;
    const next = e as { error?: unknown; cause?: unknown };
    // grammY's BotError carries the middleware's error as `error`; drivers chain theirs as `cause`.
    e = next.error ?? next.cause;
  }
  return false;
}

/** Network errors of a socket to PostgreSQL or Redis. */
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/**
 * PostgreSQL's SQLSTATEs of a server that is not serving: class 08 (connection exceptions),
 * 57P01-57P03 (shut down by an administrator, crashed, starting up), 53300 (too many connections).
 */
const PG_CODES = /^(08...|57P0[1-3]|53300)$/;
const MESSAGES = [
  // a socket that could not be opened, as the pool reports it (the code is not always kept)
  /^(connect|read|write) (ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE)\b/,
  // node-postgres
  /^Connection terminated/i,
  /^Connection ended unexpectedly/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  // knex's pool (MikroORM), the database does not give a connection
  /Timeout acquiring a connection/i,
  // ioredis
  /^Connection is closed\.?$/i,
  /Stream isn't writeable/i,
  /Reached the max retries per request limit/i,
];

function outageItself(e: Record<string, unknown>): boolean {
  // grammY's own errors are Telegram's: never an outage of ours, whatever their message says.
  if (e.name === 'HttpError' || e.name === 'GrammyError') return false;
  if (e.name === 'MaxRetriesPerRequestError' || e.name === 'ConnectionException' || e.name === 'KnexTimeoutError') return true;
  if (typeof e.code === 'string' && (NET_CODES.has(e.code) || PG_CODES.test(e.code))) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return MESSAGES.some((m) => m.test(message));
}

/**
 * Resolves once `check` succeeds, trying with a back-off from `firstMs` doubling up to `maxMs`;
 * false if `signal` aborts first.
 */
export async function waitUntil(check: () => Promise<boolean>, o: { firstMs?: number; maxMs?: number; signal?: AbortSignal } = {}): Promise<boolean> {
  let wait = o.firstMs ?? 250;
  for (;;) {
    if (o.signal?.aborted) return false;
    if (await check().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, o.maxMs ?? 5_000);
  }
}
