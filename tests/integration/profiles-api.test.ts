import { expect, test } from "vitest";
import { GET as exportGet } from "../../app/api/v1/profiles/[id]/export/route.ts";
import { POST as mergePost } from "../../app/api/v1/profiles/[id]/merge/route.ts";
import { DELETE as profileDelete, GET as profileGet } from "../../app/api/v1/profiles/[id]/route.ts";
import { POST as splitPost } from "../../app/api/v1/profiles/[id]/split/route.ts";
import { GET as timelineGet } from "../../app/api/v1/profiles/[id]/timeline/route.ts";
import { GET as lookup } from "../../app/api/v1/profiles/route.ts";
import { uuidv7 } from "../../lib/db/uuidv7.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();
const a = await testWorkspace(db);
const b = await testWorkspace(db);

const [jo] = await a.ingest([
  ev(
    "a1",
    "web",
    "page_view",
    "2026-11-03T07:42:00Z",
    { deviceId: "d_api" },
    {
      properties: { url: "https://acme.test/?utm_source=google&utm_medium=cpc&gclid=G7" },
    },
  ),
  ev("a2", "web", "form_submit", "2026-11-03T07:50:00Z", { deviceId: "d_api", email: "api.jo@example.com" }),
  ev(
    "a3",
    "channel",
    "message_in",
    "2026-11-03T08:00:00Z",
    { phone: "+1 805 555 0160", email: "api.jo@example.com" },
    {
      channel: "sms",
      properties: { body: "Can you move a piano?" },
    },
  ),
  ev(
    "a4",
    "channel",
    "message_out",
    "2026-11-03T08:01:00Z",
    { phone: "+1 805 555 0160" },
    {
      channel: "sms",
      properties: { body: "Yes, we can.", agent: "faq" },
    },
  ),
]);
const joId = jo!.profileId!;

const get = (path: string, key: string, params: Record<string, string> = {}) => call(profileGet, path, { key, params });

test("GET /api/v1/profiles/{id}: the profile as API.md shows it", async () => {
  const res = await get(`/api/v1/profiles/${joId}`, a.apiKey, { id: joId });
  expect(res.status).toBe(200);
  expect(res.json).toEqual({
    id: joId,
    rung: 3,
    customerNumber: null,
    displayName: "ap•••@example.com",
    identifiers: [
      { type: "email", value: "api.jo@example.com" },
      { type: "phone", value: "+18055550160" },
      { type: "device", value: "d_api" },
    ],
    firstSeenAt: "2026-11-03T07:42:00.000Z",
    lastSeenAt: "2026-11-03T08:01:00.000Z",
    optedOut: false,
    channelOptOuts: [],
    attribution: {
      first: {
        occurredAt: "2026-11-03T07:42:00.000Z",
        source: "web",
        utm_source: "google",
        utm_medium: "cpc",
        gclid: "G7",
      },
      last: {
        occurredAt: "2026-11-03T07:42:00.000Z",
        source: "web",
        utm_source: "google",
        utm_medium: "cpc",
        gclid: "G7",
      },
    },
  });
});

test("lookup by each identifier kind finds the person with the last messages oldest first; unknown is 404", async () => {
  for (const q of ["email=API.JO%40example.com", "phone=(805)%20555-0160", "deviceId=d_api"]) {
    const res = await call(lookup, `/api/v1/profiles?${q}`, { key: a.apiKey });
    expect(res.status, q).toBe(200);
    expect(res.json.profile.id).toBe(joId);
    expect(res.json.thread.map((m: { body: string; direction: string }) => [m.direction, m.body])).toEqual([
      ["in", "Can you move a piano?"],
      ["out", "Yes, we can."],
    ]);
  }
  expect((await call(lookup, "/api/v1/profiles?email=nobody%40example.com", { key: a.apiKey })).status).toBe(404);
  expect((await call(lookup, "/api/v1/profiles?email=null", { key: a.apiKey })).status).toBe(404);
  expect((await call(lookup, "/api/v1/profiles?phone=abc", { key: a.apiKey })).status).toBe(404);
  expect((await call(lookup, "/api/v1/profiles", { key: a.apiKey })).status).toBe(400);
  expect((await call(lookup, "/api/v1/profiles?email=a%40b.co&phone=1", { key: a.apiKey })).status).toBe(400);
});

test("the thread holds the last 20 messages, oldest first", async () => {
  const w = await testWorkspace(db);
  const msgs = Array.from({ length: 25 }, (_, n) =>
    ev(
      `m${n}`,
      "channel",
      n % 2 ? "message_out" : "message_in",
      new Date(Date.parse("2026-11-01T00:00:00Z") + n * 60_000).toISOString(),
      { phone: "+1 805 555 0170" },
      {
        channel: "whatsapp",
        properties: { body: `message ${n}` },
      },
    ),
  );
  await w.ingest(msgs);
  const res = await call(lookup, "/api/v1/profiles?phone=%2B18055550170", { key: w.apiKey });
  expect(res.json.thread.map((m: { body: string }) => m.body)).toEqual(
    Array.from({ length: 20 }, (_, n) => `message ${n + 5}`),
  );
});

test("another workspace's key cannot read, change, merge, split, export or delete A's people: 404 everywhere", async () => {
  const p = { id: joId };
  expect((await get(`/api/v1/profiles/${joId}`, b.apiKey, p)).status).toBe(404);
  expect((await call(timelineGet, `/api/v1/profiles/${joId}/timeline`, { key: b.apiKey, params: p })).status).toBe(404);
  expect((await call(exportGet, `/api/v1/profiles/${joId}/export`, { key: b.apiKey, params: p })).status).toBe(404);
  expect(
    (
      await call(splitPost, `/api/v1/profiles/${joId}/split`, {
        key: b.apiKey,
        params: p,
        body: { identifiers: [{ type: "device", value: "d_api" }] },
      })
    ).status,
  ).toBe(404);
  const [bee] = await b.ingest([
    ev("b1", "agent", "agent_action", "2026-11-03T07:42:00Z", { email: "bee@example.com" }),
  ]);
  expect(
    (
      await call(mergePost, `/api/v1/profiles/${bee!.profileId}/merge`, {
        key: b.apiKey,
        params: { id: bee!.profileId! },
        body: { otherProfileId: joId },
      })
    ).status,
  ).toBe(404);
  expect(
    (
      await call(mergePost, `/api/v1/profiles/${joId}/merge`, {
        key: b.apiKey,
        params: p,
        body: { otherProfileId: bee!.profileId },
      })
    ).status,
  ).toBe(404);
  expect(
    (await call(profileDelete, `/api/v1/profiles/${joId}`, { method: "DELETE", key: b.apiKey, params: p })).status,
  ).toBe(404);
  expect((await call(lookup, "/api/v1/profiles?email=api.jo%40example.com", { key: b.apiKey })).status).toBe(404);
  // Nothing of A's changed.
  const still = await get(`/api/v1/profiles/${joId}`, a.apiKey, p);
  expect(still.json.identifiers).toHaveLength(3);
  expect(await db.event.count({ where: { profileId: joId } })).toBe(4);
  expect(await db.profile.findUniqueOrThrow({ where: { id: joId } })).toMatchObject({ mergedIntoId: null });
});

test("malformed or unknown ids are 404, never 500; keys are checked first", async () => {
  for (const id of ["nope", "1", "../etc", "00000000-0000-0000-0000-00000000000g", uuidv7()]) {
    const p = { id };
    expect((await get(`/api/v1/profiles/${id}`, a.apiKey, p)).status, id).toBe(404);
    expect((await call(timelineGet, `/api/v1/profiles/${id}/timeline`, { key: a.apiKey, params: p })).status).toBe(404);
    expect((await call(exportGet, `/api/v1/profiles/${id}/export`, { key: a.apiKey, params: p })).status).toBe(404);
    expect((await call(profileDelete, "/x", { method: "DELETE", key: a.apiKey, params: p })).status).toBe(404);
    expect((await call(mergePost, "/x", { key: a.apiKey, params: p, body: { otherProfileId: joId } })).status).toBe(
      404,
    );
    expect(
      (await call(mergePost, "/x", { key: a.apiKey, params: { id: joId }, body: { otherProfileId: id } })).status,
    ).toBe(404);
    expect(
      (
        await call(splitPost, "/x", {
          key: a.apiKey,
          params: p,
          body: { identifiers: [{ type: "device", value: "d" }] },
        })
      ).status,
    ).toBe(404);
  }
  expect((await get(`/api/v1/profiles/${joId}`, "", { id: joId })).status).toBe(401);
  expect((await get(`/api/v1/profiles/${joId}`, a.siteKey, { id: joId })).status).toBe(403);
});

test("timeline: oldest first, limits and a source filter; bad query values are 400", async () => {
  const p = { id: joId };
  const all = await call(timelineGet, `/api/v1/profiles/${joId}/timeline`, { key: a.apiKey, params: p });
  expect(all.json.events.map((e: { id: string }) => e.id)).toEqual(["a1", "a2", "a3", "a4"]);
  expect(all.json.events[0]).toEqual({
    id: "a1",
    source: "web",
    type: "page_view",
    occurredAt: "2026-11-03T07:42:00.000Z",
    rung: 0,
    channel: null,
    direction: null,
    summary: "Viewed /",
    properties: { url: "/?utm_source=google&utm_medium=cpc&gclid=G7" },
  });
  const two = await call(timelineGet, `/api/v1/profiles/${joId}/timeline?limit=2`, { key: a.apiKey, params: p });
  expect(two.json.events).toHaveLength(2);
  const rest = await call(timelineGet, `/api/v1/profiles/${joId}/timeline?limit=2&cursor=${two.json.nextCursor}`, {
    key: a.apiKey,
    params: p,
  });
  expect(rest.json.events.map((e: { id: string }) => e.id)).toEqual(["a3", "a4"]);
  const channel = await call(timelineGet, `/api/v1/profiles/${joId}/timeline?source=channel`, {
    key: a.apiKey,
    params: p,
  });
  expect(channel.json.events.map((e: { id: string }) => e.id)).toEqual(["a3", "a4"]);
  for (const q of ["limit=0", "limit=1001", "limit=abc", "source=fax", "cursor=garbage"]) {
    expect(
      (await call(timelineGet, `/api/v1/profiles/${joId}/timeline?${q}`, { key: a.apiKey, params: p })).status,
      q,
    ).toBe(400);
  }
});

test("P13: a message body is stored only encrypted; the timeline still shows it in the summary", async () => {
  const stored = await db.$queryRawUnsafe<{ summary: string; properties: unknown }[]>(
    `SELECT summary, properties FROM "Event" WHERE "workspaceId" = $1::uuid AND "clientId" = 'a3'`,
    a.workspaceId,
  );
  expect(stored[0]?.summary).toBe("SMS message in");
  expect(JSON.stringify(stored)).not.toContain("piano");
  const messages = await db.$queryRawUnsafe<{ bodyEnc: string }[]>(
    `SELECT "bodyEnc" FROM "Message" WHERE "workspaceId" = $1::uuid`,
    a.workspaceId,
  );
  expect(messages.length).toBeGreaterThan(0);
  for (const m of messages) expect(m.bodyEnc).toMatch(/^v1\.[0-9a-f]{8}\./);
  expect(JSON.stringify(messages)).not.toContain("piano");
  const page = await call(timelineGet, `/api/v1/profiles/${joId}/timeline?source=channel`, {
    key: a.apiKey,
    params: { id: joId },
  });
  expect(page.json.events[0].summary).toBe("SMS message in: “Can you move a piano?”");
});

test("merge by hand answers the survivor; the merged-away id then answers the survivor on every read", async () => {
  const w = await testWorkspace(db);
  const [x] = await w.ingest([ev("x1", "agent", "agent_action", "2026-11-01T10:00:00Z", { email: "x@example.com" })]);
  const [y] = await w.ingest([
    ev("y1", "webhook", "payment_succeeded", "2026-11-02T10:00:00Z", { email: "y@example.com" }),
  ]);
  const res = await call(mergePost, "/x", {
    key: w.apiKey,
    params: { id: x!.profileId! },
    body: { otherProfileId: y!.profileId },
  });
  expect(res.status).toBe(200);
  expect(res.json).toMatchObject({ id: y!.profileId, rung: 4, customerNumber: 1 });
  const old = await call(profileGet, "/x", { key: w.apiKey, params: { id: x!.profileId! } });
  expect(old.json.id).toBe(y!.profileId);
  expect(old.json.identifiers.map((i: { value: string }) => i.value).sort()).toEqual([
    "x@example.com",
    "y@example.com",
  ]);
  const tl = await call(timelineGet, "/x", { key: w.apiKey, params: { id: x!.profileId! } });
  expect(tl.json.events.map((e: { id: string }) => e.id)).toEqual(["x1", "y1"]);
  expect(
    (
      await call(mergePost, "/x", {
        key: w.apiKey,
        params: { id: x!.profileId! },
        body: { otherProfileId: y!.profileId },
      })
    ).json.id,
  ).toBe(y!.profileId);
  expect((await call(mergePost, "/x", { key: w.apiKey, params: { id: x!.profileId! }, body: {} })).status).toBe(400);

  const split = await call(splitPost, "/x", {
    key: w.apiKey,
    params: { id: y!.profileId! },
    body: { identifiers: [{ type: "email", value: "X@example.com" }] },
  });
  expect(split.status).toBe(200);
  const back = await call(profileGet, "/x", { key: w.apiKey, params: { id: split.json.profileId } });
  expect(back.json).toMatchObject({
    rung: 2,
    customerNumber: null,
    identifiers: [{ type: "email", value: "x@example.com" }],
  });
  const bad = await call(splitPost, "/x", {
    key: w.apiKey,
    params: { id: y!.profileId! },
    body: { identifiers: [{ type: "fax", value: "1" }] },
  });
  expect(bad.status).toBe(400);
  expect(bad.json.error.details[0].path).toBe("identifiers[0].type");
});

test("export: everything about the person as JSON or CSV, bodies readable", async () => {
  const json = await call(exportGet, "/x", { key: a.apiKey, params: { id: joId } });
  expect(json.status).toBe(200);
  expect(json.headers.get("content-disposition")).toContain("attachment");
  expect(json.json.profile.id).toBe(joId);
  expect(json.json.identifiers.map((i: { value: string }) => i.value)).toEqual([
    "d_api",
    "api.jo@example.com",
    "+18055550160",
  ]);
  expect(json.json.events).toHaveLength(4);
  expect(json.json.events[2].properties.body).toBe("Can you move a piano?");
  expect(json.json.messages.map((m: { body: string }) => m.body)).toEqual(["Can you move a piano?", "Yes, we can."]);
  const csv = await call(exportGet, "/x?format=csv", { key: a.apiKey, params: { id: joId } });
  expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  const lines = csv.text.trim().split("\r\n");
  expect(lines[0]).toBe("record,id,occurred_at,type,source,channel,direction,value,summary,data");
  expect(lines.filter((l) => l.startsWith("event,"))).toHaveLength(4);
  expect(csv.text).toContain("Yes, we can.");
  expect((await call(exportGet, "/x?format=xml", { key: a.apiKey, params: { id: joId } })).status).toBe(400);
});

test("DELETE erases and answers {erased: true}; the id is then 404", async () => {
  const w = await testWorkspace(db);
  const [p] = await w.ingest([
    ev("z1", "agent", "agent_action", "2026-11-01T10:00:00Z", { email: "gone@example.com" }),
  ]);
  const res = await call(profileDelete, "/x", { method: "DELETE", key: w.apiKey, params: { id: p!.profileId! } });
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ erased: true });
  expect((await call(profileGet, "/x", { key: w.apiKey, params: { id: p!.profileId! } })).status).toBe(404);
  expect(
    (await call(profileDelete, "/x", { method: "DELETE", key: w.apiKey, params: { id: p!.profileId! } })).status,
  ).toBe(404);
});
