import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, test } from "vitest";
import { POST as collect } from "../../app/api/collect/route.ts";
import { GET as profiles } from "../../app/api/v1/profiles/route.ts";
import { encrypt } from "../../lib/crypto/keys.ts";
import { createDb } from "../../lib/db/client.ts";
import { drainIngestLog, stopDrainer, waitForDrain } from "../../lib/ingest/drain-ingest-log.ts";
import { validateEvents } from "../../lib/ingest/ingest-events.ts";
import { appendToLog, type LogEntry, openEntries, sealEntries } from "../../lib/ingest/ingest-log.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { identityInvariants } from "../support/invariants.ts";
import { testWorkspace } from "../support/workspace.ts";

// The collect path acknowledges once a request is in the ingest log, and the drainer stores it moments
// later (decision 013). These tests call the route with `settle: false`: they see the 202 itself.

const { db, url } = await useTestDb();
type Ws = Awaited<ReturnType<typeof testWorkspace>>;
let w: Ws;
beforeAll(async () => {
  w = await testWorkspace(db);
});

const UA = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36" };
const send = (deviceId: string, events: object[], site = w.siteKey) =>
  call(collect, "/api/collect", {
    raw: JSON.stringify({ site, deviceId, events }),
    headers: { "content-type": "text/plain;charset=UTF-8", ...UA },
    settle: false,
  });
const pv = (id: string, minutes = 0) => ({
  id,
  type: "page_view",
  ts: Date.parse("2026-11-02T10:00:00Z") + minutes * 60_000,
  url: "https://acme.test/",
});
const logRows = async () =>
  Number((await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "IngestLog"`))[0]?.n);

test("at the 202 the event is durably somewhere: in the log or already stored; it is visible by device id soon after", async () => {
  const res = await send("d_log_visible", [pv("lv1")]);
  expect(res.status).toBe(202);
  expect(res.json).toEqual({ accepted: 1, duplicates: 0 });
  const stored = await db.event.count({ where: { workspaceId: w.workspaceId, clientId: "lv1" } });
  expect(stored + (await logRows())).toBeGreaterThanOrEqual(1);
  const started = Date.now();
  let found = null;
  while (!found && Date.now() - started < 2000) {
    const r = await call(profiles, "/api/v1/profiles?deviceId=d_log_visible", { key: w.apiKey });
    if (r.status === 200) found = r.json;
    else await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(found, "visible within 2 s").toBeTruthy();
  await drainIngestLog(db);
  expect(await logRows()).toBe(0);
});

test("requests of one device drained in one pass resolve as if one by one: rung at each event, email joins earlier visits", async () => {
  for (let i = 0; i < 12; i++) {
    const events: object[] = [pv(`ord_${i}`, i)];
    if (i === 6)
      events.push({
        id: "ord_id",
        type: "identify",
        ts: Date.parse("2026-11-02T10:06:30Z"),
        props: { email: "ord@x.test" },
      });
    expect((await send("d_order", events)).status).toBe(202);
  }
  await drainIngestLog(db);
  const rows = await db.event.findMany({
    where: { workspaceId: w.workspaceId, clientId: { startsWith: "ord_" } },
    orderBy: { occurredAt: "asc" },
    select: { clientId: true, profileId: true, rung: true },
  });
  expect(rows).toHaveLength(13);
  expect(new Set(rows.map((r) => r.profileId)).size).toBe(1);
  // Rung at event: anonymous before the email (one visit: a minute apart), 2 from the identify on.
  expect(rows.find((r) => r.clientId === "ord_0")?.rung).toBe(0);
  expect(rows.find((r) => r.clientId === "ord_id")?.rung).toBe(2);
  expect(rows.find((r) => r.clientId === "ord_11")?.rung).toBe(2);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});

test("a withdrawal in the middle of a drained run refuses only what came after it; a beacon sent twice is stored once", async () => {
  const consent = (id: string, choice: string, minutes: number) => ({
    id,
    type: "consent",
    ts: Date.parse("2026-11-02T10:00:00Z") + minutes * 60_000,
    props: { choice, bannerVersion: "v1" },
  });
  // Without `gpc` (a site calling onethread.consent through its own code): read as no GPC, not a 400.
  expect((await send("d_withdraw", [consent("wd_c1", "granted", 0), pv("wd_1", 1)])).status).toBe(202);
  await send("d_withdraw", [pv("wd_2", 2)]);
  await send("d_withdraw", [consent("wd_c2", "denied", 3)]);
  await send("d_withdraw", [pv("wd_3", 4)]);
  await send("d_withdraw", [pv("wd_3", 4)]);
  await drainIngestLog(db);
  const ids = (await db.event.findMany({ where: { workspaceId: w.workspaceId, clientId: { startsWith: "wd_" } } }))
    .map((e) => e.clientId)
    .sort();
  expect(ids).toEqual(["wd_1", "wd_2", "wd_c1", "wd_c2"]);
  // Once stored, the same beacon again is answered as a duplicate.
  expect((await send("d_withdraw2", [pv("wd_dup", 5)])).json).toEqual({ accepted: 1, duplicates: 0 });
  await drainIngestLog(db);
  expect((await send("d_withdraw2", [pv("wd_dup", 5)])).json).toEqual({ accepted: 0, duplicates: 1 });
  await drainIngestLog(db);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, clientId: "wd_dup" } })).toBe(1);
});

test("a row that cannot be drained is kept aside with its error and never holds back the others", async () => {
  await db.$executeRawUnsafe(
    `INSERT INTO "IngestLog" ("workspaceId", "eventCount", "payloadEnc") VALUES ($1::uuid, 1, 'not-a-sealed-payload')`,
    w.workspaceId,
  );
  await send("d_after_poison", [pv("ap_1")]);
  await drainIngestLog(db);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, clientId: "ap_1" } })).toBe(1);
  const [poison] = await db.$queryRawUnsafe<{ attempts: number; lastError: string | null }[]>(
    `SELECT attempts, "lastError" FROM "IngestLog" WHERE "payloadEnc" = 'not-a-sealed-payload'`,
  );
  expect(poison?.attempts).toBe(1);
  expect(poison?.lastError).toBeTruthy();
  await db.$executeRawUnsafe(`DELETE FROM "IngestLog" WHERE "payloadEnc" = 'not-a-sealed-payload'`);
});

const entryOf = (deviceId: string, events: object[]): LogEntry => ({
  workspaceId: w.workspaceId,
  deviceId,
  events: validateEvents(
    events.map((e) => ({
      ...(e as { id: string }),
      source: "web",
      occurredAt: new Date(),
      identity: { deviceId },
    })) as never,
  ),
  ownEvents: events.length,
  choices: [],
  country: null,
  gpcHeader: false,
  gpc: false,
});

test("requests that arrive together share a log row, and each is answered for itself", async () => {
  // Appended together while a flush is in flight: fewer rows than requests.
  const before = await logRows();
  await Promise.all(
    Array.from({ length: 24 }, (_, i) =>
      appendToLog(db, entryOf(`d_shared_${i}`, [{ id: `sh_${i}`, type: "page_view" }])),
    ),
  );
  const rows = (await logRows()) - before;
  expect(rows).toBeGreaterThan(0);
  expect(rows).toBeLessThan(24);
  await drainIngestLog(db);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, clientId: { startsWith: "sh_" } } })).toBe(24);
  // First-party requests wait for their own events: sent together, each gets its own device's cookie and
  // its own duplicates, whichever row it shared.
  const firstParty = { origin: "https://shop.acme.test", "x-forwarded-host": "shop.acme.test" };
  const sendFp = (deviceId: string, events: object[]) =>
    call(collect, "/api/collect", {
      raw: JSON.stringify({ site: w.siteKey, deviceId, events }),
      headers: { "content-type": "text/plain;charset=UTF-8", ...UA, ...firstParty },
      settle: false,
    });
  const answers = await Promise.all(
    Array.from({ length: 24 }, (_, i) => sendFp(`d_shared_${i}`, [pv(`sh_${i}`, i), pv(`sh_new_${i}`, i + 1)])),
  );
  answers.forEach((a, i) => {
    expect(a.status).toBe(202);
    expect(a.json).toEqual({ accepted: 1, duplicates: 1 });
    expect(a.headers.get("set-cookie")).toMatch(new RegExp(`^ot_id=d_shared_${i};`));
  });
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, clientId: { startsWith: "sh_" } } })).toBe(48);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});

test("a request of a shared row that cannot be stored is kept in its place; the others are stored once", async () => {
  const good = entryOf("d_part_good", [{ id: "part_good", type: "page_view" }]);
  const bad = entryOf("d_part_bad", [{ id: "part_bad", type: "page_view" }]);
  // A NUL in a property, which no jsonb column takes (the route's validation would have refused it): this
  // request fails whenever it is drained, the others never should.
  (bad.events[0] as { properties: Record<string, unknown> }).properties = { note: "a\u0000b" };
  const later = entryOf("d_part_later", [{ id: "part_later", type: "page_view" }]);
  const [row] = await db.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO "IngestLog" ("workspaceId", "eventCount", "payloadEnc") VALUES ($1::uuid, 3, $2) RETURNING id::text AS id`,
    w.workspaceId,
    sealEntries([good, bad, later]),
  );
  await drainIngestLog(db);
  const stored = () =>
    db.event.findMany({
      where: { workspaceId: w.workspaceId, clientId: { startsWith: "part_" } },
      select: { clientId: true },
      orderBy: { clientId: "asc" },
    });
  expect((await stored()).map((e) => e.clientId)).toEqual(["part_good", "part_later"]);
  const [kept] = await db.$queryRawUnsafe<
    { payloadEnc: string; eventCount: number; attempts: number; lastError: string }[]
  >(`SELECT "payloadEnc", "eventCount", attempts, "lastError" FROM "IngestLog" WHERE id = $1::bigint`, row?.id);
  expect(kept?.attempts).toBe(1);
  expect(kept?.eventCount).toBe(1);
  expect(kept?.lastError).toBeTruthy();
  // The stored requests are taken out, the failed one keeps its place (its waiter's key).
  const entries = openEntries(kept?.payloadEnc as string);
  expect(entries.map((e) => e?.deviceId ?? null)).toEqual([null, "d_part_bad", null]);
  // Its retry stores nothing twice.
  await db.$executeRawUnsafe(`UPDATE "IngestLog" SET "claimedUntil" = NULL WHERE id = $1::bigint`, row?.id);
  await drainIngestLog(db);
  expect((await stored()).map((e) => e.clientId)).toEqual(["part_good", "part_later"]);
  await db.$executeRawUnsafe(`DELETE FROM "IngestLog" WHERE id = $1::bigint`, row?.id);
});

test("a request waiting on its place is answered at once when another instance stored it from a row it drained in part", async () => {
  const good = entryOf("d_else_good", [{ id: "else_good", type: "page_view" }]);
  const bad = entryOf("d_else_bad", [{ id: "else_bad", type: "page_view" }]);
  (bad.events[0] as { properties: Record<string, unknown> }).properties = { note: "a\u0000b" };
  const [row] = await db.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO "IngestLog" ("workspaceId", "eventCount", "payloadEnc") VALUES ($1::uuid, 2, $2) RETURNING id::text AS id`,
    w.workspaceId,
    sealEntries([good, bad]),
  );
  const other = createDb(url, { poolMax: 2 });
  try {
    // The other instance stores the good request and keeps the row for the bad one.
    await drainIngestLog(other);
    expect(await db.event.count({ where: { workspaceId: w.workspaceId, clientId: "else_good" } })).toBe(1);
    // This instance's waiter for the good request (a first-party request of this process) learns it from the
    // row's nulls: before, only the row's disappearance told, and it waited for its whole timeout.
    const started = Date.now();
    expect(await waitForDrain(db, { row: row?.id as string, index: 0 }, 5000)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1500);
  } finally {
    stopDrainer(other);
    await other.$disconnect();
    await db.$executeRawUnsafe(`DELETE FROM "IngestLog" WHERE id = $1::bigint`, row?.id);
  }
});

test("a row logged by the version before, one request sealed alone, is drained", async () => {
  const entry = entryOf("d_old_row", [{ id: "old_row_1", type: "page_view" }]);
  await db.$executeRawUnsafe(
    `INSERT INTO "IngestLog" ("workspaceId", "eventCount", "payloadEnc") VALUES ($1::uuid, 1, $2)`,
    w.workspaceId,
    encrypt(JSON.stringify(entry)),
  );
  await drainIngestLog(db);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, clientId: "old_row_1" } })).toBe(1);
  expect(await logRows()).toBe(0);
});

test("two app instances draining the same log at once store every event exactly once (SKIP LOCKED, R8)", async () => {
  const other = createDb(url, { poolMax: 4 });
  try {
    // Ten at a time, as a busy tracker sends them: rows shared by several requests.
    for (let from = 0; from < 60; from += 10)
      await Promise.all(
        Array.from({ length: 10 }, (_, k) => {
          const i = from + k;
          const email = `two${i % 6}@x.test`;
          return send(`d_two_${i % 15}`, [
            pv(`two_${i}`, i),
            { id: `two_${i}_id`, type: "identify", ts: Date.parse("2026-11-02T11:00:00Z") + i, props: { email } },
          ]);
        }),
      );
    await Promise.all([drainIngestLog(db), drainIngestLog(other)]);
    await drainIngestLog(db);
    expect(await db.event.count({ where: { workspaceId: w.workspaceId, clientId: { startsWith: "two_" } } })).toBe(120);
    const people = await db.profile.count({
      where: { workspaceId: w.workspaceId, mergedIntoId: null, identifiers: { some: { type: "email" } } },
    });
    expect(people).toBeGreaterThanOrEqual(6);
    expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
  } finally {
    stopDrainer(other);
    await other.$disconnect();
  }
});

test("kill -9 of the app at any moment loses no acknowledged event; what it logged is drained after", async () => {
  const ackd = new Set<string>();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "tests/support/collect-child.ts", url, w.workspaceId, w.siteKey, "k9"],
    { stdio: ["ignore", "pipe", "pipe"], env: process.env },
  );
  let buffered = "";
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child made no progress: ${stderr}`)), 60_000);
    child.stdout.on("data", (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const l of lines) if (l.startsWith("ACK ")) ackd.add(l.slice(4));
      // Killed mid-flight: appends, drains and answers all under way.
      if (ackd.size >= 400 && !child.killed) {
        clearTimeout(timer);
        child.kill("SIGKILL");
        resolve();
      }
    });
    child.once("exit", (code) => (code === null ? undefined : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
  await new Promise((r) => child.once("exit", r));
  // A restart drains the log; rows the killed drainer had claimed are taken again once their claim expires.
  const until = Date.now() + 20_000;
  while (Date.now() < until && (await logRows()) > 0) {
    await drainIngestLog(db);
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(await logRows()).toBe(0);
  const stored = await db.event.findMany({
    where: { workspaceId: w.workspaceId, clientId: { startsWith: "k9_" } },
    select: { clientId: true },
  });
  const storedIds = new Set(stored.map((e) => e.clientId));
  expect(storedIds.size, "no event stored twice").toBe(stored.length);
  const lost = [...ackd].filter((id) => !storedIds.has(id));
  expect(lost, "acknowledged but lost").toEqual([]);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
}, 90_000);

afterAll(async () => {
  await drainIngestLog(db);
});
