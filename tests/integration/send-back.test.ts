import { createHash } from "node:crypto";
import Stripe from "stripe";
import { afterAll, beforeEach, expect, test } from "vitest";
import { GET as cron } from "../../app/api/cron/[job]/route.ts";
import { POST as receiveStripe } from "../../app/api/webhooks/stripe/[workspaceId]/route.ts";
import { resetEnvCache } from "../../lib/config/env.ts";
import { sqlOf } from "../../lib/db/raw-sql.ts";
import { connectIntegration } from "../../lib/integrations/connect-integration.ts";
import { listIntegrations } from "../../lib/integrations/list-integrations.ts";
import { eraseProfile } from "../../lib/privacy/erase-profile.ts";
import { markGpc } from "../../lib/privacy/global-privacy-control.ts";
import { optOut } from "../../lib/privacy/opt-out.ts";
import { maySendBack, sendBackRefusals } from "../../lib/privacy/send-back.ts";
import { deliverConversions, deliveryLimits } from "../../lib/sendback/deliver-conversions.ts";
import { sendBackStatus } from "../../lib/sendback/send-back-status.ts";
import { call, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { metaError } from "../support/fake-ads.ts";
import { startFakeGoogle } from "../support/fake-google.ts";
import { startFakeMeta } from "../support/fake-meta.ts";
import { testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();
const meta = await startFakeMeta();
const google = await startFakeGoogle();
process.env.META_GRAPH_BASE = meta.origin;
process.env.GOOGLE_ADS_API_BASE = google.origin;
resetEnvCache();
afterAll(async () => {
  delete process.env.META_GRAPH_BASE;
  delete process.env.GOOGLE_ADS_API_BASE;
  resetEnvCache();
  await Promise.all([meta.close(), google.close()]);
});
// The job delivers for every workspace: what an earlier test left pending is put aside first.
beforeEach(async () => {
  await db.outbox.updateMany({ where: { status: "pending" }, data: { status: "cancelled" } });
  meta.reset();
  google.reset();
});

const sha = (v: string) => createHash("sha256").update(v).digest("hex");
const META_TOKEN = "EAAGtestMetaAccessToken0123456789";
const GOOGLE_TOKEN = "ya29.testGoogleAccessToken0123456789";
const STRIPE_SECRET = "whsec_sendBackStripeSecret0001";

/** A workspace with Meta (a test event code) and Google connected, and Stripe for the payments. */
async function connected(opts: { country?: string; meta?: boolean; google?: boolean } = {}) {
  const w = await testWorkspace(db, { country: opts.country });
  if (opts.meta !== false)
    await connectIntegration(db, w.workspaceId, "meta", {
      pixelId: "123456789012345",
      accessToken: META_TOKEN,
      testEventCode: "TEST12345",
    });
  if (opts.google !== false)
    await connectIntegration(db, w.workspaceId, "google", {
      customerId: "123-456-7890",
      conversionAction: "customers/1234567890/conversionActions/987654321",
      accessToken: GOOGLE_TOKEN,
    });
  await connectIntegration(db, w.workspaceId, "stripe", {
    secretKey: "sk_test_A1b2C3d4E5f6G7h8",
    webhookSecret: STRIPE_SECRET,
  });
  return w;
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
let n = 0;

/** A visitor landing from an ad (the click id in the landing URL), then giving an email and phone in a form. */
async function fromAd(
  w: Awaited<ReturnType<typeof connected>>,
  o: { click: string; email: string; phone?: string; at?: Date },
) {
  n++;
  const at = o.at ?? minutesAgo(30);
  const device = `d_ad_${n}`;
  const landed = new Date(at.getTime());
  await w.ingest([
    {
      id: `e_land_${n}`,
      source: "web",
      type: "page_view",
      occurredAt: landed.toISOString(),
      identity: { deviceId: device },
      properties: { url: `https://acme.test/quote/?${o.click}&utm_source=ads` },
    },
    {
      id: `e_form_${n}`,
      source: "web",
      type: "form_submit",
      occurredAt: new Date(at.getTime() + 60_000).toISOString(),
      identity: { deviceId: device, email: o.email, ...(o.phone ? { phone: o.phone } : {}) },
      properties: { form: "quote" },
    },
  ]);
  const profileId = (await profileIdOf(db, w.ws, "email", o.email)) as string;
  return { profileId, landed, formId: `e_form_${n}`, formAt: new Date(at.getTime() + 60_000) };
}

/** `checkout.session.completed` signed as Stripe signs it, through the real webhook route. */
async function stripePayment(w: { workspaceId: string }, email: string, pi: string, amount = 5000) {
  const raw = JSON.stringify({
    id: `evt_${pi}`,
    object: "event",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: "checkout.session.completed",
    data: {
      object: {
        id: `cs_${pi}`,
        object: "checkout.session",
        mode: "payment",
        status: "complete",
        payment_status: "paid",
        client_reference_id: null,
        metadata: {},
        amount_total: amount,
        amount_subtotal: amount,
        currency: "usd",
        customer: `cus_${pi}`,
        payment_intent: pi,
        customer_details: { email, phone: null, name: "Pat Doe" },
        payment_link: null,
      },
    },
  });
  const header = Stripe.webhooks.generateTestHeaderString({ payload: raw, secret: STRIPE_SECRET });
  const res = await call(receiveStripe, `/api/webhooks/stripe/${w.workspaceId}`, {
    method: "POST",
    raw,
    headers: { "content-type": "application/json", "stripe-signature": header },
    params: { workspaceId: w.workspaceId },
  });
  expect(res.status).toBe(200);
}

const outbox = (workspaceId: string) =>
  db.outbox.findMany({ where: { workspaceId }, orderBy: [{ destination: "asc" }, { occurredAt: "asc" }] });
const marks = (workspaceId: string, profileId: string) =>
  db.event.findMany({ where: { workspaceId, profileId, type: "conversion_sent" }, orderBy: { occurredAt: "asc" } });

test("Meta: a lead and a Stripe payment of someone from a Meta ad, in one request, in Meta's exact wire format", async () => {
  const w = await connected();
  const p = await fromAd(w, {
    click: "fbclid=IwAR2F4-AbCdEf_123",
    email: "John_Smith@gmail.com",
    phone: "(650) 555-1212",
  });
  await stripePayment(w, "john_smith@gmail.com", "pi_meta_1");
  const rows = await outbox(w.workspaceId);
  expect(rows.map((r) => [r.destination, r.kind, r.status])).toEqual([
    ["meta", "Lead", "pending"],
    ["meta", "Purchase", "pending"],
  ]);
  // The outbox keeps no readable identifier.
  // (Not "650" alone: uuids and hashes hold those digits by chance.)
  expect(JSON.stringify(rows)).not.toMatch(/john|6505551212|555-1212|\+1650/i);

  const result = await deliverConversions(db);
  expect(result).toMatchObject({ requests: 1, sent: 2, failed: 0, retrying: 0 });
  expect(google.requests).toHaveLength(0);
  expect(meta.requests).toHaveLength(1);
  const [req] = meta.requests;
  expect(req?.path).toBe("/v24.0/123456789012345/events");
  expect(req?.query.get("access_token")).toBe(META_TOKEN);
  expect(req?.headers["content-type"]).toBe("application/json");
  const payment = await db.event.findFirstOrThrow({ where: { workspaceId: w.workspaceId, type: "payment_succeeded" } });
  const userData = {
    // INTEGRATIONS.md section 9's vectors.
    em: ["62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"],
    ph: ["e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176"],
    external_id: [sha(p.profileId)],
    fbc: `fb.1.${p.landed.getTime()}.IwAR2F4-AbCdEf_123`,
  };
  expect(req?.body).toEqual({
    data: [
      {
        event_name: "Lead",
        event_time: Math.floor(p.formAt.getTime() / 1000),
        action_source: "other",
        // The browser's own event id: the pixel's `eventID` for the same form deduplicates.
        event_id: p.formId,
        user_data: userData,
      },
      {
        event_name: "Purchase",
        event_time: Math.floor(payment.occurredAt.getTime() / 1000),
        action_source: "system_generated",
        event_id: "stripe_payment_succeeded_pi_meta_1",
        user_data: userData,
        custom_data: { value: 50, currency: "USD" },
      },
    ],
    test_event_code: "TEST12345",
  });
  expect((await outbox(w.workspaceId)).map((r) => r.status)).toEqual(["delivered", "delivered"]);
  expect((await marks(w.workspaceId, p.profileId)).map((e) => e.summary)).toEqual(["Sent to Meta ✓", "Sent to Meta ✓"]);
  const [listed] = (await listIntegrations(db, w.workspaceId)).filter((i) => i.provider === "meta");
  expect(listed).toMatchObject({ connected: true, webhookUrl: null, lastError: null });
  expect(listed?.lastDeliveryAt).not.toBeNull();

  // The same delivery again from Stripe, and a second run: nothing new is sent.
  await stripePayment(w, "john_smith@gmail.com", "pi_meta_1");
  expect(await deliverConversions(db)).toMatchObject({ requests: 0 });
  expect(meta.requests).toHaveLength(1);
});

test("Google: click conversions by gclid with hashed email and phone, through the Data Manager API", async () => {
  const w = await connected();
  const p = await fromAd(w, {
    click: "gclid=Cj0KCQiA_test-Gclid",
    email: "Jane.Doe@gmail.com",
    phone: "+1 800 555 0102",
  });
  await w.ingest([
    {
      id: "booking_g1",
      source: "webhook",
      type: "booking_created",
      occurredAt: minutesAgo(5).toISOString(),
      identity: { email: "jane.doe@gmail.com" },
      properties: { amount: 1500, currency: "jpy" },
    },
  ]);
  expect(await deliverConversions(db)).toMatchObject({ requests: 1, sent: 2 });
  expect(meta.requests).toHaveLength(0);
  const [req] = google.requests;
  expect(req?.path).toBe("/v1/events:ingest");
  expect(req?.headers.authorization).toBe(`Bearer ${GOOGLE_TOKEN}`);
  const booking = await db.event.findFirstOrThrow({ where: { workspaceId: w.workspaceId, clientId: "booking_g1" } });
  const userData = {
    userIdentifiers: [
      { emailAddress: "d6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69" },
      { phoneNumber: "c5383c2eeada28210d27f011bc127d4f9562cf38ff0c9bba33dd45ae79b9fe7c" },
    ],
  };
  expect(req?.body).toEqual({
    destinations: [
      {
        operatingAccount: { accountType: "GOOGLE_ADS", accountId: "1234567890" },
        productDestinationId: "987654321",
      },
    ],
    encoding: "HEX",
    events: [
      {
        transactionId: p.formId,
        eventTimestamp: p.formAt.toISOString(),
        eventSource: "WEB",
        adIdentifiers: { gclid: "Cj0KCQiA_test-Gclid" },
        userData,
        consent: { adUserData: "CONSENT_GRANTED" },
      },
      {
        transactionId: "booking_g1",
        eventTimestamp: booking.occurredAt.toISOString(),
        eventSource: "OTHER",
        adIdentifiers: { gclid: "Cj0KCQiA_test-Gclid" },
        userData,
        conversionValue: 1500,
        currency: "JPY",
        consent: { adUserData: "CONSENT_GRANTED" },
      },
    ],
  });
  expect((await marks(w.workspaceId, p.profileId)).map((e) => e.summary)).toEqual([
    "Sent to Google Ads ✓",
    "Sent to Google Ads ✓",
  ]);
});

test("nobody from an ad, nothing enqueued; a person is one lead", async () => {
  const w = await connected();
  await w.ingest([
    {
      id: "organic_1",
      source: "web",
      type: "form_submit",
      occurredAt: minutesAgo(3).toISOString(),
      identity: { email: "org@example.com" },
    },
    {
      id: "organic_2",
      source: "webhook",
      type: "payment_succeeded",
      occurredAt: minutesAgo(2).toISOString(),
      identity: { email: "org@example.com" },
      properties: { amount: 100, currency: "usd" },
    },
  ]);
  const p = await fromAd(w, { click: "fbclid=oneLead", email: "lead@example.com" });
  await w.ingest([
    {
      id: "qual_1",
      source: "agent",
      type: "agent_action",
      occurredAt: minutesAgo(1).toISOString(),
      identity: { email: "lead@example.com" },
      properties: { agent: "qualify", action: "qualified_lead" },
    },
  ]);
  const rows = await outbox(w.workspaceId);
  expect(rows.map((r) => [r.profileId, r.kind])).toEqual([[p.profileId, "Lead"]]);
});

test("batching: 1,200 purchases go to Meta as 1,000 and 200", async () => {
  const w = await connected({ google: false });
  const events = [];
  const at = minutesAgo(60).getTime();
  for (let i = 0; i < 1200; i++) {
    events.push({
      id: `b_land_${i}`,
      source: "web",
      type: "page_view",
      occurredAt: new Date(at + i).toISOString(),
      identity: { deviceId: `d_batch_${i}` },
      properties: { url: `https://acme.test/?fbclid=batch${i}` },
    });
    events.push({
      id: `b_pay_${i}`,
      source: "webhook",
      type: "payment_succeeded",
      occurredAt: new Date(at + 60_000 + i).toISOString(),
      identity: { deviceId: `d_batch_${i}` },
      properties: { amount: 2500, currency: "usd" },
    });
  }
  let t = Date.now();
  await w.ingest(events);
  const ingestMs = Date.now() - t;
  expect(await db.outbox.count({ where: { workspaceId: w.workspaceId, status: "pending" } })).toBe(1200);
  t = Date.now();
  expect(await deliverConversions(db)).toMatchObject({ requests: 2, sent: 1200 });
  const deliverMs = Date.now() - t;
  // Figures for decision 021 (2,400 events with 1,200 conversions; one run delivering them).
  process.stdout.write(`send-back batch: ingest ${ingestMs} ms, deliver ${deliverMs} ms\n`);
  expect(meta.requests.map((r) => r.body.data.length)).toEqual([1000, 200]);
  const ids = meta.requests.flatMap((r) => r.body.data.map((e: { event_id: string }) => e.event_id));
  expect(new Set(ids).size).toBe(1200);
});

test("retry then success on 500 and 429 (Retry-After), the same event ids each time", async () => {
  const w = await connected({ google: false });
  const p = await fromAd(w, { click: "fbclid=retryMe", email: "retry@example.com" });
  meta.script.push({ status: 500 }, { status: 429, retryAfter: 120, body: metaError("Too many calls", 4) });
  const t0 = new Date();
  expect(await deliverConversions(db, t0)).toMatchObject({ requests: 1, retrying: 1 });
  let [row] = await outbox(w.workspaceId);
  expect(row).toMatchObject({ status: "pending", attempts: 1, lastStatus: 500 });
  // Backoff: not due again at once.
  expect(await deliverConversions(db, t0)).toMatchObject({ requests: 0 });
  expect((row?.nextAt.getTime() ?? 0) - t0.getTime()).toBeGreaterThanOrEqual(deliveryLimits.baseDelayMs / 2);
  const t1 = new Date(t0.getTime() + 3600_000);
  expect(await deliverConversions(db, t1)).toMatchObject({ requests: 1, retrying: 1 });
  [row] = await outbox(w.workspaceId);
  expect(row).toMatchObject({ status: "pending", attempts: 2, lastStatus: 429, lastError: "Too many calls" });
  expect((row?.nextAt.getTime() ?? 0) - t1.getTime()).toBeGreaterThanOrEqual(120_000);
  expect(await deliverConversions(db, new Date(t1.getTime() + 3600_000))).toMatchObject({ requests: 1, sent: 1 });
  [row] = await outbox(w.workspaceId);
  expect(row).toMatchObject({ status: "delivered", attempts: 3 });
  expect(meta.requests.map((r) => r.body.data[0].event_id)).toEqual([p.formId, p.formId, p.formId]);
  expect((await marks(w.workspaceId, p.profileId)).map((e) => e.summary)).toEqual(["Sent to Meta ✓"]);
});

test("a network error is retried; a 4xx is not: final at once, on the timeline and under Integrations", async () => {
  const w = await connected({ google: false });
  const p = await fromAd(w, { click: "fbclid=refuseMe", email: "refused@example.com" });
  meta.script.push({ drop: true, status: 0 }, { status: 400, body: metaError("Invalid parameter: bad pixel", 100) });
  const t0 = new Date();
  expect(await deliverConversions(db, t0)).toMatchObject({ retrying: 1 });
  expect((await outbox(w.workspaceId))[0]).toMatchObject({ status: "pending", lastStatus: 0 });
  expect(await deliverConversions(db, new Date(t0.getTime() + 3600_000))).toMatchObject({ failed: 1 });
  expect(await deliverConversions(db, new Date(t0.getTime() + 30 * 3600_000))).toMatchObject({ requests: 0 });
  expect(meta.requests).toHaveLength(2);
  const [row] = await outbox(w.workspaceId);
  expect(row).toMatchObject({
    status: "failed",
    attempts: 2,
    lastStatus: 400,
    lastError: "Invalid parameter: bad pixel",
  });
  expect((await marks(w.workspaceId, p.profileId)).map((e) => e.summary)).toEqual([
    "Meta refused: Invalid parameter: bad pixel",
  ]);
  const [listed] = (await listIntegrations(db, w.workspaceId)).filter((i) => i.provider === "meta");
  expect(listed?.lastError).toBe("Invalid parameter: bad pixel");
  const [status] = await sendBackStatus(db, w.workspaceId);
  expect(status).toMatchObject({ destination: "meta", counts: { failed: 1, delivered: 0, pending: 0 } });
  expect(status?.failures[0]).toMatchObject({
    profileId: p.profileId,
    conversion: "Lead",
    error: "Invalid parameter: bad pixel",
  });
  // Nothing kept or shown holds the token or the address.
  expect(JSON.stringify(await db.outbox.findMany({ where: { workspaceId: w.workspaceId } }))).not.toContain(META_TOKEN);
});

test("after N tries of 503 it fails for good", async () => {
  const w = await connected({ google: false });
  await fromAd(w, { click: "fbclid=alwaysDown", email: "down@example.com" });
  for (let i = 0; i < deliveryLimits.maxAttempts + 2; i++) meta.script.push({ status: 503 });
  let t = Date.now();
  for (let i = 0; i < deliveryLimits.maxAttempts + 2; i++) {
    await deliverConversions(db, new Date(t));
    t += 7 * 3600_000;
  }
  expect(meta.requests).toHaveLength(deliveryLimits.maxAttempts);
  const [row] = await outbox(w.workspaceId);
  expect(row?.status).toBe("failed");
  expect(row?.lastError).toMatch(/gave up after 8 tries/);
});

test("GPC, an opt-out and an EU person without consent: never sent (the fakes receive nothing)", async () => {
  const w = await connected();
  // GPC after the lead was queued: the row is cancelled; the payment after it is never queued.
  const gpc = await fromAd(w, { click: "fbclid=gpc1&gclid=gpc1", email: "gpc@example.com" });
  await markGpc(sqlOf(db), w.workspaceId, [gpc.profileId]);
  await stripePayment(w, "gpc@example.com", "pi_gpc");
  // Opted out of tracking.
  const out = await fromAd(w, { click: "fbclid=out1", email: "out@example.com" });
  await optOut(db, w.workspaceId, out.profileId, ["tracking"], "api");
  await stripePayment(w, "out@example.com", "pi_out");
  // Listed (sendback) after the enqueue, without the cancel: the delivery's own check stops it.
  const late = await fromAd(w, { click: "gclid=late1", email: "late@example.com" });
  const ident = await db.identifier.findFirstOrThrow({
    where: { workspaceId: w.workspaceId, profileId: late.profileId, type: "email" },
  });
  await db.suppression.create({
    data: { workspaceId: w.workspaceId, type: "email", hash: ident.hash, scope: "sendback", reason: "gpc" },
  });
  // Erased: their rows go with them.
  const gone = await fromAd(w, { click: "fbclid=gone1", email: "gone@example.com" });
  await eraseProfile(db, w.workspaceId, gone.profileId, { via: "api" });

  // The delivery's batched check agrees with maySendBack (decision 014's one check) person by person.
  const ok = await fromAd(w, { click: "fbclid=fine1", email: "fine@example.com" });
  const people = [gpc.profileId, out.profileId, late.profileId, ok.profileId];
  const refused = await sendBackRefusals(db, w.workspaceId, people);
  for (const id of people) expect(!refused.has(id)).toBe(await maySendBack(db, w.workspaceId, id));
  expect([...refused.keys()].sort()).toEqual([gpc.profileId, out.profileId, late.profileId].sort());
  await db.outbox.updateMany({ where: { profileId: ok.profileId }, data: { status: "cancelled" } });

  const rows = await outbox(w.workspaceId);
  expect(rows.filter((r) => r.status === "pending").map((r) => r.profileId)).toEqual([late.profileId]);
  expect(rows.filter((r) => r.profileId === gone.profileId)).toEqual([]);
  expect(await deliverConversions(db)).toMatchObject({ requests: 0, cancelled: 1 });
  expect(meta.requests).toHaveLength(0);
  expect(google.requests).toHaveLength(0);
  expect((await outbox(w.workspaceId)).map((r) => r.status).sort()).toEqual([
    "cancelled",
    "cancelled",
    "cancelled",
    "cancelled",
    "cancelled",
  ]);

  // An EU business: without a consent choice nothing is queued; with "granted" it is; "denied" stops it anywhere.
  const eu = await connected({ country: "FR" });
  const none = await fromAd(eu, { click: "fbclid=eu1", email: "eu1@example.com" });
  const yes = await fromAd(eu, { click: "fbclid=eu2", email: "eu2@example.com" });
  await db.consentRecord.create({
    data: { workspaceId: eu.workspaceId, profileId: yes.profileId, choice: "granted", country: "FR" },
  });
  const no = await fromAd(eu, { click: "fbclid=eu3", email: "eu3@example.com" });
  await db.consentRecord.create({
    data: { workspaceId: eu.workspaceId, profileId: no.profileId, choice: "denied", country: "FR" },
  });
  for (const [person, pi] of [
    [none, "pi_eu1"],
    [yes, "pi_eu2"],
    [no, "pi_eu3"],
  ] as const) {
    void person;
    await stripePayment(eu, `${pi.replace("pi_", "")}@example.com`, pi);
  }
  const euRows = await outbox(eu.workspaceId);
  expect(euRows.map((r) => [r.profileId, r.kind])).toEqual([[yes.profileId, "Purchase"]]);
  expect(await deliverConversions(db)).toMatchObject({ sent: 1 });
  expect(meta.requests).toHaveLength(1);
  expect(meta.requests[0]?.body.data[0].event_id).toBe("stripe_payment_succeeded_pi_eu2");
});

test("Meta's 7-day window: an old conversion is not queued for Meta (Google still gets it); a row gone stale fails unsent", async () => {
  const w = await connected();
  const old = await fromAd(w, {
    click: "fbclid=old1&gclid=old1",
    email: "old@example.com",
    at: new Date(Date.now() - 8 * 86400_000),
  });
  const rows = await outbox(w.workspaceId);
  expect(rows.map((r) => r.destination)).toEqual(["google"]);
  const fresh = await fromAd(w, { click: "fbclid=stale1", email: "stale@example.com" });
  const later = new Date(Date.now() + 8 * 86400_000);
  const result = await deliverConversions(db, later);
  expect(result).toMatchObject({ failed: 1, sent: 1 });
  expect(meta.requests).toHaveLength(0);
  expect(google.requests).toHaveLength(1);
  const [stale] = await db.outbox.findMany({ where: { workspaceId: w.workspaceId, profileId: fresh.profileId } });
  expect(stale).toMatchObject({ status: "failed", lastError: "older than Meta's 7-day window: not sent" });
  expect((await marks(w.workspaceId, fresh.profileId)).map((e) => e.summary)).toEqual([
    "Not sent to Meta: older than Meta's 7-day window: not sent",
  ]);
  expect((await marks(w.workspaceId, old.profileId)).map((e) => e.summary)).toEqual(["Sent to Google Ads ✓"]);
});

test("GET /api/cron/deliver runs the job once a minute with the cron secret", async () => {
  const w = await connected({ google: false });
  await fromAd(w, { click: "fbclid=cron1", email: "cron@example.com" });
  const get = (auth?: string) =>
    cron(new Request("http://localhost/api/cron/deliver", { headers: auth ? { authorization: auth } : {} }), {
      params: Promise.resolve({ job: "deliver" }),
    });
  expect((await get()).status).toBe(401);
  const res = await get(`Bearer ${process.env.CRON_SECRET}`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ job: "deliver", status: "done", result: { sent: 1 } });
  expect(meta.requests).toHaveLength(1);
});
