import { expect, test, vi } from "vitest";
import { z } from "zod";
import { GET as cron } from "../../app/api/cron/[job]/route.ts";
import { GET as health } from "../../app/api/health/route.ts";
import { jsonAnswer } from "../../lib/http/answer.ts";
import { withApiKey } from "../../lib/http/with-api-key.ts";
import { withSiteKey } from "../../lib/http/with-site-key.ts";
import { findSiteKey, revokeApiKey } from "../../lib/workspaces/api-keys.ts";
import { createWorkspace } from "../../lib/workspaces/create-workspace.ts";
import { setSiteKeyOrigins } from "../../lib/workspaces/site-key-origins.ts";
import { useTestDb } from "../support/db.ts";

const { db } = await useTestDb();
const acme = await createWorkspace(db, { name: "Acme", ownerEmail: "owner@acme.test", password: "password123" });

const echo = withApiKey(
  { scope: "events:write", body: z.object({ n: z.number().int() }), maxBytes: 1024 },
  async ({ body, workspaceId }) => Response.json({ n: body.n, workspaceId }),
);
const post = (body: string, headers: Record<string, string> = {}) =>
  echo(new Request("http://localhost/x", { method: "POST", body, headers }));

test("no key: 401 with the error envelope", async () => {
  const res = await post('{"n":1}');
  expect(res.status).toBe(401);
  expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
});

test("a site key where a secret key is needed: 403 forbidden", async () => {
  const res = await post('{"n":1}', { authorization: `Bearer ${acme.siteKey}` });
  expect(res.status).toBe(403);
  expect((await res.json()).error.code).toBe("forbidden");
});

test("a wrong or revoked key: 401", async () => {
  expect((await post('{"n":1}', { authorization: "Bearer sk_nope" })).status).toBe(401);
  const other = await createWorkspace(db, { name: "Other", ownerEmail: "o@other.test" });
  const key = await db.apiKey.findFirstOrThrow({ where: { workspaceId: other.workspaceId } });
  await revokeApiKey(db, other.workspaceId, key.id);
  expect((await post('{"n":1}', { authorization: `Bearer ${other.apiKey}` })).status).toBe(401);
});

test("a valid key reaches the handler with its own workspace", async () => {
  const res = await post('{"n":7}', { authorization: `Bearer ${acme.apiKey}` });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ n: 7, workspaceId: acme.workspaceId });
});

test("malformed JSON: 400 invalid_json; wrong type: 400 invalid_request naming the field", async () => {
  const auth = { authorization: `Bearer ${acme.apiKey}` };
  const bad = await post("{nope", auth);
  expect(bad.status).toBe(400);
  expect((await bad.json()).error.code).toBe("invalid_json");
  const wrong = await post('{"n":"seven"}', auth);
  expect(wrong.status).toBe(400);
  const body = await wrong.json();
  expect(body.error.code).toBe("invalid_request");
  expect(body.error.details[0].path).toBe("n");
});

test("an oversized body: 413 payload_too_large, also without a Content-Length", async () => {
  const auth = { authorization: `Bearer ${acme.apiKey}` };
  const big = JSON.stringify({ n: 1, pad: "x".repeat(2000) });
  const res = await post(big, auth);
  expect(res.status).toBe(413);
  expect((await res.json()).error.code).toBe("payload_too_large");
  const stream = new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode(big));
      c.close();
    },
  });
  const chunked = await echo(
    new Request("http://localhost/x", { method: "POST", body: stream, headers: auth, duplex: "half" } as RequestInit),
  );
  expect(chunked.status).toBe(413);
});

test("an unexpected error becomes a 500 envelope without internals", async () => {
  const spy = vi.spyOn(console, "error").mockImplementation(() => {});
  const boom = withApiKey({ scope: "profiles:read" }, async () => {
    throw new Error("secret internals");
  });
  const res = await boom(new Request("http://localhost/x", { headers: { authorization: `Bearer ${acme.apiKey}` } }));
  expect(res.status).toBe(500);
  expect(JSON.stringify(await res.json())).not.toContain("secret internals");
  spy.mockRestore();
});

test("site-key wrapper: CORS headers on success and error; a secret key is refused", async () => {
  const collect = withSiteKey({ body: z.object({ site: z.string() }) }, async ({ workspaceId }) =>
    jsonAnswer(202, { workspaceId }),
  );
  const ok = await collect(
    new Request("http://localhost/c", {
      method: "POST",
      body: JSON.stringify({ site: acme.siteKey }),
      headers: { "content-type": "text/plain" },
    }),
  );
  expect(ok.status).toBe(202);
  expect(ok.headers.get("access-control-allow-origin")).toBe("*");
  const secret = await collect(
    new Request("http://localhost/c", { method: "POST", body: JSON.stringify({ site: acme.apiKey }) }),
  );
  expect(secret.status).toBe(403);
  expect(secret.headers.get("access-control-allow-origin")).toBe("*");
  const none = await collect(new Request("http://localhost/c", { method: "POST", body: "{}" }));
  expect(none.status).toBe(401);
  // The same handler as `npm start`'s listener calls it (scripts/serve.ts): the same checks and answers.
  const headers = new Headers({ "content-type": "text/plain" });
  const direct = (body: string | null, url = "/c") => collect.direct({ url, headers, body });
  const directOk = await direct(JSON.stringify({ site: acme.siteKey }));
  expect(directOk.status).toBe(202);
  expect(JSON.parse(directOk.body ?? "")).toEqual({ workspaceId: acme.workspaceId });
  expect(directOk.headers["Access-Control-Allow-Origin"]).toBe("*");
  expect((await direct(JSON.stringify({ site: acme.apiKey }))).status).toBe(403);
  expect((await direct("{}")).status).toBe(401);
  expect((await direct("{not json")).status).toBe(400);
  const tooLarge = await direct(null);
  expect(tooLarge.status).toBe(413);
  expect(JSON.parse(tooLarge.body ?? "").error.code).toBe("payload_too_large");
  expect(tooLarge.headers["Access-Control-Allow-Origin"]).toBe("*");
});

test("site keys are cached for a few seconds; a change of allowed origins applies at once, a revocation within seconds", async () => {
  const other = await createWorkspace(db, { name: "Cached", ownerEmail: "owner@cached.test" });
  const collect = withSiteKey({ body: z.object({ site: z.string() }) }, async ({ workspaceId }) =>
    jsonAnswer(202, { workspaceId }),
  );
  const send = (origin?: string) =>
    collect(
      new Request("http://localhost/c", {
        method: "POST",
        body: JSON.stringify({ site: other.siteKey }),
        headers: { "content-type": "text/plain", ...(origin ? { origin } : {}) },
      }),
    );
  const lookups = vi.spyOn(db.siteKey, "findUnique");
  expect((await send()).status).toBe(202);
  expect((await send()).status).toBe(202);
  expect(lookups.mock.calls.filter((c) => c[0].where.key === other.siteKey)).toHaveLength(1);
  lookups.mockRestore();
  // The owner limits the key to their origins: the next request already obeys it.
  await setSiteKeyOrigins(db, other.workspaceId, { allowedOrigins: ["https://cached.test"] });
  expect((await send("https://copycat.test")).status).toBe(403);
  expect((await send("https://cached.test")).status).toBe(202);
  // A key revoked elsewhere (another instance, the database) stops working once the cached entry expires.
  await db.siteKey.updateMany({ where: { key: other.siteKey }, data: { revokedAt: new Date() } });
  const now = Date.now();
  const clock = vi.spyOn(Date, "now").mockReturnValue(now + 5_001);
  try {
    expect((await send("https://cached.test")).status).toBe(401);
  } finally {
    clock.mockRestore();
  }
  expect(await findSiteKey(db, other.siteKey)).toBeNull();
});

test("cron: 401 without the secret, with a wrong one, and 404 for an unknown job only after auth", async () => {
  const call = (job: string, auth?: string) =>
    cron(new Request(`http://localhost/api/cron/${job}`, { headers: auth ? { authorization: auth } : {} }), {
      params: Promise.resolve({ job }),
    });
  expect((await call("auth-cleanup")).status).toBe(401);
  expect((await call("auth-cleanup", "Bearer wrong-secret-value")).status).toBe(401);
  expect((await call("nope")).status).toBe(401);
  expect((await call("nope", `Bearer ${process.env.CRON_SECRET}`)).status).toBe(404);
});

test("cron: a job runs once per period; a second call is skipped", async () => {
  await db.verificationToken.create({
    data: { identifier: "a@b.test", token: "t1", expires: new Date(Date.now() - 1000) },
  });
  const auth = { authorization: `Bearer ${process.env.CRON_SECRET}` };
  const job = { params: Promise.resolve({ job: "auth-cleanup" }) };
  const first = await (
    await cron(new Request("http://localhost/api/cron/auth-cleanup", { headers: auth }), job)
  ).json();
  expect(first).toMatchObject({ status: "done", result: { verificationTokens: 1 } });
  const second = await (
    await cron(new Request("http://localhost/api/cron/auth-cleanup", { headers: auth }), job)
  ).json();
  expect(second.status).toBe("skipped");
  expect(await db.jobRun.count({ where: { job: "auth-cleanup" } })).toBe(1);
});

test("health: 200 {ok:true} on a migrated database", async () => {
  const res = await health();
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
});

test("health: 503 while a migration is pending", async () => {
  await db.$executeRawUnsafe(`DELETE FROM "_prisma_migrations"`);
  const res = await health();
  expect(res.status).toBe(503);
  expect((await res.json()).error.code).toBe("service_unavailable");
});
