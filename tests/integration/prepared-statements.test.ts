import { expect, test } from "vitest";
import { createDb, pgPoolOf } from "../../lib/db/client.ts";
import { sqlOf } from "../../lib/db/raw-sql.ts";
import { ingestEvents, validateEvents } from "../../lib/ingest/ingest-events.ts";
import { appendToLog, type LogEntry } from "../../lib/ingest/ingest-log.ts";
import type { IngestEventInput } from "../../lib/ingest/schemas.ts";
import { liveProfiles } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { identityInvariants } from "../support/invariants.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

const { url } = await useTestDb();

const at = (n: number) => new Date(Date.parse("2026-11-02T10:00:00Z") + n * 60_000).toISOString();

/**
 * A one-connection client whose every statement's plan is logged to it by auto_explain (collected in `plans`),
 * with `setting` applied to its session as well.
 */
function explaining(setting: string) {
  const db = createDb(url, { poolMax: 1 });
  const plans: string[] = [];
  const pool = pgPoolOf(db);
  if (!pool) throw new Error("the test needs a pg pool");
  pool.on("connect", (client) => {
    client.on("notice", (n) => {
      if (n.message?.includes("Query Text")) plans.push(n.message);
    });
    void client.query(
      `LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET client_min_messages = log; ${setting}`,
    );
  });
  return { db, plans };
}

test("the ingest transaction's statements are prepared once per connection and give the same identities", async () => {
  // One connection, so every batch below runs on it and pg_prepared_statements shows what it kept.
  const db = createDb(url, { poolMax: 1 });
  try {
    const w = await testWorkspace(db);
    const batches = 9;
    for (let b = 0; b < batches; b++) {
      // Each batch: new devices, a returning one, and an email that joins one device's visits to a person.
      await w.ingest([
        ev(`n${b}a`, "web", "page_view", at(b * 3), { deviceId: `d_${b}` }),
        ev(`n${b}b`, "web", "page_view", at(b * 3 + 1), { deviceId: `d_${b > 0 ? b - 1 : b}` }),
        ev(`n${b}c`, "web", "form_submit", at(b * 3 + 2), { deviceId: `d_${b}`, email: `p${b % 3}@example.com` }),
      ]);
    }
    const kept = await sqlOf(db).$queryRawUnsafe<{ statement: string; runs: number }[]>(
      `SELECT statement, (generic_plans + custom_plans)::int AS runs FROM pg_prepared_statements
       WHERE name LIKE 'onethread\\_%' ORDER BY statement`,
    );
    const of = (needle: string) => kept.filter((k) => k.statement.includes(needle));
    // Parsed once each, run once per batch: the lock round, the read under the locks and the write.
    expect(of("pg_advisory_xact_lock")).toEqual([expect.objectContaining({ runs: batches })]);
    expect(of(`AS existing`)).toEqual([expect.objectContaining({ runs: expect.any(Number) })]);
    expect(of(`INSERT INTO "Event"`)).toEqual([expect.objectContaining({ runs: batches })]);
    expect(of(`AS existing`)[0]?.runs).toBeGreaterThanOrEqual(batches);

    // Same outcome as unprepared statements: three people by email, each holding the devices that sent it.
    const people = await liveProfiles(db, w.workspaceId);
    expect(people.filter((p) => p.rung === 2)).toHaveLength(3);
    expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(batches * 3);
    expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
  } finally {
    await db.$disconnect();
  }
});

test("statements that are not marked stay unnamed (dynamic texts never pile up on a connection)", async () => {
  const db = createDb(url, { poolMax: 1 });
  try {
    for (let i = 0; i < 3; i++) await sqlOf(db).$queryRawUnsafe(`SELECT ${i} + $1::int AS n`, 1);
    const [row] = await sqlOf(db).$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE 'SELECT % + $1::int AS n'`,
    );
    expect(row?.n).toBe(0);
  } finally {
    await db.$disconnect();
  }
});

test("generic plans of the prepared statements probe profiles and link clicks by key, whatever the statistics", async () => {
  // Statistics that make a workspace look like one row: many workspaces of one person each, analysed, then one
  // workspace that grows past them. A generic plan made then must still find each profile by its primary key
  // and each click by its id: planned on "workspaceId" = $1, every probe read the whole workspace (decision 024).
  const setup = createDb(url, { poolMax: 1 });
  const big = await testWorkspace(setup);
  try {
    for (let i = 0; i < 40; i++) {
      const w = await testWorkspace(setup);
      await w.ingest([ev(`s${i}`, "web", "page_view", at(i), { deviceId: `d_small_${i}` })]);
    }
    await sqlOf(setup).$executeRawUnsafe(`ANALYZE "Profile"; ANALYZE "LinkClick"; ANALYZE "Identifier"`);
    const people = Array.from({ length: 300 }, (_, i) =>
      ev(`b${i}`, "web", "page_view", at(i), { deviceId: `d_big_${i}` }),
    );
    for (let i = 0; i < people.length; i += 100) await big.ingest(people.slice(i, i + 100));
  } finally {
    await setup.$disconnect();
  }

  const { db, plans } = explaining("SET plan_cache_mode = force_generic_plan");
  try {
    // Returning visitors, one of them landing from a tracked link's click: every probe of both statements runs.
    for (let round = 0; round < 3; round++) {
      await ingestEvents(
        db,
        big.ws,
        Array.from({ length: 20 }, (_, i) =>
          ev(
            `r${round}_${i}`,
            "web",
            "page_view",
            at(400 + round * 20 + i),
            { deviceId: `d_big_${round * 20 + i}` },
            i === 0 ? { properties: { url: `https://acme.test/?ot_c=c_${round}` } } : {},
          ),
        ) as IngestEventInput[],
      );
    }
  } finally {
    await db.$disconnect();
  }
  const ours = plans.filter((p) => /pg_advisory_xact_lock|AS existing|INSERT INTO "Event"/.test(p));
  expect(ours.length).toBeGreaterThanOrEqual(9);
  for (const plan of ours) {
    expect(plan).not.toMatch(/Index Scan using "Profile_workspaceId/);
    expect(plan).not.toMatch(/Index Scan using "LinkClick_workspaceId/);
  }
  expect(ours.some((p) => p.includes(`"Profile_pkey"`))).toBe(true);
});

test("the ingest log's append keeps one generic plan that probes the events' unique key, even planned on an empty table", async () => {
  const { db, plans } = explaining("SET auto_explain.log_nested_statements = on");
  try {
    const w = await testWorkspace(db);
    await sqlOf(db).$executeRawUnsafe(`ANALYZE "Event"`);
    const entry = (i: number): LogEntry => ({
      workspaceId: w.workspaceId,
      deviceId: `d_append_${i}`,
      events: validateEvents([
        ev(`append_${i}`, "web", "page_view", at(i), { deviceId: `d_append_${i}` }) as IngestEventInput,
      ]),
      ownEvents: 1,
      choices: [],
      country: null,
      gpcHeader: false,
      gpc: false,
    });
    // Flushes of one request and of several.
    for (let i = 0; i < 8; i++) await appendToLog(db, entry(i));
    await Promise.all(Array.from({ length: 6 }, (_, i) => appendToLog(db, entry(100 + i))));
    const appends = plans.filter((p) => p.includes(`INSERT INTO "IngestLog"`));
    expect(appends.length).toBeGreaterThanOrEqual(9);
    for (const plan of appends) {
      expect(plan).toMatch(
        /Index Only Scan using "Event_workspaceId_clientId_key"|Index Scan using "Event_workspaceId_clientId_key"/,
      );
      expect(plan).not.toMatch(/Seq Scan on "Event"/);
      // A custom plan is made for the values at hand: the arrays would be in it as literals ('{…}').
      expect(plan).not.toMatch(/'\{/);
    }
  } finally {
    await db.$disconnect();
  }
});
