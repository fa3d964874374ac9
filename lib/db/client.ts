import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client.ts";

export type Db = InstanceType<typeof PrismaClient>;
/** A database handle or an interactive transaction: what every domain function takes. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface DbOptions {
  /** Connections in the pool. The embedded server runs one query at a time, so a few are plenty there. */
  poolMax?: number;
}

// On globalThis, like the client itself (getDb below): Next bundles this module once per layer (route handlers,
// server components), and a client created in one layer must find its pool from the others. With a per-module
// map, owner pages got null and fell back to Prisma for every raw statement.
const poolsHolder = globalThis as unknown as { __onethreadPools?: WeakMap<object, pg.Pool> };
poolsHolder.__onethreadPools ??= new WeakMap<object, pg.Pool>();
const pools = poolsHolder.__onethreadPools;

export function createDb(connectionString: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({ connectionString, max: options.poolMax ?? 10, idleTimeoutMillis: 30_000 });
  // An idle connection's error surfaces on its next use; without a listener it would crash the process.
  pool.on("error", () => {});
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

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
