import twilio from "twilio";
import { expect, test, vi } from "vitest";
import { POST as receive } from "../../app/api/webhooks/twilio/[workspaceId]/route.ts";
import { decryptOrNull, encrypt, hashIdentifier } from "../../lib/crypto/keys.ts";
import { connectIntegration, disconnectIntegration } from "../../lib/integrations/connect-integration.ts";
import { listIntegrations } from "../../lib/integrations/list-integrations.ts";
import { signTestDelivery } from "../../lib/integrations/sign-test-delivery.ts";
import { webhookUrl } from "../../lib/integrations/webhook-url.ts";
import { call, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();
const a = await testWorkspace(db);
const b = await testWorkspace(db);
const TOKEN_A = "0123456789abcdef0123456789abcdef";
const TOKEN_B = "fedcba9876543210fedcba9876543210";
const connectA = await connectIntegration(db, a.workspaceId, "twilio", {
  accountSid: `AC${"a".repeat(32)}`,
  authToken: TOKEN_A,
  fromNumber: "+18055550199",
  whatsappFrom: "whatsapp:+14155238886",
});
await connectIntegration(db, b.workspaceId, "twilio", { accountSid: `AC${"b".repeat(32)}`, authToken: TOKEN_B });

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
let n = 0;
const sid = (prefix = "SM") => `${prefix}${String(++n).padStart(8, "0")}${"0".repeat(24)}`;

/**
 * A delivery exactly as Twilio posts it: form-encoded parameters, X-Twilio-Signature by the SDK's own helper
 * over the URL configured in Twilio (APP_URL + path + query) and the parameters.
 */
function post(
  ws: { workspaceId: string },
  params: Record<string, string>,
  token: string,
  o: { query?: string; signedQuery?: string; signature?: string } = {},
) {
  const path = `/api/webhooks/twilio/${ws.workspaceId}${o.query ?? ""}`;
  const signedUrl = `${webhookUrl(ws.workspaceId, "twilio", "default")}${o.signedQuery ?? o.query ?? ""}`;
  return call(receive, path, {
    method: "POST",
    raw: new URLSearchParams(params).toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": o.signature ?? twilio.getExpectedTwilioSignature(token, signedUrl, params),
      "i-twilio-idempotency-token": `idem-${n}`,
    },
    params: { workspaceId: ws.workspaceId },
  });
}

const inbound = (from: string, body: string, extra: Record<string, string> = {}) => ({
  ToCountry: "US",
  SmsMessageSid: "",
  NumMedia: "0",
  SmsSid: "",
  SmsStatus: "received",
  Body: body,
  To: from.startsWith("whatsapp:") ? "whatsapp:+14155238886" : "+18055550199",
  NumSegments: "1",
  MessageSid: sid(),
  AccountSid: `AC${"a".repeat(32)}`,
  From: from,
  ApiVersion: "2010-04-01",
  ...extra,
});

const messagesOf = async (profileId: string) => {
  const rows = await db.message.findMany({
    where: { profileId },
    orderBy: { occurredAt: "asc" },
    include: { conversation: { select: { channel: true } } },
  });
  return rows.map((m) => ({
    body: decryptOrNull(m.bodyEnc),
    channel: m.conversation.channel,
    direction: m.direction,
    status: m.status,
    externalId: m.externalId,
  }));
};
const receiptsOf = (workspaceId: string) =>
  db.webhookReceipt.findMany({ where: { workspaceId, provider: "twilio" }, orderBy: { receivedAt: "asc" } });
const phoneHash = (raw: string) => hashIdentifier(a.ws.hashSalt, "phone", raw);
const suppressions = (raw: string) =>
  db.suppression.findMany({ where: { workspaceId: a.workspaceId, type: "phone", hash: phoneHash(raw) } });

test("an inbound SMS: message_in with the full body in the person's thread, answered with empty TwiML", async () => {
  const body = `Hi! Is the ${"very long ".repeat(20)}appointment on Friday still free? Call me back — Ann`;
  const params = inbound("+18055550100", body);
  const res = await post(a, params, TOKEN_A);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/xml/);
  expect(res.text).toBe(EMPTY_TWIML);
  const profileId = (await profileIdOf(db, a.ws, "phone", "(805) 555-0100")) as string;
  expect(profileId).toBeTruthy();
  expect(await messagesOf(profileId)).toEqual([
    { body, channel: "sms", direction: "in", status: "received", externalId: params.MessageSid },
  ]);
  const [event] = await db.event.findMany({ where: { workspaceId: a.workspaceId, profileId, type: "message_in" } });
  expect(event).toMatchObject({ source: "channel", channel: "sms", direction: "in" });
  expect(JSON.stringify(event?.properties)).not.toContain("Friday");
  const receipts = await receiptsOf(a.workspaceId);
  expect(receipts.at(-1)).toMatchObject({
    externalId: params.MessageSid,
    scheme: "twilio",
    outcome: "processed",
    summary: "Twilio SMS received",
  });
  expect(Object.keys(receipts.at(-1)?.headers as object)).not.toContain("x-twilio-signature");
});

test("an inbound WhatsApp message: whatsapp:+1… is the same phone (R1), its own thread labelled whatsapp", async () => {
  await post(a, inbound("+18055550101", "first by SMS"), TOKEN_A);
  const res = await post(
    a,
    inbound("whatsapp:+18055550101", "then on WhatsApp", { ProfileName: "Bo", WaId: "18055550101" }),
    TOKEN_A,
  );
  expect(res.text).toBe(EMPTY_TWIML);
  const profileId = (await profileIdOf(db, a.ws, "phone", "805-555-0101")) as string;
  const messages = await messagesOf(profileId);
  expect(messages.map((m) => [m.channel, m.body])).toEqual([
    ["sms", "first by SMS"],
    ["whatsapp", "then on WhatsApp"],
  ]);
  expect((await receiptsOf(a.workspaceId)).at(-1)?.summary).toBe("Twilio WhatsApp received");
});

test("a replay: 200 with empty TwiML, no second message", async () => {
  const params = inbound("+18055550102", "only once please");
  await post(a, params, TOKEN_A);
  const again = await post(a, params, TOKEN_A);
  expect(again.status).toBe(200);
  expect(again.text).toBe(EMPTY_TWIML);
  const profileId = (await profileIdOf(db, a.ws, "phone", "+18055550102")) as string;
  expect(await messagesOf(profileId)).toHaveLength(1);
  expect((await receiptsOf(a.workspaceId)).filter((r) => r.externalId === params.MessageSid)).toHaveLength(1);
});

test("STOP opts the number out of that channel at once (the message is recorded), START opts it back in", async () => {
  const phone = "+18055550103";
  await post(a, inbound(phone, "hello"), TOKEN_A);
  const stop = await post(a, inbound(phone, "  stop \n"), TOKEN_A);
  expect(stop.text).toBe(EMPTY_TWIML);
  expect((await suppressions(phone)).map((s) => [s.scope, s.reason])).toEqual([["sms", "twilio_stop"]]);
  const profileId = (await profileIdOf(db, a.ws, "phone", phone)) as string;
  expect((await messagesOf(profileId)).map((m) => m.body)).toEqual(["hello", "  stop \n"]);
  expect((await receiptsOf(a.workspaceId)).at(-1)?.summary).toBe("Twilio SMS STOP: opted out of SMS");

  // Another channel is its own opt-out; a word inside a sentence is no keyword.
  await post(a, inbound(`whatsapp:${phone}`, "Quit"), TOKEN_A);
  await post(a, inbound(phone, "please stop calling me at work"), TOKEN_A);
  expect((await suppressions(phone)).map((s) => s.scope).sort()).toEqual(["sms", "whatsapp"]);
  // Later messages are still recorded (the opt-out is of sends on that channel, not of the thread).
  expect((await messagesOf(profileId)).map((m) => m.body)).toContain("please stop calling me at work");

  await post(a, inbound(phone, "START"), TOKEN_A);
  expect((await suppressions(phone)).map((s) => s.scope)).toEqual(["whatsapp"]);
  await post(a, inbound(`whatsapp:${phone}`, "unstop"), TOKEN_A);
  expect(await suppressions(phone)).toEqual([]);

  for (const word of ["STOPALL", "UNSUBSCRIBE", "CANCEL", "END"]) {
    const p = `+1805555020${["STOPALL", "UNSUBSCRIBE", "CANCEL", "END"].indexOf(word)}`;
    await post(a, inbound(p, word.toLowerCase()), TOKEN_A);
    expect(
      (await suppressions(p)).map((s) => s.scope),
      word,
    ).toEqual(["sms"]);
  }
});

test("status callbacks only move a message forward: delivered, then a late sent, stays delivered; then read", async () => {
  const messageSid = sid();
  await a.ingest([
    {
      source: "channel",
      type: "message_out",
      channel: "whatsapp",
      occurredAt: new Date().toISOString(),
      identity: { phone: "+18055550104" },
      properties: { body: "Your table is booked", messageId: messageSid, status: "queued" },
    },
  ]);
  const status = (s: string, extra: Record<string, string> = {}) =>
    post(
      a,
      {
        MessageSid: messageSid,
        SmsSid: messageSid,
        MessageStatus: s,
        SmsStatus: s,
        AccountSid: `AC${"a".repeat(32)}`,
        From: "whatsapp:+14155238886",
        To: "whatsapp:+18055550104",
        ApiVersion: "2010-04-01",
        ...extra,
      },
      TOKEN_A,
    );
  const current = async () =>
    (await db.message.findFirstOrThrow({ where: { workspaceId: a.workspaceId, externalId: messageSid } })).status;
  expect((await status("delivered")).text).toBe(EMPTY_TWIML);
  expect(await current()).toBe("delivered");
  expect((await status("sent")).status).toBe(200);
  expect(await current()).toBe("delivered");
  expect((await receiptsOf(a.workspaceId)).at(-1)).toMatchObject({
    externalId: `${messageSid}:sent`,
    outcome: "processed",
    summary: `Twilio status sent for ${messageSid} arrived late: the message stays delivered`,
  });
  await status("undelivered", { ErrorCode: "30008" });
  expect(await current()).toBe("delivered");
  await status("read");
  expect(await current()).toBe("read");
  // A replayed status is the same delivery: nothing again.
  await status("read");
  expect((await receiptsOf(a.workspaceId)).filter((r) => r.externalId === `${messageSid}:read`)).toHaveLength(1);

  // A failure before delivery is final.
  const other = sid();
  await a.ingest([
    {
      source: "channel",
      type: "message_out",
      channel: "sms",
      occurredAt: new Date().toISOString(),
      identity: { phone: "+18055550104" },
      properties: { body: "Reminder", messageId: other, status: "queued" },
    },
  ]);
  const post2 = (s: string) => post(a, { MessageSid: other, MessageStatus: s, To: "+18055550104" }, TOKEN_A);
  await post2("sent");
  await post2("failed");
  await post2("delivered");
  expect((await db.message.findFirstOrThrow({ where: { workspaceId: a.workspaceId, externalId: other } })).status).toBe(
    "failed",
  );
});

test("a status for a message this app does not know: kept, ignored, saying why", async () => {
  const unknown = sid();
  const res = await post(a, { MessageSid: unknown, MessageStatus: "delivered", To: "+18055550105" }, TOKEN_A);
  expect(res.text).toBe(EMPTY_TWIML);
  expect((await receiptsOf(a.workspaceId)).at(-1)).toMatchObject({
    externalId: `${unknown}:delivered`,
    outcome: "ignored",
    summary: `Twilio status delivered for ${unknown}: no message sent from OneThread has this sid`,
  });
});

test("voice: a completed inbound call is call_in, an outbound one call_out, a missed one call_missed, a recording voicemail", async () => {
  const voice = (extra: Record<string, string>) =>
    post(a, { AccountSid: `AC${"a".repeat(32)}`, ApiVersion: "2010-04-01", ...extra }, TOKEN_A);
  const callIn = sid("CA");
  const ringing = await voice({
    CallSid: callIn,
    CallStatus: "ringing",
    Direction: "inbound",
    From: "+18055550106",
    To: "+18055550199",
  });
  expect(ringing.text).toBe(EMPTY_TWIML);
  await voice({
    CallSid: callIn,
    CallStatus: "completed",
    CallDuration: "42",
    Direction: "inbound",
    From: "+18055550106",
    To: "+18055550199",
  });
  const missed = sid("CA");
  await voice({
    CallSid: missed,
    CallStatus: "no-answer",
    Direction: "inbound",
    From: "+18055550107",
    To: "+18055550199",
  });
  const dialMissed = sid("CA");
  await voice({
    CallSid: dialMissed,
    CallStatus: "in-progress",
    DialCallStatus: "busy",
    Direction: "inbound",
    From: "+18055550108",
    To: "+18055550199",
  });
  const out = sid("CA");
  await voice({
    CallSid: out,
    CallStatus: "completed",
    CallDuration: "65",
    Direction: "outbound-api",
    From: "+18055550199",
    To: "+18055550109",
  });
  const unanswered = sid("CA");
  await voice({
    CallSid: unanswered,
    CallStatus: "no-answer",
    Direction: "outbound-api",
    From: "+18055550199",
    To: "+18055550109",
  });
  await voice({
    CallSid: missed,
    CallStatus: "completed",
    Direction: "inbound",
    From: "+18055550107",
    To: "+18055550199",
    RecordingUrl: "https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE1",
    RecordingSid: "RE00000001",
    RecordingDuration: "12",
  });
  const typesOf = async (phone: string) =>
    (
      await db.event.findMany({
        where: { workspaceId: a.workspaceId, profileId: (await profileIdOf(db, a.ws, "phone", phone)) as string },
        orderBy: { receivedAt: "asc" },
      })
    ).map((e) => [e.type, e.channel, e.direction]);
  expect(await typesOf("+18055550106")).toEqual([["call_in", "voice", "in"]]);
  expect(await typesOf("+18055550107")).toEqual([
    ["call_missed", "voice", "in"],
    ["voicemail", "voice", "in"],
  ]);
  expect(await typesOf("+18055550108")).toEqual([["call_missed", "voice", "in"]]);
  expect(await typesOf("+18055550109")).toEqual([["call_out", "voice", "out"]]);
  const byId = new Map((await receiptsOf(a.workspaceId)).map((r) => [r.externalId, r]));
  expect(byId.get(`${callIn}:ringing`)?.outcome).toBe("ignored");
  expect(byId.get(`${unanswered}:no-answer`)?.outcome).toBe("ignored");
  expect(byId.get(`${missed}:recording:RE00000001`)?.summary).toBe("Twilio voicemail");
});

test("the signature covers the URL's query; bad, missing or another workspace's signature: 400, nothing stored", async () => {
  const ok = await post(a, inbound("+18055550110", "with a query"), TOKEN_A, { query: "?source=main" });
  expect(ok.status).toBe(200);
  const before = await db.webhookReceipt.count();
  const events = await db.event.count({ where: { workspaceId: a.workspaceId } });
  const tampered = await post(a, inbound("+18055550111", "x"), TOKEN_A, { query: "?source=main", signedQuery: "" });
  expect(tampered.status).toBe(400);
  expect(tampered.json.error.code).toBe("invalid_signature");
  const crossed = await post(a, inbound("+18055550112", "signed by B"), TOKEN_B);
  expect(crossed.status).toBe(400);
  expect(crossed.json.error.code).toBe("invalid_signature");
  const unsigned = await post(a, inbound("+18055550113", "no header"), TOKEN_A, { signature: "" });
  expect(unsigned.status).toBe(400);
  // B's own token verifies B's deliveries only.
  expect((await post(b, inbound("+18055550112", "signed by B"), TOKEN_B)).status).toBe(200);
  expect(await db.webhookReceipt.count()).toBe(before + 1);
  expect(await db.event.count({ where: { workspaceId: a.workspaceId } })).toBe(events);
  // A malformed (JSON) body, correctly signed over no parameters, is refused.
  const notForm = await call(receive, `/api/webhooks/twilio/${a.workspaceId}`, {
    method: "POST",
    raw: '{"MessageSid":"SM1"}',
    headers: {
      "content-type": "application/json",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(
        TOKEN_A,
        webhookUrl(a.workspaceId, "twilio", "default"),
        {},
      ),
    },
    params: { workspaceId: a.workspaceId },
  });
  expect(notForm.status).toBe(400);
});

test("connecting: the Auth Token is sealed and never answered; bad SIDs and numbers are 400s; the settings test event verifies", async () => {
  expect(JSON.stringify(connectA)).not.toContain(TOKEN_A);
  expect(connectA).toEqual({
    provider: "twilio",
    connected: true,
    webhookUrl: webhookUrl(a.workspaceId, "twilio", "default"),
  });
  const endpoint = await db.webhookEndpoint.findUniqueOrThrow({
    where: { workspaceId_provider_name: { workspaceId: a.workspaceId, provider: "twilio", name: "default" } },
  });
  expect(endpoint.secretEnc).not.toContain(TOKEN_A);
  expect(endpoint.config).toEqual({
    accountSid: `AC${"a".repeat(32)}`,
    fromNumber: "+18055550199",
    whatsappFrom: "+14155238886",
  });
  expect(JSON.stringify(await listIntegrations(db, a.workspaceId))).not.toContain(TOKEN_A);
  for (const bad of [
    { accountSid: "AC123", authToken: TOKEN_A },
    { accountSid: `AC${"g".repeat(32)}`, authToken: TOKEN_A },
    { accountSid: `AC${"a".repeat(32)}`, authToken: "" },
    { accountSid: `AC${"a".repeat(32)}`, authToken: TOKEN_A, fromNumber: "805-555-0100" },
    { accountSid: `AC${"a".repeat(32)}`, authToken: TOKEN_A, messagingServiceSid: "MG1" },
    { accountSid: `AC${"a".repeat(32)}`, authToken: TOKEN_A, extra: 1 },
  ])
    await expect(connectIntegration(db, a.workspaceId, "twilio", bad), JSON.stringify(bad)).rejects.toThrow();

  const t = await signTestDelivery(db, a.workspaceId, "twilio");
  const res = await receive(new Request(t.url, { method: "POST", headers: t.headers, body: t.body }), {
    params: Promise.resolve({ workspaceId: a.workspaceId }),
  });
  expect(res.status).toBe(200);
  expect(await res.text()).toBe(EMPTY_TWIML);
  expect((await receiptsOf(a.workspaceId)).at(-1)).toMatchObject({
    outcome: "ignored",
    summary: "Twilio test event (verified, not stored)",
  });
});

test("a token rotated by another instance verifies at once; a disconnect here stops verifying at once", async () => {
  const c = await testWorkspace(db);
  const [OLD, NEW] = ["1111111111111111aaaaaaaaaaaaaaaa", "2222222222222222bbbbbbbbbbbbbbbb"];
  await connectIntegration(db, c.workspaceId, "twilio", { accountSid: `AC${"c".repeat(32)}`, authToken: OLD });
  expect((await post(c, inbound("+18055550120", "kept secret"), OLD)).status).toBe(200);
  // Kept for 5 s: after that the stored secret is read again and still verifies.
  const later = Date.now() + 6_000;
  const clock = vi.spyOn(Date, "now").mockImplementation(() => later);
  try {
    expect((await post(c, inbound("+18055550120", "after the secret expired here"), OLD)).status).toBe(200);
  } finally {
    clock.mockRestore();
  }
  // Another instance stores a new token: this process still holds the old one, and the new one is read anew.
  await db.webhookEndpoint.updateMany({ where: { workspaceId: c.workspaceId }, data: { secretEnc: encrypt(NEW) } });
  expect((await post(c, inbound("+18055550120", "new token"), NEW)).status).toBe(200);
  const wrong = await post(c, inbound("+18055550120", "never"), "3333333333333333cccccccccccccccc");
  expect(wrong.status).toBe(400);
  await disconnectIntegration(db, c.workspaceId, "twilio");
  expect((await post(c, inbound("+18055550120", "gone"), NEW)).status).toBe(404);
});

test("deliveries and their replays all at once: one receipt, one event and one message each, outcomes written", async () => {
  const batch = Array.from({ length: 20 }, (_, i) => inbound(`+1805555013${i % 5}`, `at once ${i}`));
  const answers = await Promise.all([...batch, ...batch].map((p) => post(a, p, TOKEN_A)));
  expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
  const sids = batch.map((p) => p.MessageSid);
  const receipts = await db.webhookReceipt.findMany({
    where: { workspaceId: a.workspaceId, externalId: { in: sids } },
  });
  expect(receipts).toHaveLength(20);
  // A copy racing its original in the same process waits for it instead of processing again.
  expect(receipts.map((r) => [r.outcome, r.summary, r.eventCount, r.identityHashes.length, r.attempts])).toEqual(
    receipts.map(() => ["processed", "Twilio SMS received", 1, 1, 1]),
  );
  expect(await db.message.count({ where: { workspaceId: a.workspaceId, externalId: { in: sids } } })).toBe(20);
  const [events] = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM "Event" WHERE "workspaceId" = $1::uuid AND properties->>'messageId' = ANY($2::text[])`,
    a.workspaceId,
    sids,
  );
  expect(events?.n).toBe(20);
});
