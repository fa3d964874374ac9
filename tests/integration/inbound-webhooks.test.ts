import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { expect, test, vi } from "vitest";
import { POST as receive } from "../../app/api/webhooks/inbound/[workspaceId]/[sourceName]/route.ts";
import { decrypt } from "../../lib/crypto/keys.ts";
import { connectIntegration } from "../../lib/integrations/connect-integration.ts";
import { eraseProfile } from "../../lib/privacy/erase-profile.ts";
import { call, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { testWorkspace } from "../support/workspace.ts";

// A processing failure on demand: the real ingest path, unless the test says the database is "down".
const fault = vi.hoisted(() => ({ failNext: 0 }));
vi.mock("../../lib/ingest/ingest-coalesced.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ingest/ingest-coalesced.ts")>();
  return {
    ...real,
    ingestCoalesced: (...args: Parameters<typeof real.ingestCoalesced>) => {
      if (fault.failNext > 0) {
        fault.failNext--;
        return Promise.reject(new Error("connection terminated unexpectedly"));
      }
      return real.ingestCoalesced(...args);
    },
  };
});

const { db } = await useTestDb();
const a = await testWorkspace(db);
const b = await testWorkspace(db);
const { secret: secretA } = (await connectIntegration(db, a.workspaceId, "inbound:crm", {})) as { secret: string };
const { secret: secretB } = (await connectIntegration(db, b.workspaceId, "inbound:crm", {})) as { secret: string };

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "../fixtures/webhooks", name), "utf8");
const hmacHex = (secret: string, raw: string) => createHmac("sha256", secret).update(raw).digest("hex");

/** A delivery as a CRM sends it: `X-OneThread-Signature: sha256=<hex HMAC-SHA256 of the raw body>`. */
function post(ws: { workspaceId: string }, source: string, raw: string, headers: Record<string, string> = {}) {
  return call(receive, `/api/webhooks/inbound/${ws.workspaceId}/${source}`, {
    method: "POST",
    raw,
    headers: { "content-type": "application/json", ...headers },
    params: { workspaceId: ws.workspaceId, sourceName: source },
  });
}
const signed = (secret: string, raw: string) => ({ "x-onethread-signature": `sha256=${hmacHex(secret, raw)}` });

/** Standard Webhooks headers made by the `standardwebhooks` package's own signer. */
function standardHeaders(secret: string, raw: string, id: string, at = new Date()) {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, raw),
  };
}

const receipts = (workspaceId: string) => db.webhookReceipt.findMany({ where: { workspaceId } });
const events = (workspaceId: string, type?: string) =>
  db.event.findMany({ where: { workspaceId, ...(type ? { type } : {}) } });

function oneThread(id: string, email: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    events: [{ id, type: "crm_updated", occurredAt: "2026-11-20T10:00:00Z", identity: { email }, ...extra }],
  });
}

test("a delivery signed with X-OneThread-Signature stores its events (source webhook by default) and answers accepted", async () => {
  const raw = oneThread("crm-1", "ana@example.com");
  const res = await post(a, "crm", raw, signed(secretA, raw));
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ accepted: 1 });
  const [event] = await events(a.workspaceId, "crm_updated");
  expect(event?.source).toBe("webhook");
  expect(event?.profileId).toBe(await profileIdOf(db, a.ws, "email", "ana@example.com"));
  const [receipt] = await receipts(a.workspaceId);
  expect(receipt).toMatchObject({ provider: "inbound:crm", outcome: "processed", eventCount: 1, scheme: "onethread" });
  expect(receipt?.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
  // Kept before processing: the raw body (sealed: it names people) and the headers without the signature.
  expect(receipt?.bodyEnc).not.toContain("ana@example.com");
  expect(decrypt(receipt?.bodyEnc ?? "")).toBe(raw);
  expect(receipt?.headers).toMatchObject({ "content-type": "application/json" });
  expect(JSON.stringify(receipt?.headers)).not.toContain("sha256=");
});

test("bad, missing, wrongly formatted or stale signatures: 400 invalid_signature, no receipt, no event", async () => {
  const w = await testWorkspace(db);
  const { secret } = (await connectIntegration(db, w.workspaceId, "inbound:crm", {})) as { secret: string };
  const raw = oneThread("bad-1", "bo@example.com");
  const old = new Date(Date.now() - 6 * 60 * 1000);
  const future = new Date(Date.now() + 6 * 60 * 1000);
  const attempts: Record<string, string>[] = [
    {},
    { "x-onethread-signature": `sha256=${hmacHex("another secret entirely", raw)}` },
    { "x-onethread-signature": hmacHex(secret, raw) },
    { "x-onethread-signature": `sha256=${hmacHex(secret, `${raw} `)}` },
    { "x-cal-signature-256": hmacHex("another secret entirely", raw) },
    standardHeaders(secret, raw, "msg_old", old),
    standardHeaders(secret, raw, "msg_future", future),
    { ...standardHeaders(secret, raw, "msg_1"), "webhook-id": "msg_2" },
    { "webhook-id": "msg_3", "webhook-timestamp": String(Math.floor(Date.now() / 1000)) },
    // Standard Webhooks headers decide alone: a good OneThread signature does not rescue a bad one.
    { ...signed(secret, raw), ...standardHeaders("whsec_c2VjcmV0IG9mIHNvbWVib2R5IGVsc2U=", raw, "msg_4") },
  ];
  for (const headers of attempts) {
    const res = await post(w, "crm", raw, headers);
    expect(res.status, JSON.stringify(headers)).toBe(400);
    expect(res.json.error.code).toBe("invalid_signature");
  }
  expect(await receipts(w.workspaceId)).toHaveLength(0);
  expect(await events(w.workspaceId)).toHaveLength(0);
});

test("Standard Webhooks: signed by the standardwebhooks package, deduplicated by webhook-id", async () => {
  const raw = oneThread("sw-1", "cy@example.com");
  const headers = standardHeaders(secretA, raw, "msg_2kWPBgLlAfxeWSZXKX7lV2i7ZAv");
  const first = await post(a, "crm", raw, headers);
  expect(first.status).toBe(200);
  expect(first.json).toEqual({ accepted: 1 });
  // The provider's retry: the same webhook-id, signed again a moment later.
  const retry = await post(a, "crm", raw, standardHeaders(secretA, raw, "msg_2kWPBgLlAfxeWSZXKX7lV2i7ZAv"));
  expect(retry.status).toBe(200);
  expect(retry.json).toEqual({ accepted: 0, duplicate: true });
  const rows = await db.webhookReceipt.findMany({
    where: { workspaceId: a.workspaceId, externalId: "msg_2kWPBgLlAfxeWSZXKX7lV2i7ZAv" },
  });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ scheme: "standard-webhooks", attempts: 1, outcome: "processed" });
  expect(await events(a.workspaceId)).toHaveLength(2);
});

test("a replayed X-OneThread-Signature delivery (same body) answers 200 and stores nothing twice", async () => {
  const w = await testWorkspace(db);
  const { secret } = (await connectIntegration(db, w.workspaceId, "inbound:crm", {})) as { secret: string };
  // No event ids in the body: the ids are derived from the delivery, so the replay cannot double them.
  const raw = JSON.stringify({
    events: [
      { type: "crm_updated", occurredAt: "2026-11-20T10:00:00Z", identity: { email: "di@example.com" } },
      { type: "account_created", occurredAt: "2026-11-20T10:01:00Z", identity: { email: "di@example.com" } },
    ],
  });
  expect((await post(w, "crm", raw, signed(secret, raw))).json).toEqual({ accepted: 2 });
  const replay = await post(w, "crm", raw, signed(secret, raw));
  expect(replay.status).toBe(200);
  expect(replay.json).toEqual({ accepted: 0, duplicate: true });
  expect(await events(w.workspaceId)).toHaveLength(2);
  expect(await receipts(w.workspaceId)).toHaveLength(1);
  const profile = await db.profile.findFirstOrThrow({ where: { workspaceId: w.workspaceId } });
  expect(profile.customerNumber).not.toBeNull();
});

test("a processing failure answers 5xx and keeps the receipt; the provider's retry completes it once", async () => {
  const w = await testWorkspace(db);
  const { secret } = (await connectIntegration(db, w.workspaceId, "inbound:crm", {})) as { secret: string };
  const raw = fixture("calcom-booking-created.json");
  const headers = standardHeaders(secret, raw, "msg_retry_1");
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  fault.failNext = 1;
  const failed = await post(w, "crm", raw, headers);
  expect(failed.status).toBe(500);
  expect(failed.json.error.code).toBe("internal_error");
  expect(warn).toHaveBeenCalledOnce();
  warn.mockRestore();
  const [kept] = await receipts(w.workspaceId);
  expect(kept).toMatchObject({ outcome: "failed", attempts: 1, summary: "Cal.com BOOKING_CREATED" });
  expect(kept?.error).toMatch(/retry/);
  expect(await events(w.workspaceId)).toHaveLength(0);

  const retry = await post(w, "crm", raw, standardHeaders(secret, raw, "msg_retry_1"));
  expect(retry.status).toBe(200);
  expect(retry.json).toEqual({ accepted: 1 });
  const [done] = await receipts(w.workspaceId);
  expect(done).toMatchObject({ outcome: "processed", attempts: 2, error: null, eventCount: 1 });
  expect(await events(w.workspaceId, "booking_created")).toHaveLength(1);
  // And once more: nothing new.
  expect((await post(w, "crm", raw, standardHeaders(secret, raw, "msg_retry_1"))).json).toEqual({
    accepted: 0,
    duplicate: true,
  });
  expect(await events(w.workspaceId)).toHaveLength(1);
});

test("the same delivery arriving 8 times at once stores one receipt and one event", async () => {
  const w = await testWorkspace(db);
  const { secret } = (await connectIntegration(db, w.workspaceId, "inbound:crm", {})) as { secret: string };
  const raw = JSON.stringify({
    events: [{ type: "crm_updated", occurredAt: "2026-11-20T10:00:00Z", identity: { email: "race@example.com" } }],
  });
  const answers = await Promise.all(Array.from({ length: 8 }, () => post(w, "crm", raw, signed(secret, raw))));
  expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
  expect(answers.reduce((n, r) => n + r.json.accepted, 0)).toBe(1);
  expect(await receipts(w.workspaceId)).toHaveLength(1);
  expect(await events(w.workspaceId)).toHaveLength(1);
});

test("one workspace's secret never verifies another's deliveries, even for a source of the same name", async () => {
  const raw = oneThread("cross-1", "eve@example.com");
  for (const headers of [signed(secretA, raw), standardHeaders(secretA, raw, "msg_cross")]) {
    const res = await post(b, "crm", raw, headers);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_signature");
  }
  expect(await receipts(b.workspaceId)).toHaveLength(0);
  expect(await events(b.workspaceId)).toHaveLength(0);
  // B's own secret works at B's URL.
  expect((await post(b, "crm", raw, signed(secretB, raw))).status).toBe(200);
});

test("unknown workspace or source: 404 not_found; a malformed workspace id never reaches Postgres", async () => {
  const raw = oneThread("nf-1", "fay@example.com");
  const missing = await post({ workspaceId: "0190a1b2-0000-7000-8000-000000000000" }, "crm", raw, signed(secretA, raw));
  expect(missing.status).toBe(404);
  expect((await post(a, "nope", raw, signed(secretA, raw))).status).toBe(404);
  for (const id of ["not-a-uuid", "'; DROP TABLE x; --", "0190a1b2-0000-7000-8000-00000000000z"]) {
    const res = await post({ workspaceId: id }, "crm", raw, signed(secretA, raw));
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("not_found");
  }
  expect((await post(a, "Bad_Name", raw, signed(secretA, raw))).status).toBe(404);
});

test("Cal.com: BOOKING_CREATED makes the attendee a customer (rung 4), BOOKING_CANCELLED follows; X-Cal-Signature-256 works", async () => {
  const w = await testWorkspace(db);
  await connectIntegration(db, w.workspaceId, "inbound:cal", { secret: "cal-secret-key-0123456789" });
  const created = fixture("calcom-booking-created.json");
  const res = await post(w, "cal", created, { "x-cal-signature-256": hmacHex("cal-secret-key-0123456789", created) });
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ accepted: 1 });
  const profileId = await profileIdOf(db, w.ws, "email", "jo.rivera@example.com");
  expect(profileId).not.toBeNull();
  // The phone came from the booking form's answers.
  expect(await profileIdOf(db, w.ws, "phone", "(805) 555-0142")).toBe(profileId);
  const profile = await db.profile.findUniqueOrThrow({ where: { id: profileId as string } });
  expect(profile.rung).toBe(4);
  expect(profile.customerNumber).not.toBeNull();
  const [booking] = await events(w.workspaceId, "booking_created");
  expect(booking).toMatchObject({
    source: "webhook",
    rung: 4,
    clientId: "calcom_booking_created_bFJeNb2uX8ANpT3JL5EfXw",
  });
  expect(booking?.properties).toMatchObject({
    provider: "cal.com",
    service: "Moving quote",
    startsAt: "2026-11-22T17:00:00Z",
  });

  const cancelled = fixture("calcom-booking-cancelled.json");
  const res2 = await post(w, "cal", cancelled, signed("cal-secret-key-0123456789", cancelled));
  expect(res2.json).toEqual({ accepted: 1 });
  const [cancel] = await events(w.workspaceId, "booking_cancelled");
  expect(cancel?.profileId).toBe(profileId);
  expect(cancel?.properties).toMatchObject({ reason: "Found another date" });
  const rows = await db.webhookReceipt.findMany({
    where: { workspaceId: w.workspaceId },
    orderBy: { receivedAt: "asc" },
  });
  expect(rows.map((r) => [r.externalId, r.scheme, r.summary])).toEqual([
    ["BOOKING_CREATED:bFJeNb2uX8ANpT3JL5EfXw", "cal", "Cal.com BOOKING_CREATED"],
    ["BOOKING_CANCELLED:bFJeNb2uX8ANpT3JL5EfXw", "onethread", "Cal.com BOOKING_CANCELLED"],
  ]);
  // Cal.com's PING (the "Ping test" button) and other triggers: kept, 200, ignored.
  const ping = JSON.stringify({ triggerEvent: "PING", createdAt: new Date().toISOString(), payload: {} });
  const pong = await post(w, "cal", ping, signed("cal-secret-key-0123456789", ping));
  expect(pong.status).toBe(200);
  expect(pong.json).toEqual({ accepted: 0 });
  expect(await db.webhookReceipt.count({ where: { workspaceId: w.workspaceId, outcome: "ignored" } })).toBe(1);
});

test("Calendly: invitee.created → booking_created on email and SMS number with its UTM campaign; invitee.canceled → booking_cancelled", async () => {
  const w = await testWorkspace(db);
  const { secret } = (await connectIntegration(db, w.workspaceId, "inbound:calendly", {})) as { secret: string };
  const created = fixture("calendly-invitee-created.json");
  expect((await post(w, "calendly", created, standardHeaders(secret, created, "msg_cly_1"))).json).toEqual({
    accepted: 1,
  });
  const profileId = await profileIdOf(db, w.ws, "email", "sam.lee@example.org");
  expect(await profileIdOf(db, w.ws, "phone", "+14045550188")).toBe(profileId);
  const [booking] = await events(w.workspaceId, "booking_created");
  expect(booking).toMatchObject({ rung: 4, clientId: "calendly_booking_created_INVITEE0000000001" });
  expect(booking?.properties).toMatchObject({ provider: "calendly", service: "15 Minute Meeting" });
  const profile = await db.profile.findUniqueOrThrow({ where: { id: profileId as string } });
  expect(profile.rung).toBe(4);
  expect(JSON.stringify(profile.firstTouch)).toContain("spring-moves");

  // Calendly's own header, signed with the subscription's signing_key set to the source's secret.
  const canceled = fixture("calendly-invitee-canceled.json");
  const t = Math.floor(Date.now() / 1000);
  const calendly = (at: number, key = secret) =>
    `t=${at},v1=${createHmac("sha256", key).update(`${at}.${canceled}`).digest("hex")}`;
  for (const bad of [calendly(t - 600), calendly(t, "someone else's signing key")]) {
    expect((await post(w, "calendly", canceled, { "calendly-webhook-signature": bad })).status).toBe(400);
  }
  const res = await post(w, "calendly", canceled, { "calendly-webhook-signature": calendly(t) });
  expect(res.json).toEqual({ accepted: 1 });
  const [cancel] = await events(w.workspaceId, "booking_cancelled");
  expect(cancel?.profileId).toBe(profileId);
  expect(cancel?.properties).toMatchObject({ reason: "Plans changed" });
});

test("verified bodies it cannot use are kept as failed with the reason and answered 400, storing no event", async () => {
  const w = await testWorkspace(db);
  const { secret } = (await connectIntegration(db, w.workspaceId, "inbound:crm", {})) as { secret: string };
  const cases = [
    ["{not json", "invalid_json"],
    [JSON.stringify({ hello: "world" }), "invalid_request"],
    [
      JSON.stringify({ events: [{ type: "Bad Type", occurredAt: "2026-11-20T10:00:00Z", identity: {} }] }),
      "invalid_request",
    ],
  ] as const;
  for (const [raw, code] of cases) {
    const res = await post(w, "crm", raw, signed(secret, raw));
    expect(res.status, raw).toBe(400);
    expect(res.json.error.code).toBe(code);
  }
  const rows = await receipts(w.workspaceId);
  expect(rows.map((r) => r.outcome)).toEqual(["failed", "failed", "failed"]);
  expect(rows.every((r) => r.error)).toBe(true);
  expect(rows.find((r) => r.error?.includes("events[0].type"))).toBeTruthy();
  expect(await events(w.workspaceId)).toHaveLength(0);
});

test("a body over 1 MiB is 413 before anything is verified or stored", async () => {
  const raw = JSON.stringify({ events: [], pad: "x".repeat(1024 * 1024) });
  const res = await post(a, "crm", raw, signed(secretA, raw));
  expect(res.status).toBe(413);
  expect(
    await db.webhookReceipt.count({ where: { workspaceId: a.workspaceId, scheme: "", outcome: "received" } }),
  ).toBe(0);
});

test("erasing a person blanks the deliveries that named them; a replay of one still stores nothing (R17)", async () => {
  const w = await testWorkspace(db);
  const { secret } = (await connectIntegration(db, w.workspaceId, "inbound:cal", {})) as { secret: string };
  const raw = fixture("calcom-booking-created.json");
  expect((await post(w, "cal", raw, signed(secret, raw))).json).toEqual({ accepted: 1 });
  const other = oneThread("keep-1", "someone.else@example.com");
  await post(w, "cal", other, signed(secret, other));
  const profileId = (await profileIdOf(db, w.ws, "email", "jo.rivera@example.com")) as string;
  const [named] = await db.webhookReceipt.findMany({
    where: { workspaceId: w.workspaceId, summary: "Cal.com BOOKING_CREATED" },
  });
  expect(named?.identityHashes).toHaveLength(2); // email and phone
  expect(await eraseProfile(db, w.workspaceId, profileId)).toBe(true);
  const after = await db.webhookReceipt.findMany({
    where: { workspaceId: w.workspaceId },
    orderBy: { receivedAt: "asc" },
  });
  expect(after[0]).toMatchObject({ bodyEnc: "", headers: {}, identityHashes: [], outcome: "processed" });
  expect(decrypt(after[1]?.bodyEnc ?? "")).toBe(other);
  expect((await post(w, "cal", raw, signed(secret, raw))).json).toEqual({ accepted: 0, duplicate: true });
  expect(await profileIdOf(db, w.ws, "email", "jo.rivera@example.com")).toBeNull();
});
