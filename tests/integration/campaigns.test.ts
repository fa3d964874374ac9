import { expect, test, vi } from "vitest";
import { GET as getCampaigns } from "../../app/api/app/[workspace]/campaigns/route.ts";
import { POST as collect } from "../../app/api/collect/route.ts";
import type { SessionUser } from "../../lib/auth/session.ts";
import { type CampaignRow, campaignTable, rangeStart } from "../../lib/campaigns/campaign-table.ts";
import { CLICK_IDS, touchChannel } from "../../lib/campaigns/touch-channel.ts";
import { extractCampaign } from "../../lib/identity/attribution.ts";
import { listPeople } from "../../lib/people/list-people.ts";
import { call, liveProfiles } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

// The owner app's routes read the next-auth session; here it is whoever the test says is logged in.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("../../lib/auth/session.ts", () => ({ getSessionUser: async () => session.user }));

const { db } = await useTestDb();

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (n: number, hours = 0) => new Date(Date.now() - n * DAY + hours * 3600_000).toISOString();
const site = "https://shop.example";
const visit = (id: string, device: string, n: number, query: string, extra: Record<string, unknown> = {}) =>
  ev(id, "web", "page_view", daysAgo(n), { deviceId: device }, { properties: { url: `${site}/?${query}`, ...extra } });

const a = await testWorkspace(db, { timezone: "Europe/Berlin" });
const b = await testWorkspace(db);

// Workspace A: eight browsers, seven people after one merge.
await a.ingest([
  // p1: came from a Google ad 40 days ago, back from the newsletter 3 days ago, then left an email (rung 2).
  visit("p1a", "d1", 40, "utm_source=google&utm_medium=cpc&utm_campaign=spring&utm_content=ad-a"),
  visit("p1b", "d1", 3, "utm_source=newsletter&utm_medium=email&utm_campaign=nov"),
  ev("p1c", "web", "form_submitted", daysAgo(3, 1), { deviceId: "d1", email: "one@people.test" }),
  // p2: the same ad campaign (another creative) 5 days ago, then paid (rung 4).
  visit("p2a", "d2", 5, "utm_source=google&utm_medium=cpc&utm_campaign=spring&utm_content=ad-b"),
  ev("p2b", "web", "payment_succeeded", daysAgo(5, 1), { deviceId: "d2", email: "two@people.test" }),
  // p3: a Google ad click id, no UTM.
  visit("p3a", "d3", 2, "gclid=abc123"),
  // p4: a link on another site.
  visit("p4a", "d4", 1, "", { referrer: "https://www.News.ycombinator.com/item?id=1" }),
  // p5: known only from the server side (no web touch at all): (direct).
  ev("p5a", "agent", "note_added", daysAgo(1), { email: "five@people.test" }),
  // p6 and p7: two browsers of one person, merged by a shared email. First touch a Facebook campaign, last
  // a Facebook click id: one person, counted once.
  visit("p6a", "d6", 6, "utm_source=facebook&utm_medium=paid&utm_campaign=retarget"),
  visit("p7a", "d7", 4, "fbclid=xyz"),
  ev("p6b", "web", "form_submitted", daysAgo(4, 1), { deviceId: "d6", email: "six@people.test" }),
  ev("p7b", "web", "form_submitted", daysAgo(4, 2), { deviceId: "d7", email: "six@people.test" }),
  // p8: a Bing ad 20 days ago (inside 30 days, outside 7).
  visit("p8a", "d8", 20, "msclkid=m1"),
]);
// Workspace B: the same campaign, never shown in A.
await b.ingest([
  visit("b1", "bd1", 2, "utm_source=google&utm_medium=cpc&utm_campaign=spring&utm_content=ad-a"),
  ev("b2", "web", "payment_succeeded", daysAgo(2, 1), { deviceId: "bd1", email: "b@people.test" }),
]);

/** `source/medium/campaign: people identified customers` per row, for compact expectations. */
const summary = (rows: CampaignRow[]) =>
  Object.fromEntries(rows.map((r) => [`${r.source}/${r.medium}/${r.campaign}`, [r.people, r.identified, r.customers]]));
const table = (touch: "first" | "last", range: "7d" | "30d" | "90d" | "all") =>
  campaignTable(db, a.workspaceId, { touch, range, timezone: "Europe/Berlin" });

test("first touch, all time: each live person in the row of their earliest touch, merged people once", async () => {
  expect(await liveProfiles(db, a.workspaceId)).toHaveLength(7);
  const t = await table("first", "all");
  expect(summary(t.rows)).toEqual({
    "google/cpc/spring": [2, 2, 1],
    "google/cpc/": [1, 0, 0],
    "news.ycombinator.com/referral/": [1, 0, 0],
    "(direct)//": [1, 1, 0],
    "facebook/paid/retarget": [1, 1, 0],
    "bing/cpc/": [1, 0, 0],
  });
  expect(t.rows[0]).toMatchObject({
    source: "google",
    medium: "cpc",
    campaign: "spring",
    identifiedRate: 1,
    customerRate: 0.5,
    creatives: [
      // Equal people: the one with more customers first.
      { content: "ad-b", people: 1, identified: 1, customers: 1 },
      { content: "ad-a", people: 1, identified: 1, customers: 0 },
    ],
  });
  expect(t.rows.slice(1).every((r) => r.creatives.length === 0)).toBe(true);
  expect(t.totals).toMatchObject({ people: 7, identified: 4, customers: 1 });
  expect(t.since).toBeNull();
});

test("last touch moves people to the campaign that brought them back", async () => {
  const t = await table("last", "all");
  expect(summary(t.rows)).toEqual({
    "newsletter/email/nov": [1, 1, 0],
    "google/cpc/spring": [1, 1, 1],
    "google/cpc/": [1, 0, 0],
    "news.ycombinator.com/referral/": [1, 0, 0],
    "(direct)//": [1, 1, 0],
    "facebook/paid/": [1, 1, 0],
    "bing/cpc/": [1, 0, 0],
  });
  expect(t.rows[0]).toMatchObject({ source: "google", campaign: "spring" });
  expect(t.totals.people).toBe(7);
});

test("the range keeps touches since local midnight N-1 days ago", async () => {
  const week = await table("first", "7d");
  expect(summary(week.rows)).toEqual({
    "google/cpc/spring": [1, 1, 1],
    "google/cpc/": [1, 0, 0],
    "news.ycombinator.com/referral/": [1, 0, 0],
    "(direct)//": [1, 1, 0],
    "facebook/paid/retarget": [1, 1, 0],
  });
  // Midnight in Berlin, six days before today there.
  const since = new Date(week.since!);
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit" });
  expect(parts.format(since)).toBe("00:00");
  expect(Date.now() - since.getTime()).toBeGreaterThan(6 * DAY);
  expect(Date.now() - since.getTime()).toBeLessThanOrEqual(7 * DAY);

  expect(summary((await table("first", "30d")).rows)["bing/cpc/"]).toEqual([1, 0, 0]);
  expect(summary((await table("first", "30d")).rows)["google/cpc/spring"]).toEqual([1, 1, 1]);
  expect(summary((await table("first", "90d")).rows)["google/cpc/spring"]).toEqual([2, 2, 1]);
  // p1's last touch (3 days ago) is inside the week; by first touch they are not.
  expect(summary((await table("last", "7d")).rows)["newsletter/email/nov"]).toEqual([1, 1, 0]);
});

test("SQL grouping and touchChannel name every touch the same way", async () => {
  const c = await testWorkspace(db);
  const touches: Record<string, string>[] = [
    { utm_source: "Newsletter", utm_campaign: "Black Friday" },
    { utm_source: "google", gclid: "g1" },
    { utm_campaign: "no-source", referrer: "https://WWW.Example.org:8080/path" },
    { gbraid: "x" },
    { wbraid: "x", fbclid: "y" },
    { ttclid: "t" },
    { li_fat_id: "l" },
    { utm_medium: "social", referrer: "http://m.facebook.com/" },
    { utm_term: "shoes" },
    { referrer: "android-app://com.google.android.gm/" },
    { utm_content: "banner", msclkid: "b" },
  ];
  const now = new Date();
  await db.profile.createMany({
    data: touches.map((t, i) => ({
      workspaceId: c.workspaceId,
      rung: i % 5,
      firstTouch: { occurredAt: now.toISOString(), source: "web", ...t },
      lastTouch: { occurredAt: now.toISOString(), source: "web", ...t },
      firstSeenAt: now,
      lastSeenAt: now,
    })),
  });
  const t = await campaignTable(db, c.workspaceId, { touch: "first", range: "7d", timezone: "UTC" });
  const expected = new Map<string, number>();
  for (const touch of touches) {
    const ch = touchChannel(touch);
    const k = `${ch.source}/${ch.medium}/${ch.campaign}`;
    expected.set(k, (expected.get(k) ?? 0) + 1);
  }
  expect(Object.fromEntries(t.rows.map((r) => [`${r.source}/${r.medium}/${r.campaign}`, r.people]))).toEqual(
    Object.fromEntries(expected),
  );
  expect(expected.get("example.org/referral/no-source")).toBe(1);
  expect(expected.get("google/cpc/")).toBe(3); // gclid with utm_source google, gbraid, wbraid (before fbclid)
  expect(expected.get("(direct)//")).toBe(2); // utm_term alone; an app referrer that is not http(s)
});

test("the customers list filtered by a row: the same people the row counts, paged, searchable", async () => {
  const ids = async (filter: Record<string, string>, extra: { rung?: number; q?: string } = {}) => {
    const campaign = {
      touch: "first" as const,
      range: "all" as const,
      medium: "",
      campaign: "",
      source: "",
      ...filter,
    };
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await listPeople(db, a.ws, { ...extra, campaign, after, limit: 1 });
      seen.push(...page.people.map((p) => p.id));
      after = page.next ?? undefined;
    } while (after);
    return seen;
  };
  const spring = { source: "google", medium: "cpc", campaign: "spring" };
  const p1 = (await liveProfiles(db, a.workspaceId)).find(
    (p) => (p.lastTouch as { utm_source?: string })?.utm_source === "newsletter",
  );
  expect(await ids(spring)).toHaveLength(2);
  expect(await ids(spring, { rung: 4 })).toHaveLength(1);
  expect(await ids({ ...spring, range: "7d" })).toHaveLength(1);
  expect(await ids({ ...spring, touch: "last" })).toHaveLength(1);
  expect(await ids({ source: "newsletter", medium: "email", campaign: "nov", touch: "last" })).toEqual([p1!.id]);
  expect(await ids({ source: "newsletter", medium: "email", campaign: "nov" })).toEqual([]);
  expect(await ids(spring, { q: "one@people.test" })).toEqual([p1!.id]);
  expect(await ids(spring, { q: "nobody" })).toEqual([]);
  // Rows without a campaign or medium, and the merged Facebook person once.
  expect(await ids({ source: "(direct)" })).toHaveLength(1);
  expect(await ids({ source: "news.ycombinator.com", medium: "referral" })).toHaveLength(1);
  expect(await ids({ source: "facebook", medium: "paid", campaign: "retarget" })).toHaveLength(1);
  // Every row of the table lists exactly its count of people.
  for (const r of (await table("last", "30d")).rows) {
    const filter = { source: r.source, medium: r.medium, campaign: r.campaign, touch: "last", range: "30d" };
    expect(await ids(filter)).toHaveLength(r.people);
  }
  // Workspace B's customer of the same campaign is not in A's list, and A's are not in B's.
  const inB = await listPeople(db, b.ws, { campaign: { touch: "first", range: "all", ...spring } });
  expect(inB.people).toHaveLength(1);
  expect(await ids(spring)).not.toContain(inB.people[0]!.id);
});

const ownerA: SessionUser = { id: a.ownerId, email: a.ownerEmail, name: null };
const get = (slug: string, qs = "") =>
  call(getCampaigns, `/api/app/${slug}/campaigns${qs}`, { params: { workspace: slug } });

test("GET /api/app/[workspace]/campaigns: defaults to first touch over 30 days, and says so", async () => {
  session.user = ownerA;
  const res = await get(a.slug);
  expect(res.status).toBe(200);
  expect(res.json).toMatchObject({ touch: "first", range: "30d", timezone: "Europe/Berlin", omitted: 0 });
  expect(summary(res.json.rows)).toEqual(summary((await table("first", "30d")).rows));
  const last = await get(a.slug, "?touch=last&range=all");
  expect(summary(last.json.rows)["newsletter/email/nov"]).toEqual([1, 1, 0]);
  // Workspace B's google/cpc/spring customer is not in A's numbers, and B sees only its own.
  expect(summary(last.json.rows)["google/cpc/spring"]).toEqual([1, 1, 1]);
  session.user = { id: b.ownerId, email: b.ownerEmail, name: null };
  const own = await get(b.slug, "?range=all");
  expect(summary(own.json.rows)).toEqual({ "google/cpc/spring": [1, 1, 1] });
});

test("bad parameters are a 400 envelope naming the parameter", async () => {
  session.user = ownerA;
  for (const qs of ["?touch=middle", "?range=14d", "?range=", "?touch=FIRST"]) {
    const res = await get(a.slug, qs);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_request");
    expect(res.json.error.details[0].path).toBe(qs.slice(1).split("=")[0]);
  }
});

test("a stranger gets 401, a member of another workspace 404 and no numbers", async () => {
  session.user = null;
  const anon = await get(a.slug);
  expect(anon.status).toBe(401);
  expect(anon.json.error.code).toBe("unauthorized");
  session.user = { id: b.ownerId, email: b.ownerEmail, name: null };
  const other = await get(a.slug, "?range=all");
  expect(other.status).toBe(404);
  expect(other.json.error.code).toBe("not_found");
  expect(other.text).not.toContain("newsletter");
});

// Cookieless visitors (no deviceId) through the real /api/collect: anonymous page counts, shown per row.
const c = await testWorkspace(db, { timezone: "Pacific/Auckland" });
const d = await testWorkspace(db);
await c.ingest([
  visit("c1", "cd1", 2, "utm_source=google&utm_medium=cpc&utm_campaign=spring"),
  visit("c2", "cd2", 1, "", { referrer: "https://news.ycombinator.com/item?id=2" }),
]);
const cookieless = async (siteKey: string, views: { ts: number; url: string; referrer?: string; type?: string }[]) => {
  const res = await call(collect, "/api/collect", {
    body: {
      site: siteKey,
      events: views.map((v, i) => ({ id: `cl_${i}_${v.ts}`, type: v.type ?? "page_view", ...v })),
    },
  });
  expect(res.status).toBe(202);
};
const cSince = (await rangeStart(db, { range: "7d", timezone: "Pacific/Auckland" }))!.getTime();
const shop = (path: string, query = "") => `${site}${path}${query ? `?${query}` : ""}`;
const spring = "utm_source=google&utm_medium=cpc&utm_campaign=spring";
const twoDaysAgo = Date.now() - 2 * DAY;
const cViews = [
  { ts: twoDaysAgo, url: shop("/", spring) },
  { ts: twoDaysAgo, url: shop("/pricing/", spring) },
  // UTM tags win over the referrer, as in a touch.
  { ts: twoDaysAgo, url: shop("/pricing/", spring), referrer: "https://www.google.com/" },
  // The first local day of "last 7 days" (midnight in Auckland) is in; a minute before it is not.
  { ts: cSince, url: shop("/", spring) },
  { ts: cSince - 60_000, url: shop("/", spring) },
  { ts: twoDaysAgo, url: shop("/a/"), referrer: "https://www.News.ycombinator.com/item?id=1" },
  { ts: twoDaysAgo, url: shop("/b/"), referrer: "https://news.ycombinator.com/" },
  // An internal referrer, none at all, and a click id (not kept in a page count): (direct).
  { ts: twoDaysAgo, url: shop("/c/"), referrer: `${site}/` },
  { ts: twoDaysAgo, url: shop("/d/") },
  { ts: twoDaysAgo, url: shop("/e/", "gclid=g1") },
  // A tagged source keeps its name; a campaign without a source is the referrer's.
  { ts: twoDaysAgo, url: shop("/", "utm_source=partner"), referrer: "https://blog.test/post" },
  { ts: twoDaysAgo, url: shop("/", "utm_campaign=launch"), referrer: "https://blog.test/post" },
  // Only in "all time" and "last 90 days".
  { ts: Date.now() - 40 * DAY, url: shop("/", "utm_source=bing&utm_medium=cpc") },
  // Not a page view: not counted.
  { ts: twoDaysAgo, url: shop("/", spring), type: "click" },
];
await cookieless(c.siteKey, cViews);
// Another workspace's cookieless visits of the same campaign, and of a source only it has.
await cookieless(d.siteKey, [
  { ts: twoDaysAgo, url: shop("/", spring) },
  { ts: twoDaysAgo, url: shop("/", "utm_source=only-in-d") },
]);

const cTable = (touch: "first" | "last", range: "7d" | "30d" | "90d" | "all") =>
  campaignTable(db, c.workspaceId, { touch, range, timezone: "Pacific/Auckland" });
const visitsOf = (rows: CampaignRow[]) =>
  rows.map((r) => [`${r.source}/${r.medium}/${r.campaign}`, r.people, r.visits] as const);

test("cookieless visits per row: named like a touch, in the range, rows with visits only after those with people", async () => {
  expect(await db.profile.count({ where: { workspaceId: c.workspaceId } })).toBe(2);
  const week = await cTable("first", "7d");
  expect(visitsOf(week.rows)).toEqual([
    ["google/cpc/spring", 1, 4],
    ["news.ycombinator.com/referral/", 1, 2],
    ["(direct)//", 0, 3],
    ["blog.test/referral/launch", 0, 1],
    ["partner//", 0, 1],
  ]);
  // A row with visits only counts nobody.
  expect(week.rows[2]).toMatchObject({
    identified: 0,
    customers: 0,
    identifiedRate: 0,
    customerRate: 0,
    creatives: [],
  });
  expect(week.totals).toMatchObject({ people: 2, visits: 11 });

  const month = await cTable("first", "30d");
  expect(month.rows.find((r) => r.source === "google")?.visits).toBe(5);
  expect(month.totals.visits).toBe(12);
  const all = await cTable("first", "all");
  expect(visitsOf(all.rows).find(([k]) => k === "bing/cpc/")).toEqual(["bing/cpc/", 0, 1]);
  expect(all.totals.visits).toBe(13);
  expect((await cTable("first", "90d")).totals.visits).toBe(13);

  // The touch does not move cookieless visits.
  expect(visitsOf((await cTable("last", "7d")).rows)).toEqual(visitsOf(week.rows));

  // The same naming as a touch of the same landing (without click ids, which a page count does not keep).
  const expected = new Map<string, number>();
  for (const v of cViews) {
    if (v.type) continue;
    const u = new URL(v.url);
    for (const id of CLICK_IDS) u.searchParams.delete(id.key);
    const ch = touchChannel(extractCampaign(null, u.toString(), v.referrer));
    const k = `${ch.source}/${ch.medium}/${ch.campaign}`;
    expected.set(k, (expected.get(k) ?? 0) + 1);
  }
  expect(Object.fromEntries(all.rows.map((r) => [`${r.source}/${r.medium}/${r.campaign}`, r.visits]))).toEqual(
    Object.fromEntries(expected),
  );

  // Workspace A has no cookieless visits: every row is 0, and no row appears for visits elsewhere.
  const inA = await table("first", "all");
  expect(inA.rows.every((r) => r.visits === 0 && r.people > 0)).toBe(true);
  expect(inA.totals.visits).toBe(0);
});

test("another workspace's cookieless visits are never shown; the API sends visits and their total", async () => {
  session.user = { id: c.ownerId, email: c.ownerEmail, name: null };
  const res = await get(c.slug, "?range=7d&touch=last");
  expect(res.status).toBe(200);
  expect(visitsOf(res.json.rows)).toEqual(visitsOf((await cTable("first", "7d")).rows));
  expect(res.json.totals.visits).toBe(11);
  expect(res.text).not.toContain("only-in-d");

  session.user = { id: d.ownerId, email: d.ownerEmail, name: null };
  const own = await get(d.slug, "?range=all");
  expect(visitsOf(own.json.rows)).toEqual([
    ["google/cpc/spring", 0, 1],
    ["only-in-d//", 0, 1],
  ]);
  expect(own.json.totals).toMatchObject({ people: 0, visits: 2 });
});
