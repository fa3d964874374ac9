// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and exits.
// Deployments run it before (or as part of) a release; `npm start` also migrates on its own.
import { loadDotEnv } from "../lib/config/local-secrets.ts";
import { resolveDatabase } from "../lib/db/embedded.ts";
import { migrate } from "../lib/db/migrate.ts";

loadDotEnv();
const database = await resolveDatabase();
try {
  const applied = await migrate(database.url);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "The database is up to date.");
} finally {
  await database.stop();
}
