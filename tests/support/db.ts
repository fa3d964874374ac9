import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { createDb, type Db } from "../../lib/db/client.ts";
import { drainIngestLog, stopDrainer } from "../../lib/ingest/drain-ingest-log.ts";
import { templateName, urlFor, withAdmin } from "./postgres.ts";

export interface TestDb {
  db: Db;
  url: string;
  name: string;
}

/**
 * A fresh database for this test file, cloned from the migrated template, made the app's database
 * (getDb() and route handlers use it), and dropped when the file's tests end.
 */
export async function useTestDb(): Promise<TestDb> {
  const template = await templateName();
  const name = `onethread_t_${randomBytes(6).toString("hex")}`;
  await withAdmin(async (admin) => {
    // Cloning needs the template free of connections; serialise clones across parallel test files.
    await admin.query("SELECT pg_advisory_lock(4242002)");
    try {
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    } finally {
      await admin.query("SELECT pg_advisory_unlock(4242002)");
    }
  });
  const url = urlFor(name);
  const db = createDb(url, { poolMax: 8 });
  process.env.DATABASE_URL = url;
  (globalThis as { __onethreadDb?: Db }).__onethreadDb = db;
  afterAll(async () => {
    await drainIngestLog(db);
    stopDrainer(db);
    await db.$disconnect();
    (globalThis as { __onethreadDb?: Db }).__onethreadDb = undefined;
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });
  return { db, url, name };
}
