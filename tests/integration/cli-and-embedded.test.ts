import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, expect, test } from "vitest";
import { ensureEmbedded } from "../../lib/db/embedded.ts";
import { migrate } from "../../lib/db/migrate.ts";
import { useTestDb } from "../support/db.ts";

const run = promisify(execFile);
const { db, url } = await useTestDb();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "onethread-embedded-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string | undefined>) {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  return run("npx", ["--no-install", "tsx", "scripts/cli.ts", ...args], {
    env: { ...base, ...env } as NodeJS.ProcessEnv,
    timeout: 120_000,
  });
}

test("workspace create --json prints the JSON of API.md against DATABASE_URL", async () => {
  const { stdout } = await cli(
    [
      "workspace",
      "create",
      "--name",
      "Acme Movers",
      "--owner",
      "Owner@Acme.test",
      "--password",
      "correct horse",
      "--region",
      "eu",
      "--timezone",
      "America/Los_Angeles",
      "--country",
      "us",
      "--json",
    ],
    { DATABASE_URL: url },
  );
  const out = JSON.parse(stdout.trim());
  expect(Object.keys(out).sort()).toEqual(["apiKey", "ownerEmail", "siteKey", "slug", "workspaceId"]);
  expect(out).toMatchObject({ slug: "acme-movers", ownerEmail: "owner@acme.test" });
  expect(out.siteKey).toMatch(/^pk_/);
  expect(out.apiKey).toMatch(/^sk_/);
  const ws = await db.workspace.findUniqueOrThrow({ where: { id: out.workspaceId } });
  expect(ws).toMatchObject({ region: "eu", timezone: "America/Los_Angeles", defaultCountry: "US" });
  const key = await db.apiKey.findFirstOrThrow({ where: { workspaceId: out.workspaceId } });
  expect(key.hash).not.toContain(out.apiKey.slice(3)); // only the hash is stored
});

test("bad arguments get a clear error and exit 2, and nothing is stored", async () => {
  const before = await db.workspace.count();
  const error = await cli(["workspace", "create", "--name", "X", "--owner", "not-an-email", "--json"], {
    DATABASE_URL: url,
  }).catch((e: { code: number; stderr: string }) => e);
  expect(error).toMatchObject({ code: 2 });
  expect((error as { stderr: string }).stderr).toContain("--owner");
  expect(await db.workspace.count()).toBe(before);
});

test("jobs run: runs a job once per period through the CLI", async () => {
  const first = await cli(["jobs", "run", "auth-cleanup"], { DATABASE_URL: url });
  expect(JSON.parse(first.stdout)).toMatchObject({ job: "auth-cleanup", status: "done" });
  const second = await cli(["jobs", "run", "auth-cleanup"], { DATABASE_URL: url });
  expect(JSON.parse(second.stdout)).toMatchObject({ status: "skipped" });
});

test("jobs run purge --now: the nightly purge as if the clock read that time, once per period; a bad --now exits 2", async () => {
  const first = await cli(["jobs", "run", "purge", "--now", "2026-10-02T03:30:00Z"], { DATABASE_URL: url });
  expect(JSON.parse(first.stdout)).toMatchObject({ job: "purge", period: "2026-10-02", status: "done" });
  expect(JSON.parse(first.stdout).result).toMatchObject({ events: 0, remaining: 0 });
  const second = await cli(["jobs", "run", "purge", "--now", "2026-10-02T09:00:00Z"], { DATABASE_URL: url });
  expect(JSON.parse(second.stdout)).toMatchObject({ status: "skipped" });
  const bad = await cli(["jobs", "run", "purge", "--now", "tomorrow"], { DATABASE_URL: url }).catch(
    (e: { code: number; stderr: string }) => e,
  );
  expect(bad).toMatchObject({ code: 2 });
  expect((bad as { stderr: string }).stderr).toContain("--now");
});

test("embedded: the CLI reuses a running embedded server instead of opening its files, and data survives a restart", async () => {
  const server = await ensureEmbedded(dataDir);
  expect(server.owned).toBe(true);
  await migrate(server.url);
  const { stdout } = await cli(
    ["workspace", "create", "--name", "Embedded Co", "--owner", "e@embedded.test", "--json"],
    {
      DATA_DIR: dataDir,
    },
  );
  const created = JSON.parse(stdout.trim());
  // The CLI talked to our server: the row is visible through our own connection.
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  const { rows } = await client.query(`SELECT slug FROM "Workspace" WHERE id = $1`, [created.workspaceId]);
  await client.end();
  expect(rows).toEqual([{ slug: "embedded-co" }]);
  // A second owner in this process is refused the files while the first one serves them: it reuses.
  const again = await ensureEmbedded(dataDir);
  expect(again.owned).toBe(false);
  expect(again.url).toBe(server.url);
  await server.stop();

  const restarted = await ensureEmbedded(dataDir);
  expect(restarted.owned).toBe(true);
  const c2 = new pg.Client({ connectionString: restarted.url });
  await c2.connect();
  const after = await c2.query(`SELECT count(*)::int AS n FROM "Workspace"`);
  await c2.end();
  await restarted.stop();
  expect(after.rows[0].n).toBe(1);
}, 180_000);
