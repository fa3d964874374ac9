import twilio from "twilio";
import { afterAll, beforeEach, expect, test } from "vitest";
import { POST as send } from "../../app/api/v1/messages/route.ts";
import { GET as profileGet } from "../../app/api/v1/profiles/[id]/route.ts";
import { GET as lookup } from "../../app/api/v1/profiles/route.ts";
import { POST as receive } from "../../app/api/webhooks/twilio/[workspaceId]/route.ts";
import { resetEnvCache } from "../../lib/config/env.ts";
import { decryptOrNull, hashIdentifier } from "../../lib/crypto/keys.ts";
import { mergeProfiles } from "../../lib/identity/merge-profiles.ts";
import { connectIntegration } from "../../lib/integrations/connect-integration.ts";
import { twilioLimits } from "../../lib/integrations/twilio/client.ts";
import { webhookUrl } from "../../lib/integrations/webhook-url.ts";
import { createApiKey } from "../../lib/workspaces/api-keys.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { startFakeTwilio } from "../support/fake-twilio.ts";
import { expectScopeMigration, SCOPES_BEFORE_SENDS } from "../support/scope-migration.ts";
import { testWorkspace } from "../support/workspace.ts";

const SID_A = `AC${"a1".repeat(16)}`;
const TOKEN_A = "0123456789abcdef0123456789abcdef";
const SID_C = `AC${"c3".repeat(16)}`;
const TOKEN_C = "cccccccccccccccc0123456789abcdef";
const SID_D = `AC${"d4".repeat(16)}`;
const TOKEN_D = "dddddddddddddddd0123456789abcdef";
const MG = `MG${"e5".repeat(16)}`;
const fake = await startFakeTwilio({ [SID_A]: TOKEN_A, [SID_C]: TOKEN_C, [SID_D]: TOKEN_D });
process.env.TWILIO_API_BASE = fake.origin;
resetEnvCache();
afterAll(async () => {
  await fake.close();
  delete process.env.TWILIO_API_BASE;
  resetEnvCache();
});
beforeEach(() => {
  fake.requests.length = 0;
});

const { db } = await useTestDb();
const a = await testWorkspace(db);
const b = await testWorkspace(db);
const c = await testWorkspace(db);
const d = await testWorkspace(db);
await connectIntegration(db, a.workspaceId, "twilio", {
  accountSid: SID_A,
  authToken: TOKEN_A,
  fromNumber: "+18055550199",
  whatsappFrom: "whatsapp:+14155238886",
});
// C sends through a Messaging Service only; D has an SMS number and no WhatsApp sender.
await connectIntegration(db, c.workspaceId, "twilio", {
  accountSid: SID_C,
  authToken: TOKEN_C,
  messagingServiceSid: MG,
});
await connectIntegration(db, d.workspaceId, "twilio", {
  accountSid: SID_D,
  authToken: TOKEN_D,
  fromNumber: "+18055550198",
});

let n = 0;
async function person(ws: typeof a, identity: Record<string, string>) {
  const [r] = await ws.ingest([
    { id: `p${++n}`, source: "webhook", type: "crm_updated", occurredAt: new Date().toISOString(), identity },
  ]);
  return r?.profileId as string;
}
const post = (ws: typeof a, body: unknown) => call(send, "/api/v1/messages", { method: "POST", key: ws.apiKey, body });

/** A delivery to the workspace's Twilio webhook exactly as Twilio posts it (signed by the SDK's own helper). */
function deliver(
  ws: typeof a,
  params: Record<string, string>,
  token = TOKEN_A,
  url = webhookUrl(ws.workspaceId, "twilio", "default"),
) {
  return call(receive, new URL(url).pathname + new URL(url).search, {
    method: "POST",
    raw: new URLSearchParams(params).toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(token, url, params),
    },
    params: { workspaceId: ws.workspaceId },
  });
}
const inbound = (from: string, body: string) => ({
  MessageSid: `SM${String(++n).padStart(32, "0")}`,
  AccountSid: SID_A,
  From: from,
  To: from.startsWith("whatsapp:") ? "whatsapp:+14155238886" : "+18055550199",
  Body: body,
  NumMedia: "0",
  SmsStatus: "received",
  ApiVersion: "2010-04-01",
});
const messageRow = (id: string) =>
  db.message.findUniqueOrThrow({ where: { id }, include: { conversation: { select: { channel: true } } } });
const basic = (sid: string, token: string) => `Basic ${Buffer.from(`${sid}:${token}`).toString("base64")}`;

test("an SMS: Twilio's Messages resource gets To/From/Body/StatusCallback with the account's basic auth; 201 and the message joins the thread", async () => {
  const profileId = await person(a, { phone: "(805) 555-0101", email: "sms@example.com" });
  const res = await post(a, { profileId, channel: "sms", body: "Your move is booked for Friday 9am." });
  expect(res.status).toBe(201);
  expect(res.json).toEqual({
    id: expect.any(String),
    status: "queued",
    providerId: expect.stringMatching(/^SM[0-9a-f]{32}$/),
  });
  expect(fake.requests).toHaveLength(1);
  const [req] = fake.requests;
  expect(req?.method).toBe("POST");
  expect(req?.path).toBe(`/2010-04-01/Accounts/${SID_A}/Messages.json`);
  expect(req?.headers.authorization).toBe(basic(SID_A, TOKEN_A));
  expect(req?.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
  expect(req?.headers["user-agent"]).toMatch(/^twilio-node\//);
  expect(req?.params).toEqual({
    To: "+18055550101",
    From: "+18055550199",
    Body: "Your move is booked for Friday 9am.",
    StatusCallback: `http://localhost:3000/api/webhooks/twilio/${a.workspaceId}`,
  });

  const m = await messageRow(res.json.id);
  expect(m).toMatchObject({ profileId, direction: "out", status: "queued", externalId: res.json.providerId });
  expect(m.conversation.channel).toBe("sms");
  expect(m.bodyEnc).not.toContain("Friday");
  expect(decryptOrNull(m.bodyEnc)).toBe("Your move is booked for Friday 9am.");
  const event = await db.event.findUniqueOrThrow({ where: { id: m.eventId as string } });
  expect(event).toMatchObject({ source: "channel", type: "message_out", channel: "sms", direction: "out", profileId });
  expect(event.properties).toMatchObject({
    provider: "twilio",
    status: "queued",
    purpose: "transactional",
    messageId: res.json.providerId,
  });
  expect(JSON.stringify(event.properties)).not.toContain("Friday");
  // The chatbot's lookup shows it in the person's thread.
  const found = await call(lookup, "/api/v1/profiles?phone=%2B18055550101", { key: a.apiKey });
  expect(found.json.thread.at(-1)).toMatchObject({
    id: res.json.id,
    channel: "sms",
    direction: "out",
    body: "Your move is booked for Friday 9am.",
    status: "queued",
  });
});

test("WhatsApp: whatsapp: on both numbers, from the WhatsApp sender; its own thread", async () => {
  const profileId = await person(a, { phone: "+18055550102" });
  const res = await post(a, { profileId, channel: "whatsapp", body: "Hi Ann, the van is on its way 🚚" });
  expect(res.status).toBe(201);
  expect(fake.requests[0]?.params).toMatchObject({
    To: "whatsapp:+18055550102",
    From: "whatsapp:+14155238886",
    Body: "Hi Ann, the van is on its way 🚚",
    StatusCallback: webhookUrl(a.workspaceId, "twilio", "default"),
  });
  expect((await messageRow(res.json.id)).conversation.channel).toBe("whatsapp");
});

test("a Messaging Service sends for SMS and WhatsApp when it is all there is; no WhatsApp sender at all: 409", async () => {
  const profileId = await person(c, { phone: "+18055550103" });
  for (const channel of ["sms", "whatsapp"]) {
    fake.requests.length = 0;
    const res = await post(c, { profileId, channel, body: "Reminder: movers at 9" });
    expect(res.status, channel).toBe(201);
    expect(res.json.status).toBe("queued"); // Twilio answers "accepted" for a service: queued for us
    expect(fake.requests[0]?.headers.authorization).toBe(basic(SID_C, TOKEN_C));
    expect(fake.requests[0]?.params).toEqual({
      To: channel === "whatsapp" ? "whatsapp:+18055550103" : "+18055550103",
      MessagingServiceSid: MG,
      Body: "Reminder: movers at 9",
      StatusCallback: webhookUrl(c.workspaceId, "twilio", "default"),
    });
  }
  fake.requests.length = 0;
  const noWhatsapp = await post(d, {
    profileId: await person(d, { phone: "+18055550104" }),
    channel: "whatsapp",
    body: "x",
  });
  expect(noWhatsapp.status).toBe(409);
  expect(noWhatsapp.json.error).toMatchObject({ code: "integration_missing" });
  expect(noWhatsapp.json.error.message).toContain("without a WhatsApp sender");
  expect(fake.requests).toHaveLength(0);
});

test("status callbacks signed as Twilio signs them move the sent message forward only", async () => {
  const profileId = await person(a, { phone: "+18055550105" });
  const res = await post(a, { profileId, channel: "sms", body: "Quote attached" });
  const url = fake.requests[0]?.params.StatusCallback as string;
  const status = (s: string) =>
    deliver(
      a,
      {
        MessageSid: res.json.providerId,
        SmsSid: res.json.providerId,
        MessageStatus: s,
        SmsStatus: s,
        AccountSid: SID_A,
        From: "+18055550199",
        To: "+18055550105",
        ApiVersion: "2010-04-01",
      },
      TOKEN_A,
      url as string,
    );
  const current = async () => (await messageRow(res.json.id)).status;
  expect((await status("sent")).status).toBe(200);
  expect(await current()).toBe("sent");
  await status("delivered");
  expect(await current()).toBe("delivered");
  await status("sent"); // late
  expect(await current()).toBe("delivered");
  await status("undelivered"); // a late failure never undoes delivered
  expect(await current()).toBe("delivered");
  const receipt = await db.webhookReceipt.findFirstOrThrow({
    where: { workspaceId: a.workspaceId, externalId: `${res.json.providerId}:delivered` },
  });
  expect(receipt).toMatchObject({ outcome: "processed", summary: `Twilio message ${res.json.providerId} delivered` });
});

test("a status callback that overtakes Twilio's answer is applied once the send is recorded", async () => {
  const profileId = await person(a, { phone: "+18055550106" });
  fake.state.beforeAnswer = async (sid, params) => {
    const early = await deliver(
      a,
      { MessageSid: sid, MessageStatus: "sent", AccountSid: SID_A, To: params.To as string },
      TOKEN_A,
      params.StatusCallback,
    );
    expect(early.status).toBe(200);
  };
  try {
    const res = await post(a, { profileId, channel: "sms", body: "Fast carrier" });
    expect(res.status).toBe(201);
    expect((await messageRow(res.json.id)).status).toBe("sent");
    const receipt = await db.webhookReceipt.findFirstOrThrow({
      where: { workspaceId: a.workspaceId, externalId: `${res.json.providerId}:sent` },
    });
    expect(receipt.outcome).toBe("processed");
    expect(receipt.summary).toContain("applied once the send was recorded");
  } finally {
    fake.state.beforeAnswer = null;
  }
});

test("STOP: the next send is 409 opted_out and never reaches Twilio (WhatsApp still may); START: it sends again; the profile shows it", async () => {
  const phone = "+18055550107";
  const profileId = await person(a, { phone });
  const optOuts = async () =>
    (await call(profileGet, `/api/v1/profiles/${profileId}`, { key: a.apiKey, params: { id: profileId } })).json
      .channelOptOuts;
  expect(await optOuts()).toEqual([]);
  await deliver(a, inbound(phone, "STOP"));
  expect(await optOuts()).toEqual([{ channel: "sms", scope: "sms", reason: "twilio_stop", since: expect.any(String) }]);
  fake.requests.length = 0;
  const refused = await post(a, { profileId, channel: "sms", body: "Still there?" });
  expect(refused.status).toBe(409);
  expect(refused.json.error.code).toBe("opted_out");
  expect(refused.json.error.message).toContain("opted out of SMS");
  expect(fake.requests).toHaveLength(0);
  expect((await post(a, { profileId, channel: "whatsapp", body: "On WhatsApp instead" })).status).toBe(201);

  await deliver(a, inbound(phone, "start"));
  expect(await optOuts()).toEqual([]);
  fake.requests.length = 0;
  const again = await post(a, { profileId, channel: "sms", body: "Welcome back" });
  expect(again.status).toBe(201);
  expect(fake.requests).toHaveLength(1);
});

test("Twilio's own STOP list (21610): 409 opted_out, the opt-out written here, the attempt recorded", async () => {
  const profileId = await person(a, { phone: "+18055550108" });
  fake.state.fail = { status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient" };
  try {
    const res = await post(a, { profileId, channel: "sms", body: "Hello?" });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("opted_out");
    expect(res.json.error.message).toContain("Attempt to send to unsubscribed recipient");
  } finally {
    fake.state.fail = null;
  }
  const hash = hashIdentifier(a.ws.hashSalt, "phone", "+18055550108");
  expect((await db.suppression.findMany({ where: { workspaceId: a.workspaceId, hash } })).map((s) => s.scope)).toEqual([
    "sms",
  ]);
  fake.requests.length = 0;
  expect((await post(a, { profileId, channel: "sms", body: "Hello?" })).status).toBe(409);
  expect(fake.requests).toHaveLength(0);
});

test("no phone: 422 no_phone; Twilio not connected: 409 integration_missing; another workspace's or no profile: 404 — nothing sent", async () => {
  const emailOnly = await person(a, { email: "nophone@example.com" });
  const res = await post(a, { profileId: emailOnly, channel: "sms", body: "x" });
  expect(res.status).toBe(422);
  expect(res.json.error.code).toBe("no_phone");
  const bPerson = await person(b, { phone: "+18055550109" });
  const missing = await post(b, { profileId: bPerson, channel: "sms", body: "x" });
  expect(missing.status).toBe(409);
  expect(missing.json.error.code).toBe("integration_missing");
  for (const id of [bPerson, "00000000-0000-7000-8000-000000000000", "not-a-uuid"]) {
    const r = await post(a, { profileId: id, channel: "sms", body: "x" });
    expect(r.status, id).toBe(404);
    expect(r.json.error.code).toBe("not_found");
  }
  expect(fake.requests).toHaveLength(0);
  expect(await db.message.count({ where: { profileId: { in: [emailOnly, bPerson] } } })).toBe(0);
});

test("a merged-away profile id is followed to the survivor", async () => {
  const older = await person(a, { phone: "+18055550110" });
  const newer = await person(a, { email: "merged@example.com" });
  await mergeProfiles(db, a.workspaceId, older, newer);
  const res = await post(a, { profileId: newer, channel: "sms", body: "Merged hello" });
  expect(res.status).toBe(201);
  expect((await messageRow(res.json.id)).profileId).toBe(older);
});

test("Twilio's errors, an HTML 500, a hang, no Twilio at all: 502 provider_error with the message, the attempt recorded as failed", async () => {
  const profileId = await person(a, { phone: "+18055550111" });
  const failedMessages = async () =>
    (await db.message.findMany({ where: { profileId, status: "failed" }, orderBy: { occurredAt: "asc" } })).map(
      (m) => ({
        body: decryptOrNull(m.bodyEnc),
        externalId: m.externalId,
      }),
    );
  fake.state.fail = { status: 400, code: 21211, message: "The 'To' number +18055550111 is not a valid phone number." };
  try {
    const res = await post(a, { profileId, channel: "sms", body: "Attempt one" });
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe("provider_error");
    expect(res.json.error.message).toContain("The 'To' number +18055550111 is not a valid phone number.");
    expect(res.json.error.details).toEqual([{ path: "twilio", message: "code 21211, HTTP 400" }]);
  } finally {
    fake.state.fail = null;
  }
  const [event] = await db.event.findMany({
    where: { profileId, type: "message_out" },
    orderBy: { receivedAt: "desc" },
    take: 1,
  });
  expect(JSON.stringify(event?.properties)).not.toContain("5550111");
  expect(event?.summary).toBe("SMS message out — not sent: The 'To' number [phone] is not a valid phone number.");
  expect(event?.properties).toMatchObject({
    status: "failed",
    errorCode: 21211,
    error: expect.stringContaining("not a valid phone number"),
  });

  fake.state.html500 = true;
  try {
    const res = await post(a, { profileId, channel: "sms", body: "Attempt two" });
    expect(res.status).toBe(502);
    expect(res.json.error.message).toContain("HTTP 500");
  } finally {
    fake.state.html500 = false;
  }

  fake.state.hang = true;
  twilioLimits.timeoutMs = 300;
  try {
    const started = Date.now();
    const res = await post(a, { profileId, channel: "sms", body: "Attempt three" });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.status).toBe(502);
    expect(res.json.error.message).toMatch(/did not answer in time/);
  } finally {
    fake.state.hang = false;
    twilioLimits.timeoutMs = 8_000;
  }

  process.env.TWILIO_API_BASE = "http://127.0.0.1:9";
  resetEnvCache();
  try {
    const res = await post(a, { profileId, channel: "sms", body: "Attempt four" });
    expect(res.status).toBe(502);
    expect(res.json.error.message).toMatch(/could not be reached/);
  } finally {
    process.env.TWILIO_API_BASE = fake.origin;
    resetEnvCache();
  }
  expect(await failedMessages()).toEqual(
    ["Attempt one", "Attempt two", "Attempt three", "Attempt four"].map((body) => ({ body, externalId: null })),
  );
});

test("marketing ends with Reply STOP to opt out, unless it already says how to stop; transactional is sent as written", async () => {
  const profileId = await person(a, { phone: "+18055550112" });
  const sent = async (body: string, purpose?: string) => {
    fake.requests.length = 0;
    const res = await post(a, { profileId, channel: "sms", body, ...(purpose ? { purpose } : {}) });
    expect(res.status).toBe(201);
    expect(decryptOrNull((await messageRow(res.json.id)).bodyEnc)).toBe(fake.requests[0]?.params.Body);
    return fake.requests[0]?.params.Body;
  };
  expect(await sent("Spring sale: 20% off moves booked this week", "marketing")).toBe(
    "Spring sale: 20% off moves booked this week\n\nReply STOP to opt out",
  );
  expect(await sent("Spring sale! Text STOP to unsubscribe", "marketing")).toBe(
    "Spring sale! Text STOP to unsubscribe",
  );
  expect(await sent("Your movers arrive at 9")).toBe("Your movers arrive at 9");
  expect(await sent("Your movers arrive at 9", "transactional")).toBe("Your movers arrive at 9");
  fake.requests.length = 0;
  const long = await post(a, { profileId, channel: "sms", body: "x".repeat(1590), purpose: "marketing" });
  expect(long.status).toBe(400);
  expect(long.json.error.details[0].path).toBe("body");
  expect(fake.requests).toHaveLength(0);
});

test("bad bodies: 400 naming the field, nothing sent", async () => {
  const profileId = await person(a, { phone: "+18055550113" });
  const cases: [Record<string, unknown>, string][] = [
    [{ channel: "email" }, "channel"],
    [{ channel: undefined }, "channel"],
    [{ body: "   " }, "body"],
    [{ body: "x".repeat(1601) }, "body"],
    [{ body: 5 }, "body"],
    [{ purpose: "promo" }, "purpose"],
    [{ profileId: "" }, "profileId"],
    [{ to: "+18055550100" }, ""],
  ];
  for (const [change, path] of cases) {
    const res = await post(a, { profileId, channel: "sms", body: "ok", ...change });
    expect(res.status, JSON.stringify(change)).toBe(400);
    if (path) expect(res.json.error.details.map((x: { path: string }) => x.path)).toContain(path);
  }
  expect(fake.requests).toHaveLength(0);
});

test("scope messages:write; the migration gives it to keys that held every earlier scope", async () => {
  const narrow = await createApiKey(db, a.workspaceId, "events only", null, ["events:write"]);
  const res = await call(send, "/api/v1/messages", {
    method: "POST",
    key: narrow.key,
    body: { profileId: await person(a, { phone: "+18055550114" }), channel: "sms", body: "x" },
  });
  expect(res.status).toBe(403);
  expect(res.json.error.message).toContain("messages:write");
  await expectScopeMigration(db, a.workspaceId, {
    migration: "messages_scope",
    before: SCOPES_BEFORE_SENDS,
    added: "messages:write",
    tag: "messages",
  });
});
