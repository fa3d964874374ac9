import { expect, test } from "vitest";
import { POST as collect } from "../../app/api/collect/route.ts";
import { POST as createLink } from "../../app/api/v1/links/route.ts";
import { POST as mergePost } from "../../app/api/v1/profiles/[id]/merge/route.ts";
import { GET as timelineGet } from "../../app/api/v1/profiles/[id]/timeline/route.ts";
import { GET as getLink, HEAD as headOfLink } from "../../app/l/[code]/route.ts";
import { hashIdentifier } from "../../lib/crypto/keys.ts";
import { uuidv7 } from "../../lib/db/uuidv7.ts";
import { recordProfileEvent } from "../../lib/ingest/record-profile-event.ts";
import { withClickId } from "../../lib/links/landing-url.ts";
import { call, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { identityInvariants } from "../support/invariants.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();

type LinkCtx = Parameters<typeof getLink>[1];
const openLink = (req: Request, ctx?: { params: Promise<Record<string, string>> }) => getLink(req, ctx as LinkCtx);
const headLink = (req: Request, ctx?: { params: Promise<Record<string, string>> }) => headOfLink(req, ctx as LinkCtx);
const a = await testWorkspace(db);
const b = await testWorkspace(db);

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

// Jo: a device visit, then an email and a phone: rung 3.
const [, , joEvent] = await a.ingest([
  ev(
    "j1",
    "web",
    "page_view",
    "2026-11-01T10:00:00Z",
    { deviceId: "d_jo_laptop" },
    {
      properties: { url: "https://acme.test/" },
    },
  ),
  ev("j2", "web", "form_submit", "2026-11-01T10:05:00Z", { deviceId: "d_jo_laptop", email: "jo.links@example.com" }),
  ev(
    "j3",
    "channel",
    "message_in",
    "2026-11-01T11:00:00Z",
    { email: "jo.links@example.com", phone: "+1 805 555 0177" },
    {
      channel: "sms",
      properties: { body: "Do you move pianos?" },
    },
  ),
]);
const joId = joEvent!.profileId!;
const [other] = await b.ingest([ev("o1", "web", "identify", "2026-11-01T10:00:00Z", { email: "other@example.com" })]);
const otherWorkspaceProfile = other!.profileId!;

const post = (body: unknown, key: string | null = a.apiKey) =>
  call(createLink, "/api/v1/links", { key: key ?? undefined, body });
const open = (code: string, ua: string | null = CHROME, extra: Record<string, string> = {}) =>
  call(openLink, `/l/${code}`, {
    params: { code },
    headers: { ...(ua === null ? {} : { "user-agent": ua }), ...extra },
  });

async function newLink(body: Record<string, unknown>) {
  const res = await post(body);
  expect(res.status).toBe(201);
  return res.json as { code: string; shortUrl: string };
}

test("POST /api/v1/links: 201 with a random code and the short URL; the link is stored as asked", async () => {
  const res = await post({
    url: "https://acme.test/quote",
    profileId: joId,
    channel: "sms",
    campaign: { utm_source: "sms", utm_campaign: "spring-movers", gclid: "G-1" },
  });
  expect(res.status).toBe(201);
  expect(res.json.code).toMatch(/^[0-9A-Za-z]{10}$/);
  expect(res.json).toEqual({ code: res.json.code, shortUrl: `http://localhost:3000/l/${res.json.code}` });
  const row = await db.trackedLink.findUniqueOrThrow({ where: { code: res.json.code } });
  expect(row).toMatchObject({
    workspaceId: a.workspaceId,
    url: "https://acme.test/quote",
    profileId: joId,
    channel: "sms",
    campaign: { utm_source: "sms", utm_campaign: "spring-movers", gclid: "G-1" },
  });
  const again = await newLink({ url: "https://acme.test/quote" });
  expect(again.code).not.toBe(res.json.code);
});

test("POST /api/v1/links: bad fields are 400 with their paths, and nothing is stored", async () => {
  const before = await db.trackedLink.count();
  const cases: [unknown, string][] = [
    [{}, "url"],
    [{ url: "ftp://acme.test/file" }, "url"],
    [{ url: "/relative/path" }, "url"],
    [{ url: "javascript:alert(1)" }, "url"],
    [{ url: "https://" }, "url"],
    [{ url: `https://acme.test/${"a".repeat(2040)}` }, "url"],
    [{ url: "https://acme.test/", channel: "fax" }, "channel"],
    [{ url: "https://acme.test/", campaign: { utm_source: 5 } }, "campaign.utm_source"],
    [{ url: "https://acme.test/", campaign: { utm_sauce: "x" } }, "campaign"],
    [{ url: "https://acme.test/", campaign: "spring" }, "campaign"],
    [{ url: "https://acme.test/", profileId: 42 }, "profileId"],
  ];
  for (const [body, path] of cases) {
    const res = await post(body);
    expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    expect(res.json.error.code).toBe("invalid_request");
    expect(res.json.error.details.map((d: { path: string }) => d.path)).toContain(path);
  }
  const malformed = await call(createLink, "/api/v1/links", { key: a.apiKey, raw: "{not json" });
  expect(malformed.status).toBe(400);
  expect(malformed.json.error.code).toBe("invalid_json");
  expect(await db.trackedLink.count()).toBe(before);
});

test("POST /api/v1/links: a URL of exactly 2,048 characters is accepted", async () => {
  const url = `https://acme.test/${"a".repeat(2048 - "https://acme.test/".length)}`;
  expect(url).toHaveLength(2048);
  await newLink({ url });
});

test("POST /api/v1/links: another workspace's or an unknown profile is 404; no key 401; a site key 403", async () => {
  const before = await db.trackedLink.count();
  for (const profileId of [otherWorkspaceProfile, uuidv7(), "not-a-uuid"]) {
    const res = await post({ url: "https://acme.test/", profileId });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("not_found");
  }
  const noKey = await post({ url: "https://acme.test/" }, null);
  expect(noKey.status).toBe(401);
  expect(noKey.json.error.code).toBe("unauthorized");
  const siteKey = await post({ url: "https://acme.test/" }, a.siteKey);
  expect(siteKey.status).toBe(403);
  const otherKey = await call(createLink, "/api/v1/links", {
    key: b.apiKey,
    body: { url: "https://acme.test/", profileId: joId },
  });
  expect(otherKey.status).toBe(404);
  expect(await db.trackedLink.count()).toBe(before);
});

test("GET /l/{code}: 302 with ot_c appended (query and fragment kept), the click counted, pixel/link_clicked logged at the person's rung", async () => {
  const link = await newLink({
    url: "https://acme.test/quote/?x=a%20b&flag&utm_source=sms&ot_c=stale#form",
    profileId: joId,
    channel: "sms",
    campaign: { utm_source: "sms", utm_medium: "text", utm_campaign: "spring-movers" },
  });
  const profileBefore = await db.profile.findUniqueOrThrow({ where: { id: joId } });
  const res = await open(link.code, CHROME, { "x-forwarded-for": "203.0.113.77" });
  expect(res.status).toBe(302);
  expect(res.headers.get("cache-control")).toBe("no-store");
  const location = res.headers.get("location") ?? "";
  const clickId = new URL(location).searchParams.get("ot_c") ?? "";
  expect(clickId).toMatch(/^[A-Za-z]{22}$/);
  expect(location).toBe(`https://acme.test/quote/?x=a%20b&flag&utm_source=sms&ot_c=${clickId}#form`);

  const click = await db.linkClick.findUniqueOrThrow({ where: { clickId } });
  expect(click).toMatchObject({ workspaceId: a.workspaceId, profileId: joId });
  const event = await db.event.findUniqueOrThrow({
    where: { workspaceId_clientId: { workspaceId: a.workspaceId, clientId: `lc_${clickId}` } },
  });
  expect(click.eventId).toBe(event.id);
  expect(event).toMatchObject({
    profileId: joId,
    source: "pixel",
    type: "link_clicked",
    rung: 3,
    channel: "sms",
    identityHashes: [],
    campaign: { utm_source: "sms", utm_medium: "text", utm_campaign: "spring-movers" },
    summary: "Clicked the acme.test/quote/ link",
  });
  expect(event.properties).toMatchObject({
    code: link.code,
    channel: "sms",
    campaign: { utm_source: "sms", utm_medium: "text", utm_campaign: "spring-movers" },
  });
  const profile = await db.profile.findUniqueOrThrow({ where: { id: joId } });
  expect(profile.eventCount).toBe(profileBefore.eventCount + 1);
  expect(profile.lastSeenAt.getTime()).toBe(event.occurredAt.getTime());
  expect(profile.lastTouch).toMatchObject({ source: "pixel", utm_campaign: "spring-movers" });

  // The timeline API shows it with its rung.
  const tl = await call(timelineGet, `/api/v1/profiles/${joId}/timeline`, { key: a.apiKey, params: { id: joId } });
  expect(tl.json.events.at(-1)).toMatchObject({ source: "pixel", type: "link_clicked", rung: 3, channel: "sms" });

  // P6: the request's IP is nowhere.
  const rows = await db.$queryRawUnsafe<{ j: string }[]>(
    `SELECT row_to_json(x)::text AS j FROM (SELECT * FROM "LinkClick") x UNION ALL
     SELECT row_to_json(e)::text FROM "Event" e`,
  );
  expect(rows.some((r) => r.j.includes("203.0.113.77"))).toBe(false);
  expect(await identityInvariants(db, a.workspaceId)).toEqual([]);
});

test("R14 end to end: the landing page's link_click with ot_c joins a new device to the link's person", async () => {
  const link = await newLink({ url: "https://acme.test/pricing/", profileId: joId, channel: "email" });
  const res = await open(link.code);
  const landing = res.headers.get("location") ?? "";
  const clickId = new URL(landing).searchParams.get("ot_c");
  // What t.js sends on that page from a phone never seen before: the page view, then link_click.
  const sent = await call(collect, "/api/collect", {
    body: {
      site: a.siteKey,
      deviceId: "d_jo_phone",
      events: [
        { id: "p1", type: "page_view", ts: Date.now(), url: landing, title: "Pricing" },
        { id: "p2", type: "link_click", ts: Date.now(), props: { ot_c: clickId } },
      ],
    },
  });
  expect(sent.status).toBe(202);
  expect(await profileIdOf(db, a.ws, "device", "d_jo_phone")).toBe(joId);
  const landed = await db.event.findMany({
    where: { workspaceId: a.workspaceId, clientId: { in: ["p1", "p2"] } },
    select: { profileId: true, rung: true },
  });
  expect(landed).toEqual([
    { profileId: joId, rung: 3 },
    { profileId: joId, rung: 3 },
  ]);
  // The click remembers the device that landed with it (the device's keyed hash, never the raw id).
  const phoneHash = hashIdentifier(a.ws.hashSalt, "device", "d_jo_phone");
  const click = await db.linkClick.findUnique({ where: { clickId: clickId ?? "" }, select: { deviceHash: true } });
  expect(click?.deviceHash).toBe(phoneHash);
  expect(JSON.stringify(click)).not.toContain("d_jo_phone");
  expect(await identityInvariants(db, a.workspaceId)).toEqual([]);
});

test("R8: clicks at the same moment each log one event and the person's counts add up", async () => {
  const link = await newLink({ url: "https://acme.test/busy", profileId: joId });
  const before = await db.profile.findUniqueOrThrow({ where: { id: joId } });
  const results = await Promise.all(Array.from({ length: 6 }, () => open(link.code)));
  expect(results.map((r) => r.status)).toEqual([302, 302, 302, 302, 302, 302]);
  const clickIds = new Set(results.map((r) => new URL(r.headers.get("location") ?? "").searchParams.get("ot_c")));
  expect(clickIds.size).toBe(6);
  expect((await db.profile.findUniqueOrThrow({ where: { id: joId } })).eventCount).toBe(before.eventCount + 6);
  expect(await identityInvariants(db, a.workspaceId)).toEqual([]);
});

test("a link without a profile still redirects and counts the click, with no event", async () => {
  const link = await newLink({ url: "https://acme.test/" });
  const events = await db.event.count({ where: { workspaceId: a.workspaceId } });
  const res = await open(link.code);
  expect(res.status).toBe(302);
  const clickId = new URL(res.headers.get("location") ?? "").searchParams.get("ot_c") ?? "";
  expect(await db.linkClick.findUniqueOrThrow({ where: { clickId } })).toMatchObject({
    profileId: null,
    eventId: null,
  });
  expect(await db.event.count({ where: { workspaceId: a.workspaceId } })).toBe(events);
});

test("an unknown code is a friendly HTML 404 page, never a crash", async () => {
  for (const code of ["Zz9Zz9Zz9Z", "x", "../../etc/passwd", "a".repeat(300), "%00"]) {
    const res = await open(code);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.text).toContain("not valid or has expired");
    expect(res.text).toContain("OneThread");
  }
});

test("bots, link previewers and HEAD requests get the 302 but no click and no event", async () => {
  const link = await newLink({ url: "https://acme.test/offer?x=1", profileId: joId });
  const clicks = await db.linkClick.count();
  const events = await db.event.count({ where: { workspaceId: a.workspaceId } });
  for (const ua of [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
    "",
    null,
  ]) {
    const res = await open(link.code, ua);
    expect(res.status, String(ua)).toBe(302);
    expect(res.headers.get("location")).toBe("https://acme.test/offer?x=1");
  }
  const head = await call(headLink, `/l/${link.code}`, {
    method: "HEAD",
    params: { code: link.code },
    headers: { "user-agent": CHROME },
  });
  expect(head.status).toBe(302);
  expect(head.headers.get("location")).toBe("https://acme.test/offer?x=1");
  expect(await db.linkClick.count()).toBe(clicks);
  expect(await db.event.count({ where: { workspaceId: a.workspaceId } })).toBe(events);
});

test("R6: a link to a person later merged logs on the survivor; a link made with a merged-away id points at the survivor", async () => {
  const w = await testWorkspace(db);
  const [first] = await w.ingest([ev("m1", "web", "identify", "2026-11-01T10:00:00Z", { email: "m.one@example.com" })]);
  const [second] = await w.ingest([
    ev("m2", "web", "identify", "2026-11-02T10:00:00Z", { email: "m.two@example.com", deviceId: "d_m2" }),
  ]);
  const link = (
    await call(createLink, "/api/v1/links", {
      key: w.apiKey,
      body: { url: "https://acme.test/", profileId: second!.profileId },
    })
  ).json as { code: string };
  const merged = await call(mergePost, "/x", {
    key: w.apiKey,
    params: { id: first!.profileId! },
    body: { otherProfileId: second!.profileId },
  });
  expect(merged.status).toBe(200);
  const survivor = merged.json.id as string;
  const gone = survivor === first!.profileId ? second!.profileId! : first!.profileId!;

  const res = await open(link.code);
  const clickId = new URL(res.headers.get("location") ?? "").searchParams.get("ot_c");
  const event = await db.event.findFirstOrThrow({ where: { clientId: `lc_${clickId}` } });
  expect(event.profileId).toBe(survivor);
  expect(event.rung).toBe(2);

  const viaGone = await call(createLink, "/api/v1/links", {
    key: w.apiKey,
    body: { url: "https://acme.test/", profileId: gone },
  });
  expect(viaGone.status).toBe(201);
  expect((await db.trackedLink.findUniqueOrThrow({ where: { code: viaGone.json.code } })).profileId).toBe(survivor);

  // The building block itself forwards through merges and is idempotent by its event id.
  const input = { id: "x_merge_1", source: "pixel" as const, type: "link_clicked", occurredAt: new Date() };
  const once = await recordProfileEvent(db, w.ws, gone, input);
  expect(once).toMatchObject({ profileId: survivor, rung: 2, duplicate: false });
  const twice = await recordProfileEvent(db, w.ws, gone, input);
  expect(twice).toMatchObject({ eventId: once.eventId, profileId: survivor, duplicate: true });
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});

test("R18: an opted-out person's link still redirects but logs nothing and joins no device", async () => {
  const w = await testWorkspace(db);
  const [p] = await w.ingest([ev("q1", "web", "identify", "2026-11-01T10:00:00Z", { email: "quiet@example.com" })]);
  const link = (
    await call(createLink, "/api/v1/links", {
      key: w.apiKey,
      body: { url: "https://acme.test/", profileId: p!.profileId },
    })
  ).json as { code: string };
  await db.profile.update({ where: { id: p!.profileId! }, data: { optedOutAt: new Date() } });
  const res = await open(link.code);
  expect(res.status).toBe(302);
  const clickId = new URL(res.headers.get("location") ?? "").searchParams.get("ot_c") ?? "";
  expect(await db.linkClick.findUniqueOrThrow({ where: { clickId } })).toMatchObject({ profileId: null });
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, type: "link_clicked" } })).toBe(0);
});

test("withClickId keeps every other part of the target exactly", () => {
  expect(withClickId("https://a.test/", "C")).toBe("https://a.test/?ot_c=C");
  expect(withClickId("https://a.test/p#top", "C")).toBe("https://a.test/p?ot_c=C#top");
  expect(withClickId("https://a.test/p?q=a+b&e=%2F&&#x?y", "C")).toBe("https://a.test/p?q=a+b&e=%2F&ot_c=C#x?y");
  expect(withClickId("https://a.test/p?OT_C=1&ot%5Fc=2", "C")).toBe("https://a.test/p?OT_C=1&ot_c=C");
});
