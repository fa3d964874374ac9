import { expect, test } from "vitest";
import { POST as collect } from "../../app/api/collect/route.ts";
import { hashIdentifier } from "../../lib/crypto/keys.ts";
import { DEVICE_COOKIE_SECONDS } from "../../lib/privacy/first-party-cookie.ts";
import { call, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();

type Ws = Awaited<ReturnType<typeof testWorkspace>>;

const T0 = Date.parse("2026-11-20T10:00:00Z");

function send(w: Ws, deviceId: string, events: object[], headers: Record<string, string> = {}) {
  return call(collect, "/api/collect", {
    raw: JSON.stringify({ site: w.siteKey, deviceId, events }),
    headers: { "content-type": "text/plain;charset=UTF-8", ...headers },
  });
}

test("a landing with an ad click id logs ads/ad_click once, with the campaign; a plain landing does not", async () => {
  const w = await testWorkspace(db);
  const landing = {
    id: "e_1",
    type: "page_view",
    ts: T0,
    url: "https://acme.test/movers/?utm_source=google&utm_medium=cpc&utm_campaign=fall-movers&utm_content=creative-7&gclid=Cj0KCQ",
    referrer: "https://www.google.com/",
    title: "Movers",
  };
  const body = [landing, { id: "e_2", type: "scroll", ts: T0 + 5, url: landing.url, props: { depth: 25 } }];
  const res = await send(w, "d_ad", body);
  // The answer counts the tracker's events only.
  expect(res.json).toEqual({ accepted: 2, duplicates: 0 });
  expect((await send(w, "d_ad", body)).json).toEqual({ accepted: 0, duplicates: 2 });

  const ads = await db.event.findMany({ where: { workspaceId: w.workspaceId, source: "ads" } });
  expect(ads).toHaveLength(1);
  const ad = ads[0]!;
  const pageView = await db.event.findFirstOrThrow({ where: { workspaceId: w.workspaceId, clientId: "e_1" } });
  expect(ad).toMatchObject({
    type: "ad_click",
    clientId: "e_1:ad_click",
    profileId: pageView.profileId,
    occurredAt: new Date(T0),
    summary: "Clicked an ad (google)",
  });
  expect(ad.properties).toMatchObject({
    network: "google",
    clickIdType: "gclid",
    clickId: "Cj0KCQ",
    creative: "creative-7",
    referrerHost: "google.com", // hostOf: without "www."
  });
  expect(ad.campaign).toEqual({
    utm_source: "google",
    utm_medium: "cpc",
    utm_campaign: "fall-movers",
    utm_content: "creative-7",
    gclid: "Cj0KCQ",
    referrer: "https://www.google.com/",
  });
  const profile = await db.profile.findUniqueOrThrow({ where: { id: pageView.profileId! } });
  expect(profile.firstTouch).toMatchObject({ source: "web", utm_campaign: "fall-movers", gclid: "Cj0KCQ" });

  await send(w, "d_plain", [
    { id: "e_3", type: "page_view", ts: T0, url: "https://acme.test/?utm_source=newsletter&utm_campaign=nov" },
    { id: "e_4", type: "page_view", ts: T0 + 1, url: "https://acme.test/about/", referrer: "https://duck.com/" },
  ]);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, source: "ads" } })).toBe(1);
  // Other networks' click ids too.
  await send(w, "d_fb", [{ id: "e_5", type: "page_view", ts: T0, url: "https://acme.test/?fbclid=IwAR1" }]);
  expect(
    await db.event.findFirstOrThrow({ where: { workspaceId: w.workspaceId, clientId: "e_5:ad_click" } }),
  ).toMatchObject({ properties: expect.objectContaining({ network: "meta", clickId: "IwAR1" }) });
});

test("a page-view id at the length limit still gets a valid, deterministic ad click id", async () => {
  const w = await testWorkspace(db);
  const id = `e_${"9".repeat(126)}`;
  const ev = { id, type: "page_view", ts: T0, url: "https://acme.test/?msclkid=abc" };
  expect((await send(w, "d_long", [ev])).json).toEqual({ accepted: 1, duplicates: 0 });
  expect((await send(w, "d_long", [ev])).json).toEqual({ accepted: 0, duplicates: 1 });
  const ads = await db.event.findMany({ where: { workspaceId: w.workspaceId, type: "ad_click" } });
  expect(ads).toHaveLength(1);
  expect(ads[0]!.clientId.length).toBeLessThanOrEqual(128);
});

const pv = (id: string) => ({ id, type: "page_view", ts: Date.now(), url: "https://shop.acme.test/" });

test("first-party: the server sets ot_id only when the request came through the page's own host", async () => {
  const w = await testWorkspace(db);
  const first = await send(w, "d_777", [pv("f1")], {
    origin: "https://shop.acme.test",
    host: "app.onethread.test",
    "x-forwarded-host": "shop.acme.test",
  });
  expect(first.status).toBe(202);
  const cookie = first.headers.get("set-cookie") ?? "";
  expect(cookie).toMatch(/^ot_id=d_777; Path=\/; Max-Age=(\d+); SameSite=Lax; Secure$/);
  expect(cookie).not.toMatch(/HttpOnly/i);
  const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)![1]);
  expect(maxAge).toBeGreaterThan(DEVICE_COOKIE_SECONDS - 10);
  expect(maxAge).toBeLessThanOrEqual(DEVICE_COOKIE_SECONDS);

  // http pages (a proxy without X-Forwarded-Host, Host is the page's): no Secure flag.
  const plain = await send(w, "d_777", [pv("f2")], { origin: "http://localhost:3499", host: "localhost:3499" });
  expect(plain.headers.get("set-cookie")).toMatch(/^ot_id=d_777; Path=\/; Max-Age=\d+; SameSite=Lax$/);

  // Third party: the tracker calling the app's own host directly, or no Origin at all (a server).
  const third = await send(w, "d_777", [pv("f3")], { origin: "https://shop.acme.test", host: "app.onethread.test" });
  expect(third.headers.get("set-cookie")).toBeNull();
  const spoofed = await send(w, "d_777", [pv("f4")], {
    origin: "https://shop.acme.test",
    "x-forwarded-host": "app.onethread.test",
    host: "shop.acme.test",
  });
  expect(spoofed.headers.get("set-cookie")).toBeNull();
  expect((await send(w, "d_777", [pv("f5")], { host: "shop.acme.test" })).headers.get("set-cookie")).toBeNull();
});

test("first-party: the expiry counts from when the device was first seen and is never extended (P2)", async () => {
  const w = await testWorkspace(db);
  const headers = { origin: "https://shop.acme.test", "x-forwarded-host": "shop.acme.test" };
  await send(w, "d_old", [pv("x1")], headers);
  const hash = hashIdentifier(w.ws.hashSalt, "device", "d_old");
  const tenMonths = 300 * 86_400;
  await db.identifier.updateMany({
    where: { workspaceId: w.workspaceId, type: "device", hash },
    data: { createdAt: new Date(Date.now() - tenMonths * 1000) },
  });
  const res = await send(w, "d_old", [pv("x2")], headers);
  const maxAge = Number(/Max-Age=(\d+)/.exec(res.headers.get("set-cookie") ?? "")?.[1]);
  expect(Math.abs(maxAge - (DEVICE_COOKIE_SECONDS - tenMonths))).toBeLessThan(10);

  // Past 13 months: no cookie at all (the tracker's own has expired too; a new consent makes a new device).
  await db.identifier.updateMany({
    where: { workspaceId: w.workspaceId, type: "device", hash },
    data: { createdAt: new Date(Date.now() - (DEVICE_COOKIE_SECONDS + 60) * 1000) },
  });
  expect((await send(w, "d_old", [pv("x3")], headers)).headers.get("set-cookie")).toBeNull();
});

test("first-party: a withdrawal deletes the cookie, and a withdrawn device never gets one", async () => {
  const w = await testWorkspace(db);
  const headers = { origin: "https://shop.acme.test", "x-forwarded-host": "shop.acme.test" };
  expect((await send(w, "d_wd", [pv("y1")], headers)).headers.get("set-cookie")).toMatch(/^ot_id=d_wd;/);
  const denied = await send(
    w,
    "d_wd",
    [{ id: "y2", type: "consent", ts: Date.now(), props: { choice: "denied", bannerVersion: "v1", gpc: false } }],
    headers,
  );
  expect(denied.headers.get("set-cookie")).toBe("ot_id=; Path=/; Max-Age=0; SameSite=Lax; Secure");
  const after = await send(w, "d_wd", [pv("y3")], headers);
  expect(after.status).toBe(202);
  expect(after.headers.get("set-cookie")).toBeNull();
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, clientId: "y3" } })).toBe(0);
  expect(await profileIdOf(db, w.ws, "device", "d_wd")).not.toBeNull();

  // Never without a device id (a cookieless visitor's page counts).
  const cookieless = await call(collect, "/api/collect", {
    raw: JSON.stringify({ site: w.siteKey, events: [pv("y4")] }),
    headers: { "content-type": "text/plain", ...headers },
  });
  expect(cookieless.status).toBe(202);
  expect(cookieless.headers.get("set-cookie")).toBeNull();
});
