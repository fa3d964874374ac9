import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";

export type Db = InstanceType<typeof PrismaClient>;
/** A database handle or an interactive transaction: what every domain function takes. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface DbOptions {
  /** Connections in the pool. The embedded server runs one query at a time, so a few are plenty there. */
  poolMax?: number;
}

export function createDb(connectionString: string, options: DbOptions = {}): Db {
  const adapter = new PrismaPg({
    connectionString,
    max: options.poolMax ?? 10,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}

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
