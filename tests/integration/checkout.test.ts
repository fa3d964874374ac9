import { afterAll, expect, test } from "vitest";
import { POST as checkout } from "../../app/api/v1/checkout/route.ts";
import { resetEnvCache } from "../../lib/config/env.ts";
import { mergeProfiles } from "../../lib/identity/merge-profiles.ts";
import { connectIntegration } from "../../lib/integrations/connect-integration.ts";
import { stripeLimits } from "../../lib/integrations/stripe/client.ts";
import { createApiKey } from "../../lib/workspaces/api-keys.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { startFakeStripe } from "../support/fake-stripe.ts";
import { expectScopeMigration, SCOPES_BEFORE_SENDS } from "../support/scope-migration.ts";
import { testWorkspace } from "../support/workspace.ts";

const fake = await startFakeStripe();
process.env.STRIPE_API_BASE = fake.origin;
resetEnvCache();
afterAll(async () => {
  await fake.close();
  delete process.env.STRIPE_API_BASE;
  resetEnvCache();
});

const { db } = await useTestDb();
const a = await testWorkspace(db);
const b = await testWorkspace(db);
await connectIntegration(db, a.workspaceId, "stripe", {
  secretKey: "sk_test_WorkspaceA0000000001",
  webhookSecret: "whsec_WorkspaceASigning00001",
});

async function person(ws: typeof a, email: string) {
  const [r] = await ws.ingest([
    { source: "webhook", type: "crm_updated", occurredAt: new Date().toISOString(), identity: { email } },
  ]);
  return r?.profileId as string;
}
const post = (key: string, body: unknown) => call(checkout, "/api/v1/checkout", { method: "POST", key, body });
const deposit = (profileId: string) => ({ profileId, amount: 5000, currency: "usd", description: "Moving deposit" });

test("creates a deposit Checkout Session on the workspace's Stripe with its key and answers 201 {url, sessionId}", async () => {
  const profileId = await person(a, "jo@example.com");
  fake.requests.length = 0;
  const res = await post(a.apiKey, deposit(profileId));
  expect(res.status).toBe(201);
  expect(res.json).toEqual({
    url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/),
    sessionId: expect.stringMatching(/^cs_test_/),
  });
  expect(fake.requests).toHaveLength(1);
  const [sent] = fake.requests;
  expect(sent?.path).toBe("/v1/checkout/sessions");
  expect(sent?.headers.authorization).toBe("Bearer sk_test_WorkspaceA0000000001");
  expect(sent?.params).toMatchObject({
    mode: "payment",
    client_reference_id: profileId,
    "metadata[onethread_profile]": profileId,
    "payment_intent_data[metadata][onethread_profile]": profileId,
    "line_items[0][quantity]": "1",
    "line_items[0][price_data][currency]": "usd",
    "line_items[0][price_data][unit_amount]": "5000",
    "line_items[0][price_data][product_data][name]": "Moving deposit",
    customer_creation: "always",
  });
  expect(sent?.params.success_url).toMatch(/\/checkout\/done\?session_id=\{CHECKOUT_SESSION_ID\}$/);
});

test("a merged-away profile id is followed: the session names the surviving profile", async () => {
  const older = await person(a, "older@example.com");
  const newer = await person(a, "newer@example.com");
  const survivor = await mergeProfiles(db, a.workspaceId, older, newer);
  expect(survivor).toBe(older);
  fake.requests.length = 0;
  const res = await post(a.apiKey, deposit(newer));
  expect(res.status).toBe(201);
  expect(fake.requests[0]?.params.client_reference_id).toBe(survivor);
});

test("Stripe not connected: 409 integration_missing, Stripe never called", async () => {
  const profileId = await person(b, "b@example.com");
  fake.requests.length = 0;
  const res = await post(b.apiKey, deposit(profileId));
  expect(res.status).toBe(409);
  expect(res.json.error.code).toBe("integration_missing");
  expect(fake.requests).toHaveLength(0);
});

test("another workspace's profile, or none: 404, Stripe never called", async () => {
  const theirs = await person(b, "theirs@example.com");
  fake.requests.length = 0;
  for (const id of [theirs, "00000000-0000-7000-8000-000000000000", "not-a-uuid"]) {
    const res = await post(a.apiKey, deposit(id));
    expect(res.status, id).toBe(404);
    expect(res.json.error.code).toBe("not_found");
  }
  expect(fake.requests).toHaveLength(0);
});

test("Stripe's error, a timeout or no Stripe at all: 502 provider_error with Stripe's message", async () => {
  const profileId = await person(a, "err@example.com");
  fake.state.fail = {
    status: 400,
    type: "invalid_request_error",
    code: "amount_too_small",
    message: "Amount must be at least 50 cents.",
  };
  try {
    const res = await post(a.apiKey, deposit(profileId));
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe("provider_error");
    expect(res.json.error.message).toContain("Amount must be at least 50 cents.");
  } finally {
    fake.state.fail = null;
  }
  // No answer within the timeout: a clear 502, and nothing stored.
  fake.state.hang = true;
  stripeLimits.timeoutMs = 300;
  const events = await db.event.count({ where: { workspaceId: a.workspaceId } });
  try {
    const res = await post(a.apiKey, deposit(profileId));
    expect(res.status).toBe(502);
    expect(res.json.error.message).toMatch(/did not answer in time/);
    expect(await db.event.count({ where: { workspaceId: a.workspaceId } })).toBe(events);
  } finally {
    fake.state.hang = false;
    stripeLimits.timeoutMs = 15_000;
  }
  // Unreachable (a closed port): also a clear 502.
  process.env.STRIPE_API_BASE = "http://127.0.0.1:9";
  resetEnvCache();
  try {
    const res = await post(a.apiKey, deposit(profileId));
    expect(res.status).toBe(502);
    expect(res.json.error.message).toMatch(/could not be reached/);
  } finally {
    process.env.STRIPE_API_BASE = fake.origin;
    resetEnvCache();
  }
});

test("bad bodies: 400 naming the field; amounts are positive whole minor units, currencies ISO lower case", async () => {
  const profileId = await person(a, "bad@example.com");
  fake.requests.length = 0;
  const cases: [Record<string, unknown>, string][] = [
    [{ amount: 0 }, "amount"],
    [{ amount: 12.5 }, "amount"],
    [{ amount: 100_000_000 }, "amount"],
    [{ amount: "5000" }, "amount"],
    [{ currency: "USD" }, "currency"],
    [{ currency: "dollars" }, "currency"],
    [{ description: " " }, "description"],
    [{ successUrl: "javascript:alert(1)" }, "successUrl"],
    [{ extra: 1 }, ""],
  ];
  for (const [change, path] of cases) {
    const res = await post(a.apiKey, { ...deposit(profileId), ...change });
    expect(res.status, JSON.stringify(change)).toBe(400);
    if (path) expect(res.json.error.details.map((d: { path: string }) => d.path)).toContain(path);
  }
  expect(fake.requests).toHaveLength(0);
});

test("scope checkout:write; the migration gives it to keys that held every earlier scope", async () => {
  const narrow = await createApiKey(db, a.workspaceId, "events only", null, ["events:write"]);
  const res = await post(narrow.key, deposit(await person(a, "s@example.com")));
  expect(res.status).toBe(403);
  expect(res.json.error.message).toContain("checkout:write");
  await expectScopeMigration(db, a.workspaceId, {
    migration: "checkout_scope",
    before: SCOPES_BEFORE_SENDS.filter((s) => s !== "checkout:write"),
    added: "checkout:write",
    tag: "checkout",
  });
});
