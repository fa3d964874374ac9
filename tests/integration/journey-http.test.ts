import { expect, test } from "vitest";
import { GET as configGet } from "../../app/api/collect/config/route.ts";
import { POST as collect, OPTIONS as collectOptions } from "../../app/api/collect/route.ts";
import { POST as events } from "../../app/api/v1/events/route.ts";
import { GET as timeline } from "../../app/api/v1/profiles/[id]/timeline/route.ts";
import { GET as lookup } from "../../app/api/v1/profiles/route.ts";
import journey from "../../lib/demo/journey-12-days.json" with { type: "json" };
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();

type JourneyEvent = (typeof journey.events)[number];
const TRACKER = new Set(["j1", "j2", "j3", "j14"]);

/** A journey event as the browser tracker sends it. */
function asTracker(e: JourneyEvent) {
  const { url, referrer, title, ...props } = e.properties as Record<string, unknown>;
  return { id: e.id, type: e.type, ts: Date.parse(e.occurredAt), url, referrer, title, props };
}

test("Example 8 over HTTP: tracker events through /api/collect, the rest through /api/v1/events → exactly the expected rungs", async () => {
  const w = await testWorkspace(db);
  const send = async (batch: JourneyEvent[]) => {
    if (TRACKER.has(batch[0]!.id)) {
      const body = { site: w.siteKey, deviceId: "d_laptop_1", events: batch.map(asTracker) };
      // sendBeacon posts text/plain
      const res = await call(collect, "/api/collect", {
        raw: JSON.stringify(body),
        headers: { "content-type": "text/plain" },
      });
      expect(res.status).toBe(202);
      expect(res.json).toEqual({ accepted: batch.length, duplicates: 0 });
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
    } else {
      const res = await call(events, "/api/v1/events", { key: w.apiKey, body: { events: batch } });
      expect(res.status).toBe(200);
      expect(res.json.results.map((r: { id: string }) => r.id)).toEqual(batch.map((e) => e.id));
    }
  };
  const list = journey.events;
  await send(list.slice(0, 3));
  for (const e of list.slice(3, 6)) await send([e]);
  await send(list.slice(6, 13));
  await send(list.slice(13));

  const stored = await db.event.findMany({
    where: { workspaceId: w.workspaceId },
    orderBy: { occurredAt: "asc" },
    select: { clientId: true, rung: true, profileId: true, properties: true, summary: true },
  });
  expect(stored.map((e) => e.clientId)).toEqual(list.map((e) => e.id));
  expect(stored.map((e) => e.rung)).toEqual(journey.expect.rungs);
  expect(new Set(stored.map((e) => e.profileId)).size).toBe(1);
  const profiles = await db.profile.findMany({ where: { workspaceId: w.workspaceId, mergedIntoId: null } });
  expect(profiles).toHaveLength(journey.expect.profiles);
  const p = profiles[0]!;
  expect(p).toMatchObject({ rung: journey.expect.finalRung, customerNumber: 1 });
  expect(p.firstTouch).toMatchObject(journey.expect.firstTouch);
  const idents = await db.identifier.groupBy({ by: ["type"], where: { profileId: p.id }, _count: true });
  expect(Object.fromEntries(idents.map((i) => [i.type, i._count]))).toEqual(journey.expect.identifiers);
  // P6 on the tracker path: the page URL keeps its path and campaign parameters only.
  expect(stored[0]?.properties).toMatchObject({
    url: "/?utm_source=google&utm_medium=organic&utm_term=best+mover+ventura+ca",
    referrer: "https://www.google.com/",
  });
  // P13: the stored summary names the message, never its text (that lives encrypted on the Message).
  expect(stored.map((e) => e.summary)).toContain("WhatsApp message in");
  expect(JSON.stringify(stored)).not.toContain("Saturday");

  // The chatbot recognises Jo by phone, with the WhatsApp message readable.
  const found = await call(lookup, "/api/v1/profiles?phone=%2B1%20805%20555%200100", { key: w.apiKey });
  expect(found.status).toBe(200);
  expect(found.json.profile).toMatchObject({ id: p.id, rung: 4, customerNumber: 1, optedOut: false });
  expect(found.json.profile.attribution.first).toMatchObject({
    source: "web",
    utm_source: "google",
    utm_medium: "organic",
  });
  expect(found.json.profile.identifiers).toEqual(
    expect.arrayContaining([
      { type: "account", value: "cus_acme_1247" },
      { type: "email", value: "jo.rivera@example.com" },
      { type: "phone", value: "+18055550100" },
      { type: "device", value: "d_laptop_1" },
    ]),
  );
  expect(found.json.thread).toEqual([
    expect.objectContaining({
      channel: "whatsapp",
      direction: "in",
      body: "Hi! Got your quote - is Saturday morning free?",
    }),
  ]);

  // The timeline: oldest first, the rung at each event, pages through an opaque cursor.
  const page1 = await call(timeline, `/api/v1/profiles/${p.id}/timeline?limit=10`, {
    key: w.apiKey,
    params: { id: p.id },
  });
  expect(page1.status).toBe(200);
  expect(page1.json.events.map((e: { rung: number }) => e.rung)).toEqual(journey.expect.rungs.slice(0, 10));
  const page2 = await call(timeline, `/api/v1/profiles/${p.id}/timeline?limit=10&cursor=${page1.json.nextCursor}`, {
    key: w.apiKey,
    params: { id: p.id },
  });
  expect(page2.json.events.map((e: { id: string }) => e.id)).toEqual(["j11", "j12", "j13", "j14"]);
  expect(page2.json.nextCursor).toBeNull();
  const web = await call(timeline, `/api/v1/profiles/${p.id}/timeline?source=web`, {
    key: w.apiKey,
    params: { id: p.id },
  });
  expect(web.json.events.map((e: { id: string }) => e.id)).toEqual(["j1", "j2", "j3", "j4", "j14"]);
  const message = page1.json.events.find((e: { id: string }) => e.id === "j8");
  expect(message).toMatchObject({
    source: "channel",
    channel: "whatsapp",
    direction: "in",
    properties: { body: expect.stringContaining("Saturday") },
  });
});

test("the same tracker batch sent twice stores nothing new and is answered as duplicates", async () => {
  const w = await testWorkspace(db);
  const body = {
    site: w.siteKey,
    deviceId: "d_twice",
    events: [asTracker(journey.events[0]!), asTracker(journey.events[1]!)],
  };
  expect((await call(collect, "/api/collect", { body })).json).toEqual({ accepted: 2, duplicates: 0 });
  expect((await call(collect, "/api/collect", { body })).json).toEqual({ accepted: 0, duplicates: 2 });
  expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(2);
});

test("a tracker form or identify turns its email and phone into identity, not stored properties", async () => {
  const w = await testWorkspace(db);
  const res = await call(collect, "/api/collect", {
    body: {
      site: w.siteKey,
      deviceId: "d_form",
      events: [
        {
          id: "f1",
          type: "form_submit",
          ts: Date.parse("2026-11-04T10:00:00Z"),
          url: "https://acme.test/quote/?email=x@y.io",
          props: { form: "quote", email: "Form@Example.com", phone: "(805) 555-0107" },
        },
        { id: "f2", type: "identify", props: { accountId: "cus_form" } },
      ],
    },
  });
  expect(res.json).toEqual({ accepted: 2, duplicates: 0 });
  const stored = await db.event.findMany({ where: { workspaceId: w.workspaceId }, orderBy: { clientId: "asc" } });
  expect(stored[0]?.properties).toEqual({ form: "quote", url: "/quote/" });
  expect(JSON.stringify(stored)).not.toMatch(/form@example\.com|555-0107/i);
  expect(stored.map((e) => e.rung)).toEqual([3, 4]);
  expect(new Set(stored.map((e) => e.profileId)).size).toBe(1);
});

test("cookieless visitors (no deviceId) become anonymous page counts only: no profile, no event", async () => {
  const w = await testWorkspace(db, { timezone: "America/Los_Angeles" });
  const pageView = (id: string, ts: string, url: string, referrer?: string) => ({
    id,
    type: "page_view",
    ts: Date.parse(ts),
    url,
    referrer,
  });
  const res = await call(collect, "/api/collect", {
    body: {
      site: w.siteKey,
      events: [
        pageView(
          "c1",
          "2026-11-04T18:00:00Z",
          "https://acme.test/pricing/?utm_source=google&utm_medium=cpc&utm_campaign=fall&gclid=X",
          "https://www.google.com/",
        ),
        pageView(
          "c2",
          "2026-11-04T19:00:00Z",
          "https://acme.test/pricing/?utm_source=google&utm_medium=cpc&utm_campaign=fall",
          "https://google.com/search?q=jo@example.com",
        ),
        pageView("c3", "2026-11-05T07:30:00Z", "https://acme.test/users/jo@example.com/", "https://acme.test/"),
        { id: "c4", type: "click", ts: Date.parse("2026-11-04T18:01:00Z"), url: "https://acme.test/pricing/" },
      ],
    },
  });
  expect(res.status).toBe(202);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
  expect(await db.profile.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
  const counts = await db.pageCount.findMany({ where: { workspaceId: w.workspaceId }, orderBy: { count: "desc" } });
  expect(counts.map((c) => ({ ...c, day: c.day.toISOString().slice(0, 10) }))).toEqual([
    {
      workspaceId: w.workspaceId,
      day: "2026-11-04",
      path: "/pricing/",
      referrerHost: "google.com",
      utmSource: "google",
      utmMedium: "cpc",
      utmCampaign: "fall",
      count: 2,
    },
    // 07:30 UTC is still the 4th in Los Angeles; the email in the path is redacted (P6).
    {
      workspaceId: w.workspaceId,
      day: "2026-11-04",
      path: "/users/%5Bemail%5D/",
      referrerHost: "",
      utmSource: "",
      utmMedium: "",
      utmCampaign: "",
      count: 1,
    },
  ]);
});

test("collect answers CORS preflight; the config endpoint tells the tracker whether to ask for consent", async () => {
  const w = await testWorkspace(db);
  const pre = await collectOptions();
  expect(pre.status).toBe(204);
  expect(pre.headers.get("access-control-allow-origin")).toBe("*");
  const ask = (headers: Record<string, string>) =>
    call(configGet, `/api/collect/config?site=${w.siteKey}`, { headers });
  expect((await ask({ "x-vercel-ip-country": "DE" })).json).toEqual({ consent: "required", dnt: true, country: "DE" });
  expect((await ask({ "cf-ipcountry": "gb" })).json).toEqual({ consent: "required", dnt: true, country: "GB" });
  expect((await ask({ "x-vercel-ip-country": "CH" })).json.consent).toBe("required");
  expect((await ask({ "x-vercel-ip-country": "NO" })).json.consent).toBe("required");
  expect((await ask({ "x-vercel-ip-country": "US" })).json).toEqual({
    consent: "not_required",
    dnt: true,
    country: "US",
  });
  expect((await ask({})).json).toEqual({ consent: "not_required", dnt: true, country: null });
  const res = await ask({});
  expect(res.headers.get("access-control-allow-origin")).toBe("*");
  expect((await call(configGet, "/api/collect/config?site=pk_nope")).status).toBe(401);
  expect((await call(configGet, `/api/collect/config?site=${w.apiKey}`)).status).toBe(403);
});
