import { expect, test } from "vitest";
import { GET as summaryRoute } from "../../app/api/v1/reports/weekly-summary/route.ts";
import { GET as getUnsubscribe, POST as postUnsubscribe } from "../../app/u/summary/[token]/route.ts";
import { runJob } from "../../lib/jobs/registry.ts";
import { reportSql } from "../../lib/reports/report-sql.ts";
import { renderSummaryEmail } from "../../lib/summary/summary-email.tsx";
import { summaryUnsubscribeToken } from "../../lib/summary/summary-subscription.ts";
import { weeklySummary } from "../../lib/summary/weekly-summary.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

// The Friday summary's content on fixed data (decision 018): week 2026-W48 in Berlin runs from Friday Nov 20
// 17:00 CET (16:00 UTC) to Friday Nov 27 17:00 CET; the week before from Nov 13 16:00 UTC.
const { db } = await useTestDb();
type Ctx = { params: Promise<Record<string, string>> };
const unsubscribePageRoute = (req: Request, ctx?: Ctx) =>
  getUnsubscribe(req, ctx as Parameters<typeof getUnsubscribe>[1]);
const unsubscribeRoute = (req: Request, ctx?: Ctx) =>
  postUnsubscribe(req, ctx as Parameters<typeof postUnsubscribe>[1]);
const w = await testWorkspace(db, { timezone: "Europe/Berlin" });
const ws = await db.workspace.findUniqueOrThrow({
  where: { id: w.workspaceId },
  select: { id: true, slug: true, name: true, timezone: true },
});
const site = "https://shop.example";
const view = (id: string, device: string, at: string, query = "") =>
  ev(id, "web", "page_view", at, { deviceId: device }, { properties: { url: `${site}/${query ? `?${query}` : ""}` } });
const WINTER = "utm_source=google&utm_medium=cpc&utm_campaign=winter";

await w.ingest([
  // The week before: one visitor from the autumn campaign who left an email and paid $50.
  view("p1", "d_prev", "2026-11-17T10:00:00Z", "utm_source=google&utm_medium=cpc&utm_campaign=autumn"),
  ev("p2", "web", "form_submit", "2026-11-17T10:05:00Z", { deviceId: "d_prev", email: "prev@x.test" }),
  ev(
    "p3",
    "webhook",
    "payment_succeeded",
    "2026-11-18T09:00:00Z",
    { email: "prev@x.test" },
    {
      properties: { amount: 5000, currency: "usd" },
    },
  ),
  // Before the week before: not in either week.
  view("old", "d_old", "2026-11-13T15:59:00Z"),
  // This week: three visitors (two from the winter campaign), one of them leaves an email and pays $75.
  view("c1", "d1", "2026-11-23T10:00:00Z", WINTER),
  view("c2", "d2", "2026-11-23T11:00:00Z", WINTER),
  view("c3", "d3", "2026-11-24T09:00:00Z"),
  ev("c4", "web", "form_submit", "2026-11-25T10:00:00Z", { deviceId: "d1", email: "ann@x.test" }),
  ev(
    "c5",
    "webhook",
    "payment_succeeded",
    "2026-11-26T09:00:00Z",
    { email: "ann@x.test" },
    {
      properties: { amount: 7500, currency: "usd" },
    },
  ),
  // A WhatsApp message nobody answered (a new person on rung 3).
  ev(
    "c6",
    "channel",
    "message_in",
    "2026-11-26T12:00:00Z",
    { phone: "+1 805 555 0101" },
    {
      channel: "whatsapp",
      properties: { body: "Do you move pianos?", messageId: "SMsum1" },
    },
  ),
  // Last week's customer is refunded $20 this week.
  ev(
    "c7",
    "webhook",
    "payment_refunded",
    "2026-11-26T15:00:00Z",
    { email: "prev@x.test" },
    {
      properties: { amount: 2000, currency: "usd" },
    },
  ),
  // After the summary went out (Friday 17:00 CET = 16:00 UTC): next week's.
  view("n1", "d_next", "2026-11-27T16:00:00Z", WINTER),
]);
// Topics as the topics counter keeps them: counts per local day.
const piano = await db.topic.create({
  data: { workspaceId: ws.id, name: "piano", label: "Piano moving", offered: false },
});
const quote = await db.topic.create({ data: { workspaceId: ws.id, name: "quote", label: "Quotes" } });
await db.topicCount.createMany({
  data: [
    { topicId: piano.id, day: new Date("2026-11-26"), count: 3 },
    { topicId: piano.id, day: new Date("2026-11-27"), count: 1 }, // Friday is this week's last day
    { topicId: piano.id, day: new Date("2026-11-19"), count: 1 }, // last week's
    { topicId: quote.id, day: new Date("2026-11-21"), count: 2 }, // Saturday: this week's first day
    { topicId: quote.id, day: new Date("2026-11-20"), count: 5 }, // last week's Friday
    { topicId: quote.id, day: new Date("2026-11-28"), count: 9 }, // next week's
  ],
});

const fig = (value: number, previous: number) => ({ value, previous, change: value - previous });

test("the week's figures, each against the week before, with links into the app", async () => {
  const s = await weeklySummary(reportSql(db), ws, "2026-W48");
  expect(s).toMatchObject({
    week: "2026-W48",
    from: "2026-11-20T16:00:00.000Z",
    to: "2026-11-27T16:00:00.000Z",
    previous: { from: "2026-11-13T16:00:00.000Z", to: "2026-11-20T16:00:00.000Z" },
    timezone: "Europe/Berlin",
  });
  // d1 (Ann), d2, d3 and the WhatsApp sender are new; last week d_prev (who became prev@).
  expect(s.newPeople.total).toEqual(fig(4, 1));
  // Reaching a rung reaches the ones below it too: Ann (paid) and the WhatsApp sender (phone) stand on 1–3.
  expect(s.newPeople.byRung.map((f) => f.value)).toEqual([4, 2, 2, 2, 1]);
  expect(s.newPeople.byRung.map((f) => f.previous)).toEqual([1, 1, 1, 1, 1]);
  expect(s.customers).toEqual({ new: fig(1, 1), payers: fig(1, 1) });
  expect(s.deposits).toEqual({ payments: fig(1, 1), amounts: [{ currency: "usd", ...fig(7500, 5000) }] });
  expect(s.unanswered.waiting).toBe(1);
  expect(s.unanswered.leftThisWeek).toEqual(fig(1, 0));
  expect(s.unanswered.oldest).toEqual([
    {
      channel: "whatsapp",
      since: "2026-11-26T12:00:00.000Z",
      url: expect.stringMatching(new RegExp(`/app/${ws.slug}/conversations/[0-9a-f-]{36}$`)),
    },
  ]);
  expect(s.campaigns).toEqual([
    { source: "google", medium: "cpc", campaign: "winter", people: fig(2, 0), customers: 1 },
    { source: "(direct)", medium: "", campaign: "", people: fig(2, 0), customers: 0 },
  ]);
  expect(s.topics).toEqual([
    { name: "piano", label: "Piano moving", offered: false, count: fig(4, 1) },
    { name: "quote", label: "Quotes", offered: true, count: fig(2, 5) },
  ]);
  expect(s.refunds.count).toEqual(fig(1, 0));
  expect(s.refunds.amounts).toEqual([{ currency: "usd", ...fig(2000, 0) }]);
  expect(s.refunds.latest).toHaveLength(1);
  const byId = Object.fromEntries(s.gaMissed.map((q) => [q.id, q]));
  expect(Object.keys(byId)).toEqual([
    "identity",
    "whatsapp",
    "paid",
    "ads",
    "drop_off",
    "cancelled",
    "journey",
    "demand",
  ]);
  // The topic counters answer "what are people asking for that we don't sell" (decision 019).
  expect(byId.demand?.figure).toEqual(fig(2, 2));
  expect(byId.demand?.answer).toMatch(/^2 topics asked about in \d+ messages? from customers, 1 not on your list\.$/);
  expect(byId.whatsapp?.figure).toEqual(fig(1, 0));
  expect(byId.whatsapp?.answer).toBe("1 WhatsApp message (1 from customers), 0 SMS, each in full.");
  expect(byId.paid?.answer).toBe("1 person paid: 1 payment from Stripe.");
  expect(byId.paid?.figure).toEqual(fig(1, 1));
  expect(byId.cancelled?.figure).toEqual(fig(1, 0));
  expect(byId.identity?.figure).toEqual(fig(2, 1)); // identified: Ann and the WhatsApp sender
  expect(s.links.conversations).toBe(`http://localhost:3000/app/${ws.slug}/conversations?filter=unanswered`);
  for (const q of s.gaMissed) if (q.url) expect(q.url).toMatch(/^http:\/\/localhost:3000\/app\//);
  // No customer's name or contact goes into the mail.
  expect(JSON.stringify(s)).not.toMatch(/ann@|prev@|805/);
});

test("the mail: react-email HTML and a plain-text part with the same figures and links", async () => {
  const s = await weeklySummary(reportSql(db), ws, "2026-W48");
  const mail = await renderSummaryEmail(s, {
    unsubscribe: "http://localhost:3000/u/summary/T",
    settings: "http://localhost:3000/s",
  });
  expect(mail.subject).toBe(`${ws.name}: your week, Nov 20 – Nov 27`);
  expect(mail.html).toMatch(/^<!DOCTYPE html/);
  expect(mail.html).toContain('name="viewport"');
  expect(mail.html).toContain("$75.00");
  expect(mail.html).toContain(`href="http://localhost:3000/app/${ws.slug}/conversations?filter=unanswered"`);
  expect(mail.text).toContain("NEW PEOPLE: 4 (+3 vs last week)");
  expect(mail.text).toContain("Deposits: $75.00 (+$25.00 vs last week)");
  expect(mail.text).toContain("Piano moving (not offered yet): 4 (+3 vs last week)");
  expect(mail.text).toContain("Quotes: 2 (−3 vs last week)");
  expect(mail.text).toContain("REFUNDS: 1 (+1 vs last week)");
  expect(mail.text).toContain("winter · google / cpc: 2 new people, 1 paying (+2 vs last week)");
  expect(mail.text).toContain("Unsubscribe: http://localhost:3000/u/summary/T");
  expect(mail.text).not.toMatch(/<[a-z]/);
});

test("GET /api/v1/reports/weekly-summary: the figures, and a clear 400 for a week that is not one", async () => {
  const ok = await call(summaryRoute, "/api/v1/reports/weekly-summary?week=2026-W48", { key: w.apiKey });
  expect(ok.status).toBe(200);
  expect(ok.headers.get("cache-control")).toBe("no-store");
  expect(ok.json).toEqual(JSON.parse(JSON.stringify(await weeklySummary(reportSql(db), ws, "2026-W48"))));
  for (const week of ["2026-W60", "2025-W53", "2026-49", "last"]) {
    const bad = await call(summaryRoute, `/api/v1/reports/weekly-summary?week=${week}`, { key: w.apiKey });
    expect(bad.status, week).toBe(400);
    expect(bad.json.error).toMatchObject({ code: "invalid_request", details: [{ path: "week" }] });
  }
  const latest = await call(summaryRoute, "/api/v1/reports/weekly-summary", { key: w.apiKey });
  expect(latest.status).toBe(200);
  expect(latest.json.week).toMatch(/^\d{4}-W\d{2}$/);
  expect((await call(summaryRoute, "/api/v1/reports/weekly-summary?week=2026-W48")).status).toBe(401);
  expect((await call(summaryRoute, "/api/v1/reports/weekly-summary?week=2026-W48", { key: "sk_nope" })).status).toBe(
    401,
  );
});

test("one-click unsubscribe (RFC 8058) stops the next week's mail; the page's GET changes nothing; a forged token is 404", async () => {
  const token = summaryUnsubscribeToken(ws.id, w.ownerId);
  const params = { token };
  const page = await call(unsubscribePageRoute, `/u/summary/${token}`, { params });
  expect(page.status).toBe(200);
  expect(page.text).toContain('<form method="post">');
  expect(
    (await db.membership.findFirstOrThrow({ where: { workspaceId: ws.id, userId: w.ownerId } })).weeklySummary,
  ).toBe(true);

  // This week's goes out…
  await runJob(db, "weekly-summary", new Date("2026-11-27T16:30:00Z"));
  const first = await db.outboxEmail.findMany({ where: { workspaceId: ws.id } });
  expect(first).toHaveLength(1);
  expect(first[0]?.headers).toEqual({
    "List-Unsubscribe": `<http://localhost:3000/u/summary/${token}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  });
  expect(first[0]?.text).toContain("NEW PEOPLE: 4");
  expect(first[0]?.text).toContain(`Unsubscribe: http://localhost:3000/u/summary/${token}`);
  expect(first[0]?.html).toContain(`href="http://localhost:3000/u/summary/${token}"`);
  expect(first[0]?.html).not.toContain("unsubscribe.invalid");

  const one = await call(unsubscribeRoute, `/u/summary/${token}`, {
    method: "POST",
    raw: "List-Unsubscribe=One-Click",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    params,
  });
  expect(one.status).toBe(200);
  expect(
    (await db.membership.findFirstOrThrow({ where: { workspaceId: ws.id, userId: w.ownerId } })).weeklySummary,
  ).toBe(false);
  // …the next one does not.
  await runJob(db, "weekly-summary", new Date("2026-12-04T16:30:00Z"));
  expect(await db.outboxEmail.count({ where: { workspaceId: ws.id } })).toBe(1);
  const done = await call(unsubscribePageRoute, `/u/summary/${token}`, { params });
  expect(done.text).toContain("unsubscribed");

  const forged = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
  expect((await call(unsubscribePageRoute, `/u/summary/${forged}`, { params: { token: forged } })).status).toBe(404);
  const noBody = await call(unsubscribeRoute, `/u/summary/${token}`, { method: "POST", raw: "", params });
  expect(noBody.status).toBe(400);
});
