import pg from "pg";
import { type Db, mayPrepare, pgPoolOf } from "./client.ts";

/** What the ingest path needs of a transaction: raw SQL only (a Prisma transaction has the same shape). */
export interface Sql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/** Limits of a Prisma interactive transaction: long enough to queue behind the locks of a large batch. */
export const PRISMA_TX = { maxWait: 15_000, timeout: 60_000 };

/** Planner settings local to one transaction: names and values are the code's own constants, never input. */
export type TransactionSettings = Readonly<Record<string, string>>;

const SETTING = /^[a-z_]+$/;
const VALUE = /^[\w.]+$/;

/** `SELECT set_config(…, true), …`: the settings, local to the transaction that runs it. */
function setConfigSql(settings: TransactionSettings) {
  const pairs = Object.entries(settings).map(([name, value]) => {
    if (!SETTING.test(name) || !VALUE.test(value)) throw new Error(`Not a transaction setting: ${name}=${value}`);
    return `set_config('${name}', '${value}', true)`;
  });
  return `SELECT ${pairs.join(", ")}`;
}

/** Statement texts marked by `preparedStatement`, each with its name on every pg connection. */
const preparedNames = new Map<string, string>();

/**
 * Marks a constant statement of a hot path to be sent as a named prepared statement: each pg connection parses
 * and plans it once, and Postgres may keep a generic plan after five executions, instead of parsing several
 * kilobytes of SQL and planning a dozen CTEs on every batch (decision 024: 17% of Postgres's CPU per event on
 * interleaved batches). Returns the text itself, so call sites stay plain strings. Nothing is named on the
 * embedded server, whose pool connections share one PGlite session (lib/db/embedded-url.ts), nor through a
 * client without a pool. Only constant texts: every one is a prepared statement on every connection of the
 * pool, for the connection's life. Statements run inside `POINT_LOOKUPS_ONLY`
 * transactions get a generic plan made under those settings (index probes whatever the statistics say).
 */
export function preparedStatement(text: string): string {
  if (!preparedNames.has(text)) preparedNames.set(text, `onethread_${preparedNames.size + 1}`);
  return text;
}

/**
 * What pg is sent: a marked text by its name (prepared on first use per connection), any other as is; on a
 * pool whose connections share one session (the embedded server) nothing is named.
 */
function queryConfig(pool: pg.Pool, text: string, values: unknown[]): pg.QueryConfig {
  const name = preparedNames.get(text);
  return name && mayPrepare(pool) ? { name, text, values } : { text, values };
}

/**
 * Runs `fn` in one READ COMMITTED transaction on a connection of the client's own pool, straight through pg:
 * the ingest hot path sends a few large statements per batch, where Prisma's per-query serialisation cost
 * more than the database did. Falls back to a Prisma interactive transaction for a client without a pool.
 * `settings` apply from the transaction's first statement on: over pg they go in the same round trip as
 * BEGIN (one simple-protocol message), so the first statement is planned with them too.
 */
export async function sqlTransaction<T>(
  db: Db,
  fn: (sql: Sql) => Promise<T>,
  settings?: TransactionSettings,
): Promise<T> {
  const setup = settings && Object.keys(settings).length ? setConfigSql(settings) : null;
  const pool = pgPoolOf(db);
  if (!pool) {
    return db.$transaction(async (tx) => {
      if (setup) await tx.$queryRawUnsafe(setup);
      return fn(tx);
    }, PRISMA_TX);
  }
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(setup ? `BEGIN; ${setup}` : "BEGIN");
    const sql: Sql = {
      $queryRawUnsafe: async <R>(query: string, ...values: unknown[]) =>
        (await client.query(queryConfig(pool, query, values))).rows as R,
      $executeRawUnsafe: async (query: string, ...values: unknown[]) =>
        (await client.query(queryConfig(pool, query, values))).rowCount ?? 0,
    };
    const result = await fn(sql);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((e: Error) => {
      broken = e;
    });
    // A database error leaves the connection usable after ROLLBACK; anything else may not.
    if (!(error instanceof pg.DatabaseError)) broken ??= error as Error;
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Single statements on the client's pool without Prisma's per-query overhead, for the read paths that must
 * answer in a few milliseconds (the chatbot's lookup). Falls back to the Prisma client itself.
 */
export function sqlOf(db: Db): Sql {
  const pool = pgPoolOf(db);
  if (!pool) return db;
  return {
    $queryRawUnsafe: async <R>(query: string, ...values: unknown[]) =>
      (await pool.query(queryConfig(pool, query, values))).rows as R,
    $executeRawUnsafe: async (query: string, ...values: unknown[]) =>
      (await pool.query(queryConfig(pool, query, values))).rowCount ?? 0,
  };
}
