import { expect, test } from "vitest";
import { GET as gaRoute } from "../../app/api/v1/reports/ga-comparison/route.ts";
import { GET as ladderRoute } from "../../app/api/v1/reports/ladder/route.ts";
import { overviewReport } from "../../lib/reports/overview-report.ts";
import { resolveRange } from "../../lib/reports/report-range.ts";
import { reportSql } from "../../lib/reports/report-sql.ts";
import { createApiKey } from "../../lib/workspaces/api-keys.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { rollupViolations } from "../support/report-rollups.ts";
import { expectScopeMigration, SCOPES_BEFORE_SENDS } from "../support/scope-migration.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();

// Fixed data in America/Los_Angeles (UTC-8 in November 2026, after the clocks went back on Nov 1). The
// expected figures below are worked out by hand from these events.
const a = await testWorkspace(db, { timezone: "America/Los_Angeles" });
const other = await testWorkspace(db, { timezone: "America/Los_Angeles" });
const ann = { deviceId: "dA", email: "ann@reports.test" };
const annPhone = "+1 805 555 0101";
await a.ingest([
  // Ann: a visit, a return visit, the quote form, WhatsApp (answered), a $50 deposit, a $20 refund.
  ev("a1", "web", "page_view", "2026-11-02T18:00:00Z", { deviceId: "dA" }),
  ev("a2", "web", "page_view", "2026-11-03T17:00:00Z", { deviceId: "dA" }),
  ev("a3", "web", "form_submit", "2026-11-03T17:05:00Z", ann, { properties: { form: "quote" } }),
  ev(
    "a4",
    "channel",
    "message_in",
    "2026-11-03T20:05:00Z",
    { phone: annPhone, email: ann.email },
    {
      channel: "whatsapp",
      direction: "in",
      properties: { body: "Is Saturday free?" },
    },
  ),
  ev(
    "a5",
    "channel",
    "message_out",
    "2026-11-03T20:10:00Z",
    { phone: annPhone },
    {
      channel: "whatsapp",
      direction: "out",
      properties: { body: "Yes, from 9am." },
    },
  ),
  ev(
    "a6",
    "webhook",
    "payment_succeeded",
    "2026-11-04T17:05:00Z",
    { email: ann.email },
    {
      properties: { amount: 5000, currency: "usd" },
    },
  ),
  ev(
    "a7",
    "webhook",
    "payment_refunded",
    "2026-11-06T20:00:00Z",
    { email: ann.email },
    {
      properties: { amount: 2000, currency: "usd" },
    },
  ),
  // Ben: one visit with the quote form, the quote email sent, qualified, opened; then nothing.
  ev("b1", "web", "page_view", "2026-11-05T18:00:00Z", { deviceId: "dB" }),
  ev("b2", "web", "form_submit", "2026-11-05T18:10:00Z", { deviceId: "dB", email: "ben@reports.test" }),
  ev(
    "b3",
    "email",
    "email_sent",
    "2026-11-05T18:11:00Z",
    { email: "ben@reports.test" },
    {
      channel: "email",
      properties: { kind: "quote" },
    },
  ),
  ev(
    "b4",
    "agent",
    "agent_action",
    "2026-11-05T18:12:00Z",
    { email: "ben@reports.test" },
    {
      properties: { agent: "qualify", action: "qualified_lead" },
    },
  ),
  ev(
    "b5",
    "email",
    "email_opened",
    "2026-11-05T19:00:00Z",
    { email: "ben@reports.test" },
    {
      channel: "email",
      properties: { kind: "quote" },
    },
  ),
  // Cai: an ad click and a page view, anonymous.
  ev(
    "c1",
    "ads",
    "ad_click",
    "2026-11-06T16:59:00Z",
    { deviceId: "dC" },
    {
      campaign: { utm_source: "google", utm_medium: "cpc", utm_campaign: "spring" },
    },
  ),
  ev("c2", "web", "page_view", "2026-11-06T17:00:00Z", { deviceId: "dC" }),
  // Dee: one SMS nobody answered (rung 3 at once).
  ev(
    "d1",
    "channel",
    "message_in",
    "2026-11-07T16:00:00Z",
    { phone: "+1 805 555 0104" },
    {
      channel: "sms",
      direction: "in",
      properties: { body: "Do you move pianos?" },
    },
  ),
  // Eve: a visit before the range, then the quote form, the quote email sent and opened.
  ev("e1", "web", "page_view", "2026-10-20T17:00:00Z", { deviceId: "dE" }),
  ev("e2", "web", "form_submit", "2026-11-04T18:00:00Z", { deviceId: "dE", email: "eve@reports.test" }),
  ev(
    "e3",
    "email",
    "email_sent",
    "2026-11-04T18:01:00Z",
    { email: "eve@reports.test" },
    {
      channel: "email",
      properties: { kind: "quote" },
    },
  ),
  ev(
    "e4",
    "email",
    "email_opened",
    "2026-11-04T19:00:00Z",
    { email: "eve@reports.test" },
    {
      channel: "email",
      properties: { kind: "quote" },
    },
  ),
]);
// Another tenant, same days: none of this may show in the first workspace's reports.
await other.ingest([
  ev("o1", "web", "page_view", "2026-11-04T18:00:00Z", { deviceId: "dA" }),
  ev(
    "o2",
    "webhook",
    "payment_succeeded",
    "2026-11-04T18:30:00Z",
    { deviceId: "dA", email: "ann@reports.test" },
    {
      properties: { amount: 9900, currency: "usd" },
    },
  ),
  ev(
    "o3",
    "channel",
    "message_in",
    "2026-11-05T18:00:00Z",
    { phone: "+1 805 555 0199" },
    {
      channel: "whatsapp",
      properties: { body: "hello" },
    },
  ),
]);

const week = "from=2026-11-02&to=2026-11-08";
const ladder = (key: string, query = week) => call(ladderRoute, `/api/v1/reports/ladder?${query}`, { key });
const ga = (key: string, query = week) => call(gaRoute, `/api/v1/reports/ga-comparison?${query}`, { key });

test("the rollups agree with the events, rungs and messages they summarise", async () => {
  expect(await rollupViolations(db, a.workspaceId)).toEqual([]);
  expect(await rollupViolations(db, other.workspaceId)).toEqual([]);
});

test("GET /api/v1/reports/ladder: rungs now and reached, each step's rate and median, by hand", async () => {
  const res = await ladder(a.apiKey);
  expect(res.status).toBe(200);
  expect(res.headers.get("cache-control")).toBe("no-store");
  // Local days Nov 2 to Nov 8 inclusive, in Los Angeles.
  expect(res.json).toMatchObject({
    from: "2026-11-02T08:00:00.000Z",
    to: "2026-11-09T08:00:00.000Z",
    timezone: "America/Los_Angeles",
  });
  expect(res.json.rungs).toEqual([
    { rung: 0, name: "Device", people: 1, reached: 4 },
    { rung: 1, name: "Returning device", people: 0, reached: 4 },
    { rung: 2, name: "Email", people: 2, reached: 4 },
    { rung: 3, name: "Phone", people: 1, reached: 2 },
    { rung: 4, name: "Customer", people: 1, reached: 1 },
  ]);
  expect(res.json.steps).toEqual([
    // Ann 23 h, Ben 10 min, Dee at once; Cai stayed anonymous.
    { from: 0, to: 1, rate: 0.75, medianHours: 0.17, people: 4, climbed: 3 },
    // Ann 5 min; Ben, Dee and Eve at the same moment (the form or the SMS took them over both rungs).
    { from: 1, to: 2, rate: 1, medianHours: 0, people: 4, climbed: 4 },
    // Ann 3 h, Dee at once; Ben and Eve stopped.
    { from: 2, to: 3, rate: 0.5, medianHours: 1.5, people: 4, climbed: 2 },
    // Ann 21 h; Dee stopped.
    { from: 3, to: 4, rate: 0.5, medianHours: 21, people: 2, climbed: 1 },
  ]);
});

test("a range that ends earlier counts only what happened before its end", async () => {
  // Nov 2 to Nov 4: Ann (all five rungs by her Nov 4 deposit) and Eve (rungs 1 and 2 on Nov 4).
  const res = await ladder(a.apiKey, "from=2026-11-02&to=2026-11-04");
  expect(res.json.rungs.map((r: { reached: number }) => r.reached)).toEqual([1, 2, 2, 1, 1]);
  expect(res.json.steps[2]).toEqual({ from: 2, to: 3, rate: 0.5, medianHours: 3, people: 2, climbed: 1 });
  // Instants: from Ann's return visit until just before her deposit.
  const narrow = await ladder(a.apiKey, "from=2026-11-03T17:00:00Z&to=2026-11-04T17:05:00Z");
  // Ann's rungs 1 to 3; Eve's form came an hour after the end.
  expect(narrow.json.rungs.map((r: { reached: number }) => r.reached)).toEqual([0, 1, 1, 1, 0]);
  expect(narrow.json.steps[3]).toMatchObject({ people: 1, climbed: 0, rate: 0, medianHours: null });
});

test("the overview's figures for the week, per local day", async () => {
  const o = await overviewReport(
    reportSql(db),
    a.workspaceId,
    resolveRange({ from: "2026-11-02", to: "2026-11-08" }, "America/Los_Angeles"),
  );
  expect(o.days.map((d) => d.day)).toEqual([
    "2026-11-02",
    "2026-11-03",
    "2026-11-04",
    "2026-11-05",
    "2026-11-06",
    "2026-11-07",
    "2026-11-08",
  ]);
  const nonZero = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).filter(([, n]) => n));
  expect(o.days.map((d) => nonZero(d.signals))).toEqual([
    { web: 1 },
    { web: 2, channel: 2 },
    { web: 1, email: 2, webhook: 1 },
    { web: 2, email: 2, agent: 1 },
    { web: 1, webhook: 1, ads: 1 },
    { channel: 1 },
    {},
  ]);
  expect(o.days.map((d) => d.reached)).toEqual([
    [1, 0, 0, 0, 0],
    [0, 1, 1, 1, 0],
    [0, 1, 1, 0, 1],
    [1, 1, 1, 0, 0],
    [1, 0, 0, 0, 0],
    [1, 1, 1, 1, 0],
    [0, 0, 0, 0, 0],
  ]);
  expect(o.currency).toBe("usd");
  expect(o.days.map((d) => d.deposits)).toEqual([0, 0, 5000, 0, 0, 0, 0]);
  expect(o.totals).toEqual({
    signals: 18,
    newPeople: 4,
    newLeads: 4,
    newCustomers: 1,
    payers: 1,
    deposits: [{ currency: "usd", amount: 5000, count: 1 }],
    refunds: [{ currency: "usd", amount: 2000, count: 1 }],
  });
  expect(o.now).toEqual({ people: 5, customers: 1, byRung: [1, 0, 2, 1, 1] });
  // Dee's SMS waits; Ann's WhatsApp was answered.
  expect(o.unanswered.count).toBe(1);
  expect(o.unanswered.oldest).toEqual([
    expect.objectContaining({
      channel: "sms",
      since: "2026-11-07T16:00:00.000Z",
      person: expect.objectContaining({ name: "+18055550104" }),
    }),
  ]);
  expect(o.recent.map((e) => e.type).slice(0, 3)).toEqual(["message_in", "payment_refunded", "page_view"]);
  expect(o.recent[1]?.person?.name).toBe("ann@reports.test");
});

test("the overview between two instants counts the partial quarter hours at both ends exactly", async () => {
  const range = resolveRange({ from: "2026-11-03T17:02:00Z", to: "2026-11-05T18:11:00Z" }, "America/Los_Angeles");
  const o = await overviewReport(reportSql(db), a.workspaceId, range);
  // Rung 0: Ben (18:00); rung 1: Eve and Ben; rung 2: Ann (17:05), Eve, Ben; rung 3 and 4: Ann.
  expect([0, 1, 2, 3, 4].map((r) => o.days.reduce((n, d) => n + (d.reached[r] ?? 0), 0))).toEqual([1, 2, 3, 1, 1]);
  expect(o.totals).toMatchObject({ newPeople: 1, newLeads: 3, newCustomers: 1 });
  // Ann's form at 17:05 to Ben's form at 18:10 (a2 at 17:00 and b3 at 18:11 fall outside): 9 signals.
  expect(o.totals.signals).toBe(9);
});

test("GET /api/v1/reports/ga-comparison: the eight questions with this workspace's figures and proofs", async () => {
  const res = await ga(a.apiKey);
  expect(res.status).toBe(200);
  const q = Object.fromEntries(
    (res.json.questions as { id: string }[]).map((x) => [x.id, x as unknown as Record<string, unknown>]),
  );
  expect(Object.keys(q)).toEqual(["identity", "whatsapp", "paid", "ads", "drop_off", "cancelled", "journey", "demand"]);
  for (const x of Object.values(q)) {
    expect(Object.keys(x)).toEqual(["id", "question", "ga", "answer", "figures", "proof", "status"]);
  }
  const slug = (await db.workspace.findUniqueOrThrow({ where: { id: a.workspaceId } })).slug;
  const annId = (await db.profile.findFirstOrThrow({ where: { workspaceId: a.workspaceId, rung: 4 } })).id;
  const benId = (
    await db.identifier.findFirstOrThrow({ where: { workspaceId: a.workspaceId, masked: { startsWith: "be" } } })
  ).profileId;

  expect(q.identity).toMatchObject({
    question: "Who is this person across visits?",
    ga: "Anonymous session",
    answer: "4 people stitched from 3 devices: their visits before they gave a name are on their record.",
    figures: { people: 4, devices: 3 },
    status: "live",
  });
  expect(q.whatsapp).toMatchObject({
    answer:
      "2 WhatsApp messages (1 from customers), 1 SMS message, each in full with its time; 1 thread waiting for an answer.",
    figures: { whatsappMessages: 2, whatsappFromCustomers: 1, smsMessages: 1, unansweredThreads: 1 },
    proof: { label: "Conversations", path: `/app/${slug}/conversations` },
  });
  expect(q.paid).toMatchObject({
    question: "Did they pay?",
    answer: "1 paid, $50.00 in deposits (1 payment, each from its Stripe webhook, on the customer's record).",
    figures: { payers: 1, payments: 1, deposits: 5000, currency: "usd" },
    proof: { label: "ann@reports.test's payment on their timeline", path: `/app/${slug}/people/${annId}` },
  });
  expect(q.ads).toMatchObject({
    figures: { adClicks: 1, qualifiedLeads: 1, newCustomers: 1, conversionsSent: 0 },
    proof: { path: `/app/${slug}/campaigns` },
  });
  expect(q.drop_off).toMatchObject({
    question: "Why did this customer not convert?",
    answer: "2 stopped at rung 2 (email) — most after opening the quote email.",
    figures: { stalled: 2, rung: 2, afterTopSignal: 2, sampled: 2 },
    proof: { path: `/app/${slug}/people/${benId}` },
  });
  expect(q.cancelled).toMatchObject({
    figures: { refunds: 1, refunded: 2000, cancellations: 0 },
    proof: { path: `/app/${slug}/people/${annId}` },
    status: "live",
  });
  expect(q.journey).toMatchObject({
    answer:
      "One click: ann@reports.test's 7 signals from 3 sources on one timeline (18 signals in this range, each on its person's).",
    figures: { signals: 18, personSignals: 7, personSources: 3 },
    proof: { path: `/app/${slug}/people/${annId}` },
  });
  // No topics job has run here: nothing counted yet (tests/integration/topics-refunds.test.ts counts them).
  expect(q.demand).toMatchObject({
    figures: { customerMessages: 2, topics: 0, notOffered: 0 },
    proof: { path: `/app/${slug}/reports/topics` },
    status: "live",
  });
});

test("each workspace's key sees only its own figures", async () => {
  // There, the visitor who paid (rungs 1 to 4 at once, cumulative) and one WhatsApp sender (rungs 0 to 3).
  const mine = await ladder(other.apiKey);
  expect(mine.json.rungs.map((r: { reached: number }) => r.reached)).toEqual([2, 2, 2, 2, 1]);
  const theirs = await ga(other.apiKey);
  const paid = theirs.json.questions.find((x: { id: string }) => x.id === "paid");
  expect(paid.figures).toMatchObject({ payers: 1, deposits: 9900 });
  expect(JSON.stringify(theirs.json)).not.toContain(a.workspaceId);
  const ours = await ga(a.apiKey);
  expect(JSON.stringify(ours.json)).not.toContain("9900");
});

test("bad ranges are a 400 naming the field; no key 401; a key without reports:read 403", async () => {
  for (const [query, path] of [
    ["from=2026-11-09&to=2026-11-02", "from"],
    ["from=yesterday", "from"],
    ["to=2026-13-45", "to"],
    ["from=2026-02-30", "from"],
    ["from=2026-11-02T10:00:00", "from"],
    ["from=2026-11-02&from=2026-11-03", "from"],
  ] as const) {
    const res = await ladder(a.apiKey, query);
    expect(res.status, query).toBe(400);
    expect(res.json.error.code).toBe("invalid_request");
    expect(res.json.error.details.map((d: { path: string }) => d.path)).toContain(path);
  }
  expect((await call(ladderRoute, "/api/v1/reports/ladder")).status).toBe(401);
  const narrow = await createApiKey(db, a.workspaceId, "events only", null, ["events:write"]);
  for (const route of [ladder, ga]) {
    const res = await route(narrow.key);
    expect(res.status).toBe(403);
    expect(res.json.error.message).toContain("reports:read");
  }
});

test("the migration gives reports:read to full-access keys and leaves narrowed keys alone", async () => {
  await expectScopeMigration(db, a.workspaceId, {
    migration: "reports_scope",
    before: SCOPES_BEFORE_SENDS,
    added: "reports:read",
    tag: "reports",
  });
  // A key created today with every scope can read reports.
  expect((await ladder(a.apiKey)).status).toBe(200);
});
