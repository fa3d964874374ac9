import { expect, test, vi } from "vitest";
import { POST as createKey } from "../../app/api/app/[workspace]/keys/route.ts";
import { POST as inviteMember } from "../../app/api/app/[workspace]/members/route.ts";
import { PATCH as patchSettings } from "../../app/api/app/[workspace]/settings/route.ts";
import { PATCH as patchSiteKey } from "../../app/api/app/[workspace]/site-key/route.ts";
import { POST as collect } from "../../app/api/collect/route.ts";
import { GET as pixelGet } from "../../app/api/o/[token]/route.ts";
import { POST as postEvents } from "../../app/api/v1/events/route.ts";
import { POST as createLink } from "../../app/api/v1/links/route.ts";
import { GET as lookup } from "../../app/api/v1/profiles/route.ts";
import { GET as linkGet } from "../../app/l/[code]/route.ts";
import type { SessionUser } from "../../lib/auth/session.ts";
import { createEmailSend } from "../../lib/email-tracking/create-email-send.ts";
import { listPeople } from "../../lib/people/list-people.ts";
import { setSiteKeyOrigins } from "../../lib/workspaces/site-key-origins.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

// The owner routes read the next-auth session; here it is the workspace's owner.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("../../lib/auth/session.ts", () => ({ getSessionUser: async () => session.user }));

const { db } = await useTestDb();
const w = await testWorkspace(db);
session.user = { id: w.ownerId, email: w.ownerEmail, name: null };
const params = { workspace: w.slug };
const APP = "http://localhost:3000";
type Ctx = { params: Promise<Record<string, string>> };
const openLink = (req: Request, ctx?: Ctx) => linkGet(req, ctx as Parameters<typeof linkGet>[1]);
const pixel = (req: Request, ctx?: Ctx) => pixelGet(req, ctx as Parameters<typeof pixelGet>[1]);

// --- CSRF (review item 2) -------------------------------------------------------------------------------------

test("CSRF: an invitation posted from another origin, or a sibling origin of the same site, is refused and not made", async () => {
  const attempts: Record<string, string>[] = [
    { origin: "http://evil.localhost:3000", "sec-fetch-site": "same-site" },
    { origin: "http://localhost:3199", "sec-fetch-site": "same-site" },
    { origin: "https://attacker.test", "sec-fetch-site": "cross-site" },
    { origin: "https://attacker.test" },
    { "sec-fetch-site": "cross-site" },
  ];
  for (const headers of attempts) {
    const res = await call(inviteMember, `/api/app/${w.slug}/members`, {
      params,
      headers,
      body: { email: "mallory@evil.test", role: "owner" },
    });
    expect(res.status, JSON.stringify(headers)).toBe(403);
    expect(res.json.error.code).toBe("forbidden");
  }
  expect(await db.invitation.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
});

test("CSRF: a text/plain form or no-cors fetch body is refused with 415, even same-origin; no key is made", async () => {
  const before = await db.apiKey.count({ where: { workspaceId: w.workspaceId } });
  for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]) {
    const res = await call(createKey, `/api/app/${w.slug}/keys`, {
      params,
      raw: JSON.stringify({ name: "planted" }),
      headers: { ...(type ? { "content-type": type } : {}), origin: APP },
    });
    expect(res.status, type).toBe(415);
    expect(res.json.error.code).toBe("unsupported_media_type");
  }
  expect(await db.apiKey.count({ where: { workspaceId: w.workspaceId } })).toBe(before);
});

test("CSRF: the app's own pages (same origin, JSON) still work, as do non-browser clients without Origin", async () => {
  const own = await call(inviteMember, `/api/app/${w.slug}/members`, {
    params,
    headers: { origin: APP, "sec-fetch-site": "same-origin" },
    body: { email: "colleague@ok.test" },
  });
  expect(own.status).toBe(201);
  const viaHost = await call(createKey, `/api/app/${w.slug}/keys`, {
    params,
    headers: { origin: "https://app.onethread.test", host: "app.onethread.test", "x-forwarded-proto": "https" },
    body: { name: "behind a proxy" },
  });
  expect(viaHost.status).toBe(201);
  const script = await call(createKey, `/api/app/${w.slug}/keys`, { params, body: { name: "curl" } });
  expect(script.status).toBe(201);
});

// --- API-key scopes and site-key origins (review item 12) ------------------------------------------------------

test("scopes: a key without events:write cannot ingest (403, nothing stored) but can look people up", async () => {
  const created = await call(createKey, `/api/app/${w.slug}/keys`, {
    params,
    body: { name: "read only", scopes: ["profiles:read"] },
  });
  expect(created.status).toBe(201);
  expect(created.json.scopes).toEqual(["profiles:read"]);
  const key = created.json.key as string;
  const event = ev("scoped-1", "agent", "chat_started", "2026-11-01T10:00:00Z", { email: "scoped@example.com" });
  const refused = await call(postEvents, "/api/v1/events", { key, body: { events: [event] } });
  expect(refused.status).toBe(403);
  expect(refused.json.error.message).toContain("events:write");
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, clientId: "scoped-1" } })).toBe(0);
  const link = await call(createLink, "/api/v1/links", { key, body: { url: "https://acme.test/" } });
  expect(link.status).toBe(403);
  const read = await call(lookup, "/api/v1/profiles?email=nobody@example.com", { key });
  expect(read.status).toBe(404);
  const unknownScope = await call(createKey, `/api/app/${w.slug}/keys`, {
    params,
    body: { name: "x", scopes: ["admin"] },
  });
  expect(unknownScope.status).toBe(400);
});

test("allowed origins: a site key limited to the business's origins refuses other pages (403, nothing stored)", async () => {
  await setSiteKeyOrigins(db, w.workspaceId, { allowedOrigins: ["https://acme.test"] });
  const body = (id: string) => ({
    site: w.siteKey,
    deviceId: `d_${id}`,
    events: [{ id, type: "page_view", url: "https://acme.test/", ts: Date.now() }],
  });
  const send = (id: string, origin?: string) =>
    call(collect, "/api/collect", {
      raw: JSON.stringify(body(id)),
      headers: { "content-type": "text/plain", ...(origin ? { origin } : {}) },
    });
  const foreign = await send("o-foreign", "https://copycat.test");
  expect(foreign.status).toBe(403);
  expect(foreign.json.error.message).toContain("https://copycat.test");
  expect(foreign.headers.get("access-control-allow-origin")).toBe("*");
  expect((await send("o-none")).status).toBe(403);
  expect((await send("o-own", "https://acme.test")).status).toBe(202);
  const stored = await db.event.findMany({
    where: { workspaceId: w.workspaceId, source: "web" },
    select: { clientId: true },
  });
  expect(stored.map((e) => e.clientId)).toEqual(["o-own"]);
  // The key is cached by now (the requests above): the owner's change still applies to the very next request.
  await setSiteKeyOrigins(db, w.workspaceId, { allowedOrigins: [] });
  expect((await send("o-any", "https://copycat.test")).status).toBe(202);
});

test("allowed origins are set by the owner as origins only: paths, other schemes and junk are a 400 naming the line", async () => {
  const path = `/api/app/${w.slug}/site-key`;
  const bad = await call(patchSiteKey, path, {
    method: "PATCH",
    params,
    body: { allowedOrigins: ["https://acme.test", "acme.test", "https://acme.test/shop", "ftp://acme.test"] },
  });
  expect(bad.status).toBe(400);
  expect(bad.json.error.details.map((d: { path: string }) => d.path)).toEqual([
    "allowedOrigins[1]",
    "allowedOrigins[2]",
    "allowedOrigins[3]",
  ]);
  const ok = await call(patchSiteKey, path, {
    method: "PATCH",
    params,
    body: { allowedOrigins: ["https://acme.test/", " https://www.acme.test", "https://acme.test"] },
  });
  expect(ok.status).toBe(200);
  expect(ok.json.allowedOrigins).toEqual(["https://acme.test", "https://www.acme.test"]);
  const other = await testWorkspace(db);
  const cross = await call(patchSiteKey, `/api/app/${other.slug}/site-key`, {
    method: "PATCH",
    params: { workspace: other.slug },
    body: { allowedOrigins: ["https://evil.test"] },
  });
  expect(cross.status).toBe(404);
  expect((await db.siteKey.findFirstOrThrow({ where: { workspaceId: other.workspaceId } })).allowedOrigins).toEqual([]);
  await call(patchSiteKey, path, { method: "PATCH", params, body: { allowedOrigins: [] } });
});

// --- Public rate limits (review item 12) -----------------------------------------------------------------------

test("a client opening one tracked link 500 times: only the first 120 count, then a 429 page; other clients are not affected", async () => {
  const made = await call(createLink, "/api/v1/links", { key: w.apiKey, body: { url: "https://acme.test/quote" } });
  const code = made.json.code as string;
  const from = (ip: string) =>
    call(openLink, `/l/${code}`, {
      params: { code },
      headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36", "x-forwarded-for": ip },
    });
  const statuses: number[] = [];
  for (let i = 0; i < 500; i++) statuses.push((await from("198.51.100.7")).status);
  expect(statuses.filter((s) => s === 302)).toHaveLength(120);
  expect(statuses.slice(120).every((s) => s === 429)).toBe(true);
  const limited = await from("198.51.100.7");
  expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(limited.text).toContain("Too many links at once");
  expect((await from("198.51.100.8")).status).toBe(302);
  expect(await db.linkClick.count({ where: { link: { code } } })).toBe(121);
});

test("the open pixel fetched 500 times: always the GIF, at most 20 opens recorded for one mail", async () => {
  const [reader] = await w.ingest([
    ev("px-1", "agent", "chat_started", "2026-11-01T09:00:00Z", { email: "reader@example.com" }),
  ]);
  const send = await createEmailSend(db, {
    workspaceId: w.workspaceId,
    profileId: reader!.profileId,
    kind: "campaign",
  });
  for (let i = 0; i < 500; i++) {
    const res = await call(pixel, `/api/o/${send.token}`, {
      params: { token: send.token },
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    expect(res.headers.get("content-type")).toBe("image/gif");
  }
  const opens = await db.event.count({ where: { workspaceId: w.workspaceId, type: "email_opened" } });
  expect(opens).toBe(20);
  expect((await db.emailSend.findUniqueOrThrow({ where: { id: send.id } })).openedAt).not.toBeNull();
});

// --- Malformed input (review item 9) ---------------------------------------------------------------------------

test("a NUL in an owner route's strings is a 400 naming the field, and nothing changes", async () => {
  const res = await call(patchSettings, `/api/app/${w.slug}/settings`, {
    method: "PATCH",
    params,
    body: { name: "Acme\u0000Movers" },
  });
  expect(res.status).toBe(400);
  expect(res.json.error.details).toEqual([{ path: "name", message: "must not contain a NUL character" }]);
  const key = await call(createKey, `/api/app/${w.slug}/keys`, { params, body: { name: "\u0000" } });
  expect(key.status).toBe(400);
  expect((await db.workspace.findUniqueOrThrow({ where: { id: w.workspaceId } })).name).not.toContain("\u0000");
});

test("retentionMonths: true (or a string, or 1.5) is a 400, not one month", async () => {
  for (const retentionMonths of [true, "12", 1.5, null]) {
    const res = await call(patchSettings, `/api/app/${w.slug}/settings`, {
      method: "PATCH",
      params,
      body: { retentionMonths },
    });
    expect(res.status, String(retentionMonths)).toBe(400);
    expect(res.json.error.details[0].path).toBe("retentionMonths");
  }
  expect((await db.workspace.findUniqueOrThrow({ where: { id: w.workspaceId } })).retentionMonths).toBe(24);
});

test("the people list with a junk ?after= cursor reads as the first page", async () => {
  await w.ingest([ev("pp-1", "agent", "chat_started", "2026-11-02T10:00:00Z", { email: "first.page@example.com" })]);
  const ws = { ...w.ws };
  const first = await listPeople(db, ws, {});
  for (const after of ["junk", "1.2", "99999999999999999999.x", `${Date.now()}.not-a-uuid`, "8640000000000001.0"]) {
    const page = await listPeople(db, ws, { after });
    expect(page.people.map((p) => p.id)).toEqual(first.people.map((p) => p.id));
  }
});

test("a repeated query parameter is a 400, not whichever came last", async () => {
  const res = await call(lookup, "/api/v1/profiles?email=a@example.com&email=b@example.com", { key: w.apiKey });
  expect(res.status).toBe(400);
  expect(res.json.error.code).toBe("invalid_request");
});
