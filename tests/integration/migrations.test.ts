import fs from "node:fs";
import { expect, test } from "vitest";
import { migrate, readMigrations } from "../../lib/db/migrate.ts";
import { diffSchemas } from "../../lib/db/schema-diff.ts";
import { useTestDb } from "../support/db.ts";
import { adminUrl, urlFor, withAdmin } from "../support/postgres.ts";

const { db, url } = await useTestDb();

/** Everything about a database's shape that a migration can change, in a comparable form. */
async function shapeOf(connectionString: string) {
  const pg = await import("pg");
  const client = new pg.default.Client({ connectionString });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql)).rows.map((r) => JSON.stringify(r)).sort();
    return {
      columns: await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
        character_maximum_length, numeric_precision, datetime_precision
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`),
      indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`),
      constraints: await q(`SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT IN ('_prisma_migrations', '"_prisma_migrations"')`),
      enums: await q(`SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_type t
        JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public'`),
    };
  } finally {
    await client.end();
  }
}

test("the migrations build exactly the database prisma/schema.prisma describes (no drift)", async () => {
  const schema = fs.readFileSync("prisma/schema.prisma", "utf8");
  const fromScratch = await diffSchemas(null, schema, adminUrl());
  const name = `${new URL(url).pathname.slice(1)}_direct`;
  await withAdmin((a) => a.query(`CREATE DATABASE "${name}"`));
  try {
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: urlFor(name) });
    await client.connect();
    await client.query(fromScratch);
    await client.end();
    expect(await shapeOf(url)).toEqual(await shapeOf(urlFor(name)));
  } finally {
    await withAdmin((a) => a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
});

test("the last migration's schema snapshot is the current schema (npm run db:migration was run)", async () => {
  const migrations = await readMigrations();
  const last = migrations.at(-1)!;
  const snapshot = fs.readFileSync(`prisma/migrations/${last.name}/schema.prisma`, "utf8");
  expect(await diffSchemas(snapshot, fs.readFileSync("prisma/schema.prisma", "utf8"), adminUrl())).toMatch(
    /^(-- This is an empty migration\.)?\s*$/,
  );
});

test("migrations are recorded in _prisma_migrations as Prisma does, and a second run applies nothing", async () => {
  const rows = await db.$queryRawUnsafe<{ migration_name: string; checksum: string; applied_steps_count: number }[]>(
    `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
  );
  const onDisk = await readMigrations();
  expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
    onDisk.map((m) => [m.name, m.checksum, 1]),
  );
  expect(await migrate(url)).toEqual([]);
});

test("a migration changed after it was applied is refused", async () => {
  await db.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET checksum = 'tampered' WHERE migration_name = (
    SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name LIMIT 1)`);
  await expect(migrate(url)).rejects.toThrow(/changed after it was applied/);
});
