import Stripe from "stripe";
import { expect, test } from "vitest";
import { POST as receive } from "../../app/api/webhooks/stripe/[workspaceId]/route.ts";
import { connectIntegration } from "../../lib/integrations/connect-integration.ts";
import { call, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();
const a = await testWorkspace(db);
const b = await testWorkspace(db);
const SECRET_A = "whsec_stripeTestSecretForWorkspaceA0001";
const SECRET_B = "whsec_stripeTestSecretForWorkspaceB0002";
await connectIntegration(db, a.workspaceId, "stripe", {
  secretKey: "sk_test_A1b2C3d4E5f6G7h8",
  webhookSecret: SECRET_A,
});
await connectIntegration(db, b.workspaceId, "stripe", {
  secretKey: "sk_test_Z9y8X7w6V5u4T3s2",
  webhookSecret: SECRET_B,
});

let n = 0;
const now = () => Math.floor(Date.now() / 1000);

/** An event envelope as Stripe sends it (INTEGRATIONS.md 1.3), around a `data.object`. */
function envelope(type: string, object: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  n++;
  return JSON.stringify({
    id: `evt_test_${n}_${Date.now()}`,
    object: "event",
    api_version: "2026-10-28.endive",
    created: now(),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object, ...extra },
  });
}

function session(o: {
  cs: string;
  pi: string;
  cus: string;
  email: string;
  phone?: string;
  ref?: string;
  amount?: number;
}) {
  return {
    id: o.cs,
    object: "checkout.session",
    mode: "payment",
    status: "complete",
    payment_status: "paid",
    client_reference_id: o.ref ?? null,
    metadata: o.ref ? { onethread_profile: o.ref } : {},
    amount_total: o.amount ?? 5000,
    amount_subtotal: o.amount ?? 5000,
    currency: "usd",
    customer: o.cus,
    payment_intent: o.pi,
    customer_details: { email: o.email, phone: o.phone ?? null, name: "Ann Lee" },
    payment_link: null,
  };
}

const paymentIntent = (pi: string, cus: string, ref?: string) => ({
  id: pi,
  object: "payment_intent",
  amount: 5000,
  amount_received: 5000,
  currency: "usd",
  customer: cus,
  status: "succeeded",
  metadata: ref ? { onethread_profile: ref } : {},
});

/** A delivery signed exactly as Stripe signs it, by the SDK's own test helper. */
function post(
  ws: { workspaceId: string },
  raw: string,
  secret: string,
  o: { timestamp?: number; header?: string } = {},
) {
  const header = o.header ?? Stripe.webhooks.generateTestHeaderString({ payload: raw, secret, timestamp: o.timestamp });
  return call(receive, `/api/webhooks/stripe/${ws.workspaceId}`, {
    method: "POST",
    raw,
    headers: { "content-type": "application/json", "stripe-signature": header },
    params: { workspaceId: ws.workspaceId },
  });
}

const eventsOf = (workspaceId: string, type?: string) =>
  db.event.findMany({ where: { workspaceId, ...(type ? { type } : {}) }, orderBy: { receivedAt: "asc" } });
const receiptsOf = (workspaceId: string) => db.webhookReceipt.findMany({ where: { workspaceId } });

test("checkout.session.completed: checkout_completed and the payment, rung 4 with the next customer number, the Stripe customer as account", async () => {
  const raw = envelope(
    "checkout.session.completed",
    session({ cs: "cs_test_1", pi: "pi_1", cus: "cus_1", email: "Ann@Example.com", phone: "+1 805 555 0100" }),
  );
  const res = await post(a, raw, SECRET_A);
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ received: true, accepted: 2 });
  const profileId = await profileIdOf(db, a.ws, "account", "cus_1");
  expect(profileId).not.toBeNull();
  expect(await profileIdOf(db, a.ws, "email", "ann@example.com")).toBe(profileId);
  expect(await profileIdOf(db, a.ws, "phone", "(805) 555-0100")).toBe(profileId);
  const profile = await db.profile.findUniqueOrThrow({ where: { id: profileId as string } });
  expect(profile.rung).toBe(4);
  expect(profile.customerNumber).toEqual(expect.any(Number));
  const [completed] = await eventsOf(a.workspaceId, "checkout_completed");
  expect(completed).toMatchObject({
    source: "webhook",
    profileId,
    rung: 4,
    clientId: "stripe_checkout_completed_cs_test_1",
  });
  expect(completed?.properties).toMatchObject({
    amount: 5000,
    currency: "usd",
    provider: "stripe",
    checkoutSession: "cs_test_1",
  });
  const [paid] = await eventsOf(a.workspaceId, "payment_succeeded");
  expect(paid).toMatchObject({ profileId, clientId: "stripe_payment_succeeded_pi_1" });
  expect(paid?.properties).toMatchObject({ amount: 5000, currency: "usd", paymentIntent: "pi_1" });
  const receipts = await receiptsOf(a.workspaceId);
  expect(receipts).toHaveLength(1);
  expect(receipts[0]).toMatchObject({
    provider: "stripe",
    scheme: "stripe",
    outcome: "processed",
    externalId: JSON.parse(raw).id,
    summary: "Stripe checkout.session.completed",
  });
  expect(Object.keys(receipts[0]?.headers as object)).not.toContain("stripe-signature");

  // A second customer paying gets the next number (R12).
  await post(
    a,
    envelope(
      "checkout.session.completed",
      session({ cs: "cs_test_2", pi: "pi_2", cus: "cus_2", email: "bo@example.com" }),
    ),
    SECRET_A,
  );
  const second = await db.profile.findUniqueOrThrow({
    where: { id: (await profileIdOf(db, a.ws, "account", "cus_2")) as string },
  });
  expect(second.customerNumber).toBe((profile.customerNumber as number) + 1);
});

test("payment_intent.succeeded after checkout.session.completed: one payment event for the payment intent", async () => {
  await post(
    a,
    envelope(
      "checkout.session.completed",
      session({ cs: "cs_o1", pi: "pi_o1", cus: "cus_o1", email: "o1@example.com" }),
    ),
    SECRET_A,
  );
  const late = await post(a, envelope("payment_intent.succeeded", paymentIntent("pi_o1", "cus_o1")), SECRET_A);
  expect(late.status).toBe(200);
  expect(late.json).toEqual({ received: true, accepted: 0 });
  const payments = (await eventsOf(a.workspaceId, "payment_succeeded")).filter((e) => e.clientId.endsWith("pi_o1"));
  expect(payments).toHaveLength(1);
  expect(
    await receiptsOf(a.workspaceId).then((r) => r.filter((x) => x.outcome === "processed").length),
  ).toBeGreaterThanOrEqual(2);
});

test("payment_intent.succeeded before checkout.session.completed: still one payment event, and the checkout completes the person", async () => {
  const early = await post(a, envelope("payment_intent.succeeded", paymentIntent("pi_o2", "cus_o2")), SECRET_A);
  expect(early.json).toEqual({ received: true, accepted: 1 });
  const profileId = await profileIdOf(db, a.ws, "account", "cus_o2");
  expect((await db.profile.findUniqueOrThrow({ where: { id: profileId as string } })).rung).toBe(4);
  const later = await post(
    a,
    envelope(
      "checkout.session.completed",
      session({ cs: "cs_o2", pi: "pi_o2", cus: "cus_o2", email: "o2@example.com" }),
    ),
    SECRET_A,
  );
  expect(later.json).toEqual({ received: true, accepted: 1 }); // the checkout; its payment was a duplicate
  const payments = (await eventsOf(a.workspaceId, "payment_succeeded")).filter((e) => e.clientId.endsWith("pi_o2"));
  expect(payments).toHaveLength(1);
  expect(payments[0]?.profileId).toBe(profileId);
  expect(await profileIdOf(db, a.ws, "email", "o2@example.com")).toBe(profileId);
});

test("a checkout made for a OneThread profile attaches to that person even when they pay with another email", async () => {
  const [chat] = await a.ingest([
    {
      source: "channel",
      type: "message_in",
      occurredAt: new Date().toISOString(),
      identity: { phone: "+18055550199" },
    },
  ]);
  const ref = chat?.profileId as string;
  const raw = envelope(
    "checkout.session.completed",
    session({ cs: "cs_ref", pi: "pi_ref", cus: "cus_ref", email: "other.inbox@example.com", ref }),
  );
  expect((await post(a, raw, SECRET_A)).status).toBe(200);
  expect(await profileIdOf(db, a.ws, "account", "cus_ref")).toBe(ref);
  expect(await profileIdOf(db, a.ws, "email", "other.inbox@example.com")).toBe(ref);
  const profile = await db.profile.findUniqueOrThrow({ where: { id: ref } });
  expect(profile.rung).toBe(4);
  expect(profile.customerNumber).not.toBeNull();
  // A payment intent that names only the profile (its metadata) lands on it too.
  const only = await post(
    a,
    envelope("payment_intent.succeeded", { ...paymentIntent("pi_ref2", "", ref), customer: null }),
    SECRET_A,
  );
  expect(only.json.accepted).toBe(1);
  expect(
    (await eventsOf(a.workspaceId, "payment_succeeded")).find((e) => e.clientId.endsWith("pi_ref2"))?.profileId,
  ).toBe(ref);
});

test("charge.refunded → payment_refunded with the amount of this refund and the currency", async () => {
  await post(
    a,
    envelope("checkout.session.completed", session({ cs: "cs_r", pi: "pi_r", cus: "cus_r", email: "r@example.com" })),
    SECRET_A,
  );
  const charge = {
    id: "ch_r",
    object: "charge",
    amount: 5000,
    amount_captured: 5000,
    amount_refunded: 2000,
    refunded: false,
    currency: "usd",
    payment_intent: "pi_r",
    customer: "cus_r",
    billing_details: { email: "r@example.com", phone: null, name: "R" },
    metadata: {},
  };
  const first = await post(
    a,
    envelope("charge.refunded", charge, { previous_attributes: { amount_refunded: 0 } }),
    SECRET_A,
  );
  expect(first.json).toEqual({ received: true, accepted: 1 });
  const second = await post(
    a,
    envelope(
      "charge.refunded",
      { ...charge, amount_refunded: 5000, refunded: true },
      { previous_attributes: { amount_refunded: 2000 } },
    ),
    SECRET_A,
  );
  expect(second.json.accepted).toBe(1);
  const refunds = await eventsOf(a.workspaceId, "payment_refunded");
  expect(refunds.map((e) => (e.properties as { amount: number }).amount)).toEqual([2000, 3000]);
  expect(refunds[0]?.properties).toMatchObject({ currency: "usd", charge: "ch_r", totalRefunded: 2000 });
  expect(refunds[0]?.profileId).toBe(await profileIdOf(db, a.ws, "account", "cus_r"));
});

test("a replayed event answers 200 and has no second effect", async () => {
  const raw = envelope(
    "checkout.session.completed",
    session({ cs: "cs_rep", pi: "pi_rep", cus: "cus_rep", email: "rep@example.com" }),
  );
  expect((await post(a, raw, SECRET_A)).json.accepted).toBe(2);
  const before = (await eventsOf(a.workspaceId)).length;
  const again = await post(a, raw, SECRET_A); // Stripe retries with a fresh signature
  expect(again.status).toBe(200);
  expect(again.json).toEqual({ received: true, accepted: 0, duplicate: true });
  expect((await eventsOf(a.workspaceId)).length).toBe(before);
  const receipts = (await receiptsOf(a.workspaceId)).filter((r) => r.externalId === JSON.parse(raw).id);
  expect(receipts).toHaveLength(1);
});

test("bad, stale or missing signatures and another workspace's secret: 400 invalid_signature, nothing stored", async () => {
  const w = await testWorkspace(db);
  const secret = "whsec_onlyForThisWorkspace000000001";
  await connectIntegration(db, w.workspaceId, "stripe", {
    secretKey: "sk_live_Q1w2E3r4T5y6U7i8",
    webhookSecret: secret,
  });
  const raw = envelope(
    "checkout.session.completed",
    session({ cs: "cs_bad", pi: "pi_bad", cus: "cus_bad", email: "bad@example.com" }),
  );
  const cases = [
    await post(w, raw, "whsec_wrongSecret0000000000000000"),
    await post(w, raw, SECRET_A), // workspace A's own, valid secret does not verify B's … or w's deliveries
    await post(w, raw, secret, { timestamp: now() - 301 }),
    await post(w, raw, secret, { header: "t=1700000000,v1=deadbeef" }),
    await post(w, `${raw} `, secret, { header: Stripe.webhooks.generateTestHeaderString({ payload: raw, secret }) }),
    await call(receive, `/api/webhooks/stripe/${w.workspaceId}`, {
      method: "POST",
      raw,
      params: { workspaceId: w.workspaceId },
    }),
  ];
  for (const res of cases) {
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_signature");
  }
  expect(await receiptsOf(w.workspaceId)).toHaveLength(0);
  expect(await eventsOf(w.workspaceId)).toHaveLength(0);
  // Signed with B's secret, posted to A's URL: refused, and B's delivery to B's URL passes.
  expect((await post(a, raw, SECRET_B)).status).toBe(400);
  expect((await post(b, raw, SECRET_B)).status).toBe(200);
  // Within the tolerance it is accepted.
  const fresh = envelope("charge.succeeded", { id: "ch_x", object: "charge" });
  expect((await post(w, fresh, secret, { timestamp: now() - 200 })).status).toBe(200);
  // No Stripe connected, or no such workspace: 404, nothing stored.
  const none = await testWorkspace(db);
  expect((await post(none, raw, secret)).status).toBe(404);
  expect((await post({ workspaceId: "not-a-uuid" }, raw, secret)).status).toBe(404);
});

test("other event types: 200, kept as ignored, nothing stored", async () => {
  const w = await testWorkspace(db);
  await connectIntegration(db, w.workspaceId, "stripe", {
    secretKey: "rk_test_R1e2s3t4r5i6c7t8",
    webhookSecret: SECRET_A,
  });
  const raw = envelope("customer.created", { id: "cus_new", object: "customer", email: "new@example.com" });
  const res = await post(w, raw, SECRET_A);
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ received: true, accepted: 0 });
  const [receipt] = await receiptsOf(w.workspaceId);
  expect(receipt).toMatchObject({ outcome: "ignored", summary: "Stripe customer.created" });
  expect(await eventsOf(w.workspaceId)).toHaveLength(0);
  // A verified body that is no Stripe event: 400, kept as failed with the reason.
  const junk = JSON.stringify({ hello: "world" });
  const bad = await post(w, junk, SECRET_A);
  expect(bad.status).toBe(400);
});

test("the secret key and the signing secret are stored sealed, never readable in the row, and never answered", async () => {
  const w = await testWorkspace(db);
  const answer = await connectIntegration(db, w.workspaceId, "stripe", {
    secretKey: "sk_test_SealMeK3y000000001",
    webhookSecret: "whsec_SealMeToo0000000000001",
  });
  expect(JSON.stringify(answer)).not.toMatch(/SealMe/);
  expect(answer).toEqual({
    provider: "stripe",
    connected: true,
    webhookUrl: expect.stringContaining(`/api/webhooks/stripe/${w.workspaceId}`),
  });
  const rows = await db.$queryRawUnsafe<unknown[]>(
    `SELECT * FROM "WebhookEndpoint" WHERE "workspaceId" = $1::uuid`,
    w.workspaceId,
  );
  expect(rows).toHaveLength(1);
  expect(JSON.stringify(rows)).not.toMatch(/SealMe|sk_test|whsec_/);
  expect(rows[0]).toMatchObject({ provider: "stripe", name: "default", config: { mode: "test" } });
});
