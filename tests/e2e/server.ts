// The app under test: a fresh database on the local Postgres, migrated, served by `next start`, dropped on exit.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { migrate } from "../../lib/db/migrate.ts";
import { SERVER_ENTRY, SERVER_MALLOC_ENV } from "../../scripts/server-entry.ts";
import { urlFor, withAdmin } from "../support/postgres.ts";
import { databaseUrlFile, E2E_ENV, FAKE_ADS_PORT } from "./env.ts";

const port = process.argv[2] ?? "3100";
const name = `onethread_e2e_${randomBytes(4).toString("hex")}`;
await withAdmin((a) => a.query(`CREATE DATABASE "${name}"`));
const url = urlFor(name);
await migrate(url);
process.stdout.write(`${url}\n`);
const urlFile = databaseUrlFile(port);
fs.mkdirSync(path.dirname(urlFile), { recursive: true });
fs.writeFileSync(urlFile, url);

// The server `npm start` runs (as `npm run build` bundled it): Next, with the tracker's collect endpoint
// answered beside its pipeline.
const child = spawn(process.execPath, [SERVER_ENTRY], {
  stdio: "inherit",
  env: {
    ...SERVER_MALLOC_ENV,
    ...process.env,
    ...E2E_ENV,
    NODE_ENV: "production",
    PORT: port,
    HOSTNAME: "127.0.0.1",
    DATABASE_URL: url,
    APP_URL: `http://localhost:${port}`,
    NEXTAUTH_URL: `http://localhost:${port}`,
    META_GRAPH_BASE: `http://127.0.0.1:${FAKE_ADS_PORT}`,
    GOOGLE_ADS_API_BASE: `http://127.0.0.1:${FAKE_ADS_PORT}`,
  },
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  child.kill("SIGTERM");
  fs.rmSync(urlFile, { force: true });
  await withAdmin((a) => a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", stop);
