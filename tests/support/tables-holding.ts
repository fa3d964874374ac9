import type { Db } from "../../lib/db/client.ts";

/**
 * Every text-like column of every table of the database (information_schema: text, varchar, char, json,
 * jsonb, arrays, enums and uuids), searched for each needle: where each one is still held, as
 * `Table.column holds …`; tables in `except` are skipped.
 */
export async function tablesHolding(db: Db, needles: string[], except: string[] = []) {
  const columns = await db.$queryRawUnsafe<{ table_name: string; column_name: string }[]>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name NOT IN ('_prisma_migrations')
       AND data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY', 'USER-DEFINED', 'uuid')`,
  );
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    if (except.includes(table_name)) continue;
    for (const needle of needles) {
      const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text ILIKE '%' || $1 || '%'`,
        needle,
      );
      if (row?.n) found.push(`${table_name}.${column_name} holds ${needle}`);
    }
  }
  return found;
}
