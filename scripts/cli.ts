// `npm run cli -- <command>`: the same database as the app (DATABASE_URL, or the embedded one under
// DATA_DIR, reusing the running app's embedded server when there is one). See API.md "Command line".
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { loadDotEnv, loadLocalSecrets } from "../lib/config/local-secrets.ts";
import { createDb } from "../lib/db/client.ts";
import { dataDirFromEnv, resolveDatabase } from "../lib/db/embedded.ts";
import { migrate } from "../lib/db/migrate.ts";
import { AppError } from "../lib/errors.ts";
import { JOBS, runJob } from "../lib/jobs/registry.ts";
import { createWorkspace } from "../lib/workspaces/create-workspace.ts";

const USAGE = `Usage:
  npm run cli -- workspace create --name "Acme Movers" --owner owner@acme.test [--password …]
                 [--region eu|us] [--timezone America/Los_Angeles] [--country US] [--json]
  npm run cli -- jobs run <name> [--now 2026-12-02T03:30:00Z]   (${JOBS.map((j) => j.id).join(", ")})
  npm run cli -- jobs list`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

async function main() {
  const [group, action, ...rest] = process.argv.slice(2);
  if (!group || group === "help" || group === "--help") {
    console.log(USAGE);
    return;
  }
  loadDotEnv();
  const database = await resolveDatabase();
  if (database.embedded || !process.env.MASTER_KEY) loadLocalSecrets(dataDirFromEnv());
  process.env.DATABASE_URL = database.url;
  await migrate(database.url);
  const db = createDb(database.url, { poolMax: 2 });
  try {
    if (group === "workspace" && action === "create") {
      const { values } = parseArgs({
        args: rest,
        options: {
          name: { type: "string" },
          owner: { type: "string" },
          password: { type: "string" },
          region: { type: "string" },
          timezone: { type: "string" },
          country: { type: "string" },
          json: { type: "boolean", default: false },
        },
        strict: true,
      });
      if (!values.name || !values.owner) fail(`--name and --owner are required.\n\n${USAGE}`);
      const created = await createWorkspace(db, {
        name: values.name,
        ownerEmail: values.owner,
        password: values.password,
        region: values.region as "eu" | "us" | undefined,
        timezone: values.timezone,
        defaultCountry: values.country,
      });
      const out = {
        workspaceId: created.workspaceId,
        slug: created.slug,
        siteKey: created.siteKey,
        apiKey: created.apiKey,
        ownerEmail: created.ownerEmail,
      };
      if (values.json) console.log(JSON.stringify(out));
      else {
        console.log(`Created workspace "${values.name}" (${out.slug}) owned by ${out.ownerEmail}`);
        console.log(`  workspace id: ${out.workspaceId}\n  site key:     ${out.siteKey}`);
        console.log(`  API key:      ${out.apiKey}   (shown once: store it now)`);
      }
    } else if (group === "jobs" && action === "run") {
      const [name, ...flags] = rest;
      if (!name) fail(`Which job? ${JOBS.map((j) => j.id).join(", ")}`);
      // --now: run as if the clock read that time (its period, its cut-offs).
      const { values } = parseArgs({ args: flags, options: { now: { type: "string" } } });
      const now = values.now === undefined ? new Date() : new Date(values.now);
      if (Number.isNaN(now.getTime())) fail(`--now: "${values.now}" is not an ISO time such as 2026-12-02T03:30:00Z`);
      console.log(JSON.stringify(await runJob(db, name, now)));
    } else if (group === "jobs" && action === "list") {
      for (const job of JOBS) console.log(`${job.id.padEnd(20)} ${job.schedule.padEnd(14)} ${job.description}`);
    } else {
      fail(`Unknown command.\n\n${USAGE}`);
    }
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ZodError) {
    const flag: Record<string, string> = { ownerEmail: "owner", defaultCountry: "country" };
    const name = (key: PropertyKey | undefined) => flag[String(key)] ?? String(key ?? "");
    fail(error.issues.map((i) => `--${name(i.path[0])}: ${i.message}`).join("\n"), 2);
  }
  if (error instanceof AppError || (error instanceof Error && /^Unknown job/.test(error.message))) {
    fail(error.message, 1);
  }
  if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
    fail(`${error.message}\n\n${USAGE}`);
  }
  console.error(error);
  process.exit(1);
});
