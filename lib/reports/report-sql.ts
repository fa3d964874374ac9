import { type Db, pgPoolOf } from "../db/client.ts";
import type { Sql } from "../db/raw-sql.ts";

/**
 * Single statements for the reports, each on a pooled connection with JIT compilation off. A report's
 * statements read a few thousand index entries, but over tables of a million rows the planner's estimates
 * pass `jit_above_cost`, and compiling the plan then cost more than running it (measured: 120 ms–1.6 s of
 * JIT for a 60 ms statement). Independent statements of one report run in parallel on separate connections.
 */
export function reportSql(db: Db): Sql {
  const pool = pgPoolOf(db);
  if (!pool) return db;
  const run = async (query: string, values: unknown[]) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("SET jit = off");
      const result = await client.query(query, values);
      await client.query("RESET jit");
      return result;
    } catch (error) {
      // A failed statement leaves the setting as it was for this session: reset it or drop the connection.
      await client.query("RESET jit").catch((e: Error) => {
        broken = e;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  };
  return {
    $queryRawUnsafe: async <R>(query: string, ...values: unknown[]) => (await run(query, values)).rows as R,
    $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await run(query, values)).rowCount ?? 0,
  };
}
