import { expect, test } from "vitest";
import { GET as cron } from "../../app/api/cron/[job]/route.ts";
import { hashIdentifier } from "../../lib/crypto/keys.ts";
import { uuidv7 } from "../../lib/db/uuidv7.ts";
import { runJob } from "../../lib/jobs/registry.ts";
import { lastPurge } from "../../lib/privacy/purge-expired.ts";
import { purgeWorkspace } from "../../lib/privacy/purge-workspace.ts";
import { call, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { identityInvariants } from "../support/invariants.ts";
import { rollupViolations } from "../support/report-rollups.ts";
import { tablesHolding } from "../support/tables-holding.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

// PRIVACY.md P14 (issue 12 item 6, decision 016): the nightly retention purge.
const { db } = await useTestDb();

const NOW = new Date("2026-12-02T03:30:00Z");
/** `months` months (of 30.4 days) before NOW, plus `minutes`. */
const ago = (months: number, minutes = 0) =>
  new Date(NOW.getTime() - months * 30.44 * 86_400_000 + minutes * 60_000).toISOString();

async function setRetention(workspaceId: string, retentionMonths: number, customerRetentionMonths: number | null) {
  await db.workspace.update({ where: { id: workspaceId }, data: { retentionMonths, customerRetentionMonths } });
}

async function oldestEvent(workspaceId: string) {
  const e = await db.event.findFirst({ where: { workspaceId }, orderBy: { occurredAt: "asc" } });
  return e?.occurredAt ?? null;
}

/** A person whose every event is past 24 months, one with old and new events, one all recent, one anonymous. */
async function mixedWorkspace() {
  const w = await testWorkspace(db);
  await w.ingest([
    ev("old1", "web", "page_view", ago(30), { deviceId: "d_old" }, { campaign: { utm_source: "google" } }),
    ev("old2", "web", "form_submit", ago(30, 5), { deviceId: "d_old", email: "gone.soon@example.com" }),
    ev(
      "old3",
      "channel",
      "message_in",
      ago(29),
      { phone: "+1 805 555 0190", email: "gone.soon@example.com" },
      { channel: "whatsapp", properties: { body: "an old question about pianos" } },
    ),
    ev("mix1", "web", "form_submit", ago(28), { deviceId: "d_mix", email: "stays@example.com" }),
    ev(
      "mix2",
      "channel",
      "message_in",
      ago(28, 10),
      { email: "stays@example.com", phone: "+1 805 555 0191" },
      { channel: "sms", properties: { body: "old words of the stayer" } },
    ),
    ev(
      "mix3",
      "channel",
      "message_out",
      ago(1),
      { phone: "+1 805 555 0191" },
      { channel: "sms", properties: { body: "new words to the stayer" } },
    ),
    ev("new1", "web", "page_view", ago(20), { deviceId: "d_new" }),
    ev("anon1", "web", "page_view", ago(26), { deviceId: "d_anon" }),
  ]);
  const gone = (await profileIdOf(db, w.ws, "email", "gone.soon@example.com")) as string;
  const stays = (await profileIdOf(db, w.ws, "email", "stays@example.com")) as string;
  const fresh = (await profileIdOf(db, w.ws, "device", "d_new")) as string;
  // What other capabilities keep per person.
  const deviceHash = hashIdentifier(w.ws.hashSalt, "device", "d_old");
  await db.consentRecord.create({
    data: {
      id: uuidv7(),
      workspaceId: w.workspaceId,
      profileId: gone,
      deviceHash,
      choice: "granted",
      createdAt: ago(30),
    },
  });
  await db.outbox.create({
    data: { id: uuidv7(), workspaceId: w.workspaceId, profileId: gone, destination: "google-ads", payload: {} },
  });
  await db.nudge.create({ data: { id: uuidv7(), workspaceId: w.workspaceId, profileId: gone, kind: "stalled" } });
  return { w, gone, stays, fresh, deviceHash };
}

test("P14: events older than the cut-off go, newer ones stay; afterwards no event is older than the cut-off", async () => {
  const { w, stays, fresh } = await mixedWorkspace();
  const r = await purgeWorkspace(db, { id: w.workspaceId, retentionMonths: 24, customerRetentionMonths: null }, NOW);
  expect(r).toMatchObject({ cutoff: "2024-12-02T03:30:00.000Z", events: 6, messages: 2, remaining: 0 });
  expect((await oldestEvent(w.workspaceId))?.toISOString()).toBe(ago(20));
  const left = await db.event.findMany({ where: { workspaceId: w.workspaceId }, orderBy: { occurredAt: "asc" } });
  expect(left.map((e) => e.clientId)).toEqual(["new1", "mix3"]);
  // The stayer keeps the recent message only, and their event count follows.
  const person = await db.profile.findUniqueOrThrow({ where: { id: stays } });
  expect(person.eventCount).toBe(1);
  expect(await db.message.count({ where: { profileId: stays } })).toBe(1);
  expect(await db.profile.findUnique({ where: { id: fresh } })).not.toBeNull();
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});

test("P14: paying customers keep theirs for customerRetentionMonths, everyone else for retentionMonths", async () => {
  const w = await testWorkspace(db);
  await setRetention(w.workspaceId, 12, 36);
  await w.ingest([
    ev("c0", "web", "page_view", ago(40), { deviceId: "d_payer" }),
    ev("c1", "web", "form_submit", ago(20), { deviceId: "d_payer", email: "payer@example.com" }),
    ev(
      "c2",
      "webhook",
      "payment_succeeded",
      ago(20, 5),
      { email: "payer@example.com" },
      { properties: { amount: 900 } },
    ),
    ev("n1", "web", "form_submit", ago(20), { deviceId: "d_lead", email: "lead@example.com" }),
    ev("n2", "web", "page_view", ago(11), { deviceId: "d_lead" }),
  ]);
  const payer = (await profileIdOf(db, w.ws, "email", "payer@example.com")) as string;
  const lead = (await profileIdOf(db, w.ws, "email", "lead@example.com")) as string;
  const ws = await db.workspace.findUniqueOrThrow({ where: { id: w.workspaceId } });
  const r = await purgeWorkspace(db, ws, NOW);
  expect(r).toMatchObject({ cutoff: "2025-12-02T03:30:00.000Z", customerCutoff: "2023-12-02T03:30:00.000Z" });
  const left = async (id: string) =>
    (await db.event.findMany({ where: { profileId: id }, orderBy: { occurredAt: "asc" } })).map((e) => e.clientId);
  // The customer's events of 20 months ago stay (36 months for them); the one of 40 months ago goes.
  expect(await left(payer)).toEqual(["c1", "c2"]);
  // The lead is not a customer: 12 months.
  expect(await left(lead)).toEqual(["n2"]);
  expect(r.events).toBe(2);
  const expired = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM "Event" e JOIN "Profile" p ON p.id = e."profileId"
     WHERE e."workspaceId" = $1::uuid AND e."occurredAt" < CASE WHEN p.rung = 4 THEN $2::timestamptz ELSE $3::timestamptz END`,
    w.workspaceId,
    r.customerCutoff,
    r.cutoff,
  );
  expect(expired[0]?.n).toBe(0);
});

test("P14: the send-back outbox keeps a conversion no longer than the event it was about", async () => {
  const w = await testWorkspace(db);
  await setRetention(w.workspaceId, 12, 36);
  await w.ingest([
    ev("p1", "web", "form_submit", ago(20), { deviceId: "d_buyer", email: "buyer@example.com" }),
    ev(
      "p2",
      "webhook",
      "payment_succeeded",
      ago(20, 5),
      { email: "buyer@example.com" },
      { properties: { amount: 900 } },
    ),
    ev("l1", "web", "form_submit", ago(20), { deviceId: "d_asker", email: "asker@example.com" }),
    ev("l2", "web", "page_view", ago(6), { deviceId: "d_asker" }),
  ]);
  const buyer = (await profileIdOf(db, w.ws, "email", "buyer@example.com")) as string;
  const asker = (await profileIdOf(db, w.ws, "email", "asker@example.com")) as string;
  const conversion = (dedupeKey: string, profileId: string | null, occurredAt: string, status = "delivered") =>
    db.outbox.create({
      data: {
        id: uuidv7(),
        workspaceId: w.workspaceId,
        profileId,
        destination: "meta",
        kind: "Purchase",
        dedupeKey,
        occurredAt,
        status,
        payload: { value: 900, currency: "usd", fbclid: "fb.1.x" },
      },
    });
  await conversion("buyer-40", buyer, ago(40)); // past even a customer's 36 months
  await conversion("buyer-20", buyer, ago(20)); // a customer's: kept for 36
  await conversion("asker-20", asker, ago(20), "failed"); // not a customer: 12 months
  await conversion("asker-6", asker, ago(6));
  await conversion("nobody-13", null, ago(13), "cancelled");
  await conversion("nobody-2", null, ago(2), "pending");
  const ws = await db.workspace.findUniqueOrThrow({ where: { id: w.workspaceId } });
  const r = await purgeWorkspace(db, ws, NOW);
  expect(r.conversions).toBe(3);
  const left = await db.outbox.findMany({ where: { workspaceId: w.workspaceId }, orderBy: { dedupeKey: "asc" } });
  expect(left.map((o) => o.dedupeKey)).toEqual(["asker-6", "buyer-20", "nobody-2"]);
  // Idempotent, like the rest of the purge.
  expect((await purgeWorkspace(db, ws, NOW)).conversions).toBe(0);
});

test("P14: people left with nothing are removed — identifiers, messages, threads, consent records, rollups — and nothing holds them", async () => {
  const { w, gone, deviceHash } = await mixedWorkspace();
  // An opt-out of the person must outlive the purge (R18): later events of that email stay suppressed.
  const emailHash = hashIdentifier(w.ws.hashSalt, "email", "gone.soon@example.com");
  await db.suppression.create({
    data: { id: uuidv7(), workspaceId: w.workspaceId, type: "email", hash: emailHash, scope: "all", reason: "api" },
  });
  const needles = [
    gone,
    "gone.soon@example.com",
    "an old question about pianos",
    emailHash,
    hashIdentifier(w.ws.hashSalt, "phone", "+18055550190"),
    deviceHash,
  ];
  expect((await tablesHolding(db, needles)).length).toBeGreaterThan(5);
  const r = await purgeWorkspace(db, { id: w.workspaceId, retentionMonths: 24, customerRetentionMonths: null }, NOW);
  // The anonymous visitor of 26 months ago and the person of 30 months ago.
  expect(r.people).toBe(2);
  expect(r.conversations).toBe(1);
  expect(await db.profile.findUnique({ where: { id: gone } })).toBeNull();
  expect(await tablesHolding(db, needles, ["Suppression"])).toEqual([]);
  expect(await db.suppression.count({ where: { workspaceId: w.workspaceId, hash: emailHash } })).toBe(1);
  expect(await db.personRollup.count({ where: { profileId: gone } })).toBe(0);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
  // The opted-out address arriving again is not tied back to anyone.
  const [again] = await w.ingest([
    ev("back", "web", "form_submit", ago(0), { deviceId: "d_back", email: "gone.soon@example.com" }),
  ]);
  expect(again?.profileId).not.toBe(gone);
});

test("P14: the report rollups still equal a recount after the purge (hours, rungs, people per rung, threads)", async () => {
  const { w } = await mixedWorkspace();
  expect(await rollupViolations(db, w.workspaceId)).toEqual([]);
  const before = await db.signalHour.aggregate({ where: { workspaceId: w.workspaceId }, _sum: { count: true } });
  expect(before._sum.count).toBe(8);
  await purgeWorkspace(db, { id: w.workspaceId, retentionMonths: 24, customerRetentionMonths: null }, NOW);
  expect(await rollupViolations(db, w.workspaceId)).toEqual([]);
  const after = await db.signalHour.aggregate({ where: { workspaceId: w.workspaceId }, _sum: { count: true } });
  expect(after._sum.count).toBe(2);
  const people = await db.rungTotal.aggregate({ where: { workspaceId: w.workspaceId }, _sum: { people: true } });
  expect(people._sum.people).toBe(
    await db.profile.count({ where: { workspaceId: w.workspaceId, mergedIntoId: null } }),
  );
  // Aggregates keep no identifier: the hourly counts name kinds of signals, never people.
  const hours = await db.signalHour.findMany({ where: { workspaceId: w.workspaceId } });
  expect(JSON.stringify(hours, (_, v) => (typeof v === "bigint" ? String(v) : v))).not.toMatch(
    /example\.com|d_old|805/,
  );
});

test("P14: idempotent — a second run finds nothing; the job runs once per night and records what it removed", async () => {
  const { w } = await mixedWorkspace();
  const first = await runJob(db, "purge", NOW);
  expect(first).toMatchObject({ job: "purge", period: "2026-12-02", status: "done" });
  expect((first.result as { events: number }).events).toBeGreaterThanOrEqual(6);
  expect((await runJob(db, "purge", new Date(NOW.getTime() + 3600_000))).status).toBe("skipped");
  const seen = await lastPurge(db, w.workspaceId);
  expect(seen).toMatchObject({ status: "done", result: { events: 6, messages: 2, people: 2, remaining: 0 } });
  const next = await runJob(db, "purge", new Date(NOW.getTime() + 86_400_000));
  expect(next.status).toBe("done");
  expect(next.result).toMatchObject({ events: 0, messages: 0, people: 0, remaining: 0 });
  expect(await lastPurge(db, w.workspaceId)).toMatchObject({ result: { events: 0 } });
  const again = await purgeWorkspace(
    db,
    { id: w.workspaceId, retentionMonths: 24, customerRetentionMonths: null },
    NOW,
  );
  expect(again).toMatchObject({ events: 0, messages: 0, people: 0, conversations: 0 });
});

test("the nightly purge keeps 90 days of every job's run records and drops older ones, whichever job made them", async () => {
  const day = 86_400_000;
  const slot = (job: string, scope: string, period: string, daysAgo: number) =>
    db.jobRun.create({
      data: { job, scope, period, status: "done", startedAt: new Date(NOW.getTime() - daysAgo * day) },
    });
  const w = await testWorkspace(db);
  const old = [
    await slot("deliver", "global", "2026-08-01T00:00", 120),
    await slot("nudges", "global", "2026-08-01T00:05", 120),
    await slot("weekly-summary", w.workspaceId, "2026-W31", 100),
    await slot("purge", w.workspaceId, "2026-08-01", 91),
  ];
  // A slot left running (a crashed run: claimRun takes it again after 15 minutes) is not the purge's to drop.
  const running = await db.jobRun.create({
    data: {
      job: "topics",
      scope: "global",
      period: "2026-08-02T00:00",
      startedAt: new Date(NOW.getTime() - 120 * day),
    },
  });
  const kept = [
    running,
    await slot("deliver", "global", "2026-11-22T00:00", 10),
    await slot("topics", "global", "2026-09-10T00:00", 83),
  ];
  await runJob(db, "purge", new Date(NOW.getTime() + 5 * day));
  const left = await db.jobRun.findMany({ where: { id: { in: [...old, ...kept].map((r) => r.id) } } });
  expect(left.map((r) => r.id).sort()).toEqual(kept.map((r) => r.id).sort());
});

test("P14: bounded batches — no DELETE takes more than the batch size", async () => {
  const w = await testWorkspace(db);
  const events = Array.from({ length: 230 }, (_, i) =>
    ev(`b${i}`, "web", "page_view", ago(30, i), { deviceId: `d_b${i % 17}` }),
  );
  await w.ingest(events);
  const sizes: number[] = [];
  const r = await purgeWorkspace(db, { id: w.workspaceId, retentionMonths: 24, customerRetentionMonths: null }, NOW, {
    batchSize: 50,
    onBatch: (n) => sizes.push(n),
  });
  expect(r.events).toBe(230);
  expect(Math.max(...sizes)).toBeLessThanOrEqual(50);
  expect(sizes.filter((n) => n > 0).length).toBeGreaterThanOrEqual(5);
  expect(r.people).toBe(17);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
  expect(await rollupViolations(db, w.workspaceId)).toEqual([]);
});

test("P14: the purge runs beside ingestion of the same people without errors, and the cut-off holds", async () => {
  const w = await testWorkspace(db);
  const old = Array.from({ length: 600 }, (_, i) =>
    ev(`o${i}`, "web", "page_view", ago(30, i), { deviceId: `d_c${i % 40}` }),
  );
  await w.ingest(old);
  const fresh = Array.from({ length: 20 }, (_, k) =>
    Array.from({ length: 10 }, (_, j) =>
      ev(`f${k}_${j}`, "web", "page_view", ago(0, -(k * 10 + j)), { deviceId: `d_c${(k * 10 + j) % 40}` }),
    ),
  );
  const [r] = await Promise.all([
    purgeWorkspace(db, { id: w.workspaceId, retentionMonths: 24, customerRetentionMonths: null }, NOW, {
      batchSize: 40,
    }),
    (async () => {
      for (const batch of fresh) await w.ingest(batch);
    })(),
  ]);
  expect(r?.remaining).toBe(0);
  const expired = await db.event.count({
    where: { workspaceId: w.workspaceId, occurredAt: { lt: new Date(r!.cutoff) } },
  });
  expect(expired).toBe(0);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(200);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
  expect(await rollupViolations(db, w.workspaceId)).toEqual([]);
});

test("GET /api/cron/purge runs the job with the cron secret, 401 without it", async () => {
  const params = { job: "purge" };
  expect((await call(cron, "/api/cron/purge", { params })).status).toBe(401);
  expect((await call(cron, "/api/cron/purge", { params, key: "wrong-secret" })).status).toBe(401);
  const res = await call(cron, "/api/cron/purge", { params, key: process.env.CRON_SECRET });
  expect(res.status).toBe(200);
  expect(res.json).toMatchObject({ job: "purge" });
  expect(["done", "skipped"]).toContain(res.json.status);
});
