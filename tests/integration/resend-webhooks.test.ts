import { randomBytes } from "node:crypto";
import { Webhook } from "svix";
import { afterAll, expect, test } from "vitest";
import { POST as sendRoute } from "../../app/api/v1/emails/route.ts";
import { PUT as connectRoute } from "../../app/api/v1/integrations/[provider]/route.ts";
import { GET as listRoute } from "../../app/api/v1/integrations/route.ts";
import { POST as receive } from "../../app/api/webhooks/resend/[workspaceId]/route.ts";
import { resetEnvCache } from "../../lib/config/env.ts";
import { decrypt } from "../../lib/crypto/keys.ts";
import { createEmailSend } from "../../lib/email-tracking/create-email-send.ts";
import { connectIntegration } from "../../lib/integrations/connect-integration.ts";
import { signTestDelivery } from "../../lib/integrations/sign-test-delivery.ts";
import { call, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { startFakeResend } from "../support/fake-resend.ts";
import { testWorkspace } from "../support/workspace.ts";

const fake = await startFakeResend();
process.env.RESEND_API_BASE = fake.origin;
resetEnvCache();
afterAll(async () => {
  await fake.close();
  delete process.env.RESEND_API_BASE;
  resetEnvCache();
});

const { db } = await useTestDb();
const a = await testWorkspace(db);
const b = await testWorkspace(db);
const secret = () => `whsec_${randomBytes(24).toString("base64")}`;
const SECRET_A = secret();
const SECRET_B = secret();
const connectBody = (webhookSecret: string, apiKey = "re_TestKeyForWorkspaceA_123") => ({
  apiKey,
  webhookSecret,
  from: "Acme Movers <hello@mail.acme.test>",
});
await connectIntegration(db, a.workspaceId, "resend", connectBody(SECRET_A));
await connectIntegration(db, b.workspaceId, "resend", connectBody(SECRET_B, "re_TestKeyForWorkspaceB_456"));

let n = 0;
/** A Resend envelope (INTEGRATIONS.md 3.2). */
function envelope(type: string, data: Record<string, unknown>) {
  return JSON.stringify({ type, created_at: new Date().toISOString(), data });
}
const emailData = (emailId: string, to = "ann@example.com", extra: Record<string, unknown> = {}) => ({
  email_id: emailId,
  created_at: new Date().toISOString(),
  from: "Acme Movers <hello@mail.acme.test>",
  to: [to],
  subject: "Your moving quote",
  message_id: `<${emailId}@resend.test>`,
  ...extra,
});

/** A delivery signed exactly as Resend's Svix signs it: svix's own `Webhook.sign`. */
function post(
  ws: { workspaceId: string },
  raw: string,
  key: string,
  o: { id?: string; at?: Date; headers?: Record<string, string> } = {},
) {
  n++;
  const id = o.id ?? `msg_test_${n}_${Date.now()}`;
  const at = o.at ?? new Date();
  const headers = o.headers ?? {
    "content-type": "application/json",
    "svix-id": id,
    "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
    "svix-signature": new Webhook(key).sign(id, at, raw),
  };
  return call(receive, `/api/webhooks/resend/${ws.workspaceId}`, {
    method: "POST",
    raw,
    headers,
    params: { workspaceId: ws.workspaceId },
  });
}

const eventsOf = (workspaceId: string, type?: string) =>
  db.event.findMany({ where: { workspaceId, ...(type ? { type } : {}) }, orderBy: { receivedAt: "asc" } });
const receiptsOf = (workspaceId: string) => db.webhookReceipt.findMany({ where: { workspaceId } });

async function person(ws: typeof a, email: string) {
  const [r] = await ws.ingest([
    { source: "webhook", type: "crm_updated", occurredAt: new Date().toISOString(), identity: { email } },
  ]);
  return r?.profileId as string;
}

test("connect: PUT /api/v1/integrations/resend seals the API key and signing secret, answers neither, lists it", async () => {
  const w = await testWorkspace(db);
  const body = {
    apiKey: "re_SealMeApiKey_0001",
    webhookSecret: "whsec_U2VhbE1lVG9vU2VjcmV0MDAwMDAx",
    from: "hi@x.test",
  };
  const res = await call(connectRoute, "/api/v1/integrations/resend", {
    method: "PUT",
    key: w.apiKey,
    body,
    params: { provider: "resend" },
  });
  expect(res.status).toBe(200);
  expect(res.json).toEqual({
    provider: "resend",
    connected: true,
    webhookUrl: `http://localhost:3000/api/webhooks/resend/${w.workspaceId}`,
  });
  expect(res.text).not.toMatch(/SealMe|U2VhbE1l/);
  const rows = await db.$queryRawUnsafe<unknown[]>(
    `SELECT * FROM "WebhookEndpoint" WHERE "workspaceId" = $1::uuid`,
    w.workspaceId,
  );
  expect(JSON.stringify(rows)).not.toMatch(/SealMe|re_|whsec_/);
  expect(rows[0]).toMatchObject({ provider: "resend", name: "default", config: { from: "hi@x.test" } });
  const list = await call(listRoute, "/api/v1/integrations", { key: w.apiKey });
  expect(list.json.integrations).toEqual([
    expect.objectContaining({ provider: "resend", connected: true, webhookUrl: res.json.webhookUrl, lastError: null }),
  ]);
  expect(list.text).not.toMatch(/SealMe|re_Seal/);
  // Bad bodies name the field; nothing is stored for another workspace.
  for (const [change, path] of [
    [{ apiKey: "sk_live_nope1234" }, "apiKey"],
    [{ webhookSecret: "secret" }, "webhookSecret"],
    [{ from: "not an address" }, "from"],
    [{ from: "a@b.test\r\nBcc: x@y.test" }, "from"],
  ] as const) {
    const bad = await call(connectRoute, "/api/v1/integrations/resend", {
      method: "PUT",
      key: b.apiKey,
      body: { ...body, ...change },
      params: { provider: "resend" },
    });
    expect(bad.status, JSON.stringify(change)).toBe(400);
    expect(bad.json.error.details.map((d: { path: string }) => d.path)).toContain(path);
  }
  const missing = await call(connectRoute, "/api/v1/integrations/resend", {
    method: "PUT",
    key: w.apiKey,
    body: { apiKey: body.apiKey },
    params: { provider: "resend" },
  });
  expect(missing.status).toBe(400);
});

test("email events of a OneThread send land on its person once each; statuses only move forward", async () => {
  const profileId = await person(a, "ann@example.com");
  const send = await createEmailSend(db, {
    workspaceId: a.workspaceId,
    profileId,
    kind: "marketing",
    subject: "Your moving quote",
    providerId: "bd0307e4-5211-4741-b0f0-b2506e3c3582",
  });
  // A UUID whose digits look like a phone number ("4-5211-4741"): ids are kept whole, never redacted.
  const id = "bd0307e4-5211-4741-b0f0-b2506e3c3582";
  const sent = await post(a, envelope("email.sent", emailData(id)), SECRET_A);
  expect(sent.status).toBe(200);
  expect(sent.json).toEqual({ received: true, accepted: 1 });
  const delivered = await post(a, envelope("email.delivered", emailData(id)), SECRET_A);
  expect(delivered.json.accepted).toBe(1);
  const late = await post(a, envelope("email.sent", emailData(id)), SECRET_A); // out of order, another svix-id
  expect(late.json).toEqual({ received: true, accepted: 0 });
  expect((await db.emailSend.findUniqueOrThrow({ where: { id: send.id } })).status).toBe("delivered");
  await post(a, envelope("email.opened", emailData(id)), SECRET_A);
  await post(a, envelope("email.opened", emailData(id)), SECRET_A);
  const click = {
    ipAddress: "192.0.2.1",
    link: "https://acme.test/quote",
    timestamp: new Date().toISOString(),
    userAgent: "x",
  };
  await post(a, envelope("email.clicked", emailData(id, "ann@example.com", { click })), SECRET_A);
  const events = await eventsOf(a.workspaceId);
  const mine = events.filter((e) => e.profileId === profileId && e.source === "email");
  expect(mine.map((e) => e.type)).toEqual([
    "email_sent",
    "email_delivered",
    "email_opened",
    "email_opened",
    "email_clicked",
  ]);
  expect(mine[0]).toMatchObject({ clientId: `es_${send.id}`, channel: "email", direction: "out" });
  expect(mine[4]?.properties).toMatchObject({
    provider: "resend",
    messageId: id,
    emailSendId: send.id,
    link: "https://acme.test/quote",
  });
  expect(JSON.stringify(mine.map((e) => e.properties))).not.toContain("192.0.2.1");
  const row = await db.emailSend.findUniqueOrThrow({ where: { id: send.id } });
  expect(row.openedAt).toBeInstanceOf(Date);
  // A complaint after delivery is kept, and opts the address out of marketing mail.
  const complained = await post(a, envelope("email.complained", emailData(id)), SECRET_A);
  expect(complained.status).toBe(200);
  expect((await db.emailSend.findUniqueOrThrow({ where: { id: send.id } })).status).toBe("complained");
  const suppressions = await db.suppression.findMany({ where: { workspaceId: a.workspaceId, type: "email" } });
  expect(suppressions).toEqual([expect.objectContaining({ scope: "email:marketing", reason: "resend_complaint" })]);
  const receipts = await receiptsOf(a.workspaceId);
  expect(receipts.every((r) => r.scheme === "svix" && r.outcome === "processed")).toBe(true);
  expect(receipts.some((r) => Object.keys(r.headers as object).includes("svix-signature"))).toBe(false);
});

test("a mail sent with POST /api/v1/emails: Resend's email.sent is its own event again, delivered moves its message", async () => {
  const profileId = await person(a, "eve@example.com");
  const sent = await call(sendRoute, "/api/v1/emails", {
    method: "POST",
    key: a.apiKey,
    body: { profileId, subject: "Moving day", text: "See you at 9." },
  });
  expect(sent.status).toBe(201);
  const id = sent.json.providerId as string;
  expect((await post(a, envelope("email.sent", emailData(id, "eve@example.com")), SECRET_A)).json.accepted).toBe(0);
  expect((await post(a, envelope("email.delivered", emailData(id, "eve@example.com")), SECRET_A)).json.accepted).toBe(
    1,
  );
  const types = (await eventsOf(a.workspaceId)).filter((e) => e.profileId === profileId).map((e) => e.type);
  expect(types).toEqual(["crm_updated", "email_sent", "email_delivered"]);
  const message = await db.message.findFirstOrThrow({ where: { profileId, externalId: id } });
  expect(message.status).toBe("delivered");
  expect(decrypt(message.bodyEnc as string)).toBe("See you at 9.");
  expect((await db.emailSend.findUniqueOrThrow({ where: { id: sent.json.id } })).status).toBe("delivered");
});

test("an email not sent from OneThread: the event lands on whoever holds the recipient's address", async () => {
  const profileId = await person(a, "bo@example.com");
  const res = await post(
    a,
    envelope(
      "email.bounced",
      emailData("b0b0b0b0", "Bo@Example.com", {
        bounce: { message: "Mailbox does not exist", type: "Permanent", subType: "General" },
      }),
    ),
    SECRET_A,
  );
  expect(res.json.accepted).toBe(1);
  const [bounced] = await eventsOf(a.workspaceId, "email_bounced");
  expect(bounced).toMatchObject({ profileId, clientId: "resend_email_bounced_b0b0b0b0" });
  expect(bounced?.properties).toMatchObject({ bounceType: "Permanent", bounceMessage: "Mailbox does not exist" });
  const [receipt] = (await receiptsOf(a.workspaceId)).filter((r) => r.summary?.includes("bounced"));
  expect(receipt?.summary).toBe("Resend email.bounced (an email not sent from OneThread)");
});

test("a replayed delivery (same svix-id) answers 200 and has no second effect", async () => {
  const raw = envelope("email.opened", emailData("replay-1", "rep@example.com"));
  const first = await post(a, raw, SECRET_A, { id: "msg_replay_1" });
  expect(first.json.accepted).toBe(1);
  const before = (await eventsOf(a.workspaceId)).length;
  const again = await post(a, raw, SECRET_A, { id: "msg_replay_1" });
  expect(again.status).toBe(200);
  expect(again.json).toEqual({ received: true, accepted: 0, duplicate: true });
  expect((await eventsOf(a.workspaceId)).length).toBe(before);
  expect((await receiptsOf(a.workspaceId)).filter((r) => r.externalId === "msg_replay_1")).toHaveLength(1);
});

test("bad, stale or future signatures and another workspace's secret: 400 invalid_signature, nothing stored", async () => {
  const w = await testWorkspace(db);
  const own = secret();
  await connectIntegration(db, w.workspaceId, "resend", connectBody(own));
  const raw = envelope("email.delivered", emailData("bad-1", "bad@example.com"));
  const at = new Date();
  const ts = String(Math.floor(at.getTime() / 1000));
  const cases = [
    await post(w, raw, secret()),
    await post(w, raw, SECRET_A), // workspace A's own, valid secret never verifies w's deliveries
    await post(w, raw, own, { at: new Date(Date.now() - 6 * 60_000) }),
    await post(w, raw, own, { at: new Date(Date.now() + 6 * 60_000) }),
    await post(w, raw, own, {
      headers: { "svix-id": "msg_x", "svix-timestamp": ts, "svix-signature": new Webhook(own).sign("msg_y", at, raw) },
    }),
    await post(w, raw, own, { headers: { "svix-id": "msg_x", "svix-timestamp": ts, "svix-signature": "v1,AAAA" } }),
    await post(w, raw, own, { headers: { "content-type": "application/json" } }),
  ];
  for (const res of cases) {
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_signature");
  }
  expect(await receiptsOf(w.workspaceId)).toHaveLength(0);
  expect(await eventsOf(w.workspaceId)).toHaveLength(0);
  // Signed with B's secret, posted to A's URL: refused; to B's URL: accepted.
  expect((await post(a, raw, SECRET_B)).status).toBe(400);
  expect((await post(b, raw, SECRET_B)).status).toBe(200);
  // Within the ±5 minutes it passes.
  expect((await post(w, raw, own, { at: new Date(Date.now() - 4 * 60_000) })).status).toBe(200);
  // No Resend connected, or no such workspace: 404.
  const none = await testWorkspace(db);
  expect((await post(none, raw, own)).status).toBe(404);
  expect((await post({ workspaceId: "not-a-uuid" }, raw, own)).status).toBe(404);
});

test("email.received: the body is fetched from the workspace's Resend, email_replied with the full text in the thread", async () => {
  const profileId = await person(a, "cy@example.com");
  const long = `Hi! Yes, Friday works.\n\n${"We have a piano and three bookcases. ".repeat(120)}`;
  expect(long.length).toBeGreaterThan(2000);
  fake.received.set("in-1", { from: "Cy Doe <cy@example.com>", subject: "Re: Your moving quote", text: long });
  fake.requests.length = 0;
  const res = await post(
    a,
    envelope("email.received", {
      email_id: "in-1",
      created_at: new Date().toISOString(),
      from: "Cy Doe <cy@example.com>",
      to: ["hello@inbound.acme.test"],
      subject: "Re: Your moving quote",
      message_id: "<x@y>",
      attachments: [],
    }),
    SECRET_A,
  );
  expect(res.status).toBe(200);
  expect(res.json.accepted).toBe(1);
  expect(fake.requests).toHaveLength(1);
  expect(fake.requests[0]).toMatchObject({ method: "GET", path: "/emails/receiving/in-1?html_format=cid" });
  expect(fake.requests[0]?.headers.authorization).toBe("Bearer re_TestKeyForWorkspaceA_123");
  const [replied] = await eventsOf(a.workspaceId, "email_replied");
  expect(replied).toMatchObject({ profileId, source: "email", channel: "email", direction: "in" });
  expect(JSON.stringify(replied?.properties)).not.toContain("piano");
  const message = await db.message.findFirstOrThrow({ where: { eventId: replied?.id } });
  expect(message).toMatchObject({ direction: "in", externalId: "in-1", profileId });
  expect(decrypt(message.bodyEnc as string)).toBe(long.trim());
  const thread = await db.conversation.findUniqueOrThrow({ where: { id: message.conversationId } });
  expect(thread).toMatchObject({ profileId, channel: "email" });
  // A mail from somebody new starts a person of their own, at the email rung.
  fake.received.set("in-2", {
    from: "new.person@example.com",
    subject: "Quote?",
    html: "<p>Do you move <b>pianos</b>?</p>",
  });
  await post(
    a,
    envelope("email.received", {
      email_id: "in-2",
      from: "new.person@example.com",
      to: ["hello@inbound.acme.test"],
      subject: "Quote?",
    }),
    SECRET_A,
  );
  const newcomer = await profileIdOf(db, a.ws, "email", "new.person@example.com");
  expect(newcomer).not.toBeNull();
  const [m2] = await db.message.findMany({ where: { profileId: newcomer as string } });
  expect(decrypt(m2?.bodyEnc as string)).toBe("Do you move pianos?");
});

test("email.received whose body cannot be fetched: 502 so Resend retries, and the retry completes it once", async () => {
  const profileId = await person(a, "dee@example.com");
  fake.received.set("in-3", { from: "dee@example.com", subject: "Re: quote", text: "Sounds good." });
  const raw = envelope("email.received", {
    email_id: "in-3",
    from: "dee@example.com",
    to: ["hello@inbound.acme.test"],
    subject: "Re: quote",
  });
  fake.state.failReceiving = 1;
  const failed = await post(a, raw, SECRET_A, { id: "msg_in_3" });
  expect(failed.status).toBe(502);
  expect(failed.json.error.code).toBe("provider_error");
  expect(failed.json.error.message).toContain("Something went wrong on our side.");
  const receipt = await db.webhookReceipt.findFirstOrThrow({
    where: { workspaceId: a.workspaceId, externalId: "msg_in_3" },
  });
  expect(receipt).toMatchObject({ outcome: "failed", attempts: 1 });
  expect(receipt.error).toContain("Resend");
  expect(await db.event.count({ where: { workspaceId: a.workspaceId, profileId, type: "email_replied" } })).toBe(0);
  const retried = await post(a, raw, SECRET_A, { id: "msg_in_3" });
  expect(retried.status).toBe(200);
  expect(retried.json.accepted).toBe(1);
  expect(await db.webhookReceipt.findFirstOrThrow({ where: { id: receipt.id } })).toMatchObject({
    outcome: "processed",
    attempts: 2,
    error: null,
  });
  expect((await post(a, raw, SECRET_A, { id: "msg_in_3" })).json.duplicate).toBe(true);
  expect(await db.event.count({ where: { workspaceId: a.workspaceId, profileId, type: "email_replied" } })).toBe(1);
  // Resend cannot be reached at all: also a 502.
  process.env.RESEND_API_BASE = "http://127.0.0.1:9";
  resetEnvCache();
  try {
    const unreachable = await post(a, raw.replace("in-3", "in-4"), SECRET_A);
    expect(unreachable.status).toBe(502);
    expect(unreachable.json.error.message).toMatch(/could not be reached/);
  } finally {
    process.env.RESEND_API_BASE = fake.origin;
    resetEnvCache();
  }
});

test("other types are kept as ignored; a verified body that is no Resend event is a 400; the settings test event verifies", async () => {
  const w = await testWorkspace(db);
  const own = secret();
  await connectIntegration(db, w.workspaceId, "resend", connectBody(own));
  const other = await post(w, envelope("contact.created", { id: "c1", email: "x@example.com" }), own);
  expect(other.status).toBe(200);
  expect(other.json).toEqual({ received: true, accepted: 0 });
  expect((await receiptsOf(w.workspaceId))[0]).toMatchObject({
    outcome: "ignored",
    summary: expect.stringContaining("contact.created"),
  });
  expect((await post(w, JSON.stringify({ hello: "world" }), own)).status).toBe(400);
  expect((await post(w, "not json", own)).status).toBe(400);
  const t = await signTestDelivery(db, w.workspaceId, "resend");
  const res = await call(receive, `/api/webhooks/resend/${w.workspaceId}`, {
    method: "POST",
    raw: t.body,
    headers: t.headers,
    params: { workspaceId: w.workspaceId },
  });
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ received: true, accepted: 0, test: true });
  const logged = (await receiptsOf(w.workspaceId)).find(
    (r) => r.externalId === (t.headers as Record<string, string>)["svix-id"],
  );
  expect(logged).toMatchObject({
    scheme: "svix",
    outcome: "ignored",
    summary: "Resend test event (verified, not stored)",
  });
  expect(await eventsOf(w.workspaceId)).toHaveLength(0);
});
