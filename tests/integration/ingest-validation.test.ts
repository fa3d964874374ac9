import fc from "fast-check";
import { afterAll, expect, test } from "vitest";
import { POST as collect } from "../../app/api/collect/route.ts";
import { POST as events } from "../../app/api/v1/events/route.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { identityInvariants } from "../support/invariants.ts";
import { testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();
const w = await testWorkspace(db);

const good = (n = 0, extra: Record<string, unknown> = {}) => ({
  id: `ok_${n}`,
  source: "web",
  type: "page_view",
  occurredAt: "2026-11-03T07:42:00Z",
  identity: { deviceId: `d_${n}` },
  ...extra,
});
const post = (body: unknown) => call(events, "/api/v1/events", { key: w.apiKey, body });
const postRaw = (raw: string, headers: Record<string, string> = {}) =>
  call(events, "/api/v1/events", { key: w.apiKey, raw, headers: { "content-type": "application/json", ...headers } });

async function rows() {
  const where = { workspaceId: w.workspaceId };
  return {
    events: await db.event.count({ where }),
    profiles: await db.profile.count({ where }),
    identifiers: await db.identifier.count({ where }),
    pages: await db.pageCount.count({ where }),
  };
}

afterAll(async () => {
  // Every request in this file was refused or answered without a 5xx; the refused ones stored nothing.
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, clientId: { startsWith: "ok_" } } })).toBe(0);
});

test("malformed JSON, an empty body and a non-object are 400 and store nothing", async () => {
  for (const raw of ["{nope", "", "   ", "[1,2", '{"events": [}']) {
    const res = await postRaw(raw);
    expect(res.status, raw).toBe(400);
    expect(res.json.error.code).toBe("invalid_json");
  }
  for (const body of [null, 42, "events", [good()], {}, { events: {} }, { events: [] }]) {
    const res = await post(body);
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(res.json.error.code).toBe("invalid_request");
  }
  expect(await rows()).toEqual({ events: 0, profiles: 0, identifiers: 0, pages: 0 });
});

test("a body over 1 MiB is 413; 501 events are refused too", async () => {
  const big = JSON.stringify({ events: [good(0, { properties: { pad: "x".repeat(1024 * 1024) } })] });
  const res = await postRaw(big);
  expect(res.status).toBe(413);
  expect(res.json.error.code).toBe("payload_too_large");
  const many = await post({ events: Array.from({ length: 501 }, (_, n) => good(n)) });
  expect(many.status).toBe(400);
  expect(many.json.error.details[0].path).toBe("events");
  expect(await rows()).toEqual({ events: 0, profiles: 0, identifiers: 0, pages: 0 });
});

test("one bad event rejects the whole batch with its path, and nothing of the batch is stored", async () => {
  const batch = [good(0), good(1), good(2), good(3, { type: "Page View" }), good(4)];
  const res = await post({ events: batch });
  expect(res.status).toBe(400);
  expect(res.json.error).toMatchObject({ code: "invalid_request", details: [{ path: "events[3].type" }] });
  expect(res.json.error.message).toMatch(/^events\[3\]\.type/);
  expect(await rows()).toEqual({ events: 0, profiles: 0, identifiers: 0, pages: 0 });
});

test("documented 4xx for each kind of bad field, with the field's path", async () => {
  const now = Date.now();
  const cases: [string, Record<string, unknown>, string][] = [
    ["missing identity", { identity: undefined }, "events[0].identity"],
    ["empty identity", { identity: {} }, "events[0].identity"],
    ["identity of wrong type", { identity: { email: 42 } }, "events[0].identity.email"],
    ["unknown source", { source: "crm" }, "events[0].source"],
    ["source of wrong type", { source: 5 }, "events[0].source"],
    ["type too long", { type: `a${"b".repeat(64)}` }, "events[0].type"],
    ["type with a capital", { type: "Page_view" }, "events[0].type"],
    ["missing time", { occurredAt: undefined }, "events[0].occurredAt"],
    ["time in words", { occurredAt: "yesterday" }, "events[0].occurredAt"],
    ["time as a boolean", { occurredAt: true }, "events[0].occurredAt"],
    ["epoch seconds", { occurredAt: 1767225600 }, "events[0].occurredAt"],
    ["before 2000", { occurredAt: "1999-12-31T23:59:59Z" }, "events[0].occurredAt"],
    ["two days ahead", { occurredAt: now + 2 * 86_400_000 }, "events[0].occurredAt"],
    ["date without time", { occurredAt: "2026-11-03" }, "events[0].occurredAt"],
    ["unknown channel", { channel: "fax" }, "events[0].channel"],
    ["unknown direction", { direction: "sideways" }, "events[0].direction"],
    ["properties as a list", { properties: [1, 2] }, "events[0].properties"],
    ["id too long", { id: "i".repeat(129) }, "events[0].id"],
    ["empty id", { id: "" }, "events[0].id"],
    ["identifier too long", { identity: { email: `${"a".repeat(310)}@example.com` } }, "events[0].identity.email"],
    ["string property too long", { properties: { note: "n".repeat(2001) } }, "events[0].properties.note"],
    ["nested string too long", { properties: { a: { b: ["ok", "n".repeat(2001)] } } }, "events[0].properties.a.b[1]"],
    [
      "properties over 8 KiB",
      { properties: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, "v".repeat(1000)])) },
      "events[0].properties",
    ],
    ["nested too deep", { properties: JSON.parse(`${'{"a":'.repeat(40)}1${"}".repeat(40)}`) }, "events[0].properties"],
    ["campaign value too long", { campaign: { utm_source: "s".repeat(2001) } }, "events[0].campaign.utm_source"],
    ["campaign of wrong type", { campaign: "google" }, "events[0].campaign"],
    ["NUL in the id", { id: "a\u0000b" }, "events[0].id"],
    ["NUL in an identifier", { identity: { deviceId: "d\u0000" } }, "events[0].identity.deviceId"],
    ["NUL in a property", { properties: { note: "x\u0000" } }, "events[0].properties.note"],
    ["unpaired surrogate in a property", { properties: { note: "x\ud800" } }, "events[0].properties.note"],
    ["unpaired surrogate in a campaign", { campaign: { utm_source: "\udc00" } }, "events[0].campaign.utm_source"],
  ];
  for (const [name, patch, path] of cases) {
    const res = await post({ events: [good(0, patch)] });
    expect(res.status, name).toBe(400);
    expect(res.json.error.code, name).toBe("invalid_request");
    const paths: string[] = res.json.error.details.map((d: { path: string }) => d.path);
    expect(
      paths.some((p) => p === path || p.startsWith(`${path}.`)),
      `${name}: ${paths}`,
    ).toBe(true);
  }
  expect(await rows()).toEqual({ events: 0, profiles: 0, identifiers: 0, pages: 0 });
});

test("limits at their edge are accepted: 2,000-character strings, epoch milliseconds, an offset time", async () => {
  const v = await testWorkspace(db);
  const res = await call(events, "/api/v1/events", {
    key: v.apiKey,
    body: {
      events: [
        {
          ...good(0),
          id: "e".repeat(128),
          properties: { note: "n".repeat(2000) },
          campaign: { utm_source: "s".repeat(2000), unknown_key: "dropped" },
        },
        { ...good(1), occurredAt: Date.parse("2026-11-03T07:42:00Z") },
        { ...good(2), occurredAt: "2026-11-03T09:42:00.123+02:00", identity: { deviceId: "d_0", email: null } },
      ],
    },
  });
  expect(res.status).toBe(200);
  const stored = await db.event.findMany({ where: { workspaceId: v.workspaceId }, orderBy: { clientId: "asc" } });
  expect(stored.map((e) => e.occurredAt.toISOString())).toEqual([
    "2026-11-03T07:42:00.000Z",
    "2026-11-03T07:42:00.000Z",
    "2026-11-03T07:42:00.123Z",
  ]);
  expect(stored[0]?.campaign).toEqual({ utm_source: "s".repeat(2000) });
});

test("duplicates: the same id in the database or twice in a batch stores nothing new and answers duplicate", async () => {
  const v = await testWorkspace(db);
  const e = (id: string, email: string) => ({
    ...good(0),
    id,
    source: "agent",
    type: "agent_action",
    identity: { email },
  });
  const first = await call(events, "/api/v1/events", {
    key: v.apiKey,
    body: { events: [e("d1", "dup@example.com"), e("d1", "other@example.com")] },
  });
  expect(first.json.results).toEqual([
    { id: "d1", profileId: expect.any(String), rung: 2, duplicate: false },
    { id: "d1", profileId: first.json.results[0].profileId, rung: 2, duplicate: true },
  ]);
  const again = await call(events, "/api/v1/events", {
    key: v.apiKey,
    body: { events: [e("d2", "dup@example.com"), e("d1", "third@example.com")] },
  });
  expect(again.json.results[1]).toEqual({
    id: "d1",
    profileId: first.json.results[0].profileId,
    rung: 2,
    duplicate: true,
  });
  expect(await db.event.count({ where: { workspaceId: v.workspaceId } })).toBe(2);
  expect(await db.identifier.count({ where: { workspaceId: v.workspaceId } })).toBe(1);
});

test("wrong keys: none 401, a site key 403, another workspace's data is never touched", async () => {
  expect((await call(events, "/api/v1/events", { body: { events: [good()] } })).status).toBe(401);
  expect((await call(events, "/api/v1/events", { key: w.siteKey, body: { events: [good()] } })).status).toBe(403);
  expect((await call(events, "/api/v1/events", { key: "sk_forged", body: { events: [good()] } })).status).toBe(401);
});

test("collect: over 64 KiB is 413, 51 events 400, no site key 401, a secret key 403 — CORS headers on every answer", async () => {
  const event = (n: number) => ({
    id: `c${n}`,
    type: "page_view",
    ts: Date.parse("2026-11-03T07:42:00Z"),
    url: "https://acme.test/",
  });
  const cases: [unknown, number][] = [
    [{ site: w.siteKey, deviceId: "d", events: [{ ...event(0), props: { pad: "x".repeat(65 * 1024) } }] }, 413],
    [{ site: w.siteKey, deviceId: "d", events: Array.from({ length: 51 }, (_, n) => event(n)) }, 400],
    [{ site: w.siteKey, deviceId: "d", events: [] }, 400],
    [{ site: w.siteKey, deviceId: "d", events: [{ ...event(0), type: "Bad" }] }, 400],
    [{ site: w.siteKey, deviceId: "d", events: [{ ...event(0), ts: 12 }] }, 400],
    [{ deviceId: "d", events: [event(0)] }, 401],
    [{ site: "pk_\u0000x", deviceId: "d", events: [event(0)] }, 401],
    [{ site: w.apiKey, deviceId: "d", events: [event(0)] }, 403],
  ];
  for (const [body, status] of cases) {
    const res = await call(collect, "/api/collect", { body });
    expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  }
  const bad = await call(collect, "/api/collect", { raw: "{not json", headers: { "content-type": "text/plain" } });
  expect(bad.status).toBe(400);
  expect(await rows()).toEqual({ events: 0, profiles: 0, identifiers: 0, pages: 0 });
});

// ───────────────────────── Property tests: nothing a client sends gets a 5xx ─────────────────────────

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 10 }),
  fc.constantFrom(
    "",
    "null",
    "0",
    "jo@example.com",
    "(805) 555-0100",
    "whatsapp:+18055550100",
    "d_1",
    "💥",
    "\u0000",
    "\ud800",
  ),
);
const time = fc.oneof(
  fc.constantFrom(
    "2026-11-03T07:42:00Z",
    "2026-11-03T07:42:00.5+05:30",
    "1999-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "not a time",
  ),
  fc.integer(),
  fc.double(),
  fc.constant(null),
);
const nearEvent = fc.record(
  {
    id: fc.oneof(text, fc.string({ minLength: 120, maxLength: 140 })),
    source: fc.oneof(fc.constantFrom("web", "email", "channel", "agent", "webhook", "pixel", "ads"), text),
    type: fc.oneof(fc.constantFrom("page_view", "message_in", "payment_succeeded", "form_submit"), text),
    occurredAt: time,
    identity: fc.oneof(
      fc.record({ deviceId: text, email: text, phone: text, accountId: text }, { requiredKeys: [] }),
      fc.jsonValue(),
    ),
    channel: fc.oneof(fc.constantFrom("sms", "whatsapp", "fax"), fc.jsonValue()),
    direction: fc.constantFrom("in", "out", "up"),
    properties: fc.oneof(fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 })), fc.jsonValue()),
    campaign: fc.oneof(
      fc.record({ utm_source: text, gclid: text, referrer: text }, { requiredKeys: [] }),
      fc.jsonValue(),
    ),
  },
  { requiredKeys: [] },
);

/** Valid events over a small pool of identifiers, so random batches attach, merge, share and refuse. */
const validEvent = fc.record({
  id: fc.string({ minLength: 1, maxLength: 8 }),
  source: fc.constantFrom("web", "email", "channel", "agent", "webhook", "pixel", "ads"),
  type: fc.constantFrom("page_view", "message_in", "payment_succeeded", "identify", "agent_action"),
  occurredAt: fc.integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2026-06-01T00:00:00Z") }),
  identity: fc
    .record(
      {
        deviceId: fc.constantFrom("d1", "d2", "d3"),
        email: fc.constantFrom("a@x.io", "b@x.io", "c@x.io", "null"),
        phone: fc.constantFrom("+18055550101", "805-555-0102", "12"),
        accountId: fc.constantFrom("u1", "u2", "0"),
      },
      { requiredKeys: [] },
    )
    .filter((i) => Object.keys(i).length > 0),
  properties: fc.constantFrom({}, { body: "hi" }, { url: "https://a.test/?utm_source=x&ot_c=nope" }),
});

test("property: random JSON and near-valid events at /api/v1/events never get a 5xx", async () => {
  const v = await testWorkspace(db);
  const batch = fc.oneof(
    fc.jsonValue(),
    fc.record({ events: fc.array(nearEvent, { maxLength: 6 }) }),
    fc.record({ events: fc.array(validEvent, { minLength: 1, maxLength: 8 }) }),
  );
  await fc.assert(
    fc.asyncProperty(batch, async (body) => {
      const res = await call(events, "/api/v1/events", { key: v.apiKey, body });
      expect(res.status).toBeLessThan(500);
      expect([200, 400, 413]).toContain(res.status);
    }),
    { numRuns: 150 },
  );
  expect(await identityInvariants(db, v.workspaceId)).toEqual([]);
});

test("property: random text and near-valid tracker payloads at /api/collect never get a 5xx", async () => {
  const v = await testWorkspace(db);
  const collectEvent = fc.record(
    {
      id: text,
      type: fc.oneof(fc.constantFrom("page_view", "form_submit", "identify"), text),
      ts: time,
      url: text,
      referrer: text,
      props: fc.jsonValue({ maxDepth: 3 }),
    },
    { requiredKeys: [] },
  );
  const payload = fc.oneof(
    fc.string().map((raw) => ({ raw })),
    fc
      .record({ deviceId: fc.oneof(text, fc.constant(undefined)), events: fc.array(collectEvent, { maxLength: 5 }) })
      .map((b) => ({ body: { site: v.siteKey, ...b } })),
  );
  await fc.assert(
    fc.asyncProperty(payload, async (p) => {
      const res = await call(collect, "/api/collect", { ...p, headers: { "content-type": "text/plain" } });
      expect(res.status).toBeLessThan(500);
    }),
    { numRuns: 150 },
  );
});
