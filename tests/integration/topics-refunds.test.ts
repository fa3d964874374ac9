import { expect, test, vi } from "vitest";
import { POST as mergeRoute } from "../../app/api/app/[workspace]/topics/[id]/merge/route.ts";
import { PATCH as patchTopic } from "../../app/api/app/[workspace]/topics/[id]/route.ts";
import { POST as addRoute, GET as vocabularyRoute } from "../../app/api/app/[workspace]/topics/route.ts";
import { POST as eventsRoute } from "../../app/api/v1/events/route.ts";
import { DELETE as eraseRoute } from "../../app/api/v1/profiles/[id]/route.ts";
import { GET as refundsRoute } from "../../app/api/v1/reports/refunds/route.ts";
import { GET as topicsRoute } from "../../app/api/v1/reports/topics/route.ts";
import type { SessionUser } from "../../lib/auth/session.ts";
import { runJob } from "../../lib/jobs/registry.ts";
import { gaComparison } from "../../lib/reports/ga-comparison.ts";
import { listRefunds } from "../../lib/reports/refunds.ts";
import { presetRange } from "../../lib/reports/report-range.ts";
import { reportSql } from "../../lib/reports/report-sql.ts";
import { topTopics } from "../../lib/reports/topics.ts";
import { addDays, localDay } from "../../lib/reports/zone.ts";
import { countTopics } from "../../lib/topics/count-topics.ts";
import { updateSettings } from "../../lib/workspaces/update-settings.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { testWorkspace } from "../support/workspace.ts";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("../../lib/auth/session.ts", () => ({ getSessionUser: async () => session.user }));

const { db } = await useTestDb();
const a = await testWorkspace(db, { timezone: "UTC" });
const b = await testWorkspace(db, { timezone: "UTC" });
await updateSettings(db, a.workspaceId, { businessType: "movers" });
const ownerA: SessionUser = { id: a.ownerId, email: a.ownerEmail, name: null };
session.user = ownerA;

const DAY = 86_400_000;
const ago = (days: number, hours = 0) => new Date(Date.now() - days * DAY - hours * 3_600_000).toISOString();
const sms = (id: string, phone: string, days: number, body: string, channel = "sms") => ({
  id,
  source: "channel",
  type: "message_in",
  channel,
  direction: "in",
  occurredAt: ago(days),
  identity: { phone },
  properties: { body },
});
const send = (key: string, events: unknown[]) => call(eventsRoute, "/api/v1/events", { key, body: { events } });
const topics = (key: string, query = "weeks=4") => call(topicsRoute, `/api/v1/reports/topics?${query}`, { key });
const eventIds = async (workspaceId: string, clientIds: string[]) => {
  const rows = await db.event.findMany({ where: { workspaceId, clientId: { in: clientIds } }, select: { id: true } });
  return rows.map((r) => r.id).sort();
};
/** TopicCount must equal the mentions, per topic and day, after every change (the triggers' promise). */
async function expectCountsEqualMentions() {
  const rows = await db.$queryRawUnsafe<{ topicId: string; day: Date; count: number; mentions: number }[]>(
    `SELECT c."topicId", c.day, c.count, (SELECT count(*)::int FROM "TopicMention" m WHERE m."topicId" = c."topicId" AND m.day = c.day) AS mentions
     FROM "TopicCount" c`,
  );
  for (const r of rows) expect(r.count, `${r.topicId} ${r.day.toISOString()}`).toBe(r.mentions);
  const [orphans] = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM (SELECT "topicId", day FROM "TopicMention" EXCEPT SELECT "topicId", day FROM "TopicCount") x`,
  );
  expect(orphans?.n).toBe(0);
}

const P = (n: number) => `+1805555${String(1000 + n)}`;
const messagesA = [
  // This week (1–3 days ago).
  sms("m1", P(1), 1, "Do you sell boxes, or only rent crates?"),
  sms("m2", P(2), 2, "How many boxes would a 2 bedroom need?", "whatsapp"),
  {
    id: "m3",
    source: "email",
    type: "email_replied",
    channel: "email",
    occurredAt: ago(2),
    identity: { email: "cellar.one@a.test" },
    properties: { text: "Do you do wine cellars?\n\nOn Mon, Acme Movers <hi@acme.test> wrote:\n> Your piano quote" },
  },
  {
    id: "m4",
    source: "web",
    type: "form_submit",
    occurredAt: ago(3),
    identity: { email: "cellar.two@a.test" },
    properties: { form: "contact", message: "We need a wine cellar moved, can you do it?" },
  },
  sms("m5", P(5), 1, "Can you move wine cellars and a piano?"),
  sms("m6", P(6), 1, "Hola, ¿tienen cajas para la mudanza?"),
  // The week before (8–10 days ago).
  sms("m7", P(1), 8, "Do you have boxes?"),
  sms("m8", P(7), 9, "Can you move my piano?"),
  sms("m9", P(7), 10, "The piano has to go up the stairs, is that ok?"),
  { ...sms("m10", P(7), 9, "We sell boxes, $2 each."), type: "message_out", direction: "out" },
  // Earlier weeks.
  sms("m11", P(8), 15, "Do you sell boxes?"),
  sms("m12", P(8), 22, "Boxes again?"),
];

test("messages sent through the API are counted by the job, after they settle, never twice", async () => {
  expect((await send(a.apiKey, messagesA)).status).toBe(200);
  expect((await send(b.apiKey, [sms("b1", P(50), 1, "Do you sell boxes? And storage?")])).status).toBe(200);

  // Just ingested: younger than the settling time (2 minutes), so a run reads nothing yet, even one told the
  // clock reads 10 minutes later.
  const early = await countTopics(db, new Date(Date.now() + 10 * 60_000));
  expect(early.read).toBe(0);
  // Nothing else ingests here: the job may count at once (ONETHREAD_TOPICS_SETTLE_MS=0), a later slot.
  process.env.ONETHREAD_TOPICS_SETTLE_MS = "0";
  const later = new Date(Date.now() + 3 * 60_000);
  const run = await runJob(db, "topics", later);
  expect(run).toMatchObject({ job: "topics", status: "done", result: { read: 12, skipped: 1, more: false } });
  // The same five-minute slot again: skipped; a later slot reads nothing new and counts nothing twice.
  expect((await runJob(db, "topics", later)).status).toBe("skipped");
  const again = await runJob(db, "topics", new Date(later.getTime() + 5 * 60_000));
  expect(again.result).toMatchObject({ read: 0, mentions: 0 });
  await expectCountsEqualMentions();
});

test("the report: counts this week and last, ordering, emerging, the messages behind each, the language skipped", async () => {
  const res = await topics(a.apiKey);
  expect(res.status).toBe(200);
  const today = localDay(new Date(), "UTC");
  expect(res.json).toMatchObject({ weeks: 4, from: addDays(today, -6), to: today, timezone: "UTC" });
  const rows = res.json.topics.map((t: Record<string, unknown>) => [
    t.name,
    t.count,
    t.previousCount,
    t.emerging,
    t.weekly,
  ]);
  expect(rows).toEqual([
    ["wine cellar", 3, 0, true, [0, 0, 0, 3]],
    ["box", 2, 1, false, [1, 1, 1, 2]],
    ["piano", 1, 2, false, [0, 0, 2, 1]],
    ["bedroom", 1, 0, false, [0, 0, 0, 1]],
    ["elevator", 0, 1, false, [0, 0, 1, 0]],
  ]);
  const byName = Object.fromEntries(res.json.topics.map((t: { name: string }) => [t.name, t]));
  expect(byName["wine cellar"]).toMatchObject({ topic: "Wine cellar", kind: "discovered", offered: true });
  expect(byName.box.topic).toBe("Boxes and packing supplies");
  expect([...byName["wine cellar"].messageIds].sort()).toEqual(await eventIds(a.workspaceId, ["m3", "m4", "m5"]));
  expect([...byName.box.messageIds].sort()).toEqual(await eventIds(a.workspaceId, ["m1", "m2"]));
  expect(byName.elevator.messageIds).toEqual([]); // none this week
  expect(res.json.skipped).toEqual([{ language: "spa", count: 1 }]);

  // The GA comparison's last question is answered from the counters now.
  const ga = await gaComparison(reportSql(db), { id: a.workspaceId, slug: a.slug }, presetRange("7d", "UTC"));
  expect(ga.questions.find((q) => q.id === "demand")).toMatchObject({
    answer:
      "4 topics asked about, most Wine cellar (3), Boxes and packing supplies (2), Piano moving (1); 1 of them not on your list, such as Wine cellar.",
    figures: { topics: 4, notOffered: 1 },
    proof: { path: `/app/${a.slug}/reports/topics` },
    status: "live",
  });

  // The Friday summary's call: a week's top topics with the week before.
  const top = await topTopics(reportSql(db), a.workspaceId, { from: addDays(today, -6), to: today }, { limit: 2 });
  expect(top.map((t) => [t.label, t.count, t.previousCount])).toEqual([
    ["Wine cellar", 3, 0],
    ["Boxes and packing supplies", 2, 1],
  ]);
});

test("tenants see only their own topics; bad parameters are a 400 naming the field", async () => {
  const other = await topics(b.apiKey);
  expect(other.json.topics.map((t: { name: string; count: number }) => [t.name, t.count])).toEqual([
    ["box", 1],
    ["storage", 1],
  ]);
  const aIds = new Set((await topics(a.apiKey)).json.topics.flatMap((t: { messageIds: string[] }) => t.messageIds));
  for (const t of other.json.topics) for (const id of t.messageIds) expect(aIds.has(id)).toBe(false);
  for (const [query, path] of [
    ["weeks=1", "weeks"],
    ["weeks=abc", "weeks"],
    ["weeks=27", "weeks"],
    ["limit=0", "limit"],
  ]) {
    const res = await topics(a.apiKey, query as string);
    expect(res.status, query).toBe(400);
    expect(res.json.error.code).toBe("invalid_request");
    expect(res.json.error.details[0].path).toBe(path);
  }
  expect((await call(topicsRoute, "/api/v1/reports/topics")).status).toBe(401);
  for (const query of ["from=yesterday", "from=2026-13-01", "from=2026-12-02&to=2026-11-01"]) {
    const res = await call(refundsRoute, `/api/v1/reports/refunds?${query}`, { key: a.apiKey });
    expect(res.status, query).toBe(400);
    expect(res.json.error.details[0].path).toBe("from");
  }
});

test("the owner edits the vocabulary: add, rename, not offered, merge (counts move), another tenant's topic is 404", async () => {
  const opts = (id: string) => ({ params: { workspace: a.slug, id } });
  const vocab = (await call(vocabularyRoute, `/api/app/${a.slug}/topics`, { params: { workspace: a.slug } })).json
    .topics;
  const id = (name: string) => vocab.find((t: { name: string }) => t.name === name)?.id as string;
  const cellar = id("wine cellar");

  const renamed = await call(patchTopic, `/api/app/${a.slug}/topics/${cellar}`, {
    method: "PATCH",
    body: { label: "Wine cellar moves", offered: false },
    ...opts(cellar),
  });
  expect(renamed.json).toMatchObject({
    name: "wine cellar",
    label: "Wine cellar moves",
    offered: false,
    kind: "owner",
  });

  const added = await call(addRoute, `/api/app/${a.slug}/topics`, {
    body: { label: "Moving quotes", terms: ["quotes", "Estimates"] },
    params: { workspace: a.slug },
  });
  expect(added.status).toBe(201);
  expect(added.json).toMatchObject({ name: "move quote", terms: ["quote", "estimate"], kind: "owner" });
  const dup = await call(addRoute, `/api/app/${a.slug}/topics`, {
    body: { label: "Boxes" },
    params: { workspace: a.slug },
  });
  expect(dup.status).toBe(409);

  // bedroom into box: m2 counted for both counts once; bedroom's words now count as box.
  const merged = await call(mergeRoute, `/api/app/${a.slug}/topics/${id("bedroom")}/merge`, {
    body: { into: id("box") },
    ...opts(id("bedroom")),
  });
  expect(merged.status).toBe(200);
  expect(merged.json.terms).toContain("bedroom");
  await expectCountsEqualMentions();
  const after = (await topics(a.apiKey)).json.topics;
  expect(after.map((t: { name: string; count: number }) => [t.name, t.count])).toEqual([
    ["wine cellar", 3],
    ["box", 2],
    ["piano", 1],
    ["elevator", 0],
  ]);
  expect(after[0]).toMatchObject({ topic: "Wine cellar moves", offered: false, emerging: true });

  const bTopic = await db.topic.findFirstOrThrow({ where: { workspaceId: b.workspaceId } });
  const cross = await call(patchTopic, `/api/app/${a.slug}/topics/${bTopic.id}`, {
    method: "PATCH",
    body: { offered: false },
    ...opts(bTopic.id),
  });
  expect(cross.status).toBe(404);
  expect((await db.topic.findUniqueOrThrow({ where: { id: bTopic.id } })).offered).toBe(true);
  const badMerge = await call(mergeRoute, `/api/app/${a.slug}/topics/${id("box")}/merge`, {
    body: { into: bTopic.id },
    ...opts(id("box")),
  });
  expect(badMerge.status).toBe(404);
  // A member sees the report but only an owner edits the vocabulary.
  const member = await db.user.create({ data: { email: "member@topics.test" }, select: { id: true, email: true } });
  await db.membership.create({ data: { userId: member.id, workspaceId: a.workspaceId, role: "member" } });
  session.user = { id: member.id, email: member.email, name: null };
  const refused = await call(patchTopic, `/api/app/${a.slug}/topics/${cellar}`, {
    method: "PATCH",
    body: { offered: true },
    ...opts(cellar),
  });
  expect(refused.status).toBe(403);
  session.user = ownerA;
  const bad = await call(patchTopic, `/api/app/${a.slug}/topics/${cellar}`, {
    method: "PATCH",
    body: { label: "" },
    ...opts(cellar),
  });
  expect(bad.status).toBe(400);
});

test("erasure: the person's mentions go with their events, counts follow, a found topic with no messages left goes", async () => {
  // Found topics the owner has not touched go with their last message.
  await send(a.apiKey, [sms("m20", P(20), 1, "Do you move aquariums?")]);
  await countTopics(db, new Date(), { settleMs: 0 });
  expect(await db.topic.count({ where: { workspaceId: a.workspaceId, name: "aquarium" } })).toBe(1);
  const aquaPerson = (await db.event.findFirstOrThrow({ where: { workspaceId: a.workspaceId, clientId: "m20" } }))
    .profileId as string;
  expect(
    (
      await call(eraseRoute, `/api/v1/profiles/${aquaPerson}`, {
        method: "DELETE",
        key: a.apiKey,
        params: { id: aquaPerson },
      })
    ).status,
  ).toBe(200);
  expect(await db.topic.count({ where: { workspaceId: a.workspaceId, name: "aquarium" } })).toBe(0);

  const m3 = await db.event.findFirstOrThrow({ where: { workspaceId: a.workspaceId, clientId: "m3" } });
  const erased = await call(eraseRoute, `/api/v1/profiles/${m3.profileId}`, {
    method: "DELETE",
    key: a.apiKey,
    params: { id: m3.profileId as string },
  });
  expect(erased.status).toBe(200);
  expect(await db.topicMention.count({ where: { eventId: m3.id } })).toBe(0);
  await expectCountsEqualMentions();
  const cellar = (await topics(a.apiKey)).json.topics.find((t: { name: string }) => t.name === "wine cellar");
  expect(cellar.count).toBe(2);
  expect(cellar.messageIds).not.toContain(m3.id);
  // The owner's (edited) topic stays, with what is left; every id the report gives still is an event.
  const all = [
    ...new Set<string>((await topics(a.apiKey)).json.topics.flatMap((t: { messageIds: string[] }) => t.messageIds)),
  ];
  expect(all.length).toBeGreaterThan(0);
  expect(await db.event.count({ where: { id: { in: all } } })).toBe(all.length);
});

test("refunds and cancellations with the thread around them, sentiment (negation) and quote, the totals; tenant-scoped", async () => {
  await send(a.apiKey, [
    sms("r1", P(30), 3, "I am not happy with the move. The movers broke my mirror!"),
    { ...sms("r2", P(30), 3, "Sorry to hear that, we will refund you."), type: "message_out", direction: "out" },
    {
      id: "r3",
      source: "webhook",
      type: "payment_refunded",
      occurredAt: ago(2),
      identity: { phone: P(30) },
      properties: { amount: 5000, currency: "usd", provider: "stripe" },
    },
    sms("r4", P(30), 1, "Ok, got it."),
    {
      id: "r5",
      source: "webhook",
      type: "booking_cancelled",
      occurredAt: ago(1),
      identity: { email: "cancel@a.test" },
      properties: { provider: "calendly", reason: "Found a cheaper option, sorry" },
    },
    sms("r6", P(31), 40, "This is wonderful, thank you!"),
    {
      id: "r7",
      source: "webhook",
      type: "payment_refunded",
      occurredAt: ago(40),
      identity: { phone: P(31) },
      properties: { amount: 100, currency: "usd" },
    },
  ]);
  await send(b.apiKey, [
    {
      id: "rb",
      source: "webhook",
      type: "payment_refunded",
      occurredAt: ago(1),
      identity: { phone: P(60) },
      properties: { amount: 999, currency: "eur" },
    },
  ]);
  const res = await call(refundsRoute, `/api/v1/reports/refunds?from=${localDay(Date.now() - 7 * DAY, "UTC")}`, {
    key: a.apiKey,
  });
  expect(res.status).toBe(200);
  expect(res.json.refunds.map((r: { kind: string }) => r.kind)).toEqual(["cancellation", "refund"]);
  const [cancel, refund] = res.json.refunds;
  expect(refund).toMatchObject({ amount: 5000, currency: "USD", quote: "I am not happy with the move." });
  expect(refund.sentiment).toBeLessThan(0);
  expect(refund.sentiment).toBeGreaterThanOrEqual(-1);
  expect(refund.refundedAt).toBe(new Date(ago(2)).toISOString().slice(0, 10) + refund.refundedAt.slice(10));
  expect(refund.thread.map((m: { direction: string; text: string }) => [m.direction, m.text])).toEqual([
    ["in", "I am not happy with the move. The movers broke my mirror!"],
    ["out", "Sorry to hear that, we will refund you."],
    ["in", "Ok, got it."],
  ]);
  const person = await db.event.findFirstOrThrow({ where: { workspaceId: a.workspaceId, clientId: "r3" } });
  expect(refund.profileId).toBe(person.profileId);
  expect(cancel).toMatchObject({
    amount: null,
    reason: "Found a cheaper option, sorry",
    quote: "Found a cheaper option, sorry",
  });
  expect(res.json.totals).toEqual([{ currency: "USD", amount: 5000, refunds: 1 }]);
  expect(res.json.cancellations).toBe(1);

  const wide = await listRefunds(reportSql(db), a.workspaceId, {
    from: new Date(Date.now() - 60 * DAY),
    to: new Date(),
  });
  expect(wide.refunds.map((r) => r.amount)).toEqual([null, 5000, 100]);
  expect(wide.refunds[2]?.sentiment).toBeGreaterThan(0);
  const other = await call(refundsRoute, "/api/v1/reports/refunds", { key: b.apiKey });
  expect(other.json.refunds.map((r: { amount: number; currency: string }) => [r.amount, r.currency])).toEqual([
    [999, "EUR"],
  ]);
});
