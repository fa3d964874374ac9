import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, vi } from "vitest";
import {
  PUT as ownerConnect,
  DELETE as ownerDisconnect,
} from "../../app/api/app/[workspace]/integrations/[provider]/route.ts";
import { POST as sendTest } from "../../app/api/app/[workspace]/integrations/[provider]/test/route.ts";
import { GET as listDeliveries } from "../../app/api/app/[workspace]/integrations/deliveries/route.ts";
import { GET as ownerList } from "../../app/api/app/[workspace]/integrations/route.ts";
import { PUT as connect, DELETE as disconnect } from "../../app/api/v1/integrations/[provider]/route.ts";
import { GET as list } from "../../app/api/v1/integrations/route.ts";
import { POST as receive } from "../../app/api/webhooks/inbound/[workspaceId]/[sourceName]/route.ts";
import type { SessionUser } from "../../lib/auth/session.ts";
import { decrypt } from "../../lib/crypto/keys.ts";
import { createApiKey } from "../../lib/workspaces/api-keys.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { testWorkspace } from "../support/workspace.ts";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("../../lib/auth/session.ts", () => ({ getSessionUser: async () => session.user }));

const { db } = await useTestDb();
const a = await testWorkspace(db);
const b = await testWorkspace(db);

const put = (key: string, provider: string, body: unknown = {}) =>
  call(connect, `/api/v1/integrations/${provider}`, { method: "PUT", key, body, params: { provider } });
const del = (key: string, provider: string) =>
  call(disconnect, `/api/v1/integrations/${provider}`, { method: "DELETE", key, params: { provider } });
const get = (key: string) => call(list, "/api/v1/integrations", { key });

function deliver(workspaceId: string, source: string, secret: string, raw: string) {
  const sig = createHmac("sha256", secret).update(raw).digest("hex");
  return call(receive, `/api/webhooks/inbound/${workspaceId}/${source}`, {
    method: "POST",
    raw,
    headers: { "content-type": "application/json", "x-onethread-signature": `sha256=${sig}` },
    params: { workspaceId, sourceName: source },
  });
}
const body = (id: string) =>
  JSON.stringify({
    events: [{ id, type: "crm_updated", occurredAt: "2026-11-20T10:00:00Z", identity: { email: `${id}@example.com` } }],
  });

test("PUT inbound:<name> without a secret generates one and answers it once; GET never shows it; it is stored sealed", async () => {
  const res = await put(a.apiKey, "inbound:hubspot");
  expect(res.status).toBe(200);
  expect(res.json).toEqual({
    provider: "inbound:hubspot",
    connected: true,
    webhookUrl: expect.stringMatching(new RegExp(`/api/webhooks/inbound/${a.workspaceId}/hubspot$`)),
    secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
  });
  const secret = res.json.secret as string;
  const listed = await get(a.apiKey);
  expect(listed.status).toBe(200);
  expect(listed.json.integrations).toEqual([
    expect.objectContaining({
      provider: "inbound:hubspot",
      connected: true,
      webhookUrl: res.json.webhookUrl,
      lastDeliveryAt: null,
      lastError: null,
    }),
  ]);
  expect(listed.text).not.toContain(secret);
  expect(listed.text).not.toContain('secret"');
  // Scan the whole row: the secret is nowhere readable, only its sealed form, which opens to it.
  const row = await db.webhookEndpoint.findFirstOrThrow({ where: { workspaceId: a.workspaceId, name: "hubspot" } });
  expect(JSON.stringify(row)).not.toContain(secret);
  expect(JSON.stringify(row)).not.toContain(secret.slice(6, 30));
  expect(row.secretEnc).toMatch(/^v1\./);
  expect(decrypt(row.secretEnc)).toBe(secret);
  // And it verifies deliveries.
  expect((await deliver(a.workspaceId, "hubspot", secret, body("h1"))).status).toBe(200);
});

test("PUT again rotates: the old secret stops verifying at once; a secret of the caller's own is not echoed", async () => {
  const first = await put(a.apiKey, "inbound:pipedrive");
  const second = await put(a.apiKey, "inbound:pipedrive");
  expect(second.json.secret).not.toBe(first.json.secret);
  expect((await deliver(a.workspaceId, "pipedrive", first.json.secret, body("p1"))).json.error.code).toBe(
    "invalid_signature",
  );
  expect((await deliver(a.workspaceId, "pipedrive", second.json.secret, body("p2"))).status).toBe(200);
  const own = await put(a.apiKey, "inbound:pipedrive", { secret: "my-own-shared-secret-42" });
  expect(own.json).toEqual({ provider: "inbound:pipedrive", connected: true, webhookUrl: first.json.webhookUrl });
  expect(own.text).not.toContain("my-own-shared-secret-42");
  expect((await deliver(a.workspaceId, "pipedrive", "my-own-shared-secret-42", body("p3"))).status).toBe(200);
  expect(await db.webhookEndpoint.count({ where: { workspaceId: a.workspaceId, name: "pipedrive" } })).toBe(1);
});

test("unknown providers, bad source names and bad bodies: 400 naming what is supported", async () => {
  for (const provider of [
    "stripe:other",
    "twilio:other",
    "resend:other",
    "meta:other",
    "google:other",
    "salesforce",
    "inbound:",
    "inbound:Bad_Name",
    `inbound:${"x".repeat(41)}`,
  ]) {
    const res = await put(a.apiKey, provider, { secretKey: "sk_test_x", webhookSecret: "whsec_x" });
    expect(res.status, provider).toBe(400);
    expect(res.json.error.code).toBe("invalid_request");
    expect(res.json.error.message).toContain("inbound:<name>");
  }
  const meta = await put(a.apiKey, "meta", { pixelId: "12" });
  expect(meta.status).toBe(400);
  expect(meta.json.error.details.map((d: { path: string }) => d.path)).toEqual(
    expect.arrayContaining(["pixelId", "accessToken"]),
  );
  const short = await put(a.apiKey, "inbound:crm", { secret: "short" });
  expect(short.status).toBe(400);
  expect(short.json.error.details[0].path).toBe("secret");
  const typo = await put(a.apiKey, "inbound:crm", { secrett: "0123456789abcdef0123" });
  expect(typo.status).toBe(400);
  const notJson = await call(connect, "/api/v1/integrations/inbound:crm", {
    method: "PUT",
    key: a.apiKey,
    raw: "nope",
    params: { provider: "inbound:crm" },
  });
  expect(notJson.json.error.code).toBe("invalid_json");
  expect(await db.webhookEndpoint.count({ where: { workspaceId: a.workspaceId, name: "crm" } })).toBe(0);
  // A percent-encoded colon names the same integration.
  expect((await put(a.apiKey, "inbound%3Aencoded")).json.provider).toBe("inbound:encoded");
});

test("DELETE disconnects: deliveries to it are 404, the log stays; another workspace's integration is out of reach", async () => {
  const mine = await put(b.apiKey, "inbound:shared-name");
  await put(a.apiKey, "inbound:shared-name");
  expect((await deliver(b.workspaceId, "shared-name", mine.json.secret, body("s1"))).status).toBe(200);
  const res = await del(a.apiKey, "inbound:shared-name");
  expect(res.json).toEqual({ provider: "inbound:shared-name", connected: false });
  expect((await del(a.apiKey, "inbound:shared-name")).status).toBe(404);
  // B's own source of the same name is untouched and still verifies.
  expect(await db.webhookEndpoint.count({ where: { workspaceId: b.workspaceId, name: "shared-name" } })).toBe(1);
  expect((await deliver(b.workspaceId, "shared-name", mine.json.secret, body("s2"))).status).toBe(200);
  await del(b.apiKey, "inbound:shared-name");
  expect((await deliver(b.workspaceId, "shared-name", mine.json.secret, body("s3"))).status).toBe(404);
  expect(
    await db.webhookReceipt.count({ where: { workspaceId: b.workspaceId, provider: "inbound:shared-name" } }),
  ).toBe(2);
  expect((await get(b.apiKey)).json.integrations).toEqual([]);
});

test("GET reports the latest delivery and its error", async () => {
  const w = await testWorkspace(db);
  const { json } = await put(w.apiKey, "inbound:crm");
  await deliver(w.workspaceId, "crm", json.secret, body("g1"));
  let [row] = (await get(w.apiKey)).json.integrations;
  expect(row.lastDeliveryAt).toEqual(expect.any(String));
  expect(row.lastError).toBeNull();
  await deliver(w.workspaceId, "crm", json.secret, JSON.stringify({ what: "is this" }));
  [row] = (await get(w.apiKey)).json.integrations;
  expect(row.lastError).toMatch(/none of the shapes/);
});

test("scopes: integrations:read and integrations:write; the migration gives them to keys that had every scope", async () => {
  const narrow = await createApiKey(db, a.workspaceId, "events only", null, ["events:write"]);
  expect((await get(narrow.key)).status).toBe(403);
  expect((await put(narrow.key, "inbound:x")).json.error.message).toContain("integrations:write");
  const reader = await createApiKey(db, a.workspaceId, "reader", null, ["integrations:read"]);
  expect((await get(reader.key)).status).toBe(200);
  expect((await put(reader.key, "inbound:x")).status).toBe(403);
  expect((await del(reader.key, "inbound:x")).status).toBe(403);

  // A key made before this release with all five scopes of the time, and one narrowed by its owner.
  const old = ["events:write", "profiles:read", "profiles:write", "links:write", "export:read"];
  const full = await db.apiKey.create({
    data: { workspaceId: a.workspaceId, name: "old", prefix: "sk_old", hash: "h-old", scopes: old },
  });
  const few = await db.apiKey.create({
    data: { workspaceId: a.workspaceId, name: "few", prefix: "sk_few", hash: "h-few", scopes: ["profiles:read"] },
  });
  const dir = join(import.meta.dirname, "../../prisma/migrations");
  const migration = readdirSync(dir).find((d) => d.endsWith("_integrations")) as string;
  const sql = readFileSync(join(dir, migration, "migration.sql"), "utf8");
  const update = sql.slice(sql.indexOf('UPDATE "ApiKey"'));
  await db.$executeRawUnsafe(update);
  await db.$executeRawUnsafe(update); // idempotent
  expect((await db.apiKey.findUniqueOrThrow({ where: { id: full.id } })).scopes).toEqual([
    ...old,
    "integrations:read",
    "integrations:write",
  ]);
  expect((await db.apiKey.findUniqueOrThrow({ where: { id: few.id } })).scopes).toEqual(["profiles:read"]);
});

test("owner app: members see, only owners change; the signed test event goes through the webhook and shows in the log", async () => {
  const w = await testWorkspace(db);
  const member = await db.user.create({ data: { email: `member.${Date.now()}@test.test` } });
  await db.membership.create({ data: { userId: member.id, workspaceId: w.workspaceId, role: "member" } });
  const p = (provider: string) => ({ workspace: w.slug, provider });
  session.user = { id: member.id, email: member.email, name: null };
  const refused = await call(ownerConnect, `/api/app/${w.slug}/integrations/inbound:crm`, {
    method: "PUT",
    body: {},
    params: p("inbound:crm"),
  });
  expect(refused.status).toBe(403);
  expect((await call(ownerList, `/api/app/${w.slug}/integrations`, { params: { workspace: w.slug } })).status).toBe(
    200,
  );

  session.user = { id: w.ownerId, email: w.ownerEmail, name: null };
  const made = await call(ownerConnect, `/api/app/${w.slug}/integrations/inbound:crm`, {
    method: "PUT",
    body: {},
    params: p("inbound:crm"),
  });
  expect(made.status).toBe(200);
  expect(made.json.secret).toMatch(/^whsec_/);
  // Another workspace's slug is a 404 for this owner.
  const other = await call(ownerList, `/api/app/${b.slug}/integrations`, { params: { workspace: b.slug } });
  expect(other.status).toBe(404);

  const sent = await call(sendTest, `/api/app/${w.slug}/integrations/inbound:crm/test`, {
    method: "POST",
    params: p("inbound:crm"),
  });
  expect(sent.status).toBe(200);
  expect(sent.json).toEqual({ status: 200, answer: { accepted: 0, test: true } });
  await deliver(w.workspaceId, "crm", made.json.secret, body("after-test"));
  const log = await call(listDeliveries, `/api/app/${w.slug}/integrations/deliveries?provider=inbound:crm`, {
    params: { workspace: w.slug },
  });
  expect(log.status).toBe(200);
  expect(log.json.deliveries.map((d: { summary: string; outcome: string }) => [d.summary, d.outcome])).toEqual([
    ["OneThread events (1)", "processed"],
    ["Test delivery (verified, not stored)", "ignored"],
  ]);
  expect(log.json.deliveries[1]).toMatchObject({ verified: true, scheme: "onethread", eventCount: 1, error: null });
  // The test stores no person.
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, type: "integration_test" } })).toBe(0);
  const none = await call(listDeliveries, `/api/app/${w.slug}/integrations/deliveries?provider=inbound:other`, {
    params: { workspace: w.slug },
  });
  expect(none.json).toEqual({ deliveries: [], nextCursor: null });
  const page = await call(listDeliveries, `/api/app/${w.slug}/integrations/deliveries?limit=1`, {
    params: { workspace: w.slug },
  });
  expect(page.json.deliveries).toHaveLength(1);
  const next = await call(
    listDeliveries,
    `/api/app/${w.slug}/integrations/deliveries?limit=1&cursor=${page.json.nextCursor}`,
    {
      params: { workspace: w.slug },
    },
  );
  expect(next.json.deliveries[0].summary).toMatch(/^Test delivery/);

  // A test for a source that is not connected: 409 integration_missing.
  const missing = await call(sendTest, `/api/app/${w.slug}/integrations/inbound:nothing/test`, {
    method: "POST",
    params: p("inbound:nothing"),
  });
  expect(missing.status).toBe(409);
  expect(missing.json.error.code).toBe("integration_missing");
  const gone = await call(ownerDisconnect, `/api/app/${w.slug}/integrations/inbound:crm`, {
    method: "DELETE",
    params: p("inbound:crm"),
  });
  expect(gone.json.connected).toBe(false);
});

test("Stripe from the owner app: connect (keys never answered or listed), the signed test event through the Stripe route, the log, disconnect", async () => {
  const w = await testWorkspace(db);
  session.user = { id: w.ownerId, email: w.ownerEmail, name: null };
  const p = { workspace: w.slug, provider: "stripe" };
  const bad = await call(ownerConnect, `/api/app/${w.slug}/integrations/stripe`, {
    method: "PUT",
    body: { secretKey: "pk_test_public00000000", webhookSecret: "nope" },
    params: p,
  });
  expect(bad.status).toBe(400);
  expect(bad.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["secretKey", "webhookSecret"]);
  const keys = { secretKey: "sk_test_OwnerAppK3y00000001", webhookSecret: "whsec_OwnerAppSigning0000001" };
  const made = await call(ownerConnect, `/api/app/${w.slug}/integrations/stripe`, {
    method: "PUT",
    body: keys,
    params: p,
  });
  expect(made.status).toBe(200);
  expect(made.json).toEqual({
    provider: "stripe",
    connected: true,
    webhookUrl: expect.stringMatching(new RegExp(`/api/webhooks/stripe/${w.workspaceId}$`)),
  });
  const listed = await call(ownerList, `/api/app/${w.slug}/integrations`, { params: { workspace: w.slug } });
  expect(listed.text).not.toMatch(/OwnerApp/);
  expect(listed.json.integrations.map((i: { provider: string }) => i.provider)).toEqual(["stripe"]);

  const sent = await call(sendTest, `/api/app/${w.slug}/integrations/stripe/test`, { method: "POST", params: p });
  expect(sent.status).toBe(200);
  expect(sent.json).toEqual({ status: 200, answer: { received: true, accepted: 0, test: true } });
  const log = await call(listDeliveries, `/api/app/${w.slug}/integrations/deliveries?provider=stripe`, {
    params: { workspace: w.slug },
  });
  expect(log.json.deliveries).toHaveLength(1);
  expect(log.json.deliveries[0]).toMatchObject({
    provider: "stripe",
    scheme: "stripe",
    outcome: "ignored",
    summary: "Test event (verified, not stored)",
    externalId: expect.stringMatching(/^evt_onethread_test_/),
  });
  expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(0);

  const gone = await call(ownerDisconnect, `/api/app/${w.slug}/integrations/stripe`, { method: "DELETE", params: p });
  expect(gone.json).toEqual({ provider: "stripe", connected: false });
  const again = await call(sendTest, `/api/app/${w.slug}/integrations/stripe/test`, { method: "POST", params: p });
  expect(again.status).toBe(409);
  expect(again.json.error.code).toBe("integration_missing");
});
