// `npm run db:migration -- <name>`: writes prisma/migrations/<stamp>_<name>/migration.sql with the SQL that
// takes the schema of the last migration to the current prisma/schema.prisma, computed by Prisma's WASM
// schema engine (the native `prisma migrate dev` cannot download its engine here). Each migration folder
// keeps the schema it was made from (schema.prisma) as the base of the next diff.
import fs from "node:fs";
import path from "node:path";
import { resolveDatabase } from "../lib/db/embedded.ts";
import { MIGRATIONS_DIR, readMigrations } from "../lib/db/migrate.ts";
import { diffSchemas } from "../lib/db/schema-diff.ts";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name>   (lower-case letters, digits and underscores)");
  process.exit(2);
}

const schema = fs.readFileSync("prisma/schema.prisma", "utf8");
const migrations = await readMigrations();
const last = migrations.at(-1);
const base = last ? fs.readFileSync(path.join(MIGRATIONS_DIR, last.name, "schema.prisma"), "utf8") : null;

const db = await resolveDatabase();
try {
  const sql = await diffSchemas(base, schema, db.url);
  if (!sql.trim() || /^-- This is an empty migration\.?\s*$/.test(sql.trim())) {
    console.log("prisma/schema.prisma matches the last migration: nothing to write.");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
    fs.writeFileSync(path.join(dir, "schema.prisma"), schema);
    fs.writeFileSync(path.join(MIGRATIONS_DIR, "migration_lock.toml"), 'provider = "postgresql"\n');
    console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} finally {
  await db.stop();
}
