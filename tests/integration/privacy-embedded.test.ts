import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { createDb } from "../../lib/db/client.ts";
import { ensureEmbedded } from "../../lib/db/embedded.ts";
import { migrate } from "../../lib/db/migrate.ts";
import { eventsSource } from "../../lib/privacy/export-events.ts";
import { exportStream } from "../../lib/privacy/export-workspace.ts";
import { purgeWorkspace } from "../../lib/privacy/purge-workspace.ts";
import { rollupViolations } from "../support/report-rollups.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

// The embedded database (decision 001) serves one query at a time for all connections, and a transaction's
// queries only: a long export or purge must leave room for the app between its statements (decision 016).
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "onethread-privacy-embedded-"));
const server = await ensureEmbedded(dataDir);
await migrate(server.url);
const db = createDb(server.url, { poolMax: 4 });
afterAll(async () => {
  await db.$disconnect();
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const w = await testWorkspace(db);
const old = (i: number) => new Date(Date.parse("2024-03-01T00:00:00Z") + i * 60_000).toISOString();
for (let i = 0; i < 600; i += 200) {
  await w.ingest(
    Array.from({ length: 200 }, (_, k) =>
      ev(`e${i + k}`, "web", "page_view", old(i + k), { deviceId: `d_${(i + k) % 30}` }),
    ),
  );
}

test("embedded: an export held open by a slow reader leaves the database to everyone else", async () => {
  const stream = exportStream(eventsSource({ db, workspaceId: w.workspaceId, range: { from: null, to: null } }), {
    format: "ndjson",
    head: {},
    key: "events",
    pageSize: 100,
  });
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = decoder.decode((await reader.read()).value);
  // Mid-export, with the reader idle: other queries and a write answer (no transaction or cursor is held).
  expect(await db.workspace.count()).toBeGreaterThan(0);
  const [stored] = await w.ingest([ev("mid", "web", "page_view", new Date().toISOString(), { deviceId: "d_mid" })]);
  expect(stored?.duplicate).toBe(false);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  const ids = text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l).id as string);
  expect(ids).toHaveLength(601);
  expect(new Set(ids).size).toBe(601);
});

test("embedded: the purge runs in short statements beside ingestion, and the cut-off holds", async () => {
  const ingesting = (async () => {
    for (let k = 0; k < 5; k++)
      await w.ingest([ev(`live${k}`, "web", "page_view", new Date().toISOString(), { deviceId: `d_${k}` })]);
  })();
  const [r] = await Promise.all([
    purgeWorkspace(db, { id: w.workspaceId, retentionMonths: 24, customerRetentionMonths: null }, new Date(), {
      batchSize: 150,
    }),
    ingesting,
  ]);
  expect(r.events).toBe(600);
  expect(r.batches).toBeGreaterThanOrEqual(4);
  expect(r.remaining).toBe(0);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(6);
  expect(await rollupViolations(db, w.workspaceId)).toEqual([]);
}, 120_000);

test("embedded: concurrent ingest batches on its one shared session all store (nothing is prepared there)", async () => {
  // Every pool connection reaches the same PGlite session: a statement named on one would already exist for
  // the next ("prepared statement … already exists"), so the embedded server gets plain statements.
  const at = new Date().toISOString();
  const results = await Promise.allSettled(
    Array.from({ length: 8 }, (_, b) =>
      w.ingest(
        Array.from({ length: 5 }, (_, k) => ev(`c${b}_${k}`, "web", "page_view", at, { deviceId: `d_c${b}_${k}` })),
      ),
    ),
  );
  expect(
    results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)),
  ).toEqual([]);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, clientId: { startsWith: "c" } } })).toBe(40);
});
