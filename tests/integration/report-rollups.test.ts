import pg from "pg";
import { expect, test } from "vitest";
import { awaitingSql, turnChannelSql, turnSql } from "../../lib/conversations/turns.ts";
import { sqlOf } from "../../lib/db/raw-sql.ts";
import { mergeProfiles } from "../../lib/identity/merge-profiles.ts";
import { splitProfile } from "../../lib/identity/split-profile.ts";
import { POINT_LOOKUPS_ONLY } from "../../lib/ingest/load-batch.ts";
import { identityContext } from "../../lib/ingest/load-workspace.ts";
import { eraseProfile } from "../../lib/privacy/erase-profile.ts";
import { resolveRange } from "../../lib/reports/report-range.ts";
import { SIGNAL_KEY_SQL, signalCounts, total } from "../../lib/reports/signal-counts.ts";
import { profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { identityInvariants } from "../support/invariants.ts";
import { rollupViolations } from "../support/report-rollups.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

// The rollups of decision 011 are kept by triggers: whatever writes people, identifiers, events or messages,
// each check recomputes them from scratch and expects no difference.
const { db, url } = await useTestDb();
const at = (h: number) => new Date(Date.parse("2026-11-05T10:00:00Z") + h * 3_600_000).toISOString();
const web = (id: string, h: number, identity: Record<string, string>) => ev(id, "web", "page_view", at(h), identity);
const sms = (id: string, h: number, identity: Record<string, string>, direction: "in" | "out") =>
  ev(id, "channel", direction === "in" ? "message_in" : "message_out", at(h), identity, {
    channel: "sms",
    direction,
    properties: { body: `${direction} at ${h}` },
  });

async function consistent(workspaceId: string) {
  expect(await rollupViolations(db, workspaceId)).toEqual([]);
  expect(await identityInvariants(db, workspaceId)).toEqual([]);
}

const rollupOf = (profileId: string) => db.personRollup.findUnique({ where: { profileId } });

test("concurrent, out-of-order ingestion of the same people keeps every rollup exact", async () => {
  const w = await testWorkspace(db);
  const batches = Array.from({ length: 8 }, (_, b) =>
    Array.from({ length: 30 }, (_, i) => {
      const p = (i * 7 + b) % 12;
      const h = 40 - ((i * 13 + b * 5) % 40);
      const identity: Record<string, string> = { deviceId: `d${p}` };
      if (i % 5 === 0) identity.email = `p${p}@rollups.test`;
      if (i % 11 === 0) identity.phone = `+1805555${String(1000 + p)}`;
      if (i % 9 === 0)
        return ev(`c${b}-${i}`, "webhook", "payment_succeeded", at(h), identity, {
          properties: { amount: 1000 + p, currency: p % 2 ? "usd" : "eur" },
        });
      return i % 3 ? web(`c${b}-${i}`, h, identity) : sms(`c${b}-${i}`, h, identity, i % 2 ? "in" : "out");
    }),
  );
  await Promise.all(batches.map((batch) => w.ingest(batch)));
  await consistent(w.workspaceId);
  expect(await db.personRollup.count({ where: { workspaceId: w.workspaceId } })).toBe(
    await db.profile.count({ where: { workspaceId: w.workspaceId, mergedIntoId: null } }),
  );
});

test("an automatic merge moves the rungs and devices to the survivor and drops the other row", async () => {
  const w = await testWorkspace(db);
  await w.ingest([web("m1", 0, { deviceId: "laptop" }), web("m2", 1, { deviceId: "phone" })]);
  const laptop = (await profileIdOf(db, w.ws, "device", "laptop"))!;
  const phone = (await profileIdOf(db, w.ws, "device", "phone"))!;
  expect(await rollupOf(laptop)).toMatchObject({ devices: 1, reached0: new Date(at(0)), reached2: null });
  // The same email from both browsers: one person (R6), rung 2 since the laptop's form.
  await w.ingest([
    ev("m3", "web", "form_submit", at(2), { deviceId: "laptop", email: "jo@rollups.test" }),
    ev("m4", "web", "form_submit", at(3), { deviceId: "phone", email: "jo@rollups.test" }),
  ]);
  await consistent(w.workspaceId);
  const survivor = (await profileIdOf(db, w.ws, "email", "jo@rollups.test"))!;
  const gone = survivor === laptop ? phone : laptop;
  expect(await rollupOf(survivor)).toMatchObject({ devices: 2, reached0: new Date(at(0)), reached2: new Date(at(2)) });
  expect(await rollupOf(gone)).toBeNull();
});

test("a manual merge and the split that undoes it keep both people's rollups right", async () => {
  const w = await testWorkspace(db);
  await w.ingest([
    web("s1", 0, { deviceId: "ds1" }),
    ev("s2", "web", "form_submit", at(1), { deviceId: "ds1", email: "sam@rollups.test" }),
    web("s3", 2, { deviceId: "ds2" }),
    sms("s4", 3, { deviceId: "ds2", phone: "+1 805 555 0177" }, "in"),
    ev(
      "s5",
      "webhook",
      "payment_succeeded",
      at(4),
      { phone: "+1 805 555 0177" },
      {
        properties: { amount: 5000, currency: "usd" },
      },
    ),
  ]);
  const sam = (await profileIdOf(db, w.ws, "email", "sam@rollups.test"))!;
  const payer = (await profileIdOf(db, w.ws, "phone", "+1 805 555 0177"))!;
  const signalsBefore = await db.signalHour.aggregate({ where: { workspaceId: w.workspaceId }, _sum: { count: true } });
  const survivor = (await mergeProfiles(db, w.workspaceId, sam, payer))!;
  await consistent(w.workspaceId);
  expect(await rollupOf(survivor)).toMatchObject({
    devices: 2,
    reached0: new Date(at(0)),
    reached2: new Date(at(1)),
    reached3: new Date(at(3)),
    reached4: new Date(at(4)),
  });
  // A merge moves events between people: the signal counts do not change.
  expect(await db.signalHour.aggregate({ where: { workspaceId: w.workspaceId }, _sum: { count: true } })).toEqual(
    signalsBefore,
  );

  const ws = await db.workspace.findUniqueOrThrow({ where: { id: w.workspaceId } });
  const other = survivor === sam ? payer : sam;
  const moved =
    other === payer
      ? [
          { type: "phone" as const, value: "+1 805 555 0177" },
          { type: "device" as const, value: "ds2" },
        ]
      : [
          { type: "email" as const, value: "sam@rollups.test" },
          { type: "device" as const, value: "ds1" },
        ];
  const split = (await splitProfile(db, ws, identityContext(w.ws), survivor, moved))!;
  await consistent(w.workspaceId);
  expect(await rollupOf(split)).toMatchObject({ devices: 1 });
  expect(await rollupOf(survivor)).toMatchObject({ devices: 1 });
});

test("merges racing each other and new events, then an erasure, leave every rollup exact", async () => {
  const w = await testWorkspace(db);
  const people = Array.from({ length: 8 }, (_, i) => ({ deviceId: `race${i}`, email: `race${i}@rollups.test` }));
  await w.ingest(
    people.flatMap((p, i) => [
      web(`r${i}a`, i, { deviceId: p.deviceId }),
      ev(`r${i}b`, "web", "form_submit", at(i + 0.5), p),
      sms(`r${i}c`, i + 1, { email: p.email, phone: `+1805555${String(2000 + i)}` }, i % 2 ? "in" : "out"),
    ]),
  );
  const ids = await Promise.all(people.map((p) => profileIdOf(db, w.ws, "email", p.email)));
  const [a, b, c, d, e, f] = ids as string[];
  await Promise.all([
    mergeProfiles(db, w.workspaceId, a!, b!),
    mergeProfiles(db, w.workspaceId, b!, a!),
    mergeProfiles(db, w.workspaceId, c!, d!),
    mergeProfiles(db, w.workspaceId, d!, e!),
    w.ingest([sms("late1", 20, { email: people[0]!.email }, "in"), web("late2", 21, { deviceId: "race5" })]),
    w.ingest([
      ev(
        "late3",
        "webhook",
        "payment_succeeded",
        at(22),
        { email: people[2]!.email },
        { properties: { amount: 900, currency: "usd" } },
      ),
    ]),
  ]);
  await consistent(w.workspaceId);
  expect(await eraseProfile(db, w.workspaceId, f!)).toBe(true);
  await consistent(w.workspaceId);
});

test("erasure removes the person's rollup row and their signals from the counts", async () => {
  const w = await testWorkspace(db);
  await w.ingest([
    web("e1", 0, { deviceId: "de1" }),
    ev("e2", "web", "form_submit", at(1), { deviceId: "de1", email: "erase@rollups.test" }),
    ev(
      "e3",
      "webhook",
      "payment_succeeded",
      at(2),
      { email: "erase@rollups.test" },
      {
        properties: { amount: 7500, currency: "usd" },
      },
    ),
    sms("e4", 3, { email: "erase@rollups.test", phone: "+1 805 555 0166" }, "in"),
    web("k1", 0, { deviceId: "keep" }),
  ]);
  const range = resolveRange({ from: "2026-11-01", to: "2026-11-30" }, "UTC");
  const before = await signalCounts(sqlOf(db), w.workspaceId, range);
  expect(total(before)).toBe(5);
  const id = (await profileIdOf(db, w.ws, "email", "erase@rollups.test"))!;
  expect(await eraseProfile(db, w.workspaceId, id)).toBe(true);
  await consistent(w.workspaceId);
  expect(await rollupOf(id)).toBeNull();
  const after = await signalCounts(sqlOf(db), w.workspaceId, range);
  expect(after.map((r) => [r.type, r.count, r.amount])).toEqual([["page_view", 1, 0]]);
  expect(await db.personThread.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
});

test("unanswered threads: a reply answers, a new message reopens, other channels and calls count, a merge joins the threads", async () => {
  const w = await testWorkspace(db);
  const pat = { phone: "+1 805 555 0155" };
  await w.ingest([sms("u1", 1, pat, "in")]);
  const patId = (await profileIdOf(db, w.ws, "phone", pat.phone))!;
  const thread = () => db.personThread.findUniqueOrThrow({ where: { profileId: patId } });
  expect(await thread()).toMatchObject({ awaiting: true, waitingSince: new Date(at(1)), lastChannel: "sms" });
  await w.ingest([sms("u2", 2, pat, "out")]);
  expect(await thread()).toMatchObject({ awaiting: false, waitingSince: null, lastTurnAt: new Date(at(2)) });
  await w.ingest([sms("u3", 3, pat, "in"), sms("u4", 4, pat, "in")]);
  expect(await thread()).toMatchObject({ awaiting: true, waitingSince: new Date(at(3)) });
  // A reply that arrives late, dated before the last message, does not answer it.
  await w.ingest([sms("u5", 3.5, pat, "out")]);
  expect(await thread()).toMatchObject({ awaiting: true, waitingSince: new Date(at(4)) });
  // Status callbacks change messages and add statuses without changing who spoke last.
  await db.message.updateMany({
    where: { workspaceId: w.workspaceId, direction: "out" },
    data: { status: "delivered" },
  });
  await w.ingest([
    ev("u5s", "channel", "message_status", at(4.2), pat, { channel: "sms", properties: { status: "delivered" } }),
  ]);
  expect(await thread()).toMatchObject({ awaiting: true, waitingSince: new Date(at(4)), lastTurnAt: new Date(at(4)) });
  // A missed call on the phone is a turn of the same person's one conversation, still waiting since the 4th.
  await w.ingest([ev("u6", "channel", "call_missed", at(5), pat, { channel: "voice", direction: "in" })]);
  expect(await thread()).toMatchObject({ awaiting: true, waitingSince: new Date(at(4)), lastChannel: "voice" });
  await consistent(w.workspaceId);

  // Another person's SMS thread, merged in: one conversation, still waiting since Pat's 4th message.
  await w.ingest([sms("v1", 0, { phone: "+1 805 555 0156", email: "lee@rollups.test" }, "in")]);
  const leeId = (await profileIdOf(db, w.ws, "email", "lee@rollups.test"))!;
  expect(await db.personThread.count({ where: { workspaceId: w.workspaceId } })).toBe(2);
  await mergeProfiles(db, w.workspaceId, patId, leeId);
  await consistent(w.workspaceId);
  const threads = await db.personThread.findMany({ where: { workspaceId: w.workspaceId } });
  expect(threads.map((t) => [t.awaiting, t.waitingSince])).toEqual([[true, new Date(at(4))]]);
  // An email sent to them answers it, whatever channel they wrote on.
  const [survivor] = threads;
  await w.ingest([
    ev("u7", "email", "email_sent", at(6), { email: "lee@rollups.test" }, { properties: { kind: "quote" } }),
  ]);
  expect(await db.personThread.findUniqueOrThrow({ where: { profileId: survivor!.profileId } })).toMatchObject({
    awaiting: false,
    waitingSince: null,
    lastChannel: "email",
  });
  await consistent(w.workspaceId);
});

test("the triggers' SQL says turns, answers and channels in the words of lib/conversations/turns.ts", async () => {
  const [fn] = await db.$queryRawUnsafe<{ src: string }[]>(
    `SELECT prosrc AS src FROM pg_proc WHERE proname = 'onethread_refresh_person_thread'`,
  );
  for (const alias of ["e", "w", "o"]) expect(fn?.src).toContain(turnSql(alias));
  expect(fn?.src).toContain(`COALESCE(${awaitingSql("e")}, false)`);
  expect(fn?.src).toContain(`NOT COALESCE(${awaitingSql("o")}, false)`);
  expect(fn?.src).toContain(turnChannelSql("e"));
});

test("signal counts per local day equal counting the events, in any zone and between any two instants", async () => {
  const w = await testWorkspace(db);
  // An event every 37 minutes for four days, of several kinds, some with money.
  const events = Array.from({ length: 160 }, (_, i) => {
    const when = new Date(Date.parse("2026-11-04T00:00:00Z") + i * 37 * 60_000).toISOString();
    const kind = i % 4;
    if (kind === 0) return ev(`z${i}`, "web", "page_view", when, { deviceId: `dz${i % 9}` });
    if (kind === 1)
      return ev(
        `z${i}`,
        "agent",
        "agent_action",
        when,
        { deviceId: `dz${i % 9}` },
        {
          properties: { agent: "qualify", action: i % 8 === 1 ? "qualified_lead" : "asked" },
        },
      );
    if (kind === 2)
      return ev(
        `z${i}`,
        "webhook",
        "payment_succeeded",
        when,
        { deviceId: `dz${i % 9}` },
        {
          properties: { amount: 100 + i, currency: i % 3 ? "usd" : "EUR" },
        },
      );
    return ev(`z${i}`, "email", "email_opened", when, { deviceId: `dz${i % 9}` }, { properties: { kind: "quote" } });
  });
  await w.ingest(events);
  await consistent(w.workspaceId);
  const direct = (from: Date, to: Date, zone: string) =>
    db.$queryRawUnsafe<
      { day: string; source: string; type: string; detail: string; currency: string; count: number; amount: number }[]
    >(
      `SELECT to_char(e."occurredAt" AT TIME ZONE $4, 'YYYY-MM-DD') AS day, k.source, k.type, k.detail, k.currency,
         count(*)::int AS count, sum(k.amount)::float8 AS amount
       FROM "Event" e CROSS JOIN LATERAL (SELECT ${SIGNAL_KEY_SQL}) AS k
       WHERE e."workspaceId" = $1::uuid AND e."occurredAt" >= $2 AND e."occurredAt" < $3
       GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
      w.workspaceId,
      from,
      to,
      zone,
    );
  const cases: [string, string, string][] = [
    ["UTC", "2026-11-04T00:00:00Z", "2026-11-08T00:00:00Z"],
    ["America/Los_Angeles", "2026-11-04", "2026-11-07"],
    ["Asia/Kolkata", "2026-11-04", "2026-11-07"],
    ["Asia/Kathmandu", "2026-11-03", "2026-11-08"],
    ["Asia/Kolkata", "2026-11-04T10:17:00Z", "2026-11-06T03:43:00Z"],
    ["Australia/Adelaide", "2026-11-05T13:00:00Z", "2026-11-05T13:40:00Z"],
    ["Europe/Berlin", "2026-11-05T13:20:00Z", "2026-11-05T14:10:00Z"],
  ];
  for (const [zone, from, to] of cases) {
    const range = resolveRange({ from, to }, zone);
    const got = (await signalCounts(sqlOf(db), w.workspaceId, range)).map(
      ({ day, source, type, detail, currency, count, amount }) => ({
        day,
        source,
        type,
        detail,
        currency,
        count,
        amount,
      }),
    );
    expect(got, `${zone} ${from} – ${to}`).toEqual(await direct(range.from, range.to, zone));
  }
});

test("the rollup triggers find each profile by its primary key, whatever the planner knows of the table", async () => {
  // PL/pgSQL keeps a trigger's plan for the connection's life. Planned on a near-empty table, a join on
  // "mergedIntoId" IS NULL scanned every live profile of the database for each row a statement wrote
  // (decision 023). Every plan the triggers make here, in a fresh connection of a small database, must
  // probe "Profile" by its primary key and never through the live-profiles index.
  const w = await testWorkspace(db);
  await w.ingest([
    web("pk1", 0, { deviceId: "pk-laptop", email: "pk@rollups.test" }),
    sms("pk2", 1, { phone: "+18055550199", deviceId: "pk-laptop" }, "in"),
  ]);
  const client = new pg.Client({ connectionString: url });
  const plans: string[] = [];
  client.on("notice", (n) => {
    if (n.message?.includes("Query Text")) plans.push(n.message);
  });
  await client.connect();
  try {
    await client.query(`LOAD 'auto_explain'`);
    await client.query(
      `SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on; SET client_min_messages = log`,
    );
    await client.query(
      `BEGIN; ${Object.entries(POINT_LOOKUPS_ONLY)
        .map(([k, v]) => `SET LOCAL ${k} = ${v};`)
        .join(" ")}`,
    );
    const ws = [w.workspaceId];
    // Inserts, updates and deletes of rungs, devices and events: every branch that reads "Profile".
    await client.query(
      `INSERT INTO "ProfileRung" ("profileId", rung, "reachedAt") SELECT id, 1, now() FROM "Profile" WHERE "workspaceId" = $1 ON CONFLICT DO NOTHING`,
      ws,
    );
    await client.query(
      `UPDATE "ProfileRung" SET "reachedAt" = "reachedAt" - interval '1 hour' WHERE "profileId" IN (SELECT id FROM "Profile" WHERE "workspaceId" = $1)`,
      ws,
    );
    await client.query(`UPDATE "Identifier" SET "profileId" = "profileId" WHERE "workspaceId" = $1`, ws);
    await client.query(`DELETE FROM "Event" WHERE "workspaceId" = $1`, ws);
    await client.query(
      `DELETE FROM "ProfileRung" WHERE "profileId" IN (SELECT id FROM "Profile" WHERE "workspaceId" = $1)`,
      ws,
    );
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    await client.end();
  }
  const reading = plans.filter((p) => /Query Text:[\s\S]*"Profile" (p|q)\b/.test(p));
  expect(reading.length).toBeGreaterThanOrEqual(3);
  for (const plan of reading) {
    expect(plan).not.toContain("Profile_mergedIntoId_idx");
    expect(plan).toMatch(/Index Scan using "Profile_pkey" on "Profile" q/);
  }
});
