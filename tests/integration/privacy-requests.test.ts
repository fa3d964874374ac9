// The opt-out API (P7), the one suppression list behind every way of opting out, and the request log (P12):
// every export, erasure and opt-out is a privacy request, whichever way it came in.
import twilio from "twilio";
import { expect, test, vi } from "vitest";
import { POST as ownerErase } from "../../app/api/app/[workspace]/people/[id]/erase/route.ts";
import { GET as ownerExport } from "../../app/api/app/[workspace]/people/[id]/export/route.ts";
import { POST as ownerOptOuts } from "../../app/api/app/[workspace]/people/[id]/opt-outs/route.ts";
import { PATCH as privacySettings } from "../../app/api/app/[workspace]/settings/privacy/route.ts";
import { GET as collectConfig } from "../../app/api/collect/config/route.ts";
import { GET as requestsRoute } from "../../app/api/v1/privacy-requests/route.ts";
import { GET as exportRoute } from "../../app/api/v1/profiles/[id]/export/route.ts";
import { POST as optInRoute } from "../../app/api/v1/profiles/[id]/opt-in/route.ts";
import { POST as optOutRoute } from "../../app/api/v1/profiles/[id]/opt-out/route.ts";
import { DELETE as eraseRoute, GET as profileRoute } from "../../app/api/v1/profiles/[id]/route.ts";
import { POST as receiveTwilio } from "../../app/api/webhooks/twilio/[workspaceId]/route.ts";
import { POST as postUnsubscribe } from "../../app/u/[token]/route.ts";
import type { SessionUser } from "../../lib/auth/session.ts";
import { createEmailSend } from "../../lib/email-tracking/create-email-send.ts";
import { mergeProfiles } from "../../lib/identity/merge-profiles.ts";
import { connectIntegration } from "../../lib/integrations/connect-integration.ts";
import { webhookUrl } from "../../lib/integrations/webhook-url.ts";
import { markGpc } from "../../lib/privacy/global-privacy-control.ts";
import { optOut, optOutState } from "../../lib/privacy/opt-out.ts";
import { dueDate } from "../../lib/privacy/record-privacy-request.ts";
import { maySendBack } from "../../lib/privacy/send-back.ts";
import { createApiKey } from "../../lib/workspaces/api-keys.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { testWorkspace } from "../support/workspace.ts";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("../../lib/auth/session.ts", () => ({ getSessionUser: async () => session.user }));

type Ctx = { params: Promise<Record<string, string>> };
const unsubscribeRoute = (req: Request, ctx?: Ctx) =>
  postUnsubscribe(req, ctx as Parameters<typeof postUnsubscribe>[1]);

const { db } = await useTestDb();
const a = await testWorkspace(db);
const b = await testWorkspace(db);
session.user = { id: a.ownerId, email: a.ownerEmail, name: null };
const TWILIO_TOKEN = "0123456789abcdef0123456789abcdef";
await connectIntegration(db, a.workspaceId, "twilio", {
  accountSid: `AC${"a".repeat(32)}`,
  authToken: TWILIO_TOKEN,
  fromNumber: "+18055550199",
});

let n = 0;
/** A person with two emails, a phone, a device and an account id. */
async function person(ws = a) {
  const tag = `p${++n}`;
  const [first, second] = await ws.ingest([
    {
      source: "web",
      type: "identify",
      occurredAt: new Date().toISOString(),
      identity: {
        deviceId: `d_${tag}`,
        email: `${tag}@home.test`,
        phone: `+1805555${2000 + n}`,
        accountId: `acct_${tag}`,
      },
    },
    {
      source: "webhook",
      type: "crm_updated",
      occurredAt: new Date().toISOString(),
      identity: { accountId: `acct_${tag}`, email: `${tag}@work.test` },
    },
  ]);
  expect(second?.profileId).toBe(first?.profileId);
  return { id: first?.profileId as string, tag };
}

const optOutCall = (id: string, body: unknown, key = a.apiKey) =>
  call(optOutRoute, `/api/v1/profiles/${id}/opt-out`, { method: "POST", key, body, params: { id } });
const optInCall = (id: string, body: unknown, key = a.apiKey) =>
  call(optInRoute, `/api/v1/profiles/${id}/opt-in`, { method: "POST", key, body, params: { id } });
const log = (query = "", key = a.apiKey) => call(requestsRoute, `/api/v1/privacy-requests${query}`, { key });
const requestsOf = (workspaceId: string, where: Record<string, unknown> = {}) =>
  db.privacyRequest.findMany({ where: { workspaceId, ...where }, orderBy: { receivedAt: "asc" } });

test("P7: an opt-out covers every identifier the person holds, as hashes only, and answers what stands", async () => {
  const p = await person();
  const res = await optOutCall(p.id, { channels: ["all", "all"] });
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ optedOut: ["all"] });
  const identifiers = await db.identifier.findMany({ where: { profileId: p.id }, select: { type: true, hash: true } });
  expect(identifiers.map((i) => i.type).sort()).toEqual(["account", "device", "email", "email", "phone"]);
  const rows = await db.suppression.findMany({ where: { workspaceId: a.workspaceId, scope: "all", reason: "api" } });
  expect(rows.map((r) => `${r.type}:${r.hash}`).sort()).toEqual(identifiers.map((i) => `${i.type}:${i.hash}`).sort());
  // R18: the list holds hashes, never a readable value.
  expect(JSON.stringify(rows)).not.toContain(p.tag);
  const profile = await call(profileRoute, `/api/v1/profiles/${p.id}`, { key: a.apiKey, params: { id: p.id } });
  expect(profile.json.optedOut).toBe(true);
  expect(profile.json.channelOptOuts.map((o: { channel: string }) => o.channel).sort()).toEqual([
    "email",
    "email",
    "sms",
    "whatsapp",
  ]);
  // Channels one by one; opt-in answers what still stands.
  const q = await person();
  expect((await optOutCall(q.id, { channels: ["sms", "tracking"] })).json).toEqual({ optedOut: ["sms", "tracking"] });
  expect((await optOutCall(q.id, { channels: ["email"] })).json).toEqual({ optedOut: ["email", "sms", "tracking"] });
  expect((await optInCall(q.id, { channels: ["sms"] })).json).toEqual({ optedOut: ["email", "tracking"] });
  expect((await optInCall(q.id, { channels: ["all"] })).json).toEqual({ optedOut: [] });
  expect(
    await db.suppression.count({
      where: {
        workspaceId: a.workspaceId,
        reason: "api",
        hash: { in: (await db.identifier.findMany({ where: { profileId: q.id } })).map((i) => i.hash) },
      },
    }),
  ).toBe(0);
});

test("P7: bad channels are a 400 naming each, another workspace's person a 404, the scope profiles:write; nothing is stored", async () => {
  const p = await person();
  const before = await db.suppression.count();
  const bad = await optOutCall(p.id, { channels: ["email", "fax"] });
  expect(bad.status).toBe(400);
  expect(bad.json.error.code).toBe("invalid_request");
  expect(bad.json.error.details).toEqual([expect.objectContaining({ path: "channels[1]" })]);
  for (const body of [{ channels: [] }, {}, { channels: "email" }, { channels: [null] }]) {
    expect((await optOutCall(p.id, body)).status, JSON.stringify(body)).toBe(400);
    expect((await optInCall(p.id, body)).status, JSON.stringify(body)).toBe(400);
  }
  const raw = await call(optOutRoute, `/api/v1/profiles/${p.id}/opt-out`, {
    method: "POST",
    key: a.apiKey,
    raw: "{channels",
    headers: { "content-type": "application/json" },
    params: { id: p.id },
  });
  expect(raw.json.error.code).toBe("invalid_json");
  const theirs = await person(b);
  for (const id of [theirs.id, "00000000-0000-7000-8000-000000000000", "nope"]) {
    expect((await optOutCall(id, { channels: ["all"] })).status, id).toBe(404);
    expect((await optInCall(id, { channels: ["all"] })).status, id).toBe(404);
  }
  const readOnly = await createApiKey(db, a.workspaceId, "read", a.ownerId, ["profiles:read"]);
  expect((await optOutCall(p.id, { channels: ["all"] }, readOnly.key)).status).toBe(403);
  expect((await optOutCall(p.id, { channels: ["all"] }, "")).status).toBe(401);
  expect(await db.suppression.count()).toBe(before);
  expect(await requestsOf(a.workspaceId, { profileId: p.id })).toEqual([]);
  // A merged-away id acts on the survivor.
  const q = await person();
  const survivor = await mergeProfiles(db, a.workspaceId, p.id, q.id);
  const gone = survivor === p.id ? q.id : p.id;
  expect((await optOutCall(gone, { channels: ["sms"] })).json).toEqual({ optedOut: ["sms"] });
  expect((await optOutState(db, a.workspaceId, survivor as string)).optedOut).toEqual(["sms"]);
});

test("P12: an opt-out is one request — received, due a month later, completed — logged once however often it is repeated", async () => {
  const p = await person();
  await optOutCall(p.id, { channels: ["sms"] });
  await optOutCall(p.id, { channels: ["sms"] });
  await optOut(db, a.workspaceId, p.id, ["sms"], "api");
  const [request, ...more] = await requestsOf(a.workspaceId, { profileId: p.id });
  expect(more).toEqual([]);
  expect(request).toMatchObject({ kind: "opt_out", via: "api", status: "done", channels: ["sms"] });
  expect(request?.dueAt).toEqual(dueDate(request!.receivedAt));
  expect(request!.dueAt.getTime() - request!.receivedAt.getTime()).toBeGreaterThanOrEqual(28 * 86_400_000);
  expect(request?.completedAt).toEqual(request?.receivedAt);
  // Something new for the person is a new request.
  await optOutCall(p.id, { channels: ["sms", "whatsapp"] });
  expect((await requestsOf(a.workspaceId, { profileId: p.id })).map((r) => r.channels)).toEqual([
    ["sms"],
    ["sms", "whatsapp"],
  ]);

  const res = await log("?status=done&limit=1");
  expect(res.status).toBe(200);
  expect(res.headers.get("cache-control")).toContain("no-store");
  expect(Object.keys(res.json.requests[0]).sort()).toEqual(
    ["completedAt", "dueAt", "id", "kind", "profileId", "receivedAt", "status", "via"].sort(),
  );
  // Newest first, a page at a time, to the end.
  const seen: string[] = [];
  for (let cursor: string | null = ""; cursor !== null; ) {
    const page: Awaited<ReturnType<typeof log>> = await log(`?status=done&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
    seen.push(...page.json.requests.map((r: { id: string }) => r.id));
    cursor = page.json.nextCursor;
  }
  const all = (await requestsOf(a.workspaceId, { status: "done" })).map((r) => r.id).reverse();
  expect(seen).toEqual(all);
  expect((await log("?status=open")).json).toEqual({ requests: [], nextCursor: null });
  expect((await log("?status=pending")).status).toBe(400);
  expect((await log("?cursor=garbage")).status).toBe(400);
  expect((await log("", b.apiKey)).json.requests).toEqual([]);
  const noRead = await createApiKey(db, a.workspaceId, "events", a.ownerId, ["events:write"]);
  expect((await log("", noRead.key)).status).toBe(403);
});

test("P12: an open request is listed oldest first with its due date until it is done", async () => {
  const now = Date.now();
  for (const [i, days] of [40, 3, 10].entries()) {
    const receivedAt = new Date(now - days * 86_400_000);
    const dueAt = new Date(receivedAt);
    dueAt.setUTCMonth(dueAt.getUTCMonth() + 1);
    await db.privacyRequest.create({
      data: {
        workspaceId: a.workspaceId,
        kind: "erasure",
        via: "preferences",
        status: "open",
        receivedAt,
        dueAt,
        profileId: null,
        channels: [`#${i}`],
      },
    });
  }
  const open = (await log("?status=open")).json.requests as {
    receivedAt: string;
    dueAt: string;
    completedAt: null;
    status: string;
  }[];
  expect(open.map((r) => r.receivedAt)).toEqual([...open.map((r) => r.receivedAt)].sort());
  expect(open).toHaveLength(3);
  expect(open.every((r) => r.status === "open" && r.completedAt === null)).toBe(true);
  await db.privacyRequest.updateMany({
    where: { workspaceId: a.workspaceId, status: "open" },
    data: { status: "done", completedAt: new Date() },
  });
});

/** Twilio's inbound SMS, signed as Twilio signs it. */
function sms(from: string, body: string) {
  const params = {
    MessageSid: `SM${String(++n).padStart(32, "0")}`,
    From: from,
    To: "+18055550199",
    Body: body,
    SmsStatus: "received",
    AccountSid: `AC${"a".repeat(32)}`,
  };
  return call(receiveTwilio, `/api/webhooks/twilio/${a.workspaceId}`, {
    method: "POST",
    raw: new URLSearchParams(params).toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(
        TWILIO_TOKEN,
        webhookUrl(a.workspaceId, "twilio", "default"),
        params,
      ),
    },
    params: { workspaceId: a.workspaceId },
  });
}

test("P7, P12: every way in writes the same list and one request: API, owner, unsubscribe link, SMS STOP; exports and erasures too", async () => {
  const viaApi = await person();
  await optOutCall(viaApi.id, { channels: ["email"] });

  const viaOwner = await person();
  const owner = await call(ownerOptOuts, `/api/app/${a.slug}/people/${viaOwner.id}/opt-outs`, {
    method: "POST",
    body: { optOut: ["tracking"] },
    params: { workspace: a.slug, id: viaOwner.id },
  });
  expect(owner.json).toEqual({ optedOut: ["tracking"] });

  // The unsubscribe link of a mail to one address opts out the person's every address (the same writer).
  const viaLink = await person();
  const home = await db.identifier.findFirstOrThrow({
    where: { profileId: viaLink.id, type: "email" },
    orderBy: { createdAt: "asc" },
  });
  const mail = await createEmailSend(db, {
    workspaceId: a.workspaceId,
    profileId: viaLink.id,
    kind: "marketing",
    toHash: home.hash,
  });
  const token = mail.unsubscribeToken;
  const click = () =>
    call(unsubscribeRoute, `/u/${token}`, {
      method: "POST",
      raw: "List-Unsubscribe=One-Click",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      params: { token },
    });
  expect((await click()).status).toBe(200);
  expect((await click()).status).toBe(200);
  const emails = await db.identifier.findMany({ where: { profileId: viaLink.id, type: "email" } });
  expect(emails).toHaveLength(2);
  expect(
    await db.suppression.count({
      where: { workspaceId: a.workspaceId, scope: "email:marketing", hash: { in: emails.map((e) => e.hash) } },
    }),
  ).toBe(2);
  expect((await optOutState(db, a.workspaceId, viaLink.id)).emailPurposes.marketing?.reason).toBe("unsubscribe_link");

  const viaSms = await person();
  const phone = `+1805555${2000 + Number(viaSms.tag.slice(1))}`;
  expect((await sms(phone, "STOP")).status).toBe(200);
  expect((await sms(phone, "stop")).status).toBe(200);
  expect((await optOutState(db, a.workspaceId, viaSms.id)).optedOut).toEqual(["sms"]);
  expect((await sms(phone, "START")).status).toBe(200);
  expect((await optOutState(db, a.workspaceId, viaSms.id)).optedOut).toEqual([]);

  const exported = await person();
  expect(
    (await call(exportRoute, `/api/v1/profiles/${exported.id}/export`, { key: a.apiKey, params: { id: exported.id } }))
      .status,
  ).toBe(200);
  expect(
    (
      await call(ownerExport, `/api/app/${a.slug}/people/${exported.id}/export?format=csv`, {
        params: { workspace: a.slug, id: exported.id },
      })
    ).status,
  ).toBe(200);
  const erasedByApi = await person();
  const erasedByOwner = await person();
  expect(
    (
      await call(eraseRoute, `/api/v1/profiles/${erasedByApi.id}`, {
        method: "DELETE",
        key: a.apiKey,
        params: { id: erasedByApi.id },
      })
    ).json,
  ).toEqual({ erased: true });
  expect(
    (
      await call(ownerErase, `/api/app/${a.slug}/people/${erasedByOwner.id}/erase`, {
        method: "POST",
        body: { confirm: "erase" },
        params: { workspace: a.slug, id: erasedByOwner.id },
      })
    ).status,
  ).toBe(200);

  const logged = (await requestsOf(a.workspaceId)).filter((r) => r.receivedAt.getTime() > Date.now() - 60_000);
  const of = (id: string | null, kind: string) =>
    logged.filter((r) => r.profileId === id && r.kind === kind).map((r) => r.via);
  expect(of(viaApi.id, "opt_out")).toEqual(["api"]);
  expect(of(viaOwner.id, "opt_out")).toEqual(["owner"]);
  expect(of(viaLink.id, "opt_out")).toEqual(["unsubscribe"]);
  expect(of(viaSms.id, "opt_out")).toEqual(["sms"]);
  expect(of(exported.id, "export")).toEqual(["api", "owner"]);
  expect(of(null, "erasure")).toEqual(["api", "owner"]);
  for (const r of logged) {
    expect(r.status).toBe("done");
    expect(r.completedAt).not.toBeNull();
    expect(r.dueAt.getTime()).toBeGreaterThan(r.receivedAt.getTime() + 27 * 86_400_000);
  }
});

test("P11 beside R18: erasing someone who opted out leaves no suppression over their hashes; a later event is someone new", async () => {
  const p = await person();
  await optOutCall(p.id, { channels: ["all"] });
  const hashes = (await db.identifier.findMany({ where: { profileId: p.id } })).map((i) => i.hash);
  expect(await db.suppression.count({ where: { hash: { in: hashes } } })).toBeGreaterThan(0);
  await call(eraseRoute, `/api/v1/profiles/${p.id}`, { method: "DELETE", key: a.apiKey, params: { id: p.id } });
  expect(await db.suppression.count({ where: { hash: { in: hashes } } })).toBe(0);
  const [again] = await a.ingest([
    {
      source: "webhook",
      type: "crm_updated",
      occurredAt: new Date().toISOString(),
      identity: { email: `${p.tag}@home.test` },
    },
  ]);
  expect(again?.profileId).toBeTruthy();
  expect(again?.profileId).not.toBe(p.id);
});

test("P5: GPC puts the person's every identifier on the list for send-back only; tracking and all stop send-back too", async () => {
  const p = await person();
  expect(await maySendBack(db, a.workspaceId, p.id)).toBe(true);
  expect(await markGpc(db, a.workspaceId, [p.id])).toBe(1);
  expect(await markGpc(db, a.workspaceId, [p.id])).toBe(0);
  const identifiers = await db.identifier.findMany({ where: { profileId: p.id } });
  const listed = await db.suppression.findMany({
    where: { workspaceId: a.workspaceId, scope: "sendback", hash: { in: identifiers.map((i) => i.hash) } },
  });
  expect(listed).toHaveLength(identifiers.length);
  expect(listed.every((s) => s.reason === "gpc")).toBe(true);
  expect(await maySendBack(db, a.workspaceId, p.id)).toBe(false);
  // A conversion arriving by that email alone, on nobody's profile yet, is held back as well.
  const email = identifiers.find((i) => i.type === "email") as { type: "email"; hash: string };
  expect(await maySendBack(db, a.workspaceId, null, [{ type: "email", hash: email.hash }])).toBe(false);
  // GPC stops no send and no event, and is no request in the log.
  expect((await optOutState(db, a.workspaceId, p.id)).optedOut).toEqual([]);
  expect(await requestsOf(a.workspaceId, { profileId: p.id })).toEqual([]);

  const q = await person();
  await optOutCall(q.id, { channels: ["tracking"] });
  expect(await maySendBack(db, a.workspaceId, q.id)).toBe(false);
});

test("Settings → Privacy: retention and DNT are the owner's; a customer retention shorter than everyone's is refused; DNT reaches the tracker at once", async () => {
  const patch = (body: unknown) =>
    call(privacySettings, `/api/app/${a.slug}/settings/privacy`, {
      method: "PATCH",
      body,
      params: { workspace: a.slug },
    });
  expect((await patch({ retentionMonths: 12, customerRetentionMonths: 36, honorDoNotTrack: false })).json).toEqual({
    retentionMonths: 12,
    customerRetentionMonths: 36,
    honorDoNotTrack: false,
  });
  const config = await call(collectConfig, `/api/collect/config?site=${a.siteKey}`);
  expect(config.json.dnt).toBe(false);
  const short = await patch({ customerRetentionMonths: 6 });
  expect(short.status).toBe(400);
  expect(short.json.error.details).toEqual([expect.objectContaining({ path: "customerRetentionMonths" })]);
  expect((await patch({ retentionMonths: 0 })).status).toBe(400);
  expect((await patch({ honorDoNotTrack: "yes" })).status).toBe(400);
  expect((await patch({ customerRetentionMonths: null, honorDoNotTrack: true })).json).toMatchObject({
    customerRetentionMonths: null,
    honorDoNotTrack: true,
  });
  const member = await db.user.create({ data: { email: `member.${Date.now()}@a.test` } });
  await db.membership.create({ data: { userId: member.id, workspaceId: a.workspaceId, role: "member" } });
  session.user = { id: member.id, email: member.email, name: null };
  try {
    expect((await patch({ retentionMonths: 3 })).status).toBe(403);
  } finally {
    session.user = { id: a.ownerId, email: a.ownerEmail, name: null };
  }
  expect((await db.workspace.findUniqueOrThrow({ where: { id: a.workspaceId } })).retentionMonths).toBe(12);
});
