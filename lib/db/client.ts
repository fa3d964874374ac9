import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { processShared } from "../process-shared.ts";
import { isEmbeddedUrl } from "./embedded-url.ts";
import { PrismaClient } from "./generated/client.ts";

export type Db = InstanceType<typeof PrismaClient>;
/** A database handle or an interactive transaction: what every domain function takes. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface DbOptions {
  /** Connections in the pool. The embedded server runs one query at a time, so a few are plenty there. */
  poolMax?: number;
}

// A client created by one copy of this module must still show its pool to another's raw-SQL paths.
const pools = processShared("pools", () => new WeakMap<object, pg.Pool>());
/** Pools whose connections share one session (the embedded server): nothing is prepared on them. */
const sharedSessions = processShared("sharedSessionPools", () => new WeakSet<pg.Pool>());

export function createDb(connectionString: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({ connectionString, max: options.poolMax ?? 10, idleTimeoutMillis: 30_000 });
  // An idle connection's error surfaces on its next use; without a listener it would crash the process.
  pool.on("error", () => {});
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  if (isEmbeddedUrl(connectionString)) sharedSessions.add(pool);
  return db;
}

/** Whether a pool's connections may keep named prepared statements (each has a session of its own). */
export const mayPrepare = (pool: pg.Pool) => !sharedSessions.has(pool);

/**
 * The pg pool under a client (the same connections Prisma uses), for the one hot path that runs its raw-SQL
 * transaction itself (lib/db/raw-sql.ts): Prisma's per-query overhead was a quarter of its CPU.
 */
export const pgPoolOf = (db: Db): pg.Pool | null => pools.get(db) ?? null;

const globalForDb = globalThis as unknown as { __onethreadDb?: Db };

/**
 * The app's shared client, created on first use from DATABASE_URL (set by scripts/start.ts to the embedded
 * server when the user gave none). Cached on globalThis so dev-mode reloads do not open new pools.
 */
export function getDb(): Db {
  if (!globalForDb.__onethreadDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start` or set DATABASE_URL.");
    const poolMax = process.env.ONETHREAD_EMBEDDED === "1" ? 4 : Number(process.env.DATABASE_POOL_MAX ?? 10);
    globalForDb.__onethreadDb = createDb(url, { poolMax });
  }
  return globalForDb.__onethreadDb;
}
