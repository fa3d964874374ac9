import http from "node:http";
import { expect, test } from "@playwright/test";
import { APP_PORT, SITE_PORT } from "./env.ts";
import { createKeyInUi, signUp, siteKeyInUi } from "./fixtures.ts";

// The app's edge as an attacker and a careless client meet it, against the real server: garbled URLs, wrong
// methods, framing, and a page of another origin on the same site (another port of localhost) posting to the
// owner's routes with the owner's cookies.
const APP = `http://localhost:${APP_PORT}`;
const EVIL = `http://localhost:${SITE_PORT}`;

let page = "";
const server = http.createServer((_req, res) => {
  res.setHeader("content-type", "text/html");
  res.end(page);
});
test.beforeAll(() => new Promise<void>((r) => server.listen(SITE_PORT, r)));
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

test("garbled percent-encoding and NULs in any path: the JSON envelope or a friendly page, never a 500", async ({
  request,
}) => {
  for (const path of ["/api/o/%ED%A0%80", "/api/v1/profiles/%", "/api/app/%ED%A0%80/keys", "/api/v1/profiles/%00"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(400);
    expect((await res.json()).error.code).toBe("invalid_request");
  }
  for (const path of ["/l/%", "/l/%E0%A4%A", "/app/%ED%A0%80/people", "/invite/%FF"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(400);
    expect(res.headers()["content-type"]).toContain("text/html");
    expect(await res.text()).toContain("This address is not valid");
  }
});

test("a wrong method gets a JSON 405 naming what the endpoint answers", async ({ request }) => {
  const res = await request.put("/api/v1/events", { data: {} });
  expect(res.status()).toBe(405);
  expect(res.headers().allow).toBe("POST, OPTIONS");
  expect((await res.json()).error).toEqual({
    code: "method_not_allowed",
    message: "This endpoint answers POST only.",
  });
  expect((await request.delete("/api/health")).status()).toBe(405);
});

test("the tracker's endpoint, answered beside Next by npm start's listener, keeps every answer of the route", async ({
  page,
  request,
}) => {
  const owner = await signUp(page);
  const siteKey = await siteKeyInUi(page, owner.slug);
  const beacon = (body: string, path = "/api/collect") =>
    request.post(path, { data: body, headers: { "content-type": "text/plain;charset=UTF-8", origin: EVIL } });
  const event = { id: `edge-${owner.slug}`, type: "page_view", ts: Date.now(), url: `${EVIL}/pricing` };
  const ok = await beacon(JSON.stringify({ site: siteKey, deviceId: `d_edge_${owner.slug}`, events: [event] }));
  expect(ok.status()).toBe(202);
  expect(await ok.json()).toEqual({ accepted: 1, duplicates: 0 });
  const headers = ok.headers();
  expect(headers["access-control-allow-origin"]).toBe("*");
  expect(headers["cache-control"]).toBe("no-store, no-transform");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["content-type"]).toBe("application/json");
  // The same beacon again once the drainer has stored the first (within 2 s): counted as a duplicate.
  const resend = () => beacon(JSON.stringify({ site: siteKey, deviceId: `d_edge_${owner.slug}`, events: [event] }));
  await expect.poll(async () => (await resend()).json(), { timeout: 5_000 }).toEqual({ accepted: 0, duplicates: 1 });
  const refused: [string, number, string][] = [
    ["{not json", 400, "invalid_json"],
    ["", 400, "invalid_json"],
    [JSON.stringify({ deviceId: "d", events: [event] }), 401, "unauthorized"],
    [JSON.stringify({ site: "pk_not-a-key", deviceId: "d", events: [event] }), 401, "unauthorized"],
    [JSON.stringify({ site: siteKey, deviceId: "d", events: [{ ...event, type: "" }] }), 400, "invalid_request"],
    [
      JSON.stringify({ site: siteKey, deviceId: "d", events: [event], pad: "x".repeat(70_000) }),
      413,
      "payload_too_large",
    ],
  ];
  for (const [body, status, code] of refused) {
    const res = await beacon(body);
    expect(res.status(), body.slice(0, 40)).toBe(status);
    expect((await res.json()).error.code).toBe(code);
    expect(res.headers()["access-control-allow-origin"]).toBe("*");
  }
  const preflight = await request.fetch("/api/collect", { method: "OPTIONS", headers: { origin: EVIL } });
  expect(preflight.status()).toBe(204);
  expect(preflight.headers()["access-control-allow-methods"]).toContain("POST");
});

test("server-side events, answered beside Next by npm start's listener, keep every answer of the route", async ({
  page,
  request,
}) => {
  const owner = await signUp(page);
  const key = await createKeyInUi(page, owner.slug);
  const siteKey = await siteKeyInUi(page, owner.slug);
  const post = (body: string, auth: string | null = key, extra: Record<string, string> = {}) =>
    request.post("/api/v1/events", {
      // A Buffer goes as is (Playwright would encode a string as JSON, a JSON content type being set).
      data: Buffer.from(body),
      headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...extra },
    });
  const at = new Date().toISOString();
  const events = [
    { id: "e1", source: "web", type: "page_view", occurredAt: at, identity: { deviceId: `d_ev_${owner.slug}` } },
    {
      id: "e2",
      source: "web",
      type: "form_submit",
      occurredAt: at,
      identity: { deviceId: `d_ev_${owner.slug}`, email: `${owner.slug}@example.com` },
    },
  ];
  const ok = await post(JSON.stringify({ events }));
  expect(ok.status()).toBe(200);
  const { results } = await ok.json();
  expect(results).toHaveLength(2);
  expect(results[0].profileId).toBe(results[1].profileId);
  expect(results.map((r: { rung: number; duplicate: boolean }) => [r.rung, r.duplicate])).toEqual([
    [0, false],
    [2, false],
  ]);
  const h = ok.headers();
  expect(h["cache-control"]).toBe("no-store, no-transform");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["content-type"]).toContain("application/json");
  expect(h["strict-transport-security"]).toBeUndefined();
  // Sent again: the same people, every event a duplicate.
  const again = await (await post(JSON.stringify({ events }))).json();
  expect(again.results.map((r: { duplicate: boolean }) => r.duplicate)).toEqual([true, true]);
  // Behind a TLS proxy the listener adds HSTS as next.config.ts does for Next's answers; the tracker's too.
  const https = await post(JSON.stringify({ events }), key, { "x-forwarded-proto": "https" });
  expect(https.headers()["strict-transport-security"]).toBe("max-age=63072000");
  const beacon = await request.post("/api/collect", {
    data: JSON.stringify({ site: siteKey, deviceId: `d_hsts_${owner.slug}`, events: [] }),
    headers: { "content-type": "text/plain;charset=UTF-8", "x-forwarded-proto": "https" },
  });
  expect(beacon.headers()["strict-transport-security"]).toBe("max-age=63072000");

  const refused: [string, string | null, number, string][] = [
    [JSON.stringify({ events }), null, 401, "unauthorized"],
    [JSON.stringify({ events }), "sk_not-a-key", 401, "unauthorized"],
    [JSON.stringify({ events }), siteKey, 403, "forbidden"],
    ["{not json", key, 400, "invalid_json"],
    [JSON.stringify({ events: [{ ...events[0], type: "" }] }), key, 400, "invalid_request"],
    [JSON.stringify({ events, pad: "x".repeat(1_100_000) }), key, 413, "payload_too_large"],
  ];
  for (const [body, auth, status, code] of refused) {
    const res = await post(body, auth);
    expect(res.status(), `${body.slice(0, 30)} ${auth}`).toBe(status);
    expect((await res.json()).error.code).toBe(code);
    expect(res.headers()["x-content-type-options"]).toBe("nosniff");
  }
  // Other methods are Next's, as before.
  const get = await request.get("/api/v1/events", { headers: { authorization: `Bearer ${key}` } });
  expect(get.status()).toBe(405);
});

test("the profile lookup and timeline, answered beside Next by npm start's listener, keep every answer of the routes", async ({
  page,
  request,
}) => {
  const owner = await signUp(page);
  const key = await createKeyInUi(page, owner.slug);
  const siteKey = await siteKeyInUi(page, owner.slug);
  const email = `lookup-${owner.slug}@example.com`;
  const stored = await request.post("/api/v1/events", {
    data: Buffer.from(
      JSON.stringify({
        events: [
          {
            id: "l1",
            source: "web",
            type: "form_submit",
            occurredAt: new Date().toISOString(),
            identity: { deviceId: `d_lookup_${owner.slug}`, email },
          },
        ],
      }),
    ),
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
  });
  const { results } = await stored.json();
  const lookup = (query: string, auth: string | null = key, extra: Record<string, string> = {}) =>
    request.get(`/api/v1/profiles?${query}`, {
      headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...extra },
    });
  for (const query of [`email=${encodeURIComponent(email.toUpperCase())}`, `deviceId=d_lookup_${owner.slug}`]) {
    const found = await lookup(query);
    expect(found.status(), query).toBe(200);
    const body = await found.json();
    expect(body.profile.id).toBe(results[0].profileId);
    expect(body.profile.rung).toBe(2);
    expect(body.thread).toEqual([]);
    const h = found.headers();
    expect(h["content-type"]).toContain("application/json");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["strict-transport-security"]).toBeUndefined();
  }
  const https = await lookup(`email=${encodeURIComponent(email)}`, key, { "x-forwarded-proto": "https" });
  expect(https.headers()["strict-transport-security"]).toBe("max-age=63072000");
  const refused: [string, string | null, number, string][] = [
    ["email=nobody%40example.com", key, 404, "not_found"],
    [`email=${encodeURIComponent(email)}&deviceId=d`, key, 400, "invalid_request"],
    ["", key, 400, "invalid_request"],
    [`email=${encodeURIComponent(email)}`, null, 401, "unauthorized"],
    [`email=${encodeURIComponent(email)}`, "sk_not-a-key", 401, "unauthorized"],
    [`email=${encodeURIComponent(email)}`, siteKey, 403, "forbidden"],
  ];
  for (const [query, auth, status, code] of refused) {
    const res = await lookup(query, auth);
    expect(res.status(), `${query} ${auth}`).toBe(status);
    expect((await res.json()).error.code).toBe(code);
    expect(res.headers()["x-content-type-options"]).toBe("nosniff");
  }
  // The person's timeline, a page at a time, by the id the lookup gave.
  const timeline = (path: string, auth: string | null = key) =>
    request.get(path, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
  const page1 = await timeline(`/api/v1/profiles/${results[0].profileId}/timeline?limit=1`);
  expect(page1.status()).toBe(200);
  const events = await page1.json();
  expect(events.events.map((e: { id: string }) => e.id)).toEqual(["l1"]);
  expect(page1.headers()["x-content-type-options"]).toBe("nosniff");
  const timelineRefused: [string, string | null, number, string][] = [
    [`/api/v1/profiles/${results[0].profileId}/timeline?limit=0`, key, 400, "invalid_request"],
    [`/api/v1/profiles/${results[0].profileId}/timeline?cursor=${"x".repeat(300)}`, key, 400, "invalid_request"],
    [`/api/v1/profiles/${results[0].profileId}/timeline`, null, 401, "unauthorized"],
    ["/api/v1/profiles/00000000-0000-4000-8000-000000000000/timeline", key, 404, "not_found"],
    // Not a canonical id: Next's router, with the same answers.
    [`/api/v1/profiles/${results[0].profileId.toUpperCase()}/timeline`, key, 404, "not_found"],
    ["/api/v1/profiles/not-an-id/timeline", key, 404, "not_found"],
  ];
  for (const [path, auth, status, code] of timelineRefused) {
    const res = await timeline(path, auth);
    expect(res.status(), `${path} ${auth}`).toBe(status);
    expect((await res.json()).error.code).toBe(code);
  }

  // Other methods are Next's, as before: HEAD answers as GET does, without a body; POST is 405.
  const head = await request.fetch(`/api/v1/profiles?email=${encodeURIComponent(email)}`, {
    method: "HEAD",
    headers: { authorization: `Bearer ${key}` },
  });
  expect(head.status()).toBe(200);
  const post = await request.post("/api/v1/profiles", { headers: { authorization: `Bearer ${key}` } });
  expect(post.status()).toBe(405);
});

test("every page carries the security headers, and another site cannot frame the login page", async ({
  browser,
  request,
}) => {
  for (const path of ["/login", "/signup", "/api/health", "/l/unknown-code"]) {
    const h = (await request.get(path)).headers();
    expect(h["x-frame-options"], path).toBe("DENY");
    expect(h["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(h["strict-transport-security"], path).toBeUndefined();
  }
  const https = await request.get("/login", { headers: { "x-forwarded-proto": "https" } });
  expect(https.headers()["strict-transport-security"]).toBe("max-age=63072000");
  // The tracker still loads on a customer's page from another origin.
  const t = await request.get("/t.js");
  expect(t.status()).toBe(200);

  page = `<!doctype html><title>Evil</title><iframe id="f" src="${APP}/login" width="600" height="400"></iframe>`;
  const context = await browser.newContext();
  const evil = await context.newPage();
  // The load event waits for the frame: once it fired, a framed login page would show its form.
  await evil.goto(`${EVIL}/frame`, { waitUntil: "load" });
  await expect(evil.frameLocator("#f").getByLabel("Password")).toHaveCount(0);
  await context.close();
});

test("CSRF: a page on another origin of the same site posts a text/plain form and a no-cors fetch to the owner's routes; nothing is made", async ({
  page: owner,
}) => {
  const { slug } = await signUp(owner);
  const members = `${APP}/api/app/${slug}/members`;
  const keysBefore = (await (await owner.request.get(`${APP}/api/app/${slug}/keys`)).json()).keys.length;
  page = `<!doctype html><title>Win a prize</title>
<form id="f" method="post" enctype="text/plain" action="${members}">
<input name='{"email":"mallory@evil.test","role":"owner","x":"' value='"}'></form>
<script>
  fetch(${JSON.stringify(`${APP}/api/app/${slug}/keys`)}, { method: "POST", mode: "no-cors", credentials: "include",
    body: JSON.stringify({ name: "planted" }) }).finally(() => { document.title = "sent"; document.getElementById("f").submit(); });
</script>`;
  const answer = owner.waitForResponse((r) => r.url() === members && r.request().method() === "POST");
  await owner.goto(`${EVIL}/prize`);
  const res = await answer;
  expect(res.status()).toBe(403);
  expect(await res.text()).toContain("did not come from OneThread's own pages");
  const listed = await (await owner.request.get(members)).json();
  expect(listed.invitations).toEqual([]);
  const keysAfter = (await (await owner.request.get(`${APP}/api/app/${slug}/keys`)).json()).keys.length;
  expect(keysAfter).toBe(keysBefore);
});
