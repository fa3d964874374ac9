// `npm start` / `npm run dev`: the one command a newcomer runs. With DATABASE_URL unset it starts the
// embedded Postgres under DATA_DIR (default ./.data), migrates it, seeds the demo workspace on first run,
// builds the app if needed and serves it. With DATABASE_URL set, the same on that Postgres (no demo seed).
// A bad setting stops it at once with the message and a non-zero exit code, before anything is started.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { env } from "../lib/config/env.ts";
import { loadDotEnv, loadLocalSecrets } from "../lib/config/local-secrets.ts";
import { dataDirFromEnv, type EmbeddedHandle, resolveDatabase } from "../lib/db/embedded.ts";
import { migrate } from "../lib/db/migrate.ts";
import { SERVER_ENTRY, SERVER_MALLOC_ENV } from "./server-entry.ts";

const mode = process.argv[2] === "dev" ? "dev" : "start";
loadDotEnv();
const port = Number(process.env.PORT ?? 3000);
const dataDir = dataDirFromEnv();

let database: (EmbeddedHandle & { embedded: boolean }) | null = null;

/** Prints why and exits non-zero, after stopping what this script started (an embedded server). */
async function fail(error: unknown): Promise<never> {
  console.error(error instanceof Error ? error.message : String(error));
  await database?.stop().catch(() => {});
  process.exit(1);
}

let demo: { email: string; password: string; slug: string } | null = null;
try {
  database = await resolveDatabase();
  process.env.DATABASE_URL = database.url;
  if (database.embedded) {
    process.env.ONETHREAD_EMBEDDED = "1";
    loadLocalSecrets(dataDir);
  } else if (mode === "dev") {
    loadLocalSecrets(dataDir);
  }
  process.env.APP_URL ??= `http://localhost:${port}`;
  process.env.NEXTAUTH_URL ??= process.env.APP_URL;
  // The server checks the same at boot (instrumentation.ts); here it costs no migration, build or server.
  env();

  const applied = await migrate(database.url);
  if (applied.length) console.log(`Applied ${applied.length} migration(s): ${applied.join(", ")}`);

  if (database.embedded) {
    const { createDb } = await import("../lib/db/client.ts");
    const { seedDemoIfEmpty } = await import("../lib/demo/seed-demo.ts");
    const db = createDb(database.url, { poolMax: 2 });
    try {
      demo = await seedDemoIfEmpty(db, (line) => console.log(line));
    } finally {
      await db.$disconnect();
    }
  }
} catch (error) {
  await fail(error);
}
const db = database as EmbeddedHandle & { embedded: boolean };

if (mode === "start" && needsBuild()) {
  console.log("Building the app (first start or sources changed)…");
  const build = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: process.env });
  if (build.status !== 0) {
    await db.stop();
    process.exit(build.status ?? 1);
  }
}

// Where the server listens. The embedded install is one person's machine and its demo owner's password is
// printed below, and `npm run dev` shows login links in the dev outbox: loopback only unless HOSTNAME says
// otherwise. `npm start` with DATABASE_URL is a deployment (a container, a VM behind a proxy) that must be
// reachable: every interface unless HOSTNAME says otherwise.
const hostname = process.env.HOSTNAME || (db.embedded || mode === "dev" ? "127.0.0.1" : "0.0.0.0");

// Node itself, not through npx: a signal to npx does not reach the server it started. `npm start` runs
// scripts/serve.ts as the build bundled it (Next, and the tracker's collect endpoint beside its request
// pipeline); `npm run dev` runs next dev, where the route serves collect as on Vercel.
const command =
  mode === "start"
    ? [process.execPath, SERVER_ENTRY]
    : ["node_modules/.bin/next", "dev", "-p", String(port), "-H", hostname];
const child = spawn(command[0] as string, command.slice(1), {
  stdio: "inherit",
  env: {
    ...(mode === "start" ? SERVER_MALLOC_ENV : {}),
    ...process.env,
    PORT: String(port),
    HOSTNAME: hostname,
    ...(mode === "start" ? { NODE_ENV: "production" } : {}),
  },
});
console.log(`\nOneThread is starting at ${process.env.APP_URL} (listening on ${hostname}:${port})`);
console.log(db.embedded ? `Database: embedded Postgres in ${dataDir}` : "Database: DATABASE_URL");
if (demo) console.log(`Demo login: ${demo.email} / ${demo.password}  →  ${process.env.APP_URL}/app/${demo.slug}\n`);

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  child.kill("SIGTERM");
  await db.stop();
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
// Also when the server stops by itself: instrumentation.ts makes it exit 1 on a setting it refuses.
child.on("exit", (code) => void stop(code ?? 0));

/** A build is needed when there is none, or when a source file is newer than it. */
function needsBuild() {
  const buildId = path.join(".next", "BUILD_ID");
  if (!fs.existsSync(buildId) || !fs.existsSync(SERVER_ENTRY)) return true;
  const builtAt = fs.statSync(buildId).mtimeMs;
  const newer = (dir: string): boolean =>
    fs.existsSync(dir) &&
    fs.readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name !== "generated" && entry.name !== "node_modules" && newer(full);
      return fs.statSync(full).mtimeMs > builtAt;
    });
  return ["app", "components", "lib", "public", "proxy.ts", "next.config.ts", "package.json", "scripts/serve.ts"].some(
    (p) =>
      fs.existsSync(p) && fs.statSync(p).isDirectory()
        ? newer(p)
        : fs.existsSync(p) && fs.statSync(p).mtimeMs > builtAt,
  );
}
