import { migrate } from "../../lib/db/migrate.ts";
import { templateName, urlFor, withAdmin } from "./postgres.ts";

/** Creates (once per migration set) a migrated template database that every test file clones. */
export default async function setup() {
  const name = await templateName();
  await withAdmin(async (admin) => {
    await admin.query("SELECT pg_advisory_lock(4242001)");
    try {
      const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (rowCount) return;
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
      await admin.query(`CREATE DATABASE "${building}"`);
      await migrate(urlFor(building));
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      // Drop templates of older migration sets, unless checkouts with other migrations test side by side.
      if (process.env.ONETHREAD_KEEP_TEMPLATES === "1") return;
      const old = await admin.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'onethread_tpl_%' AND datname <> $1",
        [name],
      );
      for (const row of old.rows) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}"`).catch(() => {});
    } finally {
      await admin.query("SELECT pg_advisory_unlock(4242001)");
    }
  });
}
